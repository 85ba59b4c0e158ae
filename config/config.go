// Package config holds sitrep's configuration: one Config value with its
// defaults, loaded from an optional YAML file and SITREP_* environment
// variables, and validated with errors that name each key.
package config

import (
	"fmt"
	"time"
)

// Config is everything sitrep can be told. Each leaf field names its YAML key
// (`yaml`) and, where the environment can set it, its variable (`env`).
type Config struct {
	Sources      []Source       `yaml:"sources"`
	PollInterval time.Duration  `yaml:"poll_interval" env:"SITREP_POLL_INTERVAL" doc:"how often the sources are polled"`
	Digest       DigestConfig   `yaml:"digest"`
	Telegram     TelegramConfig `yaml:"telegram"`
	Discord      DiscordConfig  `yaml:"discord"`
	RedisURL     Secret         `yaml:"redis_url" env:"SITREP_REDIS_URL" doc:"Redis URL: redis://, rediss:// (TLS), unix://, redis+sentinel://, redis+cluster:// (see Running with Redis); empty = embedded store in data_dir"`
	DataDir      string         `yaml:"data_dir" env:"SITREP_DATA_DIR" doc:"directory of the embedded store (sitrep.db)"`
	HTTP         HTTPConfig     `yaml:"http"`
	Log          LogConfig      `yaml:"log"`
	Delivery     DeliveryConfig `yaml:"delivery"`
	Alerts       AlertsConfig   `yaml:"alerts"`
	Limits       LimitsConfig   `yaml:"limits"`
	Feeds        FeedsConfig    `yaml:"feeds"`
	Engine       EngineConfig   `yaml:"engine"`
}

// Source is one outlet's feed.
type Source struct {
	Name  string `yaml:"name"`
	URL   string `yaml:"url"`             // http(s), file:// or a local path
	Lang  string `yaml:"lang,omitempty"`  // ISO 639-1; empty = detect
	Label string `yaml:"label,omitempty"` // e.g. "state-affiliated (Russia)"
	// FullText says when the article page is fetched for its text: auto
	// (when the feed's text is short; the default), always or never.
	FullText string `yaml:"full_text,omitempty"`
	// Weight weighs the outlet in the ranking of developments; 0 = 1.
	Weight float64 `yaml:"weight,omitempty"`
}

// DigestConfig shapes the digests subscribers get.
type DigestConfig struct {
	DefaultTime     string `yaml:"default_time" env:"SITREP_DIGEST_DEFAULT_TIME" doc:"daily digest time (HH:MM) for new subscriptions"`
	DefaultTimezone string `yaml:"default_timezone" env:"SITREP_DIGEST_DEFAULT_TIMEZONE" doc:"IANA time zone for new subscriptions"`
	MaxItems        int    `yaml:"max_items" env:"SITREP_DIGEST_MAX_ITEMS" doc:"developments per digest"`
}

// TelegramConfig enables the Telegram bot when Token is set.
type TelegramConfig struct {
	Token         Secret `yaml:"token" env:"SITREP_TELEGRAM_TOKEN" doc:"bot token from @BotFather; empty = Telegram off"`
	APIURL        string `yaml:"api_url" env:"SITREP_TELEGRAM_API_URL" doc:"Bot API server"`
	WebhookURL    string `yaml:"webhook_url" env:"SITREP_TELEGRAM_WEBHOOK_URL" doc:"public HTTPS URL for updates; empty = long polling"`
	WebhookSecret Secret `yaml:"webhook_secret" env:"SITREP_TELEGRAM_WEBHOOK_SECRET" doc:"secret_token Telegram sends with each webhook request"`
}

// DiscordConfig enables the Discord bot when Token is set.
type DiscordConfig struct {
	Token         Secret `yaml:"token" env:"SITREP_DISCORD_TOKEN" doc:"bot token; empty = Discord off"`
	ApplicationID string `yaml:"application_id" env:"SITREP_DISCORD_APPLICATION_ID" doc:"application id, for registering slash commands"`
	PublicKey     string `yaml:"public_key" env:"SITREP_DISCORD_PUBLIC_KEY" doc:"hex Ed25519 key; set = interactions over HTTP, empty = gateway"`
	APIURL        string `yaml:"api_url" env:"SITREP_DISCORD_API_URL" doc:"Discord API base URL"`
	GuildID       string `yaml:"guild_id" env:"SITREP_DISCORD_GUILD_ID" doc:"register slash commands in this guild only (instant, for development); empty = global"`
}

// HTTPConfig is the HTTP server (health, metrics, archive, webhooks).
type HTTPConfig struct {
	Listen    string `yaml:"listen" env:"SITREP_HTTP_LISTEN" doc:"address of the HTTP server; empty = off"`
	PublicURL string `yaml:"public_url" env:"SITREP_HTTP_PUBLIC_URL" doc:"public base URL of the web archive, for absolute links and Atom ids; empty = the host each request names"`
}

// LogConfig sets how sitrep logs.
type LogConfig struct {
	Level  string `yaml:"level" env:"SITREP_LOG_LEVEL" doc:"debug, info, warn or error"`
	Format string `yaml:"format" env:"SITREP_LOG_FORMAT" doc:"text or json"`
}

// Default returns the configuration sitrep uses when nothing is set.
func Default() Config {
	return Config{
		Sources:      DefaultSources(),
		PollInterval: 5 * time.Minute,
		Digest:       DigestConfig{DefaultTime: "08:00", DefaultTimezone: "Europe/Kyiv", MaxItems: 8},
		Telegram:     TelegramConfig{APIURL: "https://api.telegram.org"},
		Discord:      DiscordConfig{APIURL: "https://discord.com"},
		DataDir:      "./data",
		HTTP:         HTTPConfig{Listen: "127.0.0.1:8080"},
		Log:          LogConfig{Level: "info", Format: "text"},
		Delivery:     defaultDelivery(),
		Alerts:       defaultAlerts(),
		Limits:       defaultLimits(),
		Feeds:        DefaultFeeds(),
		Engine:       defaultEngine(),
	}
}

// Secret is a string that never prints: String, GoString, MarshalYAML and
// MarshalText show only whether it is set.
type Secret string

const redacted = "[redacted]"

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return fmt.Sprintf("config.Secret(%q)", s.String()) }

// MarshalText redacts the value in JSON, YAML and text encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Value returns the secret itself, for the one place that needs it.
func (s Secret) Value() string { return string(s) }
