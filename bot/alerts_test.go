package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// story returns articles of one development, one per outlet, published at t.
func story(key, title, body string, t time.Time, outlets ...string) []digest.Article {
	var out []digest.Article
	for i, o := range outlets {
		out = append(out, digest.Article{ID: fmt.Sprintf("%s-%d", key, i), Source: o, Lang: "en", Published: t,
			URL:   "https://" + strings.ToLower(strings.ReplaceAll(o, " ", "")) + ".example/" + key,
			Title: title, Content: body + " " + o + " reported."})
	}
	return out
}

const (
	odesa   = "Russian drones struck the port of Odesa overnight, damaging two grain ships and injuring three crew members, Ukrainian officials said."
	kherson = "Authorities in Kherson ordered the compulsory evacuation of families with children from eight settlements along the Dnipro river, citing daily Russian shelling."
	iris    = "Germany will deliver two more IRIS-T air defence systems to Ukraine early next year, the defence minister said in Berlin on Tuesday."
	plant   = "The IAEA warned of a nuclear safety risk at the Zaporizhzhia power plant after a drone strike cut an external power line."
)

// alerts returns the alerts (not edits) a chat got, by headline.
func alerts(s *scripted, chat string) []string {
	var out []string
	for _, m := range s.to(chat) {
		if m.Kind == bot.KindAlert {
			out = append(out, m.Development.Headline)
		}
	}
	return out
}

func TestBreakingAlerts(t *testing.T) {
	start := time.Date(2026, 2, 10, 10, 0, 0, 0, time.UTC) // 12:00 in Kyiv
	h := newHarness(t, start)
	s := newScripted(bot.Telegram)
	src := &fakeSource{}
	b := h.botWith(src, func(o *bot.Options) {
		o.Delivery.Limits = map[string]bot.PlatformLimits{}
		o.Alerts = bot.AlertOptions{Outlets: 3, Window: 2 * time.Hour, PerChatHour: 2, PriorityTerms: []string{`nuclear`}}
	})
	b.AddMessenger(s)
	ctx := context.Background()
	for _, chat := range []string{"on", "off", "quiet", "picky"} {
		b.Handle(ctx, request(chat, bot.ChatPrivate, false, "subscribe", "08:00", "Europe/Kyiv"))
	}
	b.Handle(ctx, request("off", bot.ChatPrivate, false, "alerts", "off"))
	change := func(chat string, fn func(*bot.Subscription)) {
		sub, err := h.store.GetSubscription(ctx, bot.Telegram, chat)
		must(t, err)
		fn(&sub)
		must(t, h.store.PutSubscription(ctx, sub))
	}
	change("quiet", func(s *bot.Subscription) { s.QuietFrom, s.QuietTo = "11:00", "13:00" })
	change("picky", func(s *bot.Subscription) { s.AlertOutlets = 4 })
	poll := func(at time.Duration, articles ...[]digest.Article) {
		t.Helper()
		h.clock.Set(start.Add(at))
		for _, a := range articles {
			src.articles = append(src.articles, a...)
		}
		must(t, b.Poll(ctx))
		must(t, b.Tick(ctx))
	}

	poll(0, story("x1", "Drones hit Odesa port, grain ships damaged", odesa, start.Add(-30*time.Minute), "Kyiv Ledger", "Atlantic Wire"))
	if got := alerts(s, "on"); len(got) != 0 {
		t.Fatalf("alerts with 2 outlets = %q, want none", got)
	}
	poll(10*time.Minute, story("x2", "Drones hit Odesa port, grain ships damaged", odesa, start.Add(5*time.Minute), "Harbour Times"))
	if got := alerts(s, "on"); len(got) != 1 || !strings.Contains(got[0], "Odesa") {
		t.Fatalf("alerts at 3 outlets = %q, want the Odesa one", got)
	}
	for _, chat := range []string{"off", "quiet", "picky"} {
		if got := alerts(s, chat); len(got) != 0 {
			t.Errorf("chat %q got alerts %q, want none", chat, got)
		}
	}

	// A fourth outlet: the alert is edited in place, and the picky chat's threshold is met.
	poll(20*time.Minute, story("x3", "Drones hit Odesa port, grain ships damaged", odesa, start.Add(15*time.Minute), "Steppe Observer"))
	s.mu.Lock()
	edits := append([]edit(nil), s.edits...)
	s.mu.Unlock()
	orig := s.to("on")[0]
	if len(edits) != 1 || edits[0].m.ChatID != "on" || edits[0].prev.MessageIDs[0] != "on-1" || len(edits[0].m.Development.Sources) != 4 {
		t.Errorf("edits = %+v, want one of chat on's message on-1 showing 4 outlets", edits)
	}
	if orig.Key.DigestID == edits[0].m.Key.DigestID {
		t.Errorf("the edit reuses the alert's delivery key %q", orig.Key.DigestID)
	}
	if got := alerts(s, "picky"); len(got) != 1 {
		t.Errorf("picky chat's alerts at 4 outlets = %q, want 1", got)
	}
	if got := alerts(s, "on"); len(got) != 1 {
		t.Errorf("chat on's alerts after the edit = %q, want still 1", got)
	}

	// Two more developments break at once: the hourly cap of 2 lets one through.
	poll(30*time.Minute,
		story("y", "Kherson orders evacuation of families with children", kherson, start.Add(25*time.Minute), "Kyiv Ledger", "Atlantic Wire", "Harbour Times"),
		story("z", "Germany pledges two more IRIS-T systems", iris, start.Add(25*time.Minute), "Kyiv Ledger", "Atlantic Wire", "Nordlys Post"))
	if got := alerts(s, "on"); len(got) != 2 {
		t.Errorf("chat on's alerts after two more = %q, want 2 (the cap)", got)
	}
	if got := alerts(s, "picky"); len(got) != 1 {
		t.Errorf("picky chat's alerts = %q, want 1 (3 outlets are below its threshold)", got)
	}

	// A priority term alerts with one outlet, outside quiet hours.
	b.Handle(ctx, request("fresh", bot.ChatPrivate, false, "subscribe", "08:00", "Europe/Kyiv"))
	poll(40*time.Minute, story("w", "IAEA warns of nuclear risk at Zaporizhzhia plant", plant, start.Add(35*time.Minute), "Nordlys Post"))
	if got := alerts(s, "fresh"); len(got) != 1 || !strings.Contains(got[0], "nuclear") {
		t.Errorf("alerts for a priority term = %q, want the nuclear one", got)
	}
	if got := alerts(s, "quiet"); len(got) != 0 {
		t.Errorf("quiet chat got %q during its quiet hours", got)
	}
	// After the quiet hours, an update reaches the quiet chat.
	poll(3*time.Hour+10*time.Minute, story("w2", "IAEA warns of nuclear risk at Zaporizhzhia plant", plant, start.Add(3*time.Hour), "Kyiv Ledger"))
	if got := alerts(s, "quiet"); len(got) != 1 {
		t.Errorf("quiet chat after its quiet hours = %q, want the nuclear alert", got)
	}
}
