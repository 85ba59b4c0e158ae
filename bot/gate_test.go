package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// countingLimiter is a LocalLimiter that counts the tokens it gave.
type countingLimiter struct {
	*LocalLimiter
	mu    sync.Mutex
	given int
	calls int
}

func (c *countingLimiter) Take(ctx context.Context, key string, l Limit, n int) (int, time.Duration, error) {
	got, retry, err := c.LocalLimiter.Take(ctx, key, l, n)
	c.mu.Lock()
	c.given += got
	c.calls++
	c.mu.Unlock()
	return got, retry, err
}

// TestGateGrantsAtTheLimitersRate: many waiters at once are all served,
// never faster than the bucket allows, and with no token left over.
func TestGateGrantsAtTheLimitersRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := &countingLimiter{LocalLimiter: NewLocalLimiter()}
		l := Limit{Rate: 100, Period: time.Second, Burst: 10}
		g := newGate("g", l, lim)
		start := time.Now()
		var mu sync.Mutex
		var grants []time.Duration
		var wg sync.WaitGroup
		for i := range 60 {
			n := 1 + i%2 // deliveries of one and of two messages
			wg.Go(func() {
				if err := g.take(t.Context(), n, start.Add(time.Minute), false); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for range n {
					grants = append(grants, time.Since(start))
				}
				mu.Unlock()
			})
		}
		wg.Wait()
		if got, want := len(grants), 90; got != want {
			t.Fatalf("%d tokens granted, want %d", got, want)
		}
		for i, at := range grants { // by time at, at most burst + rate·at tokens
			if allowed := l.Burst + int(int64(at)*int64(l.Rate)/int64(l.Period)); i+1 > allowed {
				t.Fatalf("token %d granted at %s, when %d were allowed", i+1, at, allowed)
			}
		}
		if last, want := grants[len(grants)-1], 800*time.Millisecond; last > want+50*time.Millisecond {
			t.Errorf("the last token was granted at %s; at the bucket's rate it is due at %s", last, want)
		}
		if g.bank != 0 || lim.given != 90 {
			t.Errorf("limiter gave %d tokens, %d left in the bank; want 90 and 0", lim.given, g.bank)
		}
	})
}

// TestGateWaiterThatCannotWait: a waiter whose deadline comes before its
// tokens leaves with *errWaitTooLong, and those behind it are still served.
func TestGateWaiterThatCannotWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := NewLocalLimiter()
		l := Limit{Rate: 10, Period: time.Second, Burst: 1}
		g := newGate("g", l, lim)
		now := time.Now()
		if err := g.take(t.Context(), 1, now.Add(time.Minute), false); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 3)
		for _, wait := range []time.Duration{time.Minute, 10 * time.Millisecond, time.Minute} {
			go func() { errs <- g.take(t.Context(), 1, now.Add(wait), false) }()
			synctest.Wait() // they queue in this order
		}
		var tooLong, ok int
		for range 3 {
			var e *errWaitTooLong
			switch err := <-errs; {
			case errors.As(err, &e):
				tooLong++
			case err == nil:
				ok++
			default:
				t.Fatal(err)
			}
		}
		if tooLong != 1 || ok != 2 {
			t.Errorf("%d served, %d could not wait; want 2 and 1", ok, tooLong)
		}
	})
}

// TestGateCancel: a waiter whose context ends leaves, and the others go on.
func TestGateCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := Limit{Rate: 1, Period: time.Second, Burst: 1}
		g := newGate("g", l, NewLocalLimiter())
		far := time.Now().Add(time.Hour)
		if err := g.take(t.Context(), 1, far, false); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		first := make(chan error, 1)
		go func() { first <- g.take(ctx, 1, far, false) }()
		synctest.Wait()
		second := make(chan error, 1)
		go func() { second <- g.take(t.Context(), 1, far, false) }()
		synctest.Wait()
		cancel()
		if err := <-first; !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled waiter: %v, want context.Canceled", err)
		}
		if err := <-second; err != nil {
			t.Errorf("waiter behind it: %v", err)
		}
	})
}

// TestGateHold: after hold, nothing is granted for d.
func TestGateHold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := Limit{Rate: 100, Period: time.Second, Burst: 10}
		g := newGate("g", l, NewLocalLimiter())
		start := time.Now()
		g.hold(2 * time.Second)
		if err := g.take(t.Context(), 1, start.Add(time.Minute), false); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got < 2*time.Second {
			t.Errorf("granted %s after a hold of 2s", got)
		}
	})
}

// TestGateFurtherPartGoesFirst: the further message of a delivery under way
// is granted before the waiters that queued earlier.
func TestGateFurtherPartGoesFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := Limit{Rate: 10, Period: time.Second, Burst: 1}
		g := newGate("g", l, NewLocalLimiter())
		far := time.Now().Add(time.Hour)
		if err := g.take(t.Context(), 1, far, false); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var order []string
		var wg sync.WaitGroup
		for _, who := range []string{"a", "b", "part 2"} {
			wg.Go(func() {
				if err := g.take(t.Context(), 1, far, who == "part 2"); err != nil {
					t.Error(err)
				}
				mu.Lock()
				order = append(order, who)
				mu.Unlock()
			})
			synctest.Wait()
		}
		wg.Wait()
		if got := fmt.Sprint(order); got != "[part 2 a b]" {
			t.Errorf("served in the order %s, want [part 2 a b]", got)
		}
	})
}
