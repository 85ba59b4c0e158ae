package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/web"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
)

// newRegistry returns the registry /metrics serves: the Go runtime and
// process collectors; the bot's own are added by bot.NewMetrics(reg).
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// storeMetrics adds the store's own metrics to reg: with Redis, the round
// trips made to it.
func storeMetrics(reg prometheus.Registerer, store bot.Store) {
	if rs, ok := store.(*redisstore.Store); ok {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "sitrep_redis_round_trips_total",
			Help: "Requests sent to Redis: each command, pipeline or script counts once."},
			func() float64 { return float64(rs.RoundTrips()) }))
	}
}

// webParts are what `sitrep run` plugs into the web server besides the
// store and the bot: the platforms' HTTP handlers (nil = not mounted) and
// readiness checks (e.g. "leader" with Redis).
type webParts struct {
	telegramWebhook     http.Handler // POST at the path of telegram.webhook_url
	discordInteractions http.Handler // POST /discord/interactions
	checks              []web.Check
}

// mounts returns the handler patterns of the platforms' handlers.
func (p webParts) mounts(cfg config.Config) map[string]http.Handler {
	m := map[string]http.Handler{}
	if p.telegramWebhook != nil {
		m["POST "+telegramWebhookPath(cfg.Telegram.WebhookURL)] = p.telegramWebhook
	}
	if p.discordInteractions != nil {
		m["POST "+web.DiscordInteractionsPath] = p.discordInteractions
	}
	return m
}

// telegramWebhookPath is where Telegram's webhook requests arrive: the path
// of the configured webhook URL (a proxy passes it through), else the default.
func telegramWebhookPath(webhookURL string) string {
	if u, err := url.Parse(webhookURL); err == nil && u.Path != "" && u.Path != "/" {
		return u.Path
	}
	return web.TelegramWebhookPath
}

// startWeb starts the HTTP server on http.listen (nothing when it is
// empty). It listens before returning, so a taken port fails `sitrep run`
// at once. stop ends the server, waiting at most web.ShutdownTimeout for
// requests in flight; it is also what happens when ctx ends.
func startWeb(ctx context.Context, cfg config.Config, log *slog.Logger, store bot.Store, b *bot.Bot,
	reg prometheus.Gatherer, parts webParts) (stop func() error, err error) {
	if cfg.HTTP.Listen == "" {
		log.Info("http server off (http.listen is empty)")
		return func() error { return nil }, nil
	}
	loc, err := time.LoadLocation(cfg.Digest.DefaultTimezone)
	if err != nil {
		return nil, err
	}
	srv, err := web.New(web.Options{Store: store, Stories: b, Metrics: reg, Checks: parts.checks,
		Handlers: parts.mounts(cfg), PublicURL: cfg.HTTP.PublicURL, Location: loc, Logger: log})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		return nil, fmt.Errorf("http.listen: %w", err)
	}
	log.Info("http server listening", "addr", ln.Addr().String())
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	return func() error {
		cancel()
		err := <-done
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		log.Info("http server stopped")
		return nil
	}, nil
}
