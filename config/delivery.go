package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DeliveryConfig shapes the outbox, command replies and leadership.
type DeliveryConfig struct {
	Workers           int           `yaml:"workers" env:"SITREP_DELIVERY_WORKERS" doc:"deliveries in flight per instance"`
	JobLease          time.Duration `yaml:"job_lease" env:"SITREP_DELIVERY_JOB_LEASE" doc:"how long a claimed delivery is held before another instance may take it over"`
	MaxAttempts       int           `yaml:"max_attempts" env:"SITREP_DELIVERY_MAX_ATTEMPTS" doc:"failures before a delivery is parked as a dead letter"`
	BackoffBase       time.Duration `yaml:"backoff_base" env:"SITREP_DELIVERY_BACKOFF_BASE" doc:"first retry delay, doubled on each failure"`
	BackoffMax        time.Duration `yaml:"backoff_max" env:"SITREP_DELIVERY_BACKOFF_MAX" doc:"longest retry delay"`
	LatestCooldown    time.Duration `yaml:"latest_cooldown" env:"SITREP_DELIVERY_LATEST_COOLDOWN" doc:"a chat repeating /latest within it gets a short note, then nothing"`
	ReplySharePercent int           `yaml:"reply_share_percent" env:"SITREP_DELIVERY_REPLY_SHARE_PERCENT" doc:"share of a platform's global rate that command replies may use"`
	LeaderLease       time.Duration `yaml:"leader_lease" env:"SITREP_DELIVERY_LEADER_LEASE" doc:"with Redis: longest time a dead leader's polling and scheduling waits for another instance"`
}

// AlertsConfig shapes breaking alerts.
type AlertsConfig struct {
	Enabled       bool          `yaml:"enabled" env:"SITREP_ALERTS_ENABLED" doc:"send breaking alerts to chats that have them on"`
	MinOutlets    int           `yaml:"min_outlets" env:"SITREP_ALERTS_MIN_OUTLETS" doc:"distinct outlets a development needs within alerts.window"`
	Window        time.Duration `yaml:"window" env:"SITREP_ALERTS_WINDOW" doc:"window in which the outlets are counted"`
	PriorityTerms string        `yaml:"priority_terms" env:"SITREP_ALERTS_PRIORITY_TERMS" doc:"comma-separated terms (Go regexps) that alert at once"`
	PerChatHour   int           `yaml:"per_chat_hour" env:"SITREP_ALERTS_PER_CHAT_HOUR" doc:"alerts per chat per hour; the rest fold into the next digest"`
	QuietHours    string        `yaml:"quiet_hours" env:"SITREP_ALERTS_QUIET_HOURS" doc:"quiet hours of new subscriptions, HH:MM-HH:MM in the chat's zone; empty = none"`
}

// LimitsConfig are the platforms' send limits, each N/DURATION[/BURST]:
// N messages per DURATION, at most BURST at once (default 1).
type LimitsConfig struct {
	TelegramGlobal string `yaml:"telegram_global" env:"SITREP_LIMITS_TELEGRAM_GLOBAL" doc:"Telegram messages overall"`
	TelegramChat   string `yaml:"telegram_chat" env:"SITREP_LIMITS_TELEGRAM_CHAT" doc:"Telegram messages per chat"`
	TelegramGroup  string `yaml:"telegram_group" env:"SITREP_LIMITS_TELEGRAM_GROUP" doc:"Telegram messages per group or channel"`
	DiscordGlobal  string `yaml:"discord_global" env:"SITREP_LIMITS_DISCORD_GLOBAL" doc:"Discord requests overall (Discord allows 50 a second; the rest is headroom)"`
	DiscordChannel string `yaml:"discord_channel" env:"SITREP_LIMITS_DISCORD_CHANNEL" doc:"Discord messages per channel"`
}

func defaultDelivery() DeliveryConfig {
	return DeliveryConfig{Workers: 16, JobLease: 2 * time.Minute, MaxAttempts: 10, BackoffBase: 2 * time.Second,
		BackoffMax: 5 * time.Minute, LatestCooldown: time.Minute, ReplySharePercent: 20, LeaderLease: 15 * time.Second}
}

func defaultAlerts() AlertsConfig {
	return AlertsConfig{Enabled: true, MinOutlets: 3, Window: 2 * time.Hour, PerChatHour: 3}
}

func defaultLimits() LimitsConfig {
	return LimitsConfig{TelegramGlobal: "30/1s", TelegramChat: "1/1s", TelegramGroup: "20/1m",
		DiscordGlobal: "45/1s", DiscordChannel: "5/5s"}
}

// Rate is a parsed limit: N events per Per, at most Burst at once.
type Rate struct {
	N     int
	Per   time.Duration
	Burst int
}

// ParseRate parses N/DURATION[/BURST], e.g. 30/1s, 20/1m or 990/1s/10.
func ParseRate(s string) (Rate, error) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	bad := fmt.Errorf("must be N/DURATION[/BURST] such as 30/1s or 20/1m, got %q", s)
	if len(parts) < 2 || len(parts) > 3 {
		return Rate{}, bad
	}
	n, err := strconv.Atoi(parts[0])
	per, err2 := time.ParseDuration(parts[1])
	r := Rate{N: n, Per: per, Burst: 1}
	if len(parts) == 3 {
		b, err3 := strconv.Atoi(parts[2])
		if err3 != nil || b < 1 {
			return Rate{}, bad
		}
		r.Burst = b
	}
	if err != nil || err2 != nil || n < 1 || per <= 0 {
		return Rate{}, bad
	}
	return r, nil
}

// QuietHours parses HH:MM-HH:MM into its two clocks; "" is none.
func QuietHours(s string) (from, to string, err error) {
	if strings.TrimSpace(s) == "" {
		return "", "", nil
	}
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return "", "", fmt.Errorf("must be HH:MM-HH:MM such as 23:00-07:00, got %q", s)
	}
	for _, c := range []string{from, to} {
		if _, err := ParseClock(c); err != nil {
			return "", "", fmt.Errorf("must be HH:MM-HH:MM such as 23:00-07:00, got %q", s)
		}
	}
	return strings.TrimSpace(from), strings.TrimSpace(to), nil
}

// Terms splits the priority terms.
func (a AlertsConfig) Terms() []string {
	var out []string
	for _, t := range strings.Split(a.PriorityTerms, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func (c Config) validateDelivery(bad func(path, env, format string, args ...any)) {
	d := c.Delivery
	ranges := []struct {
		path, env, want string
		ok              bool
		got             any
	}{
		{"delivery.workers", "SITREP_DELIVERY_WORKERS", "between 1 and 1000", d.Workers >= 1 && d.Workers <= 1000, d.Workers},
		{"delivery.job_lease", "SITREP_DELIVERY_JOB_LEASE", "at least 10s", d.JobLease >= 10*time.Second, d.JobLease},
		{"delivery.max_attempts", "SITREP_DELIVERY_MAX_ATTEMPTS", "at least 1", d.MaxAttempts >= 1, d.MaxAttempts},
		{"delivery.backoff_base", "SITREP_DELIVERY_BACKOFF_BASE", "positive", d.BackoffBase > 0, d.BackoffBase},
		{"delivery.backoff_max", "SITREP_DELIVERY_BACKOFF_MAX", "at least delivery.backoff_base", d.BackoffMax >= d.BackoffBase, d.BackoffMax},
		{"delivery.latest_cooldown", "SITREP_DELIVERY_LATEST_COOLDOWN", "at least 1s", d.LatestCooldown >= time.Second, d.LatestCooldown},
		{"delivery.reply_share_percent", "SITREP_DELIVERY_REPLY_SHARE_PERCENT", "between 1 and 100", d.ReplySharePercent >= 1 && d.ReplySharePercent <= 100, d.ReplySharePercent},
		{"delivery.leader_lease", "SITREP_DELIVERY_LEADER_LEASE", "at least 2s", d.LeaderLease >= 2*time.Second, d.LeaderLease},
		{"alerts.min_outlets", "SITREP_ALERTS_MIN_OUTLETS", "at least 1", c.Alerts.MinOutlets >= 1, c.Alerts.MinOutlets},
		{"alerts.window", "SITREP_ALERTS_WINDOW", "at least 1m", c.Alerts.Window >= time.Minute, c.Alerts.Window},
		{"alerts.per_chat_hour", "SITREP_ALERTS_PER_CHAT_HOUR", "at least 1", c.Alerts.PerChatHour >= 1, c.Alerts.PerChatHour},
	}
	for _, r := range ranges {
		if !r.ok {
			bad(r.path, r.env, "must be %s, got %v", r.want, r.got)
		}
	}
	for _, t := range c.Alerts.Terms() {
		if _, err := regexp.Compile("(?i)" + t); err != nil {
			bad("alerts.priority_terms", "SITREP_ALERTS_PRIORITY_TERMS", "%q is not a valid pattern", t)
		}
	}
	if _, _, err := QuietHours(c.Alerts.QuietHours); err != nil {
		bad("alerts.quiet_hours", "SITREP_ALERTS_QUIET_HOURS", "%v", err)
	}
	l := c.Limits
	for _, r := range []struct{ path, env, val string }{
		{"limits.telegram_global", "SITREP_LIMITS_TELEGRAM_GLOBAL", l.TelegramGlobal},
		{"limits.telegram_chat", "SITREP_LIMITS_TELEGRAM_CHAT", l.TelegramChat},
		{"limits.telegram_group", "SITREP_LIMITS_TELEGRAM_GROUP", l.TelegramGroup},
		{"limits.discord_global", "SITREP_LIMITS_DISCORD_GLOBAL", l.DiscordGlobal},
		{"limits.discord_channel", "SITREP_LIMITS_DISCORD_CHANNEL", l.DiscordChannel},
	} {
		if _, err := ParseRate(r.val); err != nil {
			bad(r.path, r.env, "%v", err)
		}
	}
}
