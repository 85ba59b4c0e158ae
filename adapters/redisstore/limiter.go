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

// Take implements bot.RateLimiter. It takes all n tokens or none
// (AllowN), and when none, retryAfter is when n will be there. redis_rate's
// AllowAtMost is not used: it takes fractions of a token it does not give
// (a bucket with 3.7 tokens gives 3 and is charged 3.7), and with a burst
// of 1 its float arithmetic never gives the single token of a full bucket.
func (l *Limiter) Take(ctx context.Context, key string, lim bot.Limit, n int) (int, time.Duration, error) {
	rl := redis_rate.Limit{Rate: lim.Rate, Period: lim.Period, Burst: max(lim.Burst, 1)}
	n = max(1, min(n, rl.Burst))
	res, err := l.rl.AllowN(ctx, l.prefix(key), rl, n)
	if err != nil {
		return 0, 0, wrap("rate limit", err)
	}
	return res.Allowed, res.RetryAfter, nil
}

// Pause implements bot.RateLimiter. In GCRA terms a bucket under lim gives
// a token while its theoretical arrival time (TAT) is at most
// (Burst-1)·T ahead of now, T being lim's interval between tokens. A pause
// moves the TAT d beyond that at once: one event under a limit of one per
// span = d+(Burst-1)·T. The event's burst of 2 lets it through only while
// the bucket is less than a span ahead: several 429s of one burst (every
// instance and worker may get one) pause the bucket for d, 2d at most, not
// d once for each of them.
func (l *Limiter) Pause(ctx context.Context, key string, lim bot.Limit, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	span := d
	if !lim.IsZero() {
		span += time.Duration(max(lim.Burst, 1)-1) * lim.Period / time.Duration(lim.Rate)
	}
	_, err := l.rl.Allow(ctx, l.prefix(key), redis_rate.Limit{Rate: 1, Period: span, Burst: 2})
	return wrap("rate pause", err)
}
