package main

import (
	"strings"
	"testing"

	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
)

func TestRegister(t *testing.T) {
	tg := telegramtest.New(t, telegramtest.Options{})
	dc := discordtest.New(t, discordtest.Options{})
	env := discordEnv(dc, t.TempDir(), dc.Token())
	env["SITREP_DISCORD_GUILD_ID"] = "123456789012345678"
	env["SITREP_TELEGRAM_TOKEN"], env["SITREP_TELEGRAM_API_URL"] = tg.Token(), tg.URL()
	env["SITREP_TELEGRAM_WEBHOOK_URL"], env["SITREP_TELEGRAM_WEBHOOK_SECRET"] = "https://bot.example/telegram/webhook", "s3cret-Token"

	out, stderr, err := runCmd(t, env, "register")
	if err != nil {
		t.Fatalf("register: %v\n%s%s", err, out, stderr)
	}
	for _, want := range []string{"OK   telegram: @sitrep_test_bot: command menu published; webhook set to https://bot.example/telegram/webhook",
		"OK   discord: ", "slash commands registered in guild 123456789012345678"} {
		if !strings.Contains(out, want) {
			t.Errorf("register lacks %q:\n%s", want, out)
		}
	}
	if len(tg.Commands("default", "")) == 0 || dc.Commands("123456789012345678") == nil {
		t.Errorf("commands published: telegram %v, discord %s; want both", tg.Commands("default", ""), dc.Commands("123456789012345678"))
	}
	if url, secret := tg.Webhook(); url != "https://bot.example/telegram/webhook" || secret != "s3cret-Token" {
		t.Errorf("webhook %q with secret %q", url, secret)
	}
	if strings.Contains(out+stderr, "s3cret-Token") || strings.Contains(out+stderr, dc.Token()) {
		t.Errorf("a secret is printed:\n%s%s", out, stderr)
	}

	env["SITREP_TELEGRAM_TOKEN"] = "123456789:AAwrongTokenThatTheServerDoesNotKnow1"
	out, _, err = runCmd(t, env, "register")
	if exitCode(err) != 1 || !strings.Contains(out, "FAIL telegram: ") || !strings.Contains(out, "OK   discord: ") {
		t.Errorf("register with a rejected Telegram token: exit %d, want 1, a FAIL line for Telegram and Discord done\n%s", exitCode(err), out)
	}

	_, _, err = runCmd(t, map[string]string{"SITREP_DATA_DIR": t.TempDir()}, "register")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "nothing to register") {
		t.Errorf("register without a platform: %v (exit %d), want exit 2", err, exitCode(err))
	}
}
