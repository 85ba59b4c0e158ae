package main

import (
	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
)

// applyDelivery maps the delivery, alert and limit keys onto the bot's
// options. With Redis the rate limiter and the leadership lease live in
// Redis, shared by every instance; with the embedded store the bot limits
// in process and always leads.
func applyDelivery(opts *bot.Options, cfg config.Config, store bot.Store) {
	d := cfg.Delivery
	opts.Delivery = bot.DeliveryOptions{
		Limits:         limits(cfg.Limits),
		ReplyShare:     float64(d.ReplySharePercent) / 100,
		LatestCooldown: d.LatestCooldown,
		Workers:        d.Workers,
		JobLease:       d.JobLease,
		MaxAttempts:    d.MaxAttempts,
		BackoffBase:    d.BackoffBase,
		BackoffMax:     d.BackoffMax,
		LeaseTTL:       d.LeaderLease,
	}
	if rs, ok := store.(*redisstore.Store); ok {
		opts.Delivery.Limiter, opts.Delivery.Lease = rs.Limiter(), rs.Lease()
	}
	from, to, _ := config.QuietHours(cfg.Alerts.QuietHours) // validated
	opts.Alerts = bot.AlertOptions{Outlets: cfg.Alerts.MinOutlets, Window: cfg.Alerts.Window, PriorityTerms: cfg.Alerts.Terms(),
		PerChatHour: cfg.Alerts.PerChatHour, QuietFrom: from, QuietTo: to, Off: !cfg.Alerts.Enabled}
}

// limits turns the configured rates into the bot's per-platform limits.
func limits(l config.LimitsConfig) map[string]bot.PlatformLimits {
	limit := func(s string) bot.Limit {
		r, _ := config.ParseRate(s) // validated
		return bot.Limit{Rate: r.N, Period: r.Per, Burst: r.Burst}
	}
	return map[string]bot.PlatformLimits{
		bot.Telegram: {Global: limit(l.TelegramGlobal), Chat: limit(l.TelegramChat), Group: limit(l.TelegramGroup)},
		bot.Discord:  {Global: limit(l.DiscordGlobal), Chat: limit(l.DiscordChannel)},
	}
}
