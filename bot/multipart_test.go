package bot_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
)

// splitting is a Messenger that posts every message as parts messages,
// each after bot.NextPart, and records when each went out.
type splitting struct {
	parts int
	mu    sync.Mutex
	posts []time.Time
}

func (s *splitting) Platform() string                                  { return bot.Discord }
func (s *splitting) Edit(context.Context, bot.Sent, bot.Message) error { return nil }
func (s *splitting) Parts(bot.Message) int                             { return s.parts }
func (s *splitting) Send(ctx context.Context, m bot.Message) (bot.Sent, error) {
	var sent bot.Sent
	for i := range s.parts {
		if i > 0 {
			if err := bot.NextPart(ctx); err != nil {
				return sent, err
			}
		}
		s.mu.Lock()
		s.posts = append(s.posts, time.Now())
		s.mu.Unlock()
		sent.MessageIDs = append(sent.MessageIDs, fmt.Sprintf("%s-%d", m.ChatID, i))
	}
	return sent, nil
}

// busiestSecond is the most posts in any one second.
func busiestSecond(posts []time.Time) int {
	posts = append([]time.Time(nil), posts...)
	sort.Slice(posts, func(i, j int) bool { return posts[i].Before(posts[j]) })
	worst := 0
	for i := range posts {
		n := sort.Search(len(posts), func(j int) bool { return !posts[j].Before(posts[i].Add(time.Second)) }) - i
		worst = max(worst, n)
	}
	return worst
}

// TestEveryPartTakesARateSlot: a delivery that the platform gets as several
// messages (a long digest) takes a slot of the global limit for each, so the
// platform never sees more than its limit.
func TestEveryPartTakesARateSlot(t *testing.T) {
	const rate, jobs, parts = 10, 8, 3
	h := newHarness(t, time.Date(2026, 2, 10, 6, 0, 0, 0, time.UTC))
	plat := &splitting{parts: parts}
	b := h.botWith(&fakeSource{}, func(o *bot.Options) {
		o.Delivery.Limits = map[string]bot.PlatformLimits{bot.Discord: {Global: bot.Limit{Rate: rate, Period: time.Second, Burst: 1}}}
	})
	b.AddMessenger(plat)
	var batch []bot.Job
	for i := range jobs {
		m := bot.Message{Key: bot.DeliveryKey{Platform: bot.Discord, ChatID: fmt.Sprint(i), DigestID: "s-1"}, ChatID: fmt.Sprint(i), Text: "hi"}
		batch = append(batch, bot.NewJob(m, h.clock.Now()))
	}
	ctx := context.Background()
	must(t, h.store.Enqueue(ctx, batch...))
	must(t, b.Tick(ctx))
	plat.mu.Lock()
	posts := append([]time.Time(nil), plat.posts...)
	plat.mu.Unlock()
	if len(posts) != jobs*parts {
		t.Fatalf("%d posts, want %d", len(posts), jobs*parts)
	}
	// GCRA with burst 1 lets rate+1 through in a second; each message takes
	// its slot when it leaves.
	got := busiestSecond(posts)
	t.Logf("%d messages; the busiest second held %d", len(posts), got)
	if limit := rate + 1; got > limit {
		t.Errorf("the busiest second held %d messages; the limit is %d a second", got, rate)
	}
}

// TestFurtherPartWithoutASlotInTime: when a delivery's next message cannot
// get a slot within the wait a delivery allows, the delivery is retried
// later, without counting a failed attempt, and what was posted stays posted.
func TestFurtherPartWithoutASlotInTime(t *testing.T) {
	h := newHarness(t, time.Date(2026, 2, 10, 6, 0, 0, 0, time.UTC))
	plat := &splitting{parts: 2}
	b := h.botWith(&fakeSource{}, func(o *bot.Options) {
		// A delivery may wait JobLease/2 = 200ms; the second message's slot is 2s away.
		o.Delivery.JobLease = 400 * time.Millisecond
		o.Delivery.Limits = map[string]bot.PlatformLimits{bot.Discord: {Global: bot.Limit{Rate: 1, Period: 2 * time.Second, Burst: 1}}}
	})
	b.AddMessenger(plat)
	ctx := context.Background()
	m := bot.Message{Key: bot.DeliveryKey{Platform: bot.Discord, ChatID: "7", DigestID: "s-1"}, ChatID: "7", Text: "hi"}
	must(t, h.store.Enqueue(ctx, bot.NewJob(m, h.clock.Now())))
	must(t, b.Tick(ctx))
	if got := len(plat.posts); got != 1 {
		t.Fatalf("%d messages posted, want the first only", got)
	}
	st, err := h.store.OutboxStats(ctx)
	must(t, err)
	if st.Pending != 1 || st.Dead != 0 {
		t.Fatalf("outbox = %+v, want the delivery waiting for its retry", st)
	}
	h.clock.Set(h.clock.Now().Add(time.Minute))
	jobs, err := h.store.Claim(ctx, "check", h.clock.Now(), 10, time.Minute)
	must(t, err)
	if len(jobs) != 1 || jobs[0].Attempts != 0 {
		t.Errorf("retried job = %+v, want it with no failed attempt", jobs)
	}
}
