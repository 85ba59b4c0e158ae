package telegram

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
	"github.com/sitrepbot/sitrep/bot"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		text          string
		name          string
		args          []string
		addressed, ok bool
	}{
		{"/start", "start", nil, false, true},
		{"/LATEST 5", "latest", []string{"5"}, false, true},
		{"/subscribe@SitrepBot 8:00 kyiv", "subscribe", []string{"8:00", "kyiv"}, true, true},
		{"/subscribe@sitrepbot   08:00,  Europe/Kyiv", "subscribe", []string{"08:00", "Europe/Kyiv"}, true, true},
		{"  /alerts\noff", "alerts", []string{"off"}, false, true},
		{"/story_k3x9qa", "story", []string{"k3x9qa"}, false, true},
		{"/story_k3x9qa@SitrepBot", "story", []string{"k3x9qa"}, true, true},
		{"/topics add Zaporizhzhia NPP", "topics", []string{"add", "Zaporizhzhia", "NPP"}, false, true},
		{"/latest@OtherBot", "", nil, false, false},
		{"/latest@", "", nil, false, false},
		{"/", "", nil, false, false},
		{"/@SitrepBot", "", nil, false, false},
		{"latest", "", nil, false, false},
		{"", "", nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			name, args, addressed, ok := parseCommand(tt.text, "SitrepBot")
			if name != tt.name || !slices.Equal(args, tt.args) || addressed != tt.addressed || ok != tt.ok {
				t.Errorf("parseCommand(%q) = %q %q %v %v, want %q %q %v %v", tt.text, name, args, addressed, ok, tt.name, tt.args, tt.addressed, tt.ok)
			}
		})
	}
}

func TestRequestFilters(t *testing.T) {
	c := &Client{self: tgbotapi.User{UserName: "SitrepBot"}}
	private := &tgbotapi.Chat{ID: 5, Type: "private"}
	group := &tgbotapi.Chat{ID: -7, Type: "supergroup", Title: "Group"}
	user := &tgbotapi.User{ID: 5, LanguageCode: "uk-UA"}
	tests := []struct {
		name    string
		chat    *tgbotapi.Chat
		text    string
		wantCmd string // "" = ignored
	}{
		{"private command", private, "/latest", "latest"},
		{"private unknown command is answered", private, "/frobnicate", "frobnicate"},
		{"group command", group, "/latest 3", "latest"},
		{"group command for this bot", group, "/latest@sitrepbot", "latest"},
		{"group command for another bot", group, "/latest@OtherBot", ""},
		{"group unknown command, maybe another bot's", group, "/frobnicate", ""},
		{"group unknown command addressed to us", group, "/frobnicate@SitrepBot", "frobnicate"},
		{"group chatter", group, "hello /latest", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &message{Message: tgbotapi.Message{MessageID: 42, Chat: tt.chat, From: user, Text: tt.text}}
			r, ok := c.request(m, false)
			if got := r.Command; ok != (tt.wantCmd != "") || got != tt.wantCmd {
				t.Fatalf("request(%q) = %q %v, want %q", tt.text, got, ok, tt.wantCmd)
			}
			if ok && (r.Platform != bot.Telegram || r.ChatID != itoa(tt.chat.ID) || r.MessageID != "42" || r.UserID != "5" || r.Lang != "uk") {
				t.Errorf("request = %+v", r)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestAdmins: who may change a chat's subscription, as IsAdmin answers.
func TestAdmins(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.NoLimits()})
	c := mustClient(t, s, Options{})
	h := &echo{c: c}
	listen(t, c, h)

	owner := telegramtest.User{ID: 1, FirstName: "Owner"}
	admin := telegramtest.User{ID: 2, FirstName: "Admin"}
	member := telegramtest.User{ID: 3, FirstName: "Member"}
	group := telegramtest.Supergroup(-1001, "War news")
	other := telegramtest.Supergroup(-1002, "Linked")
	channel := telegramtest.Channel(-1003, "Sitrep channel")
	anonGroup := telegramtest.Supergroup(-1004, "Anonymous admins")
	linked := telegramtest.Supergroup(-1005, "Discussion")
	s.SetMember(group.ID, owner, telegramtest.StatusCreator)
	s.SetMember(other.ID, admin, telegramtest.StatusAdministrator)
	anonymousBot := telegramtest.User{ID: 1087968824, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"}

	s.InjectMessage(group, owner, "/subscribe")
	s.InjectMessage(other, admin, "/subscribe@sitrep_test_bot")
	s.InjectMessage(group, member, "/subscribe 08:00")
	s.InjectChannelPost(channel, "/subscribe")
	s.Inject(telegramtest.Update{Message: &telegramtest.IncomingMessage{Chat: anonGroup, From: &anonymousBot, SenderChat: &anonGroup, Text: "/subscribe"}})
	s.Inject(telegramtest.Update{Message: &telegramtest.IncomingMessage{Chat: linked, From: &member, SenderChat: &channel, Text: "/subscribe"}})
	for _, id := range []int64{group.ID, other.ID, channel.ID, anonGroup.ID, linked.ID} {
		s.WaitMessages(id, 1, 5*time.Second)
	}
	s.WaitMessages(group.ID, 2, 5*time.Second)

	h.mu.Lock()
	defer h.mu.Unlock()
	want := map[string]bool{
		"-1001:1":          true,  // the creator
		"-1001:3":          false, // a member
		"-1002:2":          true,  // an administrator, addressing the bot
		"-1003:":           true,  // the channel posting in itself
		"-1004:1087968824": true,  // the group itself: an anonymous administrator
		"-1005:3":          false, // a member speaking as another chat
	}
	for key, w := range want {
		if got, ok := h.admin[key]; !ok || got != w {
			t.Errorf("%s: admin = %v (asked: %v), want %v", key, got, ok, w)
		}
	}
	var kinds []bot.ChatKind
	for _, r := range h.reqs {
		kinds = append(kinds, r.ChatKind)
	}
	if !slices.Contains(kinds, bot.ChatChannel) || !slices.Contains(kinds, bot.ChatGroup) {
		t.Errorf("chat kinds = %v", kinds)
	}
}

// FuzzParseCommand: any text a user sends either is not a command for us or
// parses into a lower-case name without spaces or @, and words as arguments.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/start", "/subscribe@SitrepBot 8:00 kyiv", "/story_k3x9qa", "/a@b@c", "/\u00a0x", "/latest\t5", "/@", "/story_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		name, args, addressed, ok := parseCommand(text, "SitrepBot")
		if !ok {
			if name != "" || args != nil || addressed {
				t.Fatalf("ignored %q but returned %q %q %v", text, name, args, addressed)
			}
			return
		}
		if name == "" || name != strings.ToLower(name) || strings.ContainsAny(name, "@ \t\n") {
			t.Fatalf("%q: name %q", text, name)
		}
		for _, a := range args {
			if a == "" || strings.IndexFunc(a, unicode.IsSpace) >= 0 {
				t.Fatalf("%q: argument %q", text, a)
			}
		}
	})
}
