package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/adapters/web"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
)

func discordEnv(fake *discordtest.Server, dir, token string) map[string]string {
	return map[string]string{"SITREP_DATA_DIR": dir, "SITREP_DISCORD_TOKEN": token,
		"SITREP_DISCORD_APPLICATION_ID": fake.ApplicationID(), "SITREP_DISCORD_API_URL": fake.URL()}
}

func TestCheckDiscord(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{BotName: "sitrep-test"})
	out, _, err := runCmd(t, discordEnv(fake, t.TempDir(), fake.Token()), "check")
	if err != nil || !strings.Contains(out, "OK   discord: bot sitrep-test (id "+fake.ApplicationID()+")") {
		t.Errorf("check with a good token: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, discordEnv(fake, t.TempDir(), "MTE5.wrong-token"), "check")
	if exitCode(err) != 1 || !strings.Contains(out, "FAIL discord: get current user: HTTP 401") || strings.Contains(out, "wrong-token") {
		t.Errorf("check with a bad token: exit %d, want 1 and a FAIL line without the token\n%s", exitCode(err), out)
	}
}

func TestStartDiscord(t *testing.T) {
	for _, tc := range []struct {
		name      string
		publicKey bool
	}{{"gateway", false}, {"http interactions", true}} {
		t.Run(tc.name, func(t *testing.T) {
			fake := discordtest.New(t, discordtest.Options{})
			cfg, err := config.Load("", envMap(discordEnv(fake, t.TempDir(), fake.Token())))
			if err != nil {
				t.Fatal(err)
			}
			if tc.publicKey {
				cfg.Discord.PublicKey = fake.PublicKey()
			}
			store, err := boltstore.Open(filepath.Join(t.TempDir(), "s.db"), boltstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			b := bot.New(store, nil, bot.Options{})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			dc, err := startDiscord(ctx, cfg, b, store, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			if fake.Commands("global") == nil {
				t.Error("no slash commands registered")
			}
			if tc.publicKey {
				if dc.interactions == nil || fake.GatewayStats().Connections != 0 {
					t.Errorf("with a public key: handler %v, %d gateway connections; want a handler and no gateway", dc.interactions, fake.GatewayStats().Connections)
				}
			} else if err := fake.WaitGateway(ctx); err != nil {
				t.Errorf("gateway: %v", err)
			}
			dc.stop()
		})
	}
}

// TestRunWithDiscord: `sitrep run` answers /latest with what it collected,
// over the gateway, and over HTTP at the web server's /discord/interactions.
func TestRunWithDiscord(t *testing.T) {
	if web.DiscordInteractionsPath != discord.InteractionsPath {
		t.Fatalf("the web server mounts Discord at %s, the adapter expects %s", web.DiscordInteractionsPath, discord.InteractionsPath)
	}
	for _, tc := range []struct {
		name string
		http bool
	}{{"gateway", false}, {"http interactions", true}} {
		t.Run(tc.name, func(t *testing.T) {
			fake := discordtest.New(t, discordtest.Options{})
			dir := t.TempDir()
			env := discordEnv(fake, dir, fake.Token())
			env["SITREP_CONFIG"] = writeKharkivFeeds(t, dir, time.Now())
			env["SITREP_HTTP_LISTEN"] = "127.0.0.1:0"
			if tc.http {
				env["SITREP_DISCORD_PUBLIC_KEY"] = fake.PublicKey()
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stdout, stderr syncBuffer
			done := make(chan error, 1)
			go func() { done <- run(ctx, []string{"run"}, envMap(env), &stdout, &stderr) }()
			var addr string
			pollUntil(t, "http server listening", 10*time.Second, func() bool {
				if m := listeningRE.FindStringSubmatch(stderr.String()); m != nil {
					addr = m[1]
				}
				return addr != ""
			})
			wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
			defer wcancel()
			if tc.http {
				fake.SetInteractionsURL("http://" + addr + web.DiscordInteractionsPath)
				if err := fake.VerifyEndpoint(wctx); err != nil {
					t.Fatalf("Discord's check of the endpoint: %v\n%s", err, stderr.String())
				}
			} else if err := fake.WaitGateway(wctx); err != nil {
				t.Fatalf("gateway: %v\n%s", err, stderr.String())
			}
			pollUntil(t, "a collected development", 10*time.Second, func() bool {
				id, err := fake.Interact(wctx, discordtest.Interaction{Command: "latest", GuildID: "1", ChannelID: "10"})
				if err != nil {
					t.Fatal(err)
				}
				x, err := fake.WaitAnswer(wctx, id)
				return err == nil && x.Original != nil && len(x.Original.Embeds) > 0 && strings.Contains(x.Original.Embeds[0].Title, "Kharkiv")
			})
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
			if strings.Contains(stderr.String(), fake.Token()) {
				t.Errorf("the token reached the log")
			}
		})
	}
}
