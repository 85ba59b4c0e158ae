package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
	"github.com/sitrepbot/sitrep/bot"
)

var alice = telegramtest.User{ID: 1001, FirstName: "Alice"}

func TestSendReply(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.NoLimits()})
	c := mustClient(t, s, Options{})
	forum := telegramtest.Chat{ID: -1009, Type: "supergroup", Title: "Forum", IsForum: true}
	s.Inject(telegramtest.Update{Message: &telegramtest.IncomingMessage{Chat: forum, From: &alice, Text: "/latest", MessageThreadID: 4, IsTopicMessage: true}})
	sent, err := c.Send(context.Background(), bot.Message{ChatID: "-1009", ThreadID: "4", ReplyTo: "1", Text: "Hello <there> & welcome"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages(-1009)
	if len(msgs) != 1 || len(sent.MessageIDs) != 1 || sent.MessageIDs[0] != "2" {
		t.Fatalf("sent %v, recorded %+v", sent, msgs)
	}
	m := msgs[0]
	if m.Parsed.Text != "Hello <there> & welcome" || m.ParseMode != "HTML" || !m.PreviewDisabled ||
		m.ReplyTo != 1 || !m.AllowWithoutReply || m.ThreadID != 4 {
		t.Errorf("recorded %+v", m)
	}
}

func TestSendErrors(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.NoLimits()})
	c := mustClient(t, s, Options{RequestTimeout: 2 * time.Second})
	for _, ch := range []telegramtest.Chat{telegramtest.PrivateChat(alice), telegramtest.Group(-10, "g"), telegramtest.Group(-20, "old")} {
		s.AddChat(ch)
	}
	s.Block(alice.ID)
	s.Kick(-10)
	s.Migrate(-20, -1002)
	tests := []struct {
		name    string
		chat    string
		fail    *telegramtest.Failure
		check   func(error) bool
		wantMsg string
	}{
		{"blocked", "1001", nil, isGone("Forbidden: bot was blocked by the user"), ""},
		{"kicked", "-10", nil, isGone("Forbidden: bot was kicked from the group chat"), ""},
		{"chat not found", "-99", nil, isGone("Bad Request: chat not found"), ""},
		{"migrated", "-20", nil, func(err error) bool {
			var m *bot.ChatMigratedError
			return errors.As(err, &m) && m.NewChatID == "-1002"
		}, ""},
		{"flood", "-1002", &telegramtest.Failure{Status: 429, Description: "Too Many Requests: retry after 7", RetryAfter: 7}, func(err error) bool {
			var rl *bot.RateLimitError
			return errors.As(err, &rl) && rl.RetryAfter == 7*time.Second && errors.Is(err, bot.ErrRateLimited)
		}, ""},
		{"server error", "-1002", &telegramtest.Failure{Status: 502}, is(bot.ErrTemporary), "502"},
		{"connection dropped", "-1002", &telegramtest.Failure{Drop: true}, is(bot.ErrTemporary), "EOF"},
		{"token revoked", "-1002", &telegramtest.Failure{Status: 401, Description: "Unauthorized"}, is(ErrUnauthorized), "telegram.token"},
		{"bad chat id", "general", nil, func(err error) bool { return err != nil && !errors.Is(err, bot.ErrTemporary) }, "neither a number nor an @username"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fail != nil {
				s.Fail("sendMessage", *tt.fail)
			}
			_, err := c.Send(context.Background(), bot.Message{ChatID: tt.chat, Text: "x"})
			if !tt.check(err) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Send = %v", err)
			}
		})
	}
}

func isGone(reason string) func(error) bool {
	return func(err error) bool {
		var g *bot.ChatGoneError
		return errors.As(err, &g) && g.Reason == reason && errors.Is(err, bot.ErrChatGone)
	}
}

func is(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }

// TestSendResumes: a digest of several messages that fails part-way, sent
// again, posts only the messages not yet posted.
func TestSendResumes(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.NoLimits()})
	c := mustClient(t, s, Options{})
	s.AddChat(telegramtest.PrivateChat(alice))
	d := manyDevelopments(20)
	m := bot.Message{Key: bot.DeliveryKey{Platform: bot.Telegram, ChatID: "1001", DigestID: "s-20251216T0600Z"}, ChatID: "1001", Kind: bot.KindDigest, Digest: &d}
	parts, _ := render(m)
	if len(parts) < 3 {
		t.Fatalf("%d parts, want at least 3", len(parts))
	}
	s.Fail("sendMessage", telegramtest.Failure{}, telegramtest.Failure{Status: 429, RetryAfter: 3})
	first, err := c.Send(context.Background(), m)
	if !errors.Is(err, bot.ErrRateLimited) || len(first.MessageIDs) != 1 {
		t.Fatalf("first Send = %v, %v; want one message sent, then rate limited", first, err)
	}
	second, err := c.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.Messages(1001)); got != len(parts) {
		t.Errorf("%d messages posted, want %d: none twice", got, len(parts))
	}
	if len(second.MessageIDs) != len(parts) || second.MessageIDs[0] != first.MessageIDs[0] {
		t.Errorf("second Send = %v, want every part, the first as before (%v)", second, first)
	}
	// Another delivery of the same digest (another key) is sent in full.
	m.Key.DigestID = "s-20251217T0600Z"
	if _, err := c.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got := len(s.Messages(1001)); got != 2*len(parts) {
		t.Errorf("%d messages, want %d", got, 2*len(parts))
	}
}

func TestEditAlert(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.NoLimits()})
	c := mustClient(t, s, Options{})
	s.AddChat(telegramtest.Channel(-1003, "c"))
	dev := sampleDigest().Developments[1]
	m := bot.Message{ChatID: "-1003", Kind: bot.KindAlert, Development: &dev}
	sent, err := c.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	dev.Sources = append(dev.Sources, sampleDigest().Developments[0].Sources...)
	if err := c.Edit(context.Background(), sent, m); err != nil {
		t.Fatal(err)
	}
	if err := c.Edit(context.Background(), sent, m); err != nil {
		t.Errorf("an edit that changes nothing: %v", err)
	}
	msgs := s.Messages(-1003)
	if len(msgs) != 2 || msgs[1].Method != "editMessageText" || !strings.Contains(msgs[1].Parsed.Text, "6 outlets") {
		t.Errorf("recorded %+v", msgs)
	}
	if err := c.Edit(context.Background(), bot.Sent{MessageIDs: []string{"77"}}, m); err == nil {
		t.Error("editing a message that does not exist succeeded")
	}
}

// TestPartsCountsWhatSendPosts: the bot paces every message a delivery
// becomes, so Parts must say how many Send posts.
func TestPartsCountsWhatSendPosts(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.NoLimits()})
	c := mustClient(t, s, Options{})
	s.AddChat(telegramtest.PrivateChat(alice))
	one, many := sampleDigest(), manyDevelopments(20)
	most := 0
	for i, m := range []bot.Message{
		{ChatID: "1001", Text: "Subscribed."},
		{Key: bot.DeliveryKey{Platform: bot.Telegram, ChatID: "1001", DigestID: "s-1"}, ChatID: "1001", Kind: bot.KindDigest, Digest: &one},
		{Key: bot.DeliveryKey{Platform: bot.Telegram, ChatID: "1001", DigestID: "s-2"}, ChatID: "1001", Kind: bot.KindDigest, Digest: &many},
	} {
		sent, err := c.Send(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		most = max(most, len(sent.MessageIDs))
		if got, want := c.Parts(m), len(sent.MessageIDs); got != want {
			t.Errorf("message %d: Parts = %d, Send posted %d", i, got, want)
		}
	}
	if most < 2 {
		t.Errorf("no message was split: %d parts at most", most)
	}
}
