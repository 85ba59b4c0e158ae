package redisstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/bot/storetest"
)

// TestTopologies runs the store contract, the leadership lease and the
// shared rate limiter through the URL forms of a Redis Cluster (three
// masters: every script and transaction must keep to one slot) and of a
// Sentinel group, on servers of the test's own.
func TestTopologies(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Redis servers")
	}
	for _, tc := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"cluster", func(t *testing.T) string {
			nodes := redistest.StartCluster(t, 3)
			return "redis+cluster://" + nodes[0] + "?addr=" + strings.Join(nodes[1:], "&addr=")
		}},
		{"sentinel", func(t *testing.T) string {
			return "redis+sentinel://" + redistest.StartSentinel(t, "sitrep") + "/0?master_name=sitrep"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := tc.url(t)
			n := 0
			open := func(t *testing.T) *redisstore.Store {
				n++ // a prefix per store: the cases share the servers
				s, err := redisstore.Open(url, redisstore.Options{Prefix: "t" + strings.Repeat("x", n) + ":"})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			storetest.Run(t, func(t *testing.T) bot.Store { return open(t) })

			t.Run("Lease", func(t *testing.T) {
				s := open(t)
				defer s.Close()
				ctx := context.Background()
				a, b := s.Lease("a"), s.Lease("b")
				if ok, err := a.Acquire(ctx, time.Minute); !ok || err != nil {
					t.Fatalf("a.Acquire = %v, %v; want the lease", ok, err)
				}
				if ok, err := b.Acquire(ctx, time.Minute); ok || err != nil {
					t.Errorf("b.Acquire while a holds it = %v, %v; want false", ok, err)
				}
				if who, err := s.Leader(ctx); who != "a" || err != nil {
					t.Errorf("Leader = %q, %v; want a", who, err)
				}
				if ok, err := a.Renew(ctx, time.Minute); !ok || err != nil {
					t.Errorf("a.Renew = %v, %v", ok, err)
				}
				if err := a.Release(ctx); err != nil {
					t.Fatal(err)
				}
				if ok, err := b.Acquire(ctx, time.Minute); !ok || err != nil {
					t.Errorf("b.Acquire after a let go = %v, %v; want the lease", ok, err)
				}
			})

			t.Run("Limiter", func(t *testing.T) {
				s := open(t)
				defer s.Close()
				ctx := context.Background()
				l := s.Limiter()
				lim := bot.Limit{Rate: 5, Period: time.Minute, Burst: 5}
				if got, _, err := l.Take(ctx, "telegram", lim, 5); got != 5 || err != nil {
					t.Fatalf("Take(5) of a full bucket = %d, %v", got, err)
				}
				if got, wait, err := l.Take(ctx, "telegram", lim, 1); got != 0 || wait <= 0 || err != nil {
					t.Errorf("Take(1) of an empty bucket = %d, wait %s, %v; want none and a wait", got, wait, err)
				}
				if err := l.Pause(ctx, "discord", lim, time.Minute); err != nil {
					t.Fatal(err)
				}
				if got, wait, err := l.Take(ctx, "discord", lim, 1); got != 0 || wait < 55*time.Second || err != nil {
					t.Errorf("Take(1) after a 1m pause = %d, wait %s, %v; want none for a minute", got, wait, err)
				}
			})
		})
	}
}
