package bot_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/bot"
)

// Fan-out benchmark settings: the fake platform allows platformLimit
// messages in any sliding second and answers 429 beyond. The bot is
// configured below it: a GCRA bucket of rate R and burst B lets R+B through
// in a second, and sends that leave late can bunch up a little more.
const (
	platformLimit = 1000
	fanout        = 10000
	benchPlatform = "bench"
)

var botLimit = bot.Limit{Rate: 970, Period: time.Second, Burst: 20}

// strictPlatform is a fake platform that enforces a global limit the way a
// platform does: a message that would be the limit+1st in one second is
// refused with a 429.
type strictPlatform struct {
	mu      sync.Mutex
	ring    []time.Time // the last platformLimit accepted sends
	next    int
	sent    []time.Time
	refused int
}

func (p *strictPlatform) Platform() string { return benchPlatform }
func (p *strictPlatform) Edit(context.Context, bot.Sent, bot.Message) error {
	return nil
}
func (p *strictPlatform) Send(ctx context.Context, m bot.Message) (bot.Sent, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if oldest := p.ring[p.next]; !oldest.IsZero() && now.Sub(oldest) < time.Second {
		p.refused++
		return bot.Sent{}, &bot.RateLimitError{RetryAfter: time.Second - now.Sub(oldest), Global: true}
	}
	p.ring[p.next] = now
	p.next = (p.next + 1) % len(p.ring)
	p.sent = append(p.sent, now)
	return bot.Sent{MessageIDs: []string{m.Key.String()}}, nil
}

// roundTrips counts the commands and pipelines a client sends: each is one
// round trip to Redis.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { r.n.Add(1); return next(ctx, cmd) }
}
func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { r.n.Add(1); return next(ctx, cmds) }
}

// BenchmarkFanout delivers a digest to 10,000 subscribers due at the same
// moment, with 1 and 3 instances (sitrep's Run, a leader elected through
// Redis) on a real Redis, to a fake platform that allows 1,000 messages a
// second. It reports delivered messages a second ÷ the platform's limit,
// the p99 lateness against the due time, Redis round trips per delivery
// and the 429s the platform answered. Run it alone:
//
//	go test ./bot -run '^$' -bench Fanout -benchtime 1x
func BenchmarkFanout(b *testing.B) {
	for _, instances := range []int{1, 3} {
		b.Run(fmt.Sprintf("instances=%d", instances), func(b *testing.B) {
			for range b.N {
				fanoutOnce(b, instances)
			}
		})
	}
}

func fanoutOnce(b *testing.B, instances int) {
	rdb, prefix := redistest.Client(b)
	defer rdb.Close()
	ctx := context.Background()
	due := time.Now().Add(3 * time.Second).Truncate(time.Second)
	seed := redisstore.New(rdb, redisstore.Options{Prefix: prefix})
	if err := seedSubscriptions(ctx, seed, due); err != nil {
		b.Fatal(err)
	}
	plat := &strictPlatform{ring: make([]time.Time, platformLimit)}
	rts := &roundTrips{}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i := range instances {
		c := secondClient(b)
		c.AddHook(rts)
		store := redisstore.New(c, redisstore.Options{Prefix: prefix})
		bt := bot.New(store, &fakeSource{}, bot.Options{Logger: quiet, Delivery: bot.DeliveryOptions{
			Limits:  map[string]bot.PlatformLimits{benchPlatform: {Global: botLimit}},
			Limiter: store.Limiter(), Lease: store.Lease(fmt.Sprint("bench-", i)), Workers: 64, Consumer: fmt.Sprint("bench-", i)}})
		bt.AddMessenger(plat)
		wg.Go(func() { bt.Run(ctx) })
	}
	defer func() { cancel(); wg.Wait() }()
	b.ResetTimer()
	deadline := time.Now().Add(2 * time.Minute)
	rtStart := int64(-1)
	for {
		plat.mu.Lock()
		n := len(plat.sent)
		plat.mu.Unlock()
		if rtStart < 0 && time.Now().After(due) {
			rtStart = rts.n.Load()
		}
		if n >= fanout {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("delivered %d of %d in 2 minutes", n, fanout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.StopTimer()
	rt := rts.n.Load() - rtStart
	plat.mu.Lock()
	sent := slices.Clone(plat.sent)
	refused := plat.refused
	plat.mu.Unlock()
	report(b, sent, due, rt, refused)
}

// seedSubscriptions stores fanout subscriptions, all due at due.
func seedSubscriptions(ctx context.Context, s *redisstore.Store, due time.Time) error {
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	var failed atomic.Value
	for i := range fanout {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			sub := bot.Subscription{Platform: benchPlatform, ChatID: fmt.Sprint(i), ChatKind: bot.ChatPrivate, Times: []string{due.UTC().Format("15:04")},
				Timezone: "UTC", Active: true, Created: due, Updated: due, NextDue: due}
			if err := s.PutSubscription(ctx, sub); err != nil {
				failed.Store(err)
			}
		})
	}
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		return err
	}
	return nil
}

func report(b *testing.B, sent []time.Time, due time.Time, rt int64, refused int) {
	slices.SortFunc(sent, func(x, y time.Time) int { return x.Compare(y) })
	span := sent[len(sent)-1].Sub(sent[0]).Seconds()
	rate := float64(len(sent)-1) / span
	late := make([]time.Duration, len(sent))
	for i, t := range sent {
		late[i] = t.Sub(due)
	}
	p99 := late[len(late)*99/100]
	b.ReportMetric(rate/platformLimit, "rate/limit")
	b.ReportMetric(rate, "msgs/s")
	b.ReportMetric(p99.Seconds(), "p99-late-s")
	b.ReportMetric(late[0].Seconds(), "first-late-s")
	b.ReportMetric(float64(rt)/float64(len(sent)), "redis-rt/delivery")
	b.ReportMetric(float64(refused), "429s")
}
