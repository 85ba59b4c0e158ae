package bot

import (
	"context"
	"slices"
	"sync"
	"time"
)

// gate hands out one instance's tokens of a shared bucket (a platform's
// global limit). Waiters queue in the order they came (the further messages
// of a delivery under way first) and are granted in that order, each all
// the tokens it asked for at once, so that no waiter sits on part of its
// tokens while others send. One waiter at a time, the asker, asks the limiter for the
// tokens the whole queue waits for (up to half the burst) and grants them:
// everyone granted goes on at once, without waiting for the others to take
// their turn. When the asker is granted it hands the asking on. Nobody asks
// again before the limiter said tokens are due.
type gate struct {
	key   string
	limit Limit
	lim   RateLimiter

	mu     sync.Mutex
	queue  []*waiter // not yet granted, in the order they came
	bank   int       // tokens taken and not yet granted
	next   time.Time // do not ask before
	asking bool      // a waiter is asking the limiter for the queue
}

// waiter is one take in the queue.
type waiter struct {
	n       int
	granted bool
	wake    chan struct{} // granted, or asked to become the asker
}

func newGate(key string, l Limit, lim RateLimiter) *gate {
	return &gate{key: key, limit: l, lim: lim}
}

// take waits for n tokens, until ctx ends or, with *errWaitTooLong, until
// deadline would pass. A waiter first in line goes before those queued.
func (g *gate) take(ctx context.Context, n int, deadline time.Time, first bool) error {
	w := &waiter{n: n, wake: make(chan struct{}, 1)}
	g.mu.Lock()
	defer g.mu.Unlock()
	if first {
		g.queue = slices.Insert(g.queue, 0, w)
	} else {
		g.queue = append(g.queue, w)
	}
	g.grantLocked()
	for !w.granted {
		var err error
		if !g.asking {
			g.asking = true
			err = g.askLocked(ctx, w, deadline)
			g.asking = false
		} else {
			err = g.awaitLocked(ctx, w, deadline)
		}
		if err != nil && !w.granted {
			g.queue = slices.DeleteFunc(g.queue, func(q *waiter) bool { return q == w })
			g.grantLocked() // the next in line may need fewer tokens
			g.handOnLocked()
			return err
		}
		g.handOnLocked()
	}
	return nil
}

// askLocked asks the limiter for the queue's tokens and grants them until w
// is granted; it returns with g.mu held, as it was called.
func (g *gate) askLocked(ctx context.Context, w *waiter, deadline time.Time) error {
	for !w.granted {
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
		want := min(g.waitingLocked()-g.bank, max(g.limit.Burst/2, 1))
		if want <= 0 {
			g.grantLocked()
			continue
		}
		g.mu.Unlock()
		got, retry, err := g.lim.Take(ctx, g.key, g.limit, want)
		g.mu.Lock()
		if err != nil {
			return err
		}
		g.bank += got
		if got < want {
			g.next = time.Now().Add(retry)
		}
		g.grantLocked()
	}
	return nil
}

// awaitLocked waits, with g.mu released, until w is granted or asked to
// become the asker; it returns with g.mu held.
func (g *gate) awaitLocked(ctx context.Context, w *waiter, deadline time.Time) error {
	g.mu.Unlock()
	defer g.mu.Lock()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-w.wake:
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

// waitingLocked is the number of tokens the queue waits for.
func (g *gate) waitingLocked() int {
	n := 0
	for _, q := range g.queue {
		n += q.n
	}
	return n
}

// grantLocked grants banked tokens to the queue, first come first served.
func (g *gate) grantLocked() {
	for len(g.queue) > 0 && g.queue[0].n <= g.bank {
		w := g.queue[0]
		g.queue = g.queue[1:]
		g.bank -= w.n
		w.granted = true
		signal(w.wake)
	}
}

// handOnLocked asks the first one still waiting to become the asker, when
// nobody asks.
func (g *gate) handOnLocked() {
	if !g.asking && len(g.queue) > 0 {
		signal(g.queue[0].wake)
	}
}

// signal wakes the owner of c without blocking (c has room for one).
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
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
