package bot

import (
	"context"
	"sync"
	"time"
)

// gate hands out one instance's tokens of a shared bucket (a platform's
// global limit). Waiters are served one at a time, in turn: the one served
// gets all the tokens it asked for at once, so the messages of one delivery
// leave together and no waiter sits on part of its tokens while others send.
// The one served asks the limiter for as many tokens as are waited for (up
// to half the burst), banking the rest for the next ones, and nobody asks
// again before the limiter said they are due.
type gate struct {
	key   string
	limit Limit
	lim   RateLimiter
	turn  chan struct{} // holds a token while a waiter is served

	mu      sync.Mutex
	bank    int       // tokens taken and not yet handed out
	next    time.Time // do not ask before
	waiting int       // tokens waited for, the served waiter's included
}

func newGate(key string, l Limit, lim RateLimiter) *gate {
	return &gate{key: key, limit: l, lim: lim, turn: make(chan struct{}, 1)}
}

// take waits for n tokens, until ctx ends or, with *errWaitTooLong, until
// deadline would pass.
func (g *gate) take(ctx context.Context, n int, deadline time.Time) error {
	g.mu.Lock()
	g.waiting += n
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.waiting -= n
		g.mu.Unlock()
	}()
	if err := g.await(ctx, deadline); err != nil {
		return err
	}
	defer func() { <-g.turn }()
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.bank < n {
		if now := time.Now(); now.Before(g.next) {
			next := g.next
			g.mu.Unlock()
			err := sleepUntil(ctx, next, deadline)
			g.mu.Lock()
			if err != nil {
				return err
			}
			continue
		}
		// Ask for at most half the burst: the other half absorbs a late wake-up
		// (the bucket keeps filling), so the platform's rate is not lost to
		// timer delays.
		want := min(g.waiting-g.bank, max(g.limit.Burst/2, 1))
		got, retry, err := g.lim.Take(ctx, g.key, g.limit, want)
		if err != nil {
			return err
		}
		g.bank += got
		if got < want {
			g.next = time.Now().Add(retry)
		}
	}
	g.bank -= n
	return nil
}

// await waits for this waiter's turn (waiters are served about in the order
// they came: the turn is a channel send, and blocked senders queue).
func (g *gate) await(ctx context.Context, deadline time.Time) error {
	select {
	case g.turn <- struct{}{}:
		return nil
	default:
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case g.turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		g.mu.Lock()
		wait := max(time.Until(g.next), g.limit.Period/time.Duration(max(g.limit.Rate, 1)))
		g.mu.Unlock()
		return &errWaitTooLong{wait: wait}
	}
}

// hold makes this instance's waiters wait d (the limiter is paused too).
func (g *gate) hold(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.bank = 0
	if until := time.Now().Add(d); until.After(g.next) {
		g.next = until
	}
}
