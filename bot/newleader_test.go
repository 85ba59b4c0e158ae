package bot_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
)

// grantedLater is a Lease another instance holds until the test grants it.
type grantedLater struct {
	granted  atomic.Bool
	attempts atomic.Int32
}

func (l *grantedLater) Acquire(context.Context, time.Duration) (bool, error) {
	l.attempts.Add(1)
	return l.granted.Load(), nil
}
func (l *grantedLater) Renew(context.Context, time.Duration) (bool, error) {
	return l.granted.Load(), nil
}
func (l *grantedLater) Release(context.Context) error { return nil }

// countingSource counts the polls.
type countingSource struct{ polls atomic.Int32 }

func (s *countingSource) Collect(context.Context) (bot.Collection, error) {
	s.polls.Add(1)
	return bot.Collection{}, nil
}

// TestNewLeaderPollsAtOnce: an instance that becomes the leader after it
// started (another held the lease, or died) polls the sources at once, not
// a poll interval later.
func TestNewLeaderPollsAtOnce(t *testing.T) {
	h := newHarness(t, time.Date(2026, 2, 10, 6, 0, 0, 0, time.UTC))
	lease := &grantedLater{}
	src := &countingSource{}
	b := h.botWith(src, func(o *bot.Options) {
		o.Logger, o.PollInterval = quiet, time.Hour
		o.Delivery.Lease, o.Delivery.LeaseTTL = lease, 200*time.Millisecond
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	defer func() { cancel(); <-done }()

	waitFor(t, "a few rounds for the lease", func() bool { return lease.attempts.Load() >= 3 })
	if n := src.polls.Load(); n != 0 {
		t.Fatalf("a follower polled %d times", n)
	}
	lease.granted.Store(true)
	waitFor(t, "the new leader polls", func() bool { return src.polls.Load() >= 1 })
}

// waitFor polls cond until it holds, or fails the test after 5s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
