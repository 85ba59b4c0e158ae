package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/sitrepbot/sitrep/adapters/telegram"
)

const registerUsage = `Usage: sitrep register [--config FILE]

Publishes what the chat platforms show of sitrep, as 'sitrep run' also does
when it starts: Telegram's command menu and, with telegram.webhook_url, the
webhook; Discord's slash commands (globally, or in discord.guild_id only).
Prints one OK or FAIL line per platform. Exit status: 0 done, 1 a platform
failed, 2 invalid configuration or no platform configured.

Examples:
  sitrep register
  SITREP_DISCORD_GUILD_ID=123456789012345678 sitrep register
  docker compose run --rm sitrep register
`

// registerTimeout bounds each platform's registration.
const registerTimeout = 30 * time.Second

func cmdRegister(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("register", flag.ContinueOnError)
	configPath := fs.String("config", "", "configuration file (YAML); default $SITREP_CONFIG")
	if err := parseFlags(fs, args, registerUsage, e); err != nil {
		return err
	}
	cfg, err := loadConfig(e, *configPath)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Log, e.stderr)
	type platform struct {
		name     string
		register func(ctx context.Context) (string, error)
	}
	var platforms []platform
	if cfg.Telegram.Token != "" {
		platforms = append(platforms, platform{"telegram", func(ctx context.Context) (string, error) {
			c, err := telegram.New(ctx, telegram.Options{Token: cfg.Telegram.Token.Value(), APIURL: cfg.Telegram.APIURL, Logger: log})
			if err != nil {
				return "", err
			}
			if err := c.SetCommands(ctx); err != nil {
				return "", err
			}
			done := "@" + c.Username() + ": command menu published"
			if cfg.Telegram.WebhookURL == "" {
				return done + "; no webhook (long polling)", nil
			}
			if err := c.SetWebhook(ctx, cfg.Telegram.WebhookURL, cfg.Telegram.WebhookSecret.Value()); err != nil {
				return "", err
			}
			return done + "; webhook set to " + redactedURL(cfg.Telegram.WebhookURL), nil
		}})
	}
	if cfg.Discord.Token != "" {
		platforms = append(platforms, platform{"discord", func(ctx context.Context) (string, error) {
			c, err := newDiscord(cfg, nil, log)
			if err != nil {
				return "", err
			}
			defer c.Close()
			n, err := c.RegisterCommands(ctx)
			if err != nil {
				return "", err
			}
			where := "globally (they may take up to an hour to appear)"
			if cfg.Discord.GuildID != "" {
				where = "in guild " + cfg.Discord.GuildID
			}
			return fmt.Sprintf("%d slash commands registered %s", n, where), nil
		}})
	}
	if len(platforms) == 0 {
		return &exitError{code: 2, err: errors.New("nothing to register: set telegram.token (SITREP_TELEGRAM_TOKEN) or discord.token (SITREP_DISCORD_TOKEN)")}
	}
	failed := 0
	for _, p := range platforms {
		pctx, cancel := context.WithTimeout(ctx, registerTimeout)
		done, err := p.register(pctx)
		cancel()
		if err != nil {
			failed++
			fmt.Fprintf(e.stdout, "FAIL %s: %s\n", p.name, strings.TrimPrefix(err.Error(), p.name+": "))
			continue
		}
		fmt.Fprintf(e.stdout, "OK   %s: %s\n", p.name, done)
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d platforms not registered", failed, len(platforms))}
	}
	return nil
}
