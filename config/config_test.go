package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func noEnv(string) string { return "" }

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultIsValid(t *testing.T) {
	cfg, err := Load("", noEnv)
	if err != nil {
		t.Fatalf("Load with nothing set: %v", err)
	}
	if got, want := cfg.PollInterval, 5*time.Minute; got != want {
		t.Errorf("poll_interval = %s, want %s", got, want)
	}
	if len(cfg.Sources) < 10 {
		t.Errorf("%d default sources, want a curated list of at least 10", len(cfg.Sources))
	}
	langs := map[string]bool{}
	for _, s := range cfg.Sources {
		langs[s.Lang] = true
		if s.Label == "" {
			t.Errorf("default source %q has no label", s.Name)
		}
	}
	for _, l := range []string{"en", "uk", "ru"} {
		if !langs[l] {
			t.Errorf("no default source in %q", l)
		}
	}
}

func TestFileThenEnv(t *testing.T) {
	env := envOf(map[string]string{
		"SITREP_CONFIG":            filepath.Join("testdata", "good.yaml"),
		"SITREP_DIGEST_MAX_ITEMS":  "3",
		"SITREP_POLL_INTERVAL":     "90s",
		"SITREP_HTTP_LISTEN":       ":9090",
		"SITREP_DISCORD_API_URL":   "http://127.0.0.1:5555",
		"SITREP_TELEGRAM_API_URL":  "http://127.0.0.1:5556",
		"SITREP_LOG_FORMAT":        "json",
		"SITREP_DATA_DIR":          "/var/lib/sitrep",
		"SITREP_TELEGRAM_TOKEN":    "",
		"SITREP_DIGEST_DEFAULT_TI": "ignored: not a key",
	})
	cfg, err := Load("", env)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"sources from file", len(cfg.Sources), 2},
		{"default_time from file", cfg.Digest.DefaultTime, "07:30"},
		{"default_timezone from file", cfg.Digest.DefaultTimezone, "Europe/Warsaw"},
		{"max_items from env over file", cfg.Digest.MaxItems, 3},
		{"poll_interval from env over file", cfg.PollInterval, 90 * time.Second},
		{"http.listen from env", cfg.HTTP.Listen, ":9090"},
		{"discord.api_url from env", cfg.Discord.APIURL, "http://127.0.0.1:5555"},
		{"telegram.api_url from env", cfg.Telegram.APIURL, "http://127.0.0.1:5556"},
		{"empty env keeps file value", cfg.Telegram.Token.Value(), "123456:telegram-secret"},
		{"data_dir from env", cfg.DataDir, "/var/lib/sitrep"},
		{"unset key keeps default", cfg.Discord.APIURL != "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestEveryProblemNamed(t *testing.T) {
	_, err := Load(filepath.Join("testdata", "bad.yaml"), envOf(map[string]string{"SITREP_DIGEST_MAX_ITEMS": "many"}))
	if err == nil {
		t.Fatal("Load(bad.yaml) succeeded")
	}
	msg := err.Error()
	for _, want := range []string{
		"sources[0].name: is required",
		"sources[1].url: must be http(s), file:// or a local path",
		"sources[1].lang:",
		`sources[2].name: "Dup" is also the name of sources[1]`,
		"poll_interval (SITREP_POLL_INTERVAL): must be at least 10s",
		"digest.default_time (SITREP_DIGEST_DEFAULT_TIME):",
		"digest.default_timezone (SITREP_DIGEST_DEFAULT_TIMEZONE): unknown IANA time zone",
		`digest.max_items (SITREP_DIGEST_MAX_ITEMS): not a whole number: "many"`,
		"telegram.webhook_url (SITREP_TELEGRAM_WEBHOOK_URL): must be https",
		"telegram.webhook_secret (SITREP_TELEGRAM_WEBHOOK_SECRET): is required with a webhook",
		"discord.application_id (SITREP_DISCORD_APPLICATION_ID): is required with a Discord token",
		"discord.public_key (SITREP_DISCORD_PUBLIC_KEY): must be 64 hexadecimal characters",
		`discord.guild_id (SITREP_DISCORD_GUILD_ID): must be a numeric guild id, got "my-guild"`,
		"http.listen (SITREP_HTTP_LISTEN): must be host:port",
		"log.level (SITREP_LOG_LEVEL):",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors lack %q\ngot:\n%s", want, msg)
		}
	}
	for _, secret := range []string{"secret-token", "discord-secret"} {
		if strings.Contains(msg, secret) {
			t.Errorf("errors contain the secret %q", secret)
		}
	}
}

func TestUnknownKeyInFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("poll_intervall: 5m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, noEnv)
	if err == nil || !strings.Contains(err.Error(), "poll_intervall") {
		t.Errorf("Load(unknown key) error = %v, want it to name poll_intervall", err)
	}
}

func TestSecretsRedacted(t *testing.T) {
	cfg, err := Load(filepath.Join("testdata", "good.yaml"), envOf(map[string]string{
		"SITREP_DISCORD_TOKEN": "discord-secret", "SITREP_DISCORD_APPLICATION_ID": "123456789012345678",
		"SITREP_TELEGRAM_WEBHOOK_SECRET": "hook-secret"}))
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(cfg)
	for _, out := range []string{cfg.String(), fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), string(js)} {
		for _, secret := range []string{"telegram-secret", "discord-secret", "hook-secret", "redis-secret"} {
			if strings.Contains(out, secret) {
				t.Errorf("printed config contains %q:\n%s", secret, out)
			}
		}
	}
	if !strings.Contains(cfg.String(), "[redacted]") {
		t.Errorf("String() does not show that secrets are set:\n%s", cfg)
	}
}

// TestContractEnvNames pins the environment variables other tools rely on.
func TestContractEnvNames(t *testing.T) {
	have := map[string]string{}
	for _, k := range Keys() {
		have[k.Env] = k.Path
	}
	for env, path := range map[string]string{
		"SITREP_POLL_INTERVAL": "poll_interval", "SITREP_DIGEST_DEFAULT_TIME": "digest.default_time",
		"SITREP_DIGEST_DEFAULT_TIMEZONE": "digest.default_timezone", "SITREP_DIGEST_MAX_ITEMS": "digest.max_items",
		"SITREP_TELEGRAM_TOKEN": "telegram.token", "SITREP_TELEGRAM_API_URL": "telegram.api_url",
		"SITREP_TELEGRAM_WEBHOOK_URL": "telegram.webhook_url", "SITREP_TELEGRAM_WEBHOOK_SECRET": "telegram.webhook_secret",
		"SITREP_DISCORD_TOKEN": "discord.token", "SITREP_DISCORD_APPLICATION_ID": "discord.application_id",
		"SITREP_DISCORD_PUBLIC_KEY": "discord.public_key", "SITREP_DISCORD_API_URL": "discord.api_url",
		"SITREP_DISCORD_GUILD_ID": "discord.guild_id", "SITREP_REDIS_URL": "redis_url",
		"SITREP_DATA_DIR": "data_dir", "SITREP_HTTP_LISTEN": "http.listen",
	} {
		if have[env] != path {
			t.Errorf("%s sets %q, want %q", env, have[env], path)
		}
	}
}
