package discord_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/bot"
)

// requests records the requests a handler got.
type requests struct {
	mu   sync.Mutex
	list []bot.Request
}

func (r *requests) add(req bot.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, req)
}

func (r *requests) last() bot.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.list[len(r.list)-1]
}

func TestCommandAnswers(t *testing.T) {
	for _, md := range modes {
		t.Run(md.name, func(t *testing.T) {
			got := &requests{}
			release := make(chan struct{})
			h := handlerFunc(func(ctx context.Context, r bot.Request) bot.Response {
				got.add(r)
				switch r.Command {
				case "latest":
					return bot.Response{Digest: testDigest(14)}
				case "status":
					<-release // slower than DeferAfter
					return bot.Response{Text: "All good.", Ephemeral: true}
				}
				return bot.Response{Text: "Subscribed.", Ephemeral: true, Changed: true}
			})
			fake, _, _ := md.start(t, discordtest.Options{}, discord.Options{DeferAfter: 100 * time.Millisecond}, h)
			ctx := ctxFor(t, 10*time.Second)

			t.Run("settings answer is ephemeral", func(t *testing.T) {
				x := interact(t, fake, discordtest.Interaction{Command: "subscribe", GuildID: "1", ChannelID: "10", Locale: "uk",
					Permissions: 1 << 4, Options: []discordtest.Option{{Name: "time", Value: "07:30"}, {Name: "timezone", Value: "Europe/Kyiv"}}})
				if x.Type != discordtest.CallbackMessage || !x.Ephemeral() || x.Original.Content != "Subscribed." {
					t.Errorf("answer type %d, ephemeral %v, content %q", x.Type, x.Ephemeral(), x.Original.Content)
				}
				r := got.last()
				if r.Platform != bot.Discord || r.ChatID != "10" || r.ChatKind != bot.ChatGroup || r.Lang != "uk" ||
					!slices.Equal(r.Args, []string{"07:30", "Europe/Kyiv"}) || r.UserID != "200000000000000001" {
					t.Errorf("request %+v", r)
				}
				if ok, _ := r.IsAdmin(ctx); !ok {
					t.Errorf("a member with Manage Channels is not an admin")
				}
			})
			t.Run("latest is public and continues in followups", func(t *testing.T) {
				x := interact(t, fake, discordtest.Interaction{Command: "latest", GuildID: "1", ChannelID: "10"})
				embeds := func() int {
					x, _ = fake.Exchange(x.ID)
					n := len(x.Original.Embeds)
					for _, f := range x.Followups {
						n += len(f.Embeds)
					}
					return n
				}
				waitFor(t, func() bool { return embeds() >= 14 })
				if x.Ephemeral() || len(x.Followups) == 0 || embeds() != 14 {
					t.Errorf("ephemeral %v, %d followups, %d embeds; want public, 14 embeds over several messages", x.Ephemeral(), len(x.Followups), embeds())
				}
				for _, f := range x.Followups {
					if f.Flags&discordtest.FlagEphemeral != 0 {
						t.Errorf("a followup of /latest is ephemeral")
					}
				}
			})
			t.Run("slow command is deferred, then edited", func(t *testing.T) {
				id, err := fake.Interact(ctx, discordtest.Interaction{Command: "status", GuildID: "1", ChannelID: "10"})
				if err != nil {
					t.Fatal(err)
				}
				waitFor(t, func() bool { x, ok := fake.Exchange(id); return ok && x.Responded })
				if x, _ := fake.Exchange(id); x.Type != discordtest.CallbackDeferred || !x.Ephemeral() {
					t.Errorf("before the answer: type %d, ephemeral %v; want deferred, ephemeral", x.Type, x.Ephemeral())
				}
				close(release)
				x, err := fake.WaitAnswer(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if x.Original.Content != "All good." || x.Original.Edits != 1 {
					t.Errorf("after the answer: %q, %d edits", x.Original.Content, x.Original.Edits)
				}
			})
			t.Run("timezone autocomplete", func(t *testing.T) {
				x := interact(t, fake, discordtest.Interaction{Type: discordtest.InteractionAutocomplete, Command: "subscribe",
					GuildID: "1", ChannelID: "10", Options: []discordtest.Option{{Name: "timezone", Value: "kyi", Focused: true}}})
				if x.Type != discordtest.CallbackAutocomplete || len(x.Choices) == 0 || x.Choices[0].Name != "Europe/Kyiv" {
					t.Errorf("answer type %d, choices %v; want Europe/Kyiv first", x.Type, x.Choices)
				}
			})
			t.Run("subcommands and DMs", func(t *testing.T) {
				interact(t, fake, discordtest.Interaction{Command: "topics", ChannelID: "11",
					Options: []discordtest.Option{{Name: "add", Type: discordtest.OptionSubcommand, Options: []discordtest.Option{{Name: "topic", Value: "Kherson"}}}}})
				r := got.last()
				if r.ChatKind != bot.ChatPrivate || !slices.Equal(r.Args, []string{"add", "Kherson"}) {
					t.Errorf("request %+v", r)
				}
			})
		})
	}
}

func TestNonAdminIsNotAdmin(t *testing.T) {
	got := &requests{}
	h := handlerFunc(func(ctx context.Context, r bot.Request) bot.Response { got.add(r); return bot.Response{Text: "ok"} })
	fake, _, _ := startHTTP(t, discordtest.Options{}, discord.Options{}, h)
	for _, tc := range []struct {
		perms int64
		admin bool
	}{{0, false}, {1 << 11, false}, {1 << 4, true}, {1 << 3, true}} {
		interact(t, fake, discordtest.Interaction{Command: "unsubscribe", GuildID: "1", ChannelID: "10", Permissions: tc.perms})
		if ok, _ := got.last().IsAdmin(context.Background()); ok != tc.admin {
			t.Errorf("permissions %b: admin %v, want %v", tc.perms, ok, tc.admin)
		}
	}
}

// interact sends an interaction and waits for the app's answer.
func interact(tb testing.TB, fake *discordtest.Server, in discordtest.Interaction) discordtest.Exchange {
	tb.Helper()
	ctx := ctxFor(tb, 10*time.Second)
	id, err := fake.Interact(ctx, in)
	if err != nil {
		tb.Fatal(err)
	}
	x, err := fake.WaitAnswer(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	if x.Err != "" {
		tb.Fatalf("interaction %s: %s", in.Command, x.Err)
	}
	return x
}

// waitFor polls cond until it holds, failing tb after 5 seconds.
func waitFor(tb testing.TB, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatal("condition not met within 5s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
