package main

import (
	"context"
	"time"

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
		Consumer:       bot.InstanceName(),
	}
	if rs, ok := store.(*redisstore.Store); ok {
		opts.Delivery.Limiter, opts.Delivery.Lease = rs.Limiter(), rs.Lease(opts.Delivery.Consumer)
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

// leaderCheckEvery is how often whileLeader looks at the leadership.
const leaderCheckEvery = time.Second

// whileLeader runs fn while b leads, until ctx ends: it starts fn when b
// becomes the leader and cancels it when b stops leading (Telegram allows
// one long poll per bot). With the embedded store b always leads.
func whileLeader(ctx context.Context, b *bot.Bot, fn func(context.Context) error) error {
	tick := time.NewTicker(leaderCheckEvery)
	defer tick.Stop()
	for {
		if b.IsLeader() {
			if err := leading(ctx, b, fn, tick.C); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// leading runs fn until it returns, ctx ends, or b stops leading.
func leading(ctx context.Context, b *bot.Bot, fn func(context.Context) error, tick <-chan time.Time) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	for {
		select {
		case err := <-done:
			if ctx.Err() != nil {
				return nil
			}
			return err
		case <-tick:
			if !b.IsLeader() {
				cancel()
				<-done
				return nil
			}
		}
	}
}
