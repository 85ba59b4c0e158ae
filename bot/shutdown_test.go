package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/bot"
)

// held is a platform whose first send waits until the test lets it finish,
// or until its context ends.
type held struct {
	platformMessenger
	started chan struct{}
	finish  chan struct{}
}

func (h held) Send(ctx context.Context, m bot.Message) (bot.Sent, error) {
	select {
	case h.started <- struct{}{}:
		select {
		case <-h.finish:
		case <-ctx.Done():
			return bot.Sent{}, ctx.Err()
		}
	default:
	}
	return h.platformMessenger.Send(ctx, m)
}

// TestShutdownHandsBackClaimedJobs: an instance that stops while a send is
// under way lets that send finish and records it, and hands the jobs it
// claimed but did not start back to the outbox: another instance (or the
// same one restarted) delivers them at once, not when their lease runs out,
// and nothing twice.
func TestShutdownHandsBackClaimedJobs(t *testing.T) {
	for _, kind := range []struct {
		name string
		open func(t *testing.T) (a, b bot.Store) // two instances' stores on the same state
	}{
		{"embedded", func(t *testing.T) (bot.Store, bot.Store) {
			s, err := boltstore.Open(filepath.Join(t.TempDir(), "sitrep.db"), boltstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s, s
		}},
		{"redis", func(t *testing.T) (bot.Store, bot.Store) {
			rdb, prefix := redistest.Client(t)
			t.Cleanup(func() { rdb.Close() })
			return redisstore.New(rdb, redisstore.Options{Prefix: prefix}), redisstore.New(secondClient(t), redisstore.Options{Prefix: prefix})
		}},
	} {
		t.Run(kind.name, func(t *testing.T) {
			storeA, storeB := kind.open(t)
			plat := newPlatform(false)
			opts := func(consumer string) bot.Options {
				return bot.Options{Logger: quiet, Delivery: bot.DeliveryOptions{Workers: 1, JobLease: time.Minute,
					Limits: map[string]bot.PlatformLimits{}, Consumer: consumer}}
			}
			ctx := context.Background()
			var jobs []bot.Job
			for i := range 3 {
				chat := fmt.Sprint(i + 1)
				jobs = append(jobs, bot.NewJob(bot.Message{Key: bot.DeliveryKey{Platform: bot.Discord, ChatID: chat, DigestID: "s-1"}, ChatID: chat, Text: "hi"}, time.Now()))
			}
			must(t, storeA.Enqueue(ctx, jobs...))

			a := bot.New(storeA, &fakeSource{}, opts("a"))
			h := held{platformMessenger: platformMessenger{plat, "a"}, started: make(chan struct{}), finish: make(chan struct{})}
			a.AddMessenger(h)
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- a.Run(runCtx) }()
			<-h.started // a sends one job and holds the next it claimed
			stop()
			close(h.finish)
			if err := <-done; err != nil {
				t.Fatal(err)
			}

			b := bot.New(storeB, &fakeSource{}, opts("b"))
			b.AddMessenger(plat.as("b"))
			must(t, b.Tick(ctx))
			for _, j := range jobs {
				if got := plat.count(j.Message.ChatID); got != 1 {
					t.Errorf("chat %s got %d messages, want 1", j.Message.ChatID, got)
				}
			}
			st, err := storeB.OutboxStats(ctx)
			must(t, err)
			if st != (bot.OutboxStats{}) {
				t.Errorf("outbox = %+v, want empty", st)
			}
		})
	}
}
