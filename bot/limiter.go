package bot

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

var _ RateLimiter = (*LocalLimiter)(nil)

// LocalLimiter is a RateLimiter for one process (x/time/rate): what the bot
// uses with the embedded store. Buckets that refilled are forgotten, so its
// memory follows the chats active in the last period, not all chats ever.
type LocalLimiter struct {
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	paused  map[string]time.Time
	takes   int
}

// NewLocalLimiter returns an empty LocalLimiter.
func NewLocalLimiter() *LocalLimiter {
	return &LocalLimiter{buckets: map[string]*rate.Limiter{}, paused: map[string]time.Time{}}
}

// Take implements RateLimiter.
func (l *LocalLimiter) Take(ctx context.Context, key string, lim Limit, n int) (int, time.Duration, error) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	if until, ok := l.paused[key]; ok && now.Before(until) {
		return 0, until.Sub(now), nil
	}
	b := l.buckets[key]
	if b == nil {
		b = rate.NewLimiter(rate.Every(lim.Period/time.Duration(lim.Rate)), max(lim.Burst, 1))
		l.buckets[key] = b
	}
	got := min(n, int(b.TokensAt(now)))
	if got > 0 {
		b.AllowN(now, got)
	}
	if got == n {
		return got, 0, nil
	}
	r := b.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return got, wait, nil
}

// Pause implements RateLimiter.
func (l *LocalLimiter) Pause(ctx context.Context, key string, _ Limit, d time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until := time.Now().Add(d); until.After(l.paused[key]) {
		l.paused[key] = until
	}
	return nil
}

// sweep forgets, every 1000 takes, the buckets that are full again (a new
// bucket is the same) and the pauses that ended.
func (l *LocalLimiter) sweep(now time.Time) {
	if l.takes++; l.takes%1000 != 0 {
		return
	}
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(b.Burst()) {
			delete(l.buckets, k)
		}
	}
	for k, until := range l.paused {
		if now.After(until) {
			delete(l.paused, k)
		}
	}
}
