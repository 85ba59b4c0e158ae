// Package redisstore implements bot.Store on Redis (go-redis v9): the store
// for production and for several sitrep instances sharing one state.
//
// Every key starts with the configured prefix (default "sitrep:"); the keys,
// their types and expiry are listed in keys.go.
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/sitrepbot/sitrep/bot"
)

var _ bot.Store = (*Store)(nil)

// Options configure a Store.
type Options struct {
	Prefix string // key prefix; default "sitrep:"
}

// Store is a bot.Store on a Redis server, Sentinel group or Cluster.
type Store struct {
	rdb redis.UniversalClient
	k   keys
}

// New returns a Store on rdb. Close closes rdb.
func New(rdb redis.UniversalClient, opts Options) *Store {
	if opts.Prefix == "" {
		opts.Prefix = "sitrep:"
	}
	return &Store{rdb: rdb, k: keys{opts.Prefix}}
}

// Open connects to the Redis server at rawURL (redis://, rediss:// for TLS, or
// unix://) and returns a Store on it. It does not wait for the server: use Ping.
func Open(rawURL string, opts Options) (*Store, error) {
	o, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redisstore: %w", redactURLError(err, rawURL))
	}
	return New(redis.NewClient(o), opts), nil
}

// redactURLError keeps a URL's password out of an error message.
func redactURLError(err error, rawURL string) error {
	return errors.New(redact(err.Error(), rawURL))
}

// Client returns the underlying client, for parts of sitrep that share the
// connection (leader lock, rate limiter).
func (s *Store) Client() redis.UniversalClient { return s.rdb }

// Ping implements bot.Store.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redisstore: ping: %w", err)
	}
	return nil
}

// Close implements bot.Store.
func (s *Store) Close() error { return s.rdb.Close() }

// SetLibraryLogger sends go-redis's own log lines (connection pool
// failures) to log at debug level instead of the standard logger.
func SetLibraryLogger(log *slog.Logger) { redis.SetLogger(libraryLogger{log}) }

type libraryLogger struct{ log *slog.Logger }

func (l libraryLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}
