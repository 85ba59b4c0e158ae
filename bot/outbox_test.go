package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// scripted is a Messenger that fails each chat's sends with the errors
// queued for it, then succeeds; it records sends and edits.
type scripted struct {
	mu       sync.Mutex
	platform string
	errs     map[string][]error
	sent     []bot.Message
	edits    []edit
}

type edit struct {
	prev bot.Sent
	m    bot.Message
}

func newScripted(platform string) *scripted {
	return &scripted{platform: platform, errs: map[string][]error{}}
}

func (s *scripted) Platform() string { return s.platform }

func (s *scripted) Send(ctx context.Context, m bot.Message) (bot.Sent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.errs[m.ChatID]; len(q) > 0 {
		s.errs[m.ChatID] = q[1:]
		return bot.Sent{}, q[0]
	}
	s.sent = append(s.sent, m)
	return bot.Sent{MessageIDs: []string{fmt.Sprintf("%s-%d", m.ChatID, len(s.sent))}}, nil
}

func (s *scripted) Edit(ctx context.Context, prev bot.Sent, m bot.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.edits = append(s.edits, edit{prev, m})
	return nil
}

func (s *scripted) fail(chat string, errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs[chat] = append(s.errs[chat], errs...)
}

func (s *scripted) to(chat string) []bot.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.Message
	for _, m := range s.sent {
		if m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}

// outboxBot is a harness bot that delivers through s, with metrics it can read.
func outboxBot(t *testing.T, h *harness, s *scripted, src bot.Source) (*bot.Bot, *bot.Metrics) {
	t.Helper()
	m := bot.NewMetrics(nil)
	b := h.botWith(src, func(o *bot.Options) {
		o.Metrics = m
		o.Delivery.MaxAttempts = 3
		o.Delivery.BackoffBase = time.Minute
		o.Delivery.Limits = map[string]bot.PlatformLimits{} // the pacing is tested on its own
	})
	b.AddMessenger(s)
	return b, m
}

func TestOutboxFailures(t *testing.T) {
	start := time.Date(2026, 2, 10, 5, 0, 0, 0, time.UTC) // 07:00 in Kyiv
	due := start.Add(time.Hour)
	cases := []struct {
		name      string
		errs      []error
		ticks     []time.Duration // after the due time
		wantSent  int
		wantDead  int
		wantCount map[string]float64 // deliveries by result
		wantRL    float64            // 429s counted
	}{
		{"temporary failure: retried after the backoff", []error{fmt.Errorf("502: %w", bot.ErrTemporary)},
			[]time.Duration{0, 30 * time.Second, 61 * time.Second}, 1, 0,
			map[string]float64{"sent": 1, "failed": 1, "retried": 1}, 0},
		{"429: waits retry_after, no attempt lost", []error{&bot.RateLimitError{RetryAfter: 5 * time.Second}},
			[]time.Duration{0, 3 * time.Second, 6 * time.Second}, 1, 0,
			map[string]float64{"sent": 1, "retried": 1}, 1},
		{"always failing: a dead letter after 3 attempts", []error{bot.ErrTemporary, bot.ErrTemporary, bot.ErrTemporary, bot.ErrTemporary},
			[]time.Duration{0, time.Minute, 3 * time.Minute, 10 * time.Minute, time.Hour}, 0, 1,
			map[string]float64{"failed": 3, "retried": 2, "dead": 1}, 0},
		{"chat gone: completed, not dead", []error{&bot.ChatGoneError{Reason: "Forbidden: bot was kicked"}},
			[]time.Duration{0, time.Hour}, 0, 0,
			map[string]float64{"failed": 1}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, start)
			s := newScripted(bot.Telegram)
			b, m := outboxBot(t, h, s, &fakeSource{})
			ctx := context.Background()
			b.Handle(ctx, request("42", bot.ChatPrivate, false, "subscribe", "08:00", "Europe/Kyiv"))
			s.fail("42", c.errs...)
			for _, d := range c.ticks {
				h.clock.Set(due.Add(d))
				must(t, b.Tick(ctx))
			}
			if got := len(s.to("42")); got != c.wantSent {
				t.Errorf("sent %d, want %d", got, c.wantSent)
			}
			st, err := h.store.OutboxStats(ctx)
			must(t, err)
			if st.Dead != c.wantDead || st.Pending != 0 {
				t.Errorf("outbox = %+v, want dead %d, depth 0", st, c.wantDead)
			}
			if got := testutil.ToFloat64(m.DeadLetters); got != float64(c.wantDead) {
				t.Errorf("dead letters gauge = %v, want %d", got, c.wantDead)
			}
			for _, result := range []string{"sent", "failed", "retried", "dead"} {
				if got := testutil.ToFloat64(m.Deliveries.WithLabelValues(bot.Telegram, result)); got != c.wantCount[result] {
					t.Errorf("deliveries{result=%s} = %v, want %v", result, got, c.wantCount[result])
				}
			}
			if got := testutil.ToFloat64(m.RateLimited.WithLabelValues(bot.Telegram)); got != c.wantRL {
				t.Errorf("429s counted = %v, want %v", got, c.wantRL)
			}
		})
	}
}

// TestRetrySendsTheSameDigest: a retried job sends the digest built for
// its slot, not one rebuilt from what arrived since.
func TestRetrySendsTheSameDigest(t *testing.T) {
	start := time.Date(2025, 12, 16, 20, 0, 0, 0, time.UTC)
	h := newHarness(t, start)
	s := newScripted(bot.Telegram)
	src := &fakeSource{articles: articles(start.Add(-3 * time.Hour))}
	b, _ := outboxBot(t, h, s, src)
	ctx := context.Background()
	must(t, b.Poll(ctx))
	b.Handle(ctx, request("42", bot.ChatPrivate, false, "subscribe", "08:00", "Europe/Kyiv"))
	s.fail("42", bot.ErrTemporary)
	h.clock.Set(time.Date(2025, 12, 17, 8, 0, 5, 0, kyiv))
	must(t, b.Tick(ctx))
	// Something new arrives before the retry.
	src.articles = []digest.Article{{ID: "9", Source: "Nordlys Post", URL: "https://nordlys.example/9", Lang: "en",
		Title: "Kherson orders evacuation of families with children", Published: h.clock.Now(),
		Content: "Authorities in Kherson ordered the compulsory evacuation of families with children from villages shelled by Russian troops."}}
	must(t, b.Poll(ctx))
	h.clock.Set(h.clock.Now().Add(2 * time.Minute))
	must(t, b.Tick(ctx))
	got := s.to("42")
	if len(got) != 1 {
		t.Fatalf("sent %d digests, want 1", len(got))
	}
	for _, d := range got[0].Digest.Developments {
		if strings.Contains(d.Headline, "Kherson") {
			t.Errorf("the retried digest gained %q, which arrived after it was built", d.Headline)
		}
	}
	if n := len(got[0].Digest.Developments); n != 1 {
		t.Errorf("retried digest has %d developments, want the 1 it was built with", n)
	}
}
