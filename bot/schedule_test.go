package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func TestWallTime(t *testing.T) {
	cases := []struct {
		name, zone string
		day        time.Time // year, month, day
		clock      string
		want       time.Time // UTC
	}{
		{"Kyiv winter", "Europe/Kyiv", time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), "08:00", time.Date(2026, 1, 15, 6, 0, 0, 0, time.UTC)},
		{"Kyiv spring-forward gap: after the jump", "Europe/Kyiv", time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), "03:30", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		{"Kyiv spring-forward, before the gap", "Europe/Kyiv", time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), "02:59", time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC)},
		{"Kyiv spring-forward, after the gap", "Europe/Kyiv", time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), "04:00", time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)},
		{"Kyiv fall-back twice: the first", "Europe/Kyiv", time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), "03:30", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)},
		{"Kyiv fall-back, after", "Europe/Kyiv", time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), "08:00", time.Date(2026, 10, 25, 6, 0, 0, 0, time.UTC)},
		{"New York gap", "America/New_York", time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC), "02:30", time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)},
		{"New York twice: the first", "America/New_York", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), "01:30", time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)},
		{"Kolkata half-hour offset", "Asia/Kolkata", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), "08:00", time.Date(2026, 6, 1, 2, 30, 0, 0, time.UTC)},
		{"Sydney southern summer", "Australia/Sydney", time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), "07:00", time.Date(2026, 1, 9, 20, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			min, err := bot.ParseClock(c.clock)
			if err != nil {
				t.Fatal(err)
			}
			got := bot.WallTime(c.day.Year(), c.day.Month(), c.day.Day(), min, mustLoad(t, c.zone))
			if !got.Equal(c.want) {
				t.Errorf("WallTime(%s %s %s) = %s, want %s", c.day.Format("2006-01-02"), c.clock, c.zone, got.UTC(), c.want)
			}
		})
	}
}

// dueTimes ticks the bot at each instant and returns the digest ids the chat got.
func tickAt(t *testing.T, h *harness, b *bot.Bot, chat string, at ...time.Time) []string {
	t.Helper()
	for _, now := range at {
		h.clock.Set(now)
		must(t, b.Tick(context.Background()))
	}
	var ids []string
	for _, m := range h.msgr.to(chat) {
		ids = append(ids, m.Key.DigestID)
	}
	return ids
}

// TestDigestAcrossDST: a 03:30 digest in Kyiv comes once on the day clocks
// skip 03:00-04:00 (at 04:30, the same distance after the jump) and once on
// the day 03:00-04:00 happens twice (the first time).
func TestDigestAcrossDST(t *testing.T) {
	utc := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, time.UTC) }
	cases := []struct {
		name     string
		start    time.Time
		ticks    []time.Time
		wantIDs  []string
		wantNext time.Time
	}{
		{"spring forward", utc(3, 28, 10, 0),
			[]time.Time{utc(3, 29, 0, 29), utc(3, 29, 0, 31), utc(3, 29, 1, 29), utc(3, 29, 1, 30), utc(3, 29, 1, 31), utc(3, 29, 2, 45)},
			[]string{"s-20260329T0130Z"}, utc(3, 30, 0, 30)},
		{"fall back", utc(10, 24, 10, 0),
			[]time.Time{utc(10, 25, 0, 29), utc(10, 25, 0, 30), utc(10, 25, 0, 45), utc(10, 25, 1, 30), utc(10, 25, 1, 31), utc(10, 25, 3, 0)},
			[]string{"s-20261025T0030Z"}, utc(10, 26, 1, 30)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, c.start)
			b := h.bot(&fakeSource{})
			b.Handle(context.Background(), request("42", bot.ChatPrivate, false, "subscribe", "03:30", "Europe/Kyiv"))
			got := tickAt(t, h, b, "42", c.ticks...)
			if len(got) != len(c.wantIDs) || (len(got) > 0 && got[0] != c.wantIDs[0]) {
				t.Errorf("digests = %q, want %q", got, c.wantIDs)
			}
			s, err := h.store.GetSubscription(context.Background(), bot.Telegram, "42")
			must(t, err)
			if !s.NextDue.Equal(c.wantNext) {
				t.Errorf("next due = %s, want %s", s.NextDue.UTC(), c.wantNext)
			}
		})
	}
}

// TestMissedDigests: after downtime a missed digest comes once, late; one
// missed by more than a day is skipped to the next slot.
func TestMissedDigests(t *testing.T) {
	day := func(d, h, m int) time.Time { return time.Date(2026, 2, d, h, m, 0, 0, time.UTC) } // Kyiv is UTC+2
	cases := []struct {
		name     string
		times    []string
		tick     time.Time
		want     []string
		wantNext time.Time
	}{
		{"down over one slot: one late digest", []string{"08:00"}, day(10, 11, 0), []string{"s-20260210T0600Z"}, day(11, 6, 0)},
		{"down over two slots of a day: one digest, not two", []string{"08:00", "20:00"}, day(10, 19, 0), []string{"s-20260210T0600Z"}, day(11, 6, 0)},
		{"down for two days: skipped to the next slot", []string{"08:00", "20:00"}, day(12, 9, 0), nil, day(12, 18, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, day(10, 4, 0))
			b := h.bot(&fakeSource{})
			b.Handle(context.Background(), request("42", bot.ChatPrivate, false, "subscribe", append(c.times, "Europe/Kyiv")...))
			got := tickAt(t, h, b, "42", c.tick, c.tick.Add(time.Minute))
			if len(got) != len(c.want) || (len(got) > 0 && got[0] != c.want[0]) {
				t.Errorf("digests = %q, want %q", got, c.want)
			}
			s, err := h.store.GetSubscription(context.Background(), bot.Telegram, "42")
			must(t, err)
			if !s.NextDue.Equal(c.wantNext) {
				t.Errorf("next due = %s, want %s", s.NextDue.UTC(), c.wantNext)
			}
		})
	}
}

// TestSettingsKeepADueDigest: changing topics while a digest is due does
// not skip it; changing the time does reschedule.
func TestSettingsKeepADueDigest(t *testing.T) {
	start := time.Date(2026, 2, 10, 5, 0, 0, 0, time.UTC) // 07:00 in Kyiv
	h := newHarness(t, start)
	ctx := context.Background()
	b := h.bot(&fakeSource{})
	b.Handle(ctx, request("42", bot.ChatPrivate, false, "subscribe", "08:00", "Europe/Kyiv"))
	h.clock.Set(start.Add(time.Hour + 30*time.Second)) // due, not yet ticked
	b.Handle(ctx, request("42", bot.ChatPrivate, false, "topics", "add", "Odesa"))
	if got := tickAt(t, h, b, "42", h.clock.Now()); len(got) != 1 {
		t.Fatalf("digests after a topic change = %q, want the due one", got)
	}
	b.Handle(ctx, request("42", bot.ChatPrivate, false, "schedule", "21:00"))
	s, err := h.store.GetSubscription(ctx, bot.Telegram, "42")
	must(t, err)
	if want := time.Date(2026, 2, 10, 19, 0, 0, 0, time.UTC); !s.NextDue.Equal(want) {
		t.Errorf("next due after /schedule 21:00 = %s, want %s", s.NextDue.UTC(), want)
	}
}

func TestQuietAndThresholdCommands(t *testing.T) {
	h := newHarness(t, time.Date(2026, 2, 10, 10, 0, 0, 0, time.UTC))
	b := h.bot(&fakeSource{})
	ctx := context.Background()
	b.Handle(ctx, request("42", bot.ChatPrivate, false, "subscribe"))
	cases := []struct {
		args             []string
		wantChanged      bool
		wantFrom, wantTo string
		wantOutlets      int
	}{
		{[]string{"23:00-7:00"}, true, "23:00", "07:00", 0},
		{[]string{"25:00-07:00"}, false, "23:00", "07:00", 0},
		{[]string{"off"}, true, "", "", 0},
	}
	for _, c := range cases {
		resp := b.Handle(ctx, request("42", bot.ChatPrivate, false, "quiet", c.args...))
		s, err := h.store.GetSubscription(ctx, bot.Telegram, "42")
		must(t, err)
		if resp.Changed != c.wantChanged || s.QuietFrom != c.wantFrom || s.QuietTo != c.wantTo {
			t.Errorf("/quiet %v: changed %v, quiet %q-%q; want %v, %q-%q", c.args, resp.Changed, s.QuietFrom, s.QuietTo, c.wantChanged, c.wantFrom, c.wantTo)
		}
	}
	b.Handle(ctx, request("42", bot.ChatPrivate, false, "alerts", "on", "5"))
	if s, _ := h.store.GetSubscription(ctx, bot.Telegram, "42"); s.AlertOutlets != 5 || !s.Alerts {
		t.Errorf("after /alerts on 5: alerts %v from %d outlets", s.Alerts, s.AlertOutlets)
	}
}

// TestDigestTopicFilters: a digest holds what its chat's topics mention,
// and an empty day gets one short line.
func TestDigestTopicFilters(t *testing.T) {
	start := time.Date(2026, 2, 10, 5, 0, 0, 0, time.UTC) // 07:00 in Kyiv
	h := newHarness(t, start)
	s := newScripted(bot.Telegram)
	src := &fakeSource{}
	src.articles = append(story("x", "Drones hit Odesa port, grain ships damaged", odesa, start.Add(-time.Hour), "Kyiv Ledger", "Atlantic Wire"),
		story("y", "Kherson orders evacuation of families with children", kherson, start.Add(-time.Hour), "Kyiv Ledger", "Harbour Times")...)
	b := h.botWith(src, func(o *bot.Options) { o.Delivery.Limits = map[string]bot.PlatformLimits{}; o.Alerts.Off = true })
	b.AddMessenger(s)
	ctx := context.Background()
	must(t, b.Poll(ctx))
	cases := []struct {
		chat   string
		topics []string
		want   string // a word of the only headline; "" = the empty-day line
	}{
		{"all", nil, ""},
		{"kherson", []string{"kherson"}, "Kherson"},
		{"regexp", []string{`odes+a\b`}, "Odesa"},
		{"phrase", []string{"grain ships"}, "Odesa"},
		{"nothing", []string{"Crimea"}, ""},
	}
	for _, c := range cases {
		b.Handle(ctx, request(c.chat, bot.ChatPrivate, false, "subscribe", "08:00", "Europe/Kyiv"))
		for _, topic := range c.topics {
			b.Handle(ctx, request(c.chat, bot.ChatPrivate, false, "topics", "add", topic))
		}
	}
	h.clock.Set(start.Add(time.Hour))
	must(t, b.Tick(ctx))
	for _, c := range cases {
		t.Run(c.chat, func(t *testing.T) {
			got := s.to(c.chat)
			if len(got) != 1 {
				t.Fatalf("%d messages, want 1", len(got))
			}
			devs := got[0].Digest.Developments
			switch {
			case c.chat == "all":
				if len(devs) != 2 {
					t.Errorf("%d developments, want both", len(devs))
				}
			case c.want == "":
				if len(devs) != 0 || got[0].Text == "" {
					t.Errorf("developments %d, text %q; want none and the empty-day line", len(devs), got[0].Text)
				}
			case len(devs) != 1 || !strings.Contains(devs[0].Headline, c.want):
				t.Errorf("developments %v, want only the one about %s", devs, c.want)
			}
		})
	}
}

// commits records the claims a store commits.
type commits struct {
	bot.Store
	claims []bot.Claim
}

func (c *commits) CommitSchedule(ctx context.Context, claims []bot.Claim) ([]bool, error) {
	c.claims = append(c.claims, claims...)
	return c.Store.CommitSchedule(ctx, claims)
}

// TestSubscribersShareTheirDigest: the subscribers of one slot whose
// digest is the same share one, and a subscriber with other topics gets
// its own.
func TestSubscribersShareTheirDigest(t *testing.T) {
	now := time.Date(2025, 12, 16, 6, 0, 0, 0, time.UTC)
	h := newHarness(t, now)
	ctx := context.Background()
	for i, topics := range [][]string{nil, nil, {"drone"}} {
		s := bot.Subscription{Platform: bot.Telegram, ChatID: string(rune('1' + i)), Times: []string{"06:00"}, Timezone: "UTC",
			Topics: topics, Active: true, Created: now, Updated: now, NextDue: now}
		must(t, h.store.PutSubscription(ctx, s))
	}
	c := &commits{Store: h.store}
	b := bot.New(c, &fakeSource{articles: articles(now.Add(-3 * time.Hour))}, bot.Options{Now: h.clock.Now})
	b.AddMessenger(h.msgr)
	must(t, b.Tick(ctx))
	digests := map[string]*digest.Digest{}
	for _, cl := range c.claims {
		if len(cl.Jobs) != 1 {
			t.Fatalf("claim of chat %s has %d jobs, want 1", cl.Sub.ChatID, len(cl.Jobs))
		}
		digests[cl.Sub.ChatID] = cl.Jobs[0].Message.Digest
	}
	if len(digests) != 3 || digests["1"] == nil || digests["1"] != digests["2"] || digests["3"] == digests["1"] {
		t.Errorf("digests by chat = %v; want chats 1 and 2 to share one, chat 3 its own", digests)
	}
}
