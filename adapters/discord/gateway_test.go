package discord_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/bot"
)

func TestGatewayResumesAndReplays(t *testing.T) {
	for _, tc := range []struct {
		name string
		cut  func(*discordtest.Server)
	}{
		{"reconnect requested", (*discordtest.Server).Reconnect},
		{"connection dropped", (*discordtest.Server).DropGateway},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := handlerFunc(func(ctx context.Context, r bot.Request) bot.Response { return bot.Response{Text: "pong " + r.Command} })
			// A clock that stands still: the replayed interaction is not late.
			at := time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC)
			fake, _, logs := startGateway(t, discordtest.Options{Now: func() time.Time { return at }}, discord.Options{}, h)
			if st := fake.GatewayStats(); st.Intents != 1 || st.Identifies != 1 {
				t.Errorf("IDENTIFY: intents %d, identifies %d; want Guilds (1) only, once", st.Intents, st.Identifies)
			}
			waitFor(t, func() bool { return fake.GatewayStats().Heartbeats > 0 })
			tc.cut(fake)
			waitFor(t, func() bool { return !fake.GatewayStats().Live })
			ctx := ctxFor(t, 10*time.Second)
			id, err := fake.Interact(ctx, discordtest.Interaction{Command: "status", GuildID: "1", ChannelID: "10"})
			if err != nil {
				t.Fatal(err)
			}
			x, err := fake.WaitAnswer(ctx, id)
			if err != nil {
				t.Fatalf("%v\n%s", err, logs)
			}
			if x.Original.Content != "pong status" {
				t.Errorf("answer %q", x.Original.Content)
			}
			if st := fake.GatewayStats(); st.Resumes != 1 || st.Identifies != 1 {
				t.Errorf("after the break: %d resumes, %d identifies; want the session resumed, not a new one", st.Resumes, st.Identifies)
			}
		})
	}
}

func TestGatewayUnreachableIsRetried(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	c, logs := newClient(t, fake, discord.Options{APIURL: "http://127.0.0.1:1"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.RunGateway(ctx, handlerFunc(nil)) }()
	waitFor(t, func() bool { return strings.Contains(logs.String(), "gateway unreachable; trying again") })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("RunGateway after ctx ended: %v, want nil", err)
	}
}

func TestGatewayBadTokenIsFinal(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	c, _ := newClient(t, fake, discord.Options{Token: "MTE5.not-the-token"})
	err := c.RunGateway(ctxFor(t, 10*time.Second), handlerFunc(nil))
	if err == nil || !strings.Contains(err.Error(), "4004") {
		t.Errorf("RunGateway with a bad token: %v, want the 4004 refusal at once", err)
	}
}

// watcher is a Handler and ChatWatcher that records the chat events.
type watcher struct {
	handlerFunc
	mu  sync.Mutex
	evs []bot.ChatEvent
}

func (w *watcher) ChatChanged(ctx context.Context, ev bot.ChatEvent) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.evs = append(w.evs, ev)
	return nil
}

func (w *watcher) events() []bot.ChatEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.evs)
}

// TestGatewayChannelDeleted: a CHANNEL_DELETE from the gateway reaches a
// ChatWatcher as the channel gone.
func TestGatewayChannelDeleted(t *testing.T) {
	w := &watcher{handlerFunc: func(context.Context, bot.Request) bot.Response { return bot.Response{} }}
	fake, _, _ := startGateway(t, discordtest.Options{}, discord.Options{}, w)
	fake.DeleteChannel("1003")
	want := []bot.ChatEvent{{Platform: bot.Discord, ChatID: "1003", Gone: "channel deleted"}}
	deadline := time.Now().Add(5 * time.Second)
	for !slices.Equal(w.events(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("chat events %+v, want %+v", w.events(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
