package main

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// e2e is sitrep wired as `sitrep run` wires it, on a fake Bot API, feeds
// served from the corpus and a real Redis.
type e2e struct {
	t     *testing.T
	tg    *telegramtest.Server
	store *redisstore.Store
	feeds []feeds.Feed
	clock *clock
	log   *slog.Logger
}

// start runs a new bot and Telegram client on the shared store; stop ends
// their update loop and waits for it.
func (e *e2e) start() (b *bot.Bot, stop func()) {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	src := feeds.New(e.feeds, e.store, feeds.Options{Now: e.clock.Now, Logger: e.log})
	b = bot.New(e.store, src, bot.Options{Now: e.clock.Now, Logger: e.log})
	svc, err := startTelegram(ctx, config.TelegramConfig{Token: config.Secret(e.tg.Token()), APIURL: e.tg.URL()}, b, e.store, e.log)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := b.Restore(ctx); err != nil {
		e.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.receive(ctx) }()
	return b, func() {
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("receive: %v", err)
		}
	}
}

// say posts text in chat as from and waits for the bot's n-th message there.
func (e *e2e) say(chat telegramtest.Chat, from telegramtest.User, text string, n int) telegramtest.Message {
	e.t.Helper()
	e.tg.InjectMessage(chat, from, text)
	msgs := e.tg.WaitMessages(chat.ID, n, 10*time.Second)
	return msgs[n-1]
}

func (e *e2e) subscription(chatID string) (bot.Subscription, error) {
	return e.store.GetSubscription(context.Background(), bot.Telegram, chatID)
}

// scheduled returns the digests the bot posted on its own (not as replies) in a chat.
func scheduled(msgs []telegramtest.Message) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range msgs {
		if m.ReplyTo == 0 && strings.HasPrefix(m.Parsed.Text, "📰") {
			out = append(out, m)
		}
	}
	return out
}

func TestTelegramEndToEnd(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	store := redisstore.New(rdb, redisstore.Options{Prefix: prefix})
	t.Cleanup(func() { store.Close() })
	var logs syncBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", logs.String())
		}
	})
	e := &e2e{t: t, store: store, feeds: corpusFeeds(t),
		tg:    telegramtest.New(t, telegramtest.Options{Limits: telegramtest.Limits{PerChatBurst: 10}}),
		clock: &clock{t: time.Date(2025, 12, 17, 5, 30, 0, 0, time.UTC)}, // 07:30 in Kyiv
		log:   slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	ctx := context.Background()
	b, stop := e.start()
	if err := b.Poll(ctx); err != nil {
		t.Fatal(err)
	}

	alice := telegramtest.User{ID: 1001, FirstName: "Alice", LanguageCode: "en"}
	bob := telegramtest.User{ID: 1002, FirstName: "Bob"}
	carol := telegramtest.User{ID: 1003, FirstName: "Carol"}
	dave := telegramtest.User{ID: 1004, FirstName: "Dave"}
	private := telegramtest.PrivateChat(alice)
	group := telegramtest.Supergroup(-1001500, "Frontline news")
	oldGroup := telegramtest.Group(-4200, "Old group")
	e.tg.SetMember(group.ID, carol, telegramtest.StatusAdministrator)
	e.tg.SetMember(oldGroup.ID, carol, telegramtest.StatusCreator)

	t.Run("start", func(t *testing.T) {
		if got := e.say(private, alice, "/start", 1); !strings.Contains(got.Parsed.Text, "I am sitrep") {
			t.Errorf("/start answered %q", got.Parsed.Text)
		}
	})
	t.Run("subscribe in a private chat", func(t *testing.T) {
		got := e.say(private, alice, "/subscribe 08:00 Europe/Kyiv", 2)
		if !strings.Contains(got.Parsed.Text, "Subscribed") {
			t.Errorf("/subscribe answered %q", got.Parsed.Text)
		}
		s, err := e.subscription("1001")
		if err != nil || !s.Active || s.Timezone != "Europe/Kyiv" || len(s.Times) != 1 || s.Times[0] != "08:00" {
			t.Errorf("subscription = %+v, %v", s, err)
		}
	})
	t.Run("a group member may not subscribe the group", func(t *testing.T) {
		got := e.say(group, dave, "/subscribe@sitrep_test_bot 08:00 Europe/Kyiv", 1)
		if !strings.Contains(got.Parsed.Text, "only the chat's administrators") || got.ReplyTo == 0 {
			t.Errorf("answered %q (reply to %d), want a refusal replying to the command", got.Parsed.Text, got.ReplyTo)
		}
		if _, err := e.subscription("-1001500"); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("the refused /subscribe stored something: %v", err)
		}
	})
	t.Run("a group admin may", func(t *testing.T) {
		if got := e.say(group, carol, "/subscribe 8:00 kyiv", 2); !strings.Contains(got.Parsed.Text, "Subscribed") {
			t.Errorf("answered %q", got.Parsed.Text)
		}
		if s, err := e.subscription("-1001500"); err != nil || s.ChatKind != bot.ChatGroup || s.Timezone != "Europe/Kyiv" {
			t.Errorf("subscription = %+v, %v", s, err)
		}
	})
	t.Run("latest", func(t *testing.T) {
		top := b.Latest(8).Developments
		if len(top) < 3 {
			t.Fatalf("the engine has %d developments, want at least 3", len(top))
		}
		e.tg.InjectMessage(private, alice, "/latest")
		deadline := time.Now().Add(10 * time.Second)
		for {
			text := allText(e.tg.Messages(private.ID)[2:])
			missing := ""
			for _, d := range top {
				if !strings.Contains(text, d.Headline) || !strings.Contains(text, "/story_"+d.ID) {
					missing = d.Headline
				}
			}
			if missing == "" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("/latest lacks %q:\n%s", missing, text)
			}
			time.Sleep(5 * time.Millisecond)
		}
		if first := e.tg.Messages(private.ID)[2]; !strings.HasPrefix(first.Parsed.Text, "📰") || first.ReplyTo == 0 || first.ParseMode != "HTML" || !first.PreviewDisabled {
			t.Errorf("/latest's first message: %+v", first)
		}
	})

	// Two more subscribers whose chats change before 08:00.
	e.say(telegramtest.PrivateChat(bob), bob, "/subscribe 08:00 Europe/Kyiv", 1)
	e.say(oldGroup, carol, "/subscribe 08:00 Europe/Kyiv", 1)
	e.tg.Block(bob.ID)
	e.tg.Migrate(oldGroup.ID, -1004200)
	// Telegram tells the bot of both (my_chat_member, migrate_to_chat_id):
	// the subscriptions change before any digest is due.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		blocked, err1 := e.subscription("1002")
		_, err2 := e.subscription("-1004200")
		if err1 == nil && !blocked.Active && err2 == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("blocked chat %+v (%v), migrated group: %v; want them changed on Telegram's updates", blocked, err1, err2)
		}
	}

	before := len(e.tg.Messages(private.ID))
	e.clock.Set(time.Date(2025, 12, 17, 6, 0, 0, 0, time.UTC)) // 08:00 in Kyiv
	if err := b.Tick(ctx); err != nil {
		t.Fatalf("Tick: %v", err)
	}
	t.Run("the digest arrives at 08:00", func(t *testing.T) {
		got := scheduled(e.tg.Messages(private.ID)[before:])
		if len(got) != 1 || !strings.Contains(got[0].Parsed.Text, "sitrep digest") {
			t.Fatalf("%d digests arrived, want 1: %v", len(got), got)
		}
		if len(scheduled(e.tg.Messages(group.ID))) != 1 {
			t.Errorf("the group got %d digests, want 1", len(scheduled(e.tg.Messages(group.ID))))
		}
	})
	t.Run("a chat that blocked the bot is deactivated", func(t *testing.T) {
		s, err := e.subscription("1002")
		if err != nil || s.Active || !strings.Contains(s.Reason, "blocked") {
			t.Errorf("subscription = %+v, %v; want kept, inactive, with the reason", s, err)
		}
	})
	t.Run("a migrated group keeps its subscription", func(t *testing.T) {
		if _, err := e.subscription("-4200"); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("the old id still has a subscription: %v", err)
		}
		if s, err := e.subscription("-1004200"); err != nil || !s.Active {
			t.Errorf("new id: %+v, %v", s, err)
		}
		if n := len(scheduled(e.tg.Messages(-1004200))); n != 1 {
			t.Errorf("the supergroup got %d digests, want 1", n)
		}
	})

	counts := func() [3]int {
		return [3]int{len(e.tg.Messages(private.ID)), len(e.tg.Messages(group.ID)), len(e.tg.Messages(-1004200))}
	}
	sent := counts()
	e.clock.Set(time.Date(2025, 12, 17, 6, 0, 30, 0, time.UTC))
	if err := b.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	stop()
	b2, stop2 := e.start() // a restarted sitrep on the same Redis
	defer stop2()
	e.clock.Set(time.Date(2025, 12, 17, 6, 1, 0, 0, time.UTC))
	if err := b2.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b2.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	t.Run("no second copy, before or after a restart", func(t *testing.T) {
		if got := counts(); got != sent {
			t.Errorf("messages per chat went from %v to %v", sent, got)
		}
	})
	if n := e.tg.RateLimited(); n != 0 {
		t.Errorf("%d requests were refused for flooding", n)
	}
}

func allText(msgs []telegramtest.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Parsed.Text + "\n")
	}
	return b.String()
}

func TestCheckTelegram(t *testing.T) {
	tg := telegramtest.New(t, telegramtest.Options{})
	env := map[string]string{"SITREP_DATA_DIR": t.TempDir(), "SITREP_TELEGRAM_API_URL": tg.URL()}
	tests := []struct {
		name, token, want string
		wantErr           bool
	}{
		{"reachable", tg.Token(), "OK   telegram " + tg.URL() + ": @sitrep_test_bot", false},
		{"wrong token", "123456789:AAwrongTokenThatTheServerDoesNotKnow1", "FAIL telegram " + tg.URL() + ": telegram: getMe: the bot token was rejected", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env["SITREP_TELEGRAM_TOKEN"] = tt.token
			out, stderr, err := runCmd(t, env, "check")
			if (err != nil) != tt.wantErr || !strings.Contains(out, tt.want) {
				t.Errorf("check = %v\n%s\nwant a line %q", err, out, tt.want)
			}
			secret := tt.token[strings.Index(tt.token, ":")+1:]
			if strings.Contains(out+stderr, secret) {
				t.Errorf("the token is printed:\n%s%s", out, stderr)
			}
		})
	}
}
