package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
)

// newDiscord returns a Discord client as the configuration describes it;
// parts (the store, or nil) remembers the parts of multi-message deliveries.
func newDiscord(cfg config.Config, parts bot.DeliveryLog, log *slog.Logger) (*discord.Client, error) {
	return discord.New(discord.Options{Token: cfg.Discord.Token.Value(), ApplicationID: cfg.Discord.ApplicationID,
		PublicKey: cfg.Discord.PublicKey, APIURL: cfg.Discord.APIURL, GuildID: cfg.Discord.GuildID, Parts: parts, Logger: log})
}

// discordChecks is the `sitrep check` line for Discord, when a token is set:
// the bot's own user, or why it cannot be fetched.
func discordChecks(cfg config.Config) []serviceCheck {
	if cfg.Discord.Token == "" {
		return nil
	}
	return []serviceCheck{{"discord", func(ctx context.Context) (string, error) {
		c, err := newDiscord(cfg, nil, slog.New(slog.DiscardHandler))
		if err != nil {
			return "", err
		}
		defer c.Close()
		who, err := c.Check(ctx)
		if err != nil {
			return "", errors.New(strings.TrimPrefix(err.Error(), "discord: "))
		}
		return who, nil
	}}}
}

// discordRunning is Discord wired into a running bot.
type discordRunning struct {
	client *discord.Client
	// interactions is the handler of HTTP interactions (discord.public_key
	// set), to mount at discord.InteractionsPath; nil in gateway mode.
	interactions http.Handler
	gateway      chan error // RunGateway's result, in gateway mode
	cancel       context.CancelFunc
}

// startDiscord adds Discord to b when discord.token is set (else it returns
// nil): it registers the slash commands (a failure is logged, not fatal),
// adds the messenger, and answers interactions over the gateway until ctx
// ends (while b leads), or, with discord.public_key, through the returned
// HTTP handler (on every instance).
// Multi-message deliveries remember their parts in store.
func startDiscord(ctx context.Context, cfg config.Config, b *bot.Bot, store bot.DeliveryLog, log *slog.Logger) (*discordRunning, error) {
	if cfg.Discord.Token == "" {
		return nil, nil
	}
	c, err := newDiscord(cfg, store, log)
	if err != nil {
		return nil, err
	}
	b.AddMessenger(c)
	if n, err := c.RegisterCommands(ctx); err != nil {
		log.Error("discord: registering slash commands failed", "platform", bot.Discord, "error", err)
	} else {
		log.Info("discord: slash commands registered", "platform", bot.Discord, "commands", n, "guild_id", cfg.Discord.GuildID)
	}
	d := &discordRunning{client: c}
	if cfg.Discord.PublicKey != "" {
		if d.interactions, err = c.InteractionsHandler(b); err != nil {
			c.Close()
			return nil, err
		}
		log.Info("discord: interactions over HTTP", "platform", bot.Discord, "path", discord.InteractionsPath)
		return d, nil
	}
	d.gateway = make(chan error, 1)
	ctx, d.cancel = context.WithCancel(ctx)
	go func() {
		// Every connected instance would receive every interaction: only the leader connects.
		err := whileLeader(ctx, b, func(ctx context.Context) error { return c.RunGateway(ctx, b) })
		if err != nil {
			log.Error("discord: gateway refused; no slash commands until restarted", "platform", bot.Discord, "error", err)
		}
		d.gateway <- err
	}()
	return d, nil
}

// interactionsHandler is the handler the web server mounts in HTTP
// interactions mode, or nil.
func (d *discordRunning) interactionsHandler() http.Handler {
	if d == nil {
		return nil
	}
	return d.interactions
}

// stop closes the gateway connection and lets the answers in progress finish.
func (d *discordRunning) stop() {
	if d == nil {
		return
	}
	if d.gateway != nil {
		d.cancel()
		<-d.gateway
	}
	d.client.Close()
}
