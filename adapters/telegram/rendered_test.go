package telegram

import (
	"context"
	"testing"

	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
	"github.com/sitrepbot/sitrep/bot"
)

// TestRenderedOncePerDigest: the deliveries of one digest to several chats
// render it once, and another digest is rendered anew.
func TestRenderedOncePerDigest(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.NoLimits()})
	c := mustClient(t, s, Options{})
	for _, id := range []int64{1001, 1002, 1003} {
		s.AddChat(telegramtest.PrivateChat(telegramtest.User{ID: id, FirstName: "U"}))
	}
	a, b := manyDevelopments(2), manyDevelopments(2)
	b.Developments[0].Headline = "Another headline"
	send := func(chat string, m bot.Message) {
		t.Helper()
		m.Key, m.ChatID, m.Kind = bot.DeliveryKey{Platform: bot.Telegram, ChatID: chat, DigestID: "s-1"}, chat, bot.KindDigest
		if n := c.Parts(m); n != 1 {
			t.Fatalf("%d parts, want 1", n)
		}
		if _, err := c.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	send("1001", bot.Message{Digest: &a})
	send("1002", bot.Message{Digest: &a})
	if got := c.renders.Len(); got != 1 {
		t.Errorf("%d renders kept after two deliveries of one digest, want 1", got)
	}
	send("1003", bot.Message{Digest: &b})
	if got := c.renders.Len(); got != 2 {
		t.Errorf("%d renders kept after a second digest, want 2", got)
	}
	want, err := render(bot.Message{Kind: bot.KindDigest, Digest: &b})
	if err != nil {
		t.Fatal(err)
	}
	first, third := s.Messages(1001), s.Messages(1003)
	if len(third) != 1 || len(first) != 1 || third[0].Text == first[0].Text || len(want) != 1 {
		t.Fatalf("second digest posted as %+v, the first as %+v; want a text of its own", third, first)
	}
}
