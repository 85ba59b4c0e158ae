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
	"strings"
	"sync/atomic"

	"github.com/redis/go-redis/v9"

	"github.com/sitrepbot/sitrep/bot"
)

var (
	_ bot.Store      = (*Store)(nil)
	_ bot.BatchAcker = (*Store)(nil)
)

// Options configure a Store.
type Options struct {
	Prefix string // key prefix; default "sitrep:"
}

// Store is a bot.Store on a Redis server, Sentinel group or Cluster.
type Store struct {
	rdb       redis.UniversalClient
	k         keys
	lastPrune atomic.Int64 // Unix ns of the last pruneConsumers
	trips     *roundTrips
}

// New returns a Store on rdb. Close closes rdb.
func New(rdb redis.UniversalClient, opts Options) *Store {
	if opts.Prefix == "" {
		opts.Prefix = "sitrep:"
	}
	s := &Store{rdb: rdb, k: keys{opts.Prefix}, trips: &roundTrips{}}
	rdb.AddHook(s.trips)
	return s
}

// Open connects to Redis as rawURL says and returns a Store on it. It does
// not wait for the server: use Ping. The URL forms:
//
//	redis://[[user]:password@]host:6379[/db]      one server; rediss:// for TLS
//	unix://[[user]:password@]/path/redis.sock[?db=N]
//	redis+sentinel://[[user]:password@]sentinel:26379[/db]?master_name=NAME[&addr=sentinel2:26379...]
//	redis+cluster://[[user]:password@]node:6379[?addr=node2:6379...]
//
// rediss+sentinel:// and rediss+cluster:// use TLS. The query takes go-redis
// options (dial_timeout=3s, pool_size=20, ...). For Sentinel the user and
// password are the Sentinels'; a password for the master goes in the query
// as password=... .
func Open(rawURL string, opts Options) (*Store, error) {
	rdb, err := newClient(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redisstore: %w", redactURLError(err, rawURL))
	}
	return New(rdb, opts), nil
}

// Schemes lists the URL schemes Open accepts.
var Schemes = []string{"redis", "rediss", "unix", "redis+sentinel", "rediss+sentinel", "redis+cluster", "rediss+cluster"}

func newClient(rawURL string) (redis.UniversalClient, error) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return nil, errors.New("not a URL")
	}
	base, mode, _ := strings.Cut(scheme, "+")
	plain := base + "://" + rest
	switch mode {
	case "":
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, err
		}
		return redis.NewClient(o), nil
	case "sentinel":
		o, err := redis.ParseFailoverURL(plain)
		if err != nil {
			return nil, err
		}
		return redis.NewFailoverClient(o), nil
	case "cluster":
		o, err := redis.ParseClusterURL(plain)
		if err != nil {
			return nil, err
		}
		return redis.NewClusterClient(o), nil
	}
	return nil, fmt.Errorf("unknown scheme %q (want one of %s)", scheme, strings.Join(Schemes, ", "))
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
