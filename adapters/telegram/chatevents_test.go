package telegram

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
	"github.com/sitrepbot/sitrep/bot"
)

// TestListenPassesChatEvents: a user blocking the bot, the bot removed from a
// group and a channel, and a group's migration reach the handler as chat
// events, once each; other member changes (the bot added) do not.
func TestListenPassesChatEvents(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.NoLimits()})
	c := mustClient(t, s, Options{})
	h := &echo{c: c}
	s.AddChat(telegramtest.PrivateChat(alice))
	s.AddChat(telegramtest.Group(-10, "Readers"))
	s.AddChat(telegramtest.Channel(-10030, "News"))
	s.AddChat(telegramtest.Group(-20, "Old group"))
	s.Inject(telegramtest.Update{MyChatMember: &telegramtest.ChatMemberUpdated{Chat: telegramtest.Group(-30, "New"), From: alice,
		OldChatMember: telegramtest.ChatMember{Status: telegramtest.StatusLeft, User: s.Bot()},
		NewChatMember: telegramtest.ChatMember{Status: telegramtest.StatusMember, User: s.Bot()}}})
	s.Block(alice.ID)
	s.Kick(-10)
	s.Kick(-10030)
	s.Migrate(-20, -1002)
	listen(t, c, h)

	want := []bot.ChatEvent{
		{Platform: bot.Telegram, ChatID: "-10", Gone: "bot removed from the group chat"},
		{Platform: bot.Telegram, ChatID: "-10030", Gone: "bot removed from the channel chat"},
		{Platform: bot.Telegram, ChatID: "-20", MovedTo: "-1002"},
		{Platform: bot.Telegram, ChatID: "1001", Gone: "bot was blocked by the user"},
	}
	var got []bot.ChatEvent
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if got = h.events(); len(got) >= len(want) && s.Pending() == 0 {
			break
		}
	}
	slices.SortFunc(got, func(a, b bot.ChatEvent) int { return strings.Compare(a.ChatID, b.ChatID) })
	if !slices.Equal(got, want) {
		t.Errorf("chat events = %+v, want %+v", got, want)
	}
	if n := len(h.requests()); n != 0 {
		t.Errorf("%d commands handled, want none", n)
	}
}
