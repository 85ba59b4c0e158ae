package bot_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
)

// TestLatestCooldown: a chat that repeats /latest within the cooldown gets
// one short note, then nothing; other chats are not affected.
func TestLatestCooldown(t *testing.T) {
	start := time.Date(2025, 12, 16, 20, 0, 0, 0, time.UTC)
	h := newHarness(t, start)
	ctx := context.Background()
	b := h.bot(&fakeSource{articles: articles(start.Add(-3 * time.Hour))})
	must(t, b.Poll(ctx))
	latest := func(chat string, after time.Duration) bot.Response {
		h.clock.Set(start.Add(after))
		return b.Handle(ctx, request(chat, bot.ChatGroup, false, "latest"))
	}
	steps := []struct {
		chat       string
		after      time.Duration
		wantDigest bool
		wantText   bool
	}{
		{"1", 0, true, false},
		{"1", 10 * time.Second, false, true},  // "just sent above"
		{"1", 20 * time.Second, false, false}, // nothing
		{"2", 25 * time.Second, true, false},  // another chat
		{"1", 59 * time.Second, false, false},
		{"1", 61 * time.Second, true, false}, // the cooldown is over
	}
	for i, st := range steps {
		resp := latest(st.chat, st.after)
		if got := resp.Digest != nil; got != st.wantDigest {
			t.Errorf("step %d (chat %s, +%s): digest = %v, want %v", i, st.chat, st.after, got, st.wantDigest)
		}
		if got := resp.Text != ""; got != st.wantText {
			t.Errorf("step %d (chat %s, +%s): text %q, want text = %v", i, st.chat, st.after, resp.Text, st.wantText)
		}
	}
	// Nothing to say is nothing sent.
	if err := b.Reply(ctx, request("1", bot.ChatGroup, false, "latest"), bot.Response{}); err != nil {
		t.Errorf("Reply(empty) = %v", err)
	}
	if n := len(h.msgr.to("1")); n != 0 {
		t.Errorf("an empty response sent %d messages", n)
	}
}

// TestReplyPacing: replies to one chat wait for the chat's limit, and a
// reply that would wait longer than ReplyWait is dropped as rate limited
// instead of reaching the platform.
func TestReplyPacing(t *testing.T) {
	h := newHarness(t, time.Date(2025, 12, 16, 20, 0, 0, 0, time.UTC))
	b := h.botWith(&fakeSource{}, func(o *bot.Options) {
		o.Delivery.Limits = map[string]bot.PlatformLimits{bot.Telegram: {
			Global: bot.Limit{Rate: 100, Period: time.Second, Burst: 1},
			Chat:   bot.Limit{Rate: 1, Period: 300 * time.Millisecond, Burst: 1}}}
		o.Delivery.ReplyWait = 500 * time.Millisecond
	})
	ctx := context.Background()
	r := request("9", bot.ChatPrivate, false, "help")
	start := time.Now()
	for range 2 {
		must(t, b.Reply(ctx, r, bot.Response{Text: "hello"}))
	}
	if took := time.Since(start); took < 250*time.Millisecond {
		t.Errorf("two replies to one chat took %s, want about the chat's 300ms spacing", took)
	}
	// Six at once is more than ReplyWait's worth: the surplus is dropped.
	errs := make(chan error, 6)
	for range 6 {
		go func() { errs <- b.Reply(ctx, r, bot.Response{Text: "hello"}) }()
	}
	dropped := 0
	for range 6 {
		if err := <-errs; errors.Is(err, bot.ErrRateLimited) {
			dropped++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	sent := len(h.msgr.to("9")) - 2
	if sent+dropped != 6 || sent > 3 || sent < 1 {
		t.Errorf("of 6 replies at once %d were sent and %d dropped; want at most 500ms/300ms+1 sent, the rest dropped", sent, dropped)
	}
}
