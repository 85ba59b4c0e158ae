package redisstore

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/sitrepbot/sitrep/bot"
)

var _ bot.RateLimiter = (*Limiter)(nil)

// Limiter is bot.RateLimiter on Redis: GCRA token buckets
// (go-redis/redis_rate) that every instance on the server shares.
type Limiter struct {
	rl     *redis_rate.Limiter
	prefix func(string) string
}

// Limiter returns the store's shared rate limiter.
func (s *Store) Limiter() *Limiter {
	return &Limiter{rl: redis_rate.NewLimiter(s.rdb), prefix: s.k.rate}
}

// Take implements bot.RateLimiter. One token is taken with AllowN: with a
// burst of 1, AllowAtMost's float arithmetic finds a full bucket holding
// slightly less than one token and never gives it.
func (l *Limiter) Take(ctx context.Context, key string, lim bot.Limit, n int) (int, time.Duration, error) {
	rl := redis_rate.Limit{Rate: lim.Rate, Period: lim.Period, Burst: max(lim.Burst, 1)}
	var res *redis_rate.Result
	var err error
	if n = min(n, rl.Burst); n == 1 {
		res, err = l.rl.AllowN(ctx, l.prefix(key), rl, 1)
	} else {
		res, err = l.rl.AllowAtMost(ctx, l.prefix(key), rl, n)
	}
	if err != nil {
		return 0, 0, wrap("rate limit", err)
	}
	return res.Allowed, res.RetryAfter, nil
}

// Pause implements bot.RateLimiter. In GCRA terms a pause is d's worth of
// tokens taken at once: one event under a limit of one per d, with a burst
// large enough that it is always allowed, moves the bucket's theoretical
// arrival time d ahead, so the bucket's own limit gives nothing until then.
func (l *Limiter) Pause(ctx context.Context, key string, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	_, err := l.rl.Allow(ctx, l.prefix(key), redis_rate.Limit{Rate: 1, Period: d, Burst: 1 << 20})
	return wrap("rate pause", err)
}
