package telegramtest

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits are the flood limits on sending and editing messages
// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
// A zero field takes Telegram's default; rate.Inf turns a limit off.
type Limits struct {
	PerChat       rate.Limit // default 1 a second
	PerChatBurst  int        // default 3
	PerGroup      rate.Limit // groups, supergroups and channels; default 20 a minute
	PerGroupBurst int        // default 20
	Global        rate.Limit // all chats together; default 30 a second
	GlobalBurst   int        // default 30
}

// NoLimits turns every flood limit off.
func NoLimits() Limits { return Limits{PerChat: rate.Inf, PerGroup: rate.Inf, Global: rate.Inf} }

func (l Limits) withDefaults() Limits {
	def := func(r *rate.Limit, b *int, dr rate.Limit, db int) {
		if *r == 0 {
			*r = dr
		}
		if *b <= 0 {
			*b = db
		}
	}
	def(&l.PerChat, &l.PerChatBurst, 1, 3)
	def(&l.PerGroup, &l.PerGroupBurst, rate.Limit(20.0/60), 20)
	def(&l.Global, &l.GlobalBurst, 30, 30)
	return l
}

// limiter holds the token buckets of the flood limits.
type limiter struct {
	limits Limits
	mu     sync.Mutex
	global *rate.Limiter
	chats  map[int64]*rate.Limiter
	groups map[int64]*rate.Limiter
}

func newLimiter(l Limits) *limiter {
	l = l.withDefaults()
	return &limiter{limits: l, global: rate.NewLimiter(l.Global, l.GlobalBurst),
		chats: map[int64]*rate.Limiter{}, groups: map[int64]*rate.Limiter{}}
}

// allow takes one message from every bucket that applies to the chat, or
// none, and says how long to wait when a bucket is empty.
func (l *limiter) allow(chatID int64, group bool, now time.Time) (retryAfter time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	buckets := []*rate.Limiter{l.global, bucket(l.chats, chatID, l.limits.PerChat, l.limits.PerChatBurst)}
	if group {
		buckets = append(buckets, bucket(l.groups, chatID, l.limits.PerGroup, l.limits.PerGroupBurst))
	}
	var taken []*rate.Reservation
	for _, b := range buckets {
		r := b.ReserveN(now, 1)
		if d := r.DelayFrom(now); !r.OK() || d > 0 {
			r.CancelAt(now)
			for _, t := range taken {
				t.CancelAt(now)
			}
			return max(d, time.Second), false
		}
		taken = append(taken, r)
	}
	return 0, true
}

func bucket(m map[int64]*rate.Limiter, id int64, r rate.Limit, burst int) *rate.Limiter {
	b, ok := m[id]
	if !ok {
		b = rate.NewLimiter(r, burst)
		m[id] = b
	}
	return b
}

// seconds rounds a wait up to whole seconds, as retry_after is given.
func seconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }
