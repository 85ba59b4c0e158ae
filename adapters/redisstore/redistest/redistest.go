// Package redistest connects tests to a real Redis server: the one named by
// SITREP_TEST_REDIS_URL (default redis://127.0.0.1:6379/15). Without a
// reachable server a test is skipped with a visible message, except when CI
// is set, where it fails: CI always provides Redis.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultURL is used when SITREP_TEST_REDIS_URL is not set.
const DefaultURL = "redis://127.0.0.1:6379/15"

// URL returns the Redis URL tests use.
func URL() string {
	if u := os.Getenv("SITREP_TEST_REDIS_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// Client returns a client of the test server and a key prefix of the test's
// own; every key under the prefix is deleted when the test ends. The caller
// closes the client (a store's Close does).
func Client(tb testing.TB) (*redis.Client, string) {
	tb.Helper()
	opts, err := redis.ParseURL(URL())
	if err != nil {
		tb.Fatalf("SITREP_TEST_REDIS_URL: %v", err)
	}
	if err := reachable(opts); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("Redis at %s is not reachable and CI is set: %v", opts.Addr, err)
		}
		tb.Skipf("SKIP: Redis at %s is not reachable (%v); set SITREP_TEST_REDIS_URL to run the Redis tests", opts.Addr, err)
	}
	rdb := redis.NewClient(opts)
	prefix := "sitreptest:" + randomHex(6) + ":"
	tb.Cleanup(func() { // on a client of its own: the test may have closed rdb
		c := redis.NewClient(opts)
		defer c.Close()
		DeletePrefix(tb, c, prefix)
	})
	return rdb, prefix
}

var (
	probeOnce sync.Once
	probeErr  error
)

// reachable pings the test server once per process: when it does not
// answer, every later test skips at once instead of dialing again.
func reachable(opts *redis.Options) error {
	probeOnce.Do(func() {
		o := *opts
		o.MaxRetries = -1
		rdb := redis.NewClient(&o)
		defer rdb.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		probeErr = rdb.Ping(ctx).Err()
	})
	return probeErr
}

// DeletePrefix deletes every key that starts with prefix.
func DeletePrefix(tb testing.TB, rdb redis.UniversalClient, prefix string) {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		tb.Errorf("redistest: scan %s*: %v", prefix, err)
		return
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		if err := rdb.Del(ctx, keys[:n]...).Err(); err != nil {
			tb.Errorf("redistest: delete: %v", err)
			return
		}
		keys = keys[n:]
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
