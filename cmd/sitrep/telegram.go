package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"

	"github.com/sitrepbot/sitrep/adapters/telegram"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
)

// telegramService is the Telegram side of a running sitrep.
type telegramService struct {
	client *telegram.Client
	bot    *bot.Bot
	// webhook, in webhook mode, is the handler of Telegram's requests: the
	// HTTP server mounts it at telegram.WebhookPath.
	webhook http.Handler
}

// startTelegram connects to the Bot API when telegram.token is set, lets b
// deliver through it, publishes the command menu and, with
// telegram.webhook_url, sets the webhook. Without a token it returns nil.
// Multi-part deliveries remember their parts in store.
func startTelegram(ctx context.Context, cfg config.TelegramConfig, b *bot.Bot, store bot.DeliveryLog, log *slog.Logger) (*telegramService, error) {
	if cfg.Token == "" {
		return nil, nil
	}
	client, err := telegram.New(ctx, telegram.Options{Token: cfg.Token.Value(), APIURL: cfg.APIURL, Parts: store, Logger: log})
	if err != nil {
		return nil, err
	}
	b.AddMessenger(client)
	if err := client.SetCommands(ctx); err != nil {
		log.Warn("telegram: the command menu was not published", "error", err)
	}
	t := &telegramService{client: client, bot: b}
	mode := "long polling"
	if cfg.WebhookURL != "" {
		if err := client.SetWebhook(ctx, cfg.WebhookURL, cfg.WebhookSecret.Value()); err != nil {
			return nil, err
		}
		t.webhook, mode = client.WebhookHandler(b, cfg.WebhookSecret.Value()), "webhook"
	}
	log.Info("telegram connected", "platform", bot.Telegram, "username", "@"+client.Username(), "mode", mode)
	return t, nil
}

// webhookHandler is the handler the web server mounts in webhook mode, or nil.
func (t *telegramService) webhookHandler() http.Handler {
	if t == nil {
		return nil
	}
	return t.webhook
}

// receive answers commands until ctx ends: by long polling (on the leader
// only, when several instances share Redis), or, in webhook mode, through
// the webhook handler, so it only waits.
func (t *telegramService) receive(ctx context.Context) error {
	if t == nil || t.webhook != nil {
		<-ctx.Done()
		return nil
	}
	return whileLeader(ctx, t.bot, func(ctx context.Context) error { return t.client.Listen(ctx, t.bot) })
}

// runBot runs b and, when Telegram is on, receives its commands, until ctx
// ends or one of them fails; it returns once both have returned.
func runBot(ctx context.Context, b *bot.Bot, tg *telegramService) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var runErr, receiveErr error
	wg.Go(func() { defer cancel(); runErr = b.Run(ctx) })
	wg.Go(func() { defer cancel(); receiveErr = tg.receive(ctx) })
	wg.Wait()
	return errors.Join(runErr, receiveErr)
}

// telegramChecks is the line `sitrep check` prints for Telegram: the bot's
// @username from getMe, or why it could not be had.
func telegramChecks(cfg config.TelegramConfig) []serviceCheck {
	if cfg.Token == "" {
		return nil
	}
	return []serviceCheck{{"telegram " + redactedURL(cfg.APIURL), func(ctx context.Context) (string, error) {
		c, err := telegram.New(ctx, telegram.Options{Token: cfg.Token.Value(), APIURL: cfg.APIURL, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			return "", err
		}
		return "@" + c.Username(), nil
	}}}
}
