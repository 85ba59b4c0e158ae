package discord_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// clock is a settable time source shared by the bot, the client and the fake.
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

// noSource collects nothing: the tests ingest articles themselves.
type noSource struct{}

func (noSource) Collect(context.Context) (bot.Collection, error) { return bot.Collection{}, nil }

// sampleArticles reads the repository's sample corpus.
func sampleArticles(tb testing.TB) []digest.Article {
	tb.Helper()
	f, err := os.Open("../../testdata/sample-articles.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []digest.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var a digest.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			tb.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// world is a bot on real Redis, talking to a fake Discord one way.
type world struct {
	clock *clock
	store *redisstore.Store
	bot   *bot.Bot
	fake  *discordtest.Server
	logs  *logBuffer
}

func newWorld(t *testing.T, md mode) *world {
	t.Helper()
	rdb, prefix := redistest.Client(t)
	w := &world{clock: &clock{t: time.Date(2025, 12, 16, 18, 0, 0, 0, time.UTC)},
		store: redisstore.New(rdb, redisstore.Options{Prefix: prefix})}
	t.Cleanup(func() { w.store.Close() })
	var client *discord.Client
	handler := handlerFunc(func(ctx context.Context, r bot.Request) bot.Response { return w.bot.Handle(ctx, r) })
	w.fake, client, w.logs = md.start(t, discordtest.Options{Now: w.clock.Now},
		discord.Options{Now: w.clock.Now, Timeout: 2 * time.Second, Parts: w.store}, handler)
	w.bot = bot.New(w.store, noSource{}, bot.Options{Now: w.clock.Now,
		Logger: slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	w.bot.AddMessenger(client)
	if err := w.bot.Ingest(context.Background(), sampleArticles(t)); err != nil {
		t.Fatal(err)
	}
	return w
}

// subscribe runs /subscribe 08:00 Europe/Kyiv in a guild channel.
func (w *world) subscribe(t *testing.T, channel string, perms int64) discordtest.Exchange {
	t.Helper()
	return interact(t, w.fake, discordtest.Interaction{Command: "subscribe", GuildID: "900", ChannelID: channel, UserID: "700000000000000001",
		Permissions: perms, Options: []discordtest.Option{{Name: "time", Value: "08:00"}, {Name: "timezone", Value: "Europe/Kyiv"}}})
}

const manageChannels = 1 << 4

func TestEndToEnd(t *testing.T) {
	kyiv, _ := time.LoadLocation("Europe/Kyiv")
	for _, md := range modes {
		t.Run(md.name, func(t *testing.T) {
			w := newWorld(t, md)
			ctx := ctxFor(t, 30*time.Second)

			refused := w.subscribe(t, "1001", 1<<11) // Send Messages, not Manage Channels
			if !refused.Ephemeral() || !strings.Contains(refused.Original.Content, "administrators") {
				t.Errorf("/subscribe without Manage Channels: %q (ephemeral %v), want an ephemeral refusal", refused.Original.Content, refused.Ephemeral())
			}
			if _, err := w.store.GetSubscription(ctx, bot.Discord, "1001"); !errors.Is(err, bot.ErrNotFound) {
				t.Fatalf("after the refusal: subscription lookup error %v, want ErrNotFound", err)
			}
			for _, ch := range []string{"1001", "1002", "1003"} {
				if x := w.subscribe(t, ch, manageChannels); !x.Ephemeral() || !strings.HasPrefix(x.Original.Content, "Subscribed") {
					t.Fatalf("/subscribe in %s: %q", ch, x.Original.Content)
				}
				s, err := w.store.GetSubscription(ctx, bot.Discord, ch)
				if err != nil || !s.Active || s.Timezone != "Europe/Kyiv" || s.Times[0] != "08:00" {
					t.Fatalf("subscription of %s: %+v, %v", ch, s, err)
				}
			}

			w.fake.HangAfterAccept("1002", 1) // posted, but the answer never comes back
			w.fake.DeleteChannel("1003")
			w.clock.Set(time.Date(2025, 12, 17, 8, 0, 30, 0, kyiv))
			if err := w.bot.Tick(ctx); err != nil { // the lost answer goes back to the outbox
				t.Fatalf("first tick: %v", err)
			}
			w.clock.Set(w.clock.Now().Add(time.Minute)) // past the first retry delay
			if err := w.bot.Tick(ctx); err != nil {
				t.Fatalf("second tick: %v", err)
			}
			if err := w.bot.Tick(ctx); err != nil {
				t.Fatalf("third tick: %v", err)
			}

			first := w.fake.Messages("1001")
			if len(first) == 0 || embedCount(first) == 0 {
				t.Fatalf("1001 got %d messages, want the digest", len(first))
			}
			t.Logf("1001: %d messages, %d embeds", len(first), embedCount(first))
			retried := w.fake.Messages("1002")
			if embedCount(retried) != embedCount(first) || len(retried) != len(first) || !uniqueNonces(retried) {
				t.Errorf("1002 (answer lost, then retried): %d messages with %d embeds, want exactly one digest like 1001's (%d, %d)",
					len(retried), embedCount(retried), len(first), embedCount(first))
			}
			if posts := countPosts(w.fake, "1002"); posts != len(first)+1 {
				t.Errorf("1002 got %d POSTs, want %d (one of them retried)", posts, len(first)+1)
			}
			gone, err := w.store.GetSubscription(ctx, bot.Discord, "1003")
			if err != nil || gone.Active || !strings.Contains(gone.Reason, "Unknown Channel") {
				t.Errorf("deleted channel: %+v, %v; want the subscription kept, inactive, with the reason", gone, err)
			}
			for _, ch := range []string{"1001", "1002"} {
				if s, _ := w.store.GetSubscription(ctx, bot.Discord, ch); !s.NextDue.After(w.clock.Now()) {
					t.Errorf("%s: next digest due %s, want tomorrow", ch, s.NextDue)
				}
			}
			if strings.Contains(w.logs.String(), w.fake.Token()) {
				t.Errorf("the token appears in the logs")
			}
		})
	}
}

func TestForgedOrStaleInteractionChangesNothing(t *testing.T) {
	w := newWorld(t, modes[1])
	ctx := ctxFor(t, 10*time.Second)
	w.subscribe(t, "2001", manageChannels)
	body := []byte(`{"id":"1300000000000009999","application_id":"` + w.fake.ApplicationID() + `","type":2,"token":"tok","version":1,` +
		`"channel_id":"2001","guild_id":"900","member":{"user":{"id":"5"},"permissions":"16"},"data":{"id":"3","name":"unsubscribe","type":1}}`)
	for _, tc := range []struct {
		name string
		at   time.Time
		sig  func(req *http.Request)
	}{
		{"stale", w.clock.Now().Add(-10 * time.Minute), nil},
		{"forged", w.clock.Now(), func(req *http.Request) { req.Header.Set("X-Signature-Ed25519", strings.Repeat("ab", 64)) }},
	} {
		req, err := w.fake.SignedRequest(ctx, body, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if tc.sig != nil {
			tc.sig(req)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s /unsubscribe: status %d, want 401", tc.name, resp.StatusCode)
		}
		if s, err := w.store.GetSubscription(ctx, bot.Discord, "2001"); err != nil || !s.Active {
			t.Errorf("after a %s /unsubscribe: %+v, %v; want the subscription unchanged", tc.name, s, err)
		}
	}
}

func embedCount(msgs []discordtest.Message) int {
	n := 0
	for _, m := range msgs {
		n += len(m.Embeds)
	}
	return n
}

func uniqueNonces(msgs []discordtest.Message) bool {
	seen := map[string]bool{}
	for _, m := range msgs {
		if m.Nonce == "" || seen[m.Nonce] {
			return false
		}
		seen[m.Nonce] = true
	}
	return true
}

// countPosts counts the messages POSTed to a channel, answered or not.
func countPosts(fake *discordtest.Server, channel string) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/channels/"+channel+"/messages") {
			n++
		}
	}
	return n
}
