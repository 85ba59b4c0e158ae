package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"
)

func (c Config) validate() []error {
	var errs []error
	bad := func(path, env, format string, args ...any) {
		errs = append(errs, fieldError(path, env, fmt.Sprintf(format, args...)))
	}
	names := map[string]int{}
	for i, s := range c.Sources {
		p := fmt.Sprintf("sources[%d]", i)
		if strings.TrimSpace(s.Name) == "" {
			bad(p+".name", "", "is required")
		} else if j, dup := names[s.Name]; dup {
			bad(p+".name", "", "%q is also the name of sources[%d]", s.Name, j)
		} else {
			names[s.Name] = i
		}
		if err := checkSourceURL(s.URL); err != nil {
			bad(p+".url", "", "%v", err)
		}
		if s.Lang != "" && !langRE.MatchString(s.Lang) {
			bad(p+".lang", "", "must be a two-letter language code such as en, uk or ru, got %q", s.Lang)
		}
		if s.Weight < 0 || s.Weight > 10 {
			bad(p+".weight", "", "must be between 0 and 10 (0 = the default 1), got %g", s.Weight)
		}
		if !oneOf(s.FullText, "", "auto", "always", "never") {
			bad(p+".full_text", "", "must be auto, always or never, got %q", s.FullText)
		}
	}
	if c.PollInterval < 10*time.Second {
		bad("poll_interval", "SITREP_POLL_INTERVAL", "must be at least 10s, got %s", c.PollInterval)
	}
	if _, err := ParseClock(c.Digest.DefaultTime); err != nil {
		bad("digest.default_time", "SITREP_DIGEST_DEFAULT_TIME", "%v", err)
	}
	if _, err := time.LoadLocation(c.Digest.DefaultTimezone); err != nil || c.Digest.DefaultTimezone == "" {
		bad("digest.default_timezone", "SITREP_DIGEST_DEFAULT_TIMEZONE", "unknown IANA time zone %q (e.g. Europe/Kyiv)", c.Digest.DefaultTimezone)
	}
	if c.Digest.MaxItems < 1 || c.Digest.MaxItems > 25 {
		bad("digest.max_items", "SITREP_DIGEST_MAX_ITEMS", "must be between 1 and 25, got %d", c.Digest.MaxItems)
	}
	if err := checkHTTPURL(c.Telegram.APIURL, false); err != nil {
		bad("telegram.api_url", "SITREP_TELEGRAM_API_URL", "%v", err)
	}
	if c.Telegram.WebhookURL != "" {
		if err := checkHTTPURL(c.Telegram.WebhookURL, true); err != nil {
			bad("telegram.webhook_url", "SITREP_TELEGRAM_WEBHOOK_URL", "%v", err)
		}
		if !secretTokenRE.MatchString(string(c.Telegram.WebhookSecret)) {
			bad("telegram.webhook_secret", "SITREP_TELEGRAM_WEBHOOK_SECRET", "is required with a webhook: 1-256 characters of A-Z, a-z, 0-9, _ and -")
		}
	}
	if c.Discord.Token != "" && !snowflakeRE.MatchString(c.Discord.ApplicationID) {
		bad("discord.application_id", "SITREP_DISCORD_APPLICATION_ID", "is required with a Discord token: the numeric application id, got %q", c.Discord.ApplicationID)
	}
	if c.Discord.PublicKey != "" && !publicKeyRE.MatchString(c.Discord.PublicKey) {
		bad("discord.public_key", "SITREP_DISCORD_PUBLIC_KEY", "must be 64 hexadecimal characters (the application's public key)")
	}
	if c.Discord.GuildID != "" && !snowflakeRE.MatchString(c.Discord.GuildID) {
		bad("discord.guild_id", "SITREP_DISCORD_GUILD_ID", "must be a numeric guild id, got %q", c.Discord.GuildID)
	}
	if err := checkHTTPURL(c.Discord.APIURL, false); err != nil {
		bad("discord.api_url", "SITREP_DISCORD_API_URL", "%v", err)
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(string(c.RedisURL)); err != nil || !oneOf(u.Scheme, redisSchemes...) {
			bad("redis_url", "SITREP_REDIS_URL", "must be a URL with scheme %s", strings.Join(redisSchemes, ", "))
		}
	} else if strings.TrimSpace(c.DataDir) == "" {
		bad("data_dir", "SITREP_DATA_DIR", "is required when redis_url is empty")
	}
	if c.HTTP.Listen != "" {
		if _, _, err := net.SplitHostPort(c.HTTP.Listen); err != nil {
			bad("http.listen", "SITREP_HTTP_LISTEN", "must be host:port (e.g. 127.0.0.1:8080), got %q", c.HTTP.Listen)
		}
	}
	if c.HTTP.Listen == "" && c.Telegram.WebhookURL != "" {
		bad("http.listen", "SITREP_HTTP_LISTEN", "is required with telegram.webhook_url: webhook updates arrive at the HTTP server")
	}
	if c.HTTP.Listen == "" && c.Discord.PublicKey != "" {
		bad("http.listen", "SITREP_HTTP_LISTEN", "is required with discord.public_key: interactions arrive at the HTTP server")
	}
	if c.HTTP.PublicURL != "" {
		if err := checkPublicURL(c.HTTP.PublicURL); err != nil {
			bad("http.public_url", "SITREP_HTTP_PUBLIC_URL", "%v", err)
		}
	}
	if !oneOf(c.Log.Level, "debug", "info", "warn", "error") {
		bad("log.level", "SITREP_LOG_LEVEL", "must be debug, info, warn or error, got %q", c.Log.Level)
	}
	if !oneOf(c.Log.Format, "text", "json") {
		bad("log.format", "SITREP_LOG_FORMAT", "must be text or json, got %q", c.Log.Format)
	}
	c.validateDelivery(bad)
	errs = append(errs, c.Feeds.validate()...)
	errs = append(errs, c.Engine.validate()...)
	return errs
}

// redisSchemes are the forms of redis_url: one server (plain, TLS, socket),
// Sentinel and Cluster (adapters/redisstore.Open documents them).
var redisSchemes = []string{"redis", "rediss", "unix", "redis+sentinel", "rediss+sentinel", "redis+cluster", "rediss+cluster"}

var (
	langRE        = regexp.MustCompile(`^[a-z]{2}$`)
	secretTokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	snowflakeRE   = regexp.MustCompile(`^[0-9]{5,20}$`)
	publicKeyRE   = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
	clockRE       = regexp.MustCompile(`^([01]?[0-9]|2[0-3]):([0-5][0-9])$`)
)

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
}

func checkSourceURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return fmt.Errorf("is required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL or path: %v", err)
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return fmt.Errorf("%q has no host", raw)
		}
	case "file", "":
	default:
		if len(u.Scheme) > 1 { // "C:" is a Windows path, not a scheme
			return fmt.Errorf("must be http(s), file:// or a local path, got scheme %q", u.Scheme)
		}
	}
	return nil
}

// checkHTTPURL accepts an http(s) URL with a host; with public set, plain
// http is only accepted for loopback hosts (Telegram requires HTTPS webhooks).
func checkHTTPURL(raw string, public bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("must be an http(s) URL, got %q", raw)
	}
	if public && u.Scheme == "http" {
		if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("must be https (Telegram only calls HTTPS webhooks), got %q", raw)
		}
	}
	return nil
}

// checkPublicURL accepts an http(s) URL with a host and an optional path,
// without credentials, query or fragment: a base that links are built on.
// The value is not echoed: it could hold credentials.
func checkPublicURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("must be a base URL such as https://sitrep.example.org, without credentials, query or fragment")
	}
	return nil
}

// ParseClock parses a time of day written HH:MM (24-hour) and returns the
// minutes since midnight.
func ParseClock(s string) (int, error) {
	m := clockRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("must be a time of day HH:MM such as 08:00, got %q", s)
	}
	var h, min int
	fmt.Sscan(m[1], &h)
	fmt.Sscan(m[2], &min)
	return h*60 + min, nil
}
