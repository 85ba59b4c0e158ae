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

// splitting is a Messenger that posts every message as parts messages and
// records when each went out.
type splitting struct {
	parts int
	mu    sync.Mutex
	posts []time.Time
}

func (s *splitting) Platform() string                                  { return bot.Discord }
func (s *splitting) Edit(context.Context, bot.Sent, bot.Message) error { return nil }
func (s *splitting) Parts(bot.Message) int                             { return s.parts }
func (s *splitting) Send(ctx context.Context, m bot.Message) (bot.Sent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var sent bot.Sent
	for i := range s.parts {
		s.posts = append(s.posts, time.Now())
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
	// GCRA with burst 1 lets rate+1 through in a second; each delivery's
	// parts leave together, so one more delivery's worth may straddle.
	got := busiestSecond(posts)
	t.Logf("%d messages; the busiest second held %d", len(posts), got)
	if limit := rate + parts; got > limit {
		t.Errorf("the busiest second held %d messages; the limit is %d a second", got, rate)
	}
}
