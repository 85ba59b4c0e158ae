package bot_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// fakeSource returns its articles once.
type fakeSource struct{ articles []digest.Article }

func (s *fakeSource) Collect(ctx context.Context) (bot.Collection, error) {
	a := s.articles
	s.articles = nil
	return bot.Collection{Articles: a}, nil
}

// recorder is a Messenger that records what it was asked to send and can
// fail chats in scripted ways.
type recorder struct {
	mu       sync.Mutex
	sent     []bot.Message
	fail     map[string]error // by chat id
	platform string
}

func (r *recorder) Platform() string { return r.platform }
func (r *recorder) Send(ctx context.Context, m bot.Message) (bot.Sent, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.fail[m.ChatID]; err != nil {
		return bot.Sent{}, err
	}
	r.sent = append(r.sent, m)
	return bot.Sent{MessageIDs: []string{fmt.Sprint(len(r.sent))}}, nil
}
func (r *recorder) Edit(ctx context.Context, prev bot.Sent, m bot.Message) error { return nil }

func (r *recorder) to(chat string) []bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []bot.Message
	for _, m := range r.sent {
		if m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}

type harness struct {
	store *boltstore.Store
	clock *clock
	msgr  *recorder
	path  string
}

func newHarness(t *testing.T, start time.Time) *harness {
	t.Helper()
	h := &harness{clock: &clock{t: start}, msgr: &recorder{platform: bot.Telegram, fail: map[string]error{}},
		path: filepath.Join(t.TempDir(), "sitrep.db")}
	h.open(t)
	t.Cleanup(func() { h.store.Close() })
	return h
}

func (h *harness) open(t *testing.T) {
	t.Helper()
	s, err := boltstore.Open(h.path, boltstore.Options{Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	h.store = s
}

// restart closes the store and opens it again, as a restarted process would.
func (h *harness) restart(t *testing.T) {
	t.Helper()
	h.store.Close()
	h.open(t)
}

func (h *harness) bot(src bot.Source) *bot.Bot { return h.botWith(src, nil) }

// botWith returns a bot on the harness's store and clock, with opts changed by set.
func (h *harness) botWith(src bot.Source, set func(*bot.Options)) *bot.Bot {
	opts := bot.Options{Now: h.clock.Now, Sources: []bot.SourceInfo{{Name: "Kyiv Ledger", Lang: "en", Label: "independent"}}}
	if set != nil {
		set(&opts)
	}
	b := bot.New(h.store, src, opts)
	b.AddMessenger(h.msgr)
	return b
}

var kyiv, _ = time.LoadLocation("Europe/Kyiv")

func articles(at time.Time) []digest.Article {
	mk := func(src, id, title, body string, dt time.Duration) digest.Article {
		return digest.Article{ID: id, Source: src, URL: "https://" + strings.ToLower(strings.ReplaceAll(src, " ", "")) + ".example/" + id,
			Title: title, Content: body, Published: at.Add(dt), Lang: "en"}
	}
	body := "Russian drones struck the port of Odesa overnight, damaging two grain ships and injuring three crew members, Ukrainian officials said."
	return []digest.Article{
		mk("Kyiv Ledger", "1", "Russian drones strike Odesa port, damage grain ships", body, 0),
		mk("Atlantic Wire", "2", "Drones hit Odesa port; two grain ships damaged", body+" The navy said 20 drones were shot down.", time.Hour),
	}
}

func request(chat string, kind bot.ChatKind, admin bool, cmd string, args ...string) bot.Request {
	return bot.Request{Platform: bot.Telegram, ChatID: chat, ChatKind: kind, UserID: "u1", Command: cmd, Args: args,
		IsAdmin: func(context.Context) (bool, error) { return admin, nil }}
}

func TestSubscribeAdminsOnlyInGroups(t *testing.T) {
	h := newHarness(t, time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC))
	b := h.bot(&fakeSource{})
	ctx := context.Background()

	resp := b.Handle(ctx, request("-100", bot.ChatGroup, false, "subscribe", "08:00", "Europe/Kyiv"))
	if resp.Changed || !strings.Contains(resp.Text, "administrators") {
		t.Errorf("non-admin /subscribe = %+v, want a polite refusal", resp)
	}
	if _, err := h.store.GetSubscription(ctx, bot.Telegram, "-100"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("after refusal: subscription lookup error = %v, want ErrNotFound", err)
	}

	resp = b.Handle(ctx, request("-100", bot.ChatGroup, true, "subscribe", "8:30", "europe/kyiv"))
	if !resp.Changed {
		t.Fatalf("admin /subscribe = %+v, want a change", resp)
	}
	s, err := h.store.GetSubscription(ctx, bot.Telegram, "-100")
	if err != nil {
		t.Fatal(err)
	}
	if s.Times[0] != "08:30" || s.Timezone != "Europe/Kyiv" || !s.Active {
		t.Errorf("stored %+v, want 08:30 Europe/Kyiv active", s)
	}
	if want := time.Date(2025, 12, 17, 8, 30, 0, 0, kyiv); !s.NextDue.Equal(want) {
		t.Errorf("NextDue = %s, want %s", s.NextDue, want)
	}

	// Anyone may ask for the latest.
	if resp := b.Handle(ctx, request("-100", bot.ChatGroup, false, "latest")); resp.Text == "" && resp.Digest == nil {
		t.Errorf("non-admin /latest = %+v, want an answer", resp)
	}
}

func TestBadArgumentsGetUsage(t *testing.T) {
	h := newHarness(t, time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC))
	b := h.bot(&fakeSource{})
	for _, r := range []bot.Request{
		request("1", bot.ChatPrivate, true, "subscribe", "25:99"),
		request("1", bot.ChatPrivate, true, "subscribe", "Mars/Olympus"),
		request("1", bot.ChatPrivate, true, "latest", "many"),
		request("1", bot.ChatPrivate, true, "story"),
	} {
		t.Run(r.Command+" "+strings.Join(r.Args, " "), func(t *testing.T) {
			resp := b.Handle(context.Background(), r)
			if !strings.Contains(resp.Text, "Usage: /"+r.Command) || !strings.Contains(resp.Text, "Example: /"+r.Command) {
				t.Errorf("reply %q lacks a usage line with an example", resp.Text)
			}
		})
	}
}

func TestScheduledDigestExactlyOnce(t *testing.T) {
	start := time.Date(2025, 12, 16, 20, 0, 0, 0, time.UTC) // 22:00 in Kyiv
	h := newHarness(t, start)
	ctx := context.Background()
	b := h.bot(&fakeSource{articles: articles(start.Add(-3 * time.Hour))})
	if err := b.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	b.Handle(ctx, request("42", bot.ChatPrivate, false, "subscribe", "08:00", "Europe/Kyiv"))

	h.clock.Set(time.Date(2025, 12, 17, 7, 59, 0, 0, kyiv))
	must(t, b.Tick(ctx))
	if n := len(h.msgr.to("42")); n != 0 {
		t.Fatalf("%d messages before 08:00, want 0", n)
	}
	h.clock.Set(time.Date(2025, 12, 17, 8, 0, 5, 0, kyiv))
	must(t, b.Tick(ctx))
	must(t, b.Tick(ctx))
	got := h.msgr.to("42")
	if len(got) != 1 {
		t.Fatalf("%d messages at 08:00, want exactly 1", len(got))
	}
	if d := got[0].Digest; d == nil || len(d.Developments) != 1 || len(d.Developments[0].Sources) != 2 {
		t.Errorf("digest = %+v, want one development from two outlets", got[0].Digest)
	}

	// A restarted bot on the same store sends no second copy.
	h.restart(t)
	b2 := h.bot(&fakeSource{})
	must(t, b2.Restore(ctx))
	must(t, b2.Tick(ctx))
	if n := len(h.msgr.to("42")); n != 1 {
		t.Errorf("after restart: %d messages, want still 1", n)
	}
	// The next day brings the next one.
	h.clock.Set(time.Date(2025, 12, 18, 8, 0, 30, 0, kyiv))
	must(t, b2.Tick(ctx))
	if n := len(h.msgr.to("42")); n != 2 {
		t.Errorf("next day: %d messages, want 2", n)
	}
}

func TestGoneAndMigratedChats(t *testing.T) {
	start := time.Date(2025, 12, 16, 5, 0, 0, 0, time.UTC)
	h := newHarness(t, start)
	ctx := context.Background()
	b := h.bot(&fakeSource{})
	b.Handle(ctx, request("7", bot.ChatPrivate, false, "subscribe", "08:00"))
	b.Handle(ctx, request("-5", bot.ChatGroup, true, "subscribe", "08:00"))
	h.msgr.fail["7"] = &bot.ChatGoneError{Reason: "Forbidden: bot was blocked by the user"}
	h.msgr.fail["-5"] = &bot.ChatMigratedError{NewChatID: "-1005"}

	h.clock.Set(start.Add(2 * time.Hour))
	if err := b.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := h.store.GetSubscription(ctx, bot.Telegram, "7")
	if err != nil {
		t.Fatalf("blocked chat's subscription: %v (it must be kept, deactivated)", err)
	}
	if s.Active || !strings.Contains(s.Reason, "blocked") {
		t.Errorf("blocked chat: active=%v reason=%q, want inactive with the reason", s.Active, s.Reason)
	}
	if _, err := h.store.GetSubscription(ctx, bot.Telegram, "-1005"); err != nil {
		t.Errorf("migrated chat: subscription under the new id: %v", err)
	}
	if _, err := h.store.GetSubscription(ctx, bot.Telegram, "-5"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("migrated chat: old id still subscribed (err = %v)", err)
	}
	if n := len(h.msgr.to("-1005")); n != 1 {
		t.Errorf("migrated chat: %d messages under the new id, want 1 (re-sent)", n)
	}
}

// TestChatChanged: news of a chat from its platform changes its subscription
// before the next delivery: a blocked chat is deactivated, a migrated one
// moves, and a tick then sends nothing to the old ids.
func TestChatChanged(t *testing.T) {
	start := time.Date(2025, 12, 16, 5, 0, 0, 0, time.UTC)
	h := newHarness(t, start)
	ctx := context.Background()
	b := h.bot(&fakeSource{})
	b.Handle(ctx, request("7", bot.ChatPrivate, false, "subscribe", "08:00"))
	b.Handle(ctx, request("-5", bot.ChatGroup, true, "subscribe", "08:00"))
	must(t, b.ChatChanged(ctx, bot.ChatEvent{Platform: bot.Telegram, ChatID: "7", Gone: "blocked by the user"}))
	must(t, b.ChatChanged(ctx, bot.ChatEvent{Platform: bot.Telegram, ChatID: "-5", MovedTo: "-1005"}))
	must(t, b.ChatChanged(ctx, bot.ChatEvent{Platform: bot.Telegram, ChatID: "99", Gone: "removed from the group"}))

	if s, err := h.store.GetSubscription(ctx, bot.Telegram, "7"); err != nil || s.Active || s.Reason != "blocked by the user" {
		t.Errorf("blocked chat: %+v, %v; want kept, inactive, with the reason", s, err)
	}
	if _, err := h.store.GetSubscription(ctx, bot.Telegram, "-5"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("migrated chat: old id still subscribed (err = %v)", err)
	}
	if _, err := h.store.GetSubscription(ctx, bot.Telegram, "99"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("a chat without a subscription got one (err = %v)", err)
	}
	h.clock.Set(start.Add(2 * time.Hour))
	must(t, b.Tick(ctx))
	if n, m := len(h.msgr.to("7")), len(h.msgr.to("-1005")); n != 0 || m != 1 {
		t.Errorf("after the tick: %d messages to the blocked chat, %d to the moved one; want 0 and 1", n, m)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestIngestClampsFutureAndExpires: an article dated in the future is kept
// as of now (one bad date must not move the engine's clock), and the engine
// forgets developments that left its window, keeping the gauge current.
func TestIngestClampsFutureAndExpires(t *testing.T) {
	start := time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC)
	h := newHarness(t, start)
	metrics := bot.NewMetrics(nil)
	b := bot.New(h.store, &fakeSource{}, bot.Options{Now: h.clock.Now, Metrics: metrics})
	ctx := context.Background()
	future := articles(start.Add(30 * 24 * time.Hour))
	must(t, b.Ingest(ctx, future))
	d := b.Latest(5)
	if len(d.Developments) != 1 || d.Developments[0].Updated.After(start) {
		t.Fatalf("latest = %+v, want one development dated no later than now", d.Developments)
	}
	if got := testutil.ToFloat64(metrics.DevelopmentsActive); got != 1 {
		t.Errorf("developments gauge = %v, want 1", got)
	}
	stored, err := h.store.ListArticles(ctx, start.Add(-time.Hour))
	must(t, err)
	for _, a := range stored {
		if a.Published.After(start) {
			t.Errorf("stored article %s dated %s, after now", a.ID, a.Published)
		}
	}
	h.clock.Set(start.Add(5 * 24 * time.Hour))
	later := articles(h.clock.Now().Add(-time.Hour))[:1]
	later[0].ID = "9"
	must(t, b.Ingest(ctx, later))
	if got := testutil.ToFloat64(metrics.DevelopmentsActive); got != 1 {
		t.Errorf("after the window: developments gauge = %v, want 1 (the old one forgotten)", got)
	}
}

// committingSource returns its articles with a Commit that counts its calls.
type committingSource struct {
	articles []digest.Article
	commits  int
}

func (s *committingSource) Collect(ctx context.Context) (bot.Collection, error) {
	return bot.Collection{Articles: s.articles, Commit: func(context.Context) error { s.commits++; return nil }}, nil
}

// articlesLost is a Store that cannot keep articles.
type articlesLost struct{ bot.Store }

func (articlesLost) PutArticles(context.Context, []digest.Article, time.Duration) error {
	return errors.New("store unreachable")
}

// TestPollCommitsAfterStoring: a collection is committed (its feeds'
// validators kept) only once its articles are stored, so a failed store
// fetches them again.
func TestPollCommitsAfterStoring(t *testing.T) {
	start := time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC)
	h := newHarness(t, start)
	src := &committingSource{articles: articles(start.Add(-time.Hour))}
	ctx := context.Background()
	if err := bot.New(articlesLost{h.store}, src, bot.Options{Now: h.clock.Now}).Poll(ctx); err == nil || src.commits != 0 {
		t.Fatalf("poll on a store that loses articles: %v, %d commits; want its error and none", err, src.commits)
	}
	must(t, bot.New(h.store, src, bot.Options{Now: h.clock.Now}).Poll(ctx))
	if src.commits != 1 {
		t.Errorf("%d commits after the articles were stored, want 1", src.commits)
	}
}
