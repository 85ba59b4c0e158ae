package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/sitrepbot/sitrep/adapters/console"
	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/bot"
)

const runUsage = `Usage: sitrep run [--config FILE]

Runs the bot: polls the sources every poll_interval, groups what they report
into developments, and delivers digests. With no configuration at all it uses
the embedded store in ./data and the default sources, and, while no chat
platform is configured, prints each new digest to stdout.

Examples:
  sitrep run
  sitrep run --config sitrep.yaml
  SITREP_REDIS_URL=redis://localhost:6379/0 SITREP_TELEGRAM_TOKEN=123:abc sitrep run
`

func cmdRun(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	configPath := fs.String("config", "", "configuration file (YAML); default $SITREP_CONFIG")
	if err := parseFlags(fs, args, runUsage, e); err != nil {
		return err
	}
	cfg, err := loadConfig(e, *configPath)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Log, e.stderr)
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("closing store", "error", err)
		}
	}()
	if cfg.RedisURL == "" {
		defer serveStatus(cfg, store, log)()
	}
	opts := botOptions(cfg, log)
	applyDelivery(&opts, cfg, store)
	reg := newRegistry()
	storeMetrics(reg, store)
	opts.Metrics = bot.NewMetrics(reg)
	src := feeds.New(feedList(cfg.Sources), store, feedOptions(cfg.Feeds, log, opts.Metrics))
	noPlatform := cfg.Telegram.Token == "" && cfg.Discord.Token == ""
	if noPlatform {
		opts.EditionChats = []bot.ChatRef{{Platform: bot.Console, ChatID: "stdout"}}
	}
	b := bot.New(store, src, opts)
	tg, err := startTelegram(ctx, cfg.Telegram, b, store, log)
	if err != nil {
		return err
	}
	if noPlatform {
		b.AddMessenger(console.New(e.stdout))
		log.Info("no chat platform configured: printing digests to stdout")
	}
	dc, err := startDiscord(ctx, cfg, b, store, log)
	if err != nil {
		return err
	}
	defer dc.stop()
	stopWeb, err := startWeb(ctx, cfg, log, store, b, reg,
		webParts{telegramWebhook: tg.webhookHandler(), discordInteractions: dc.interactionsHandler()})
	if err != nil {
		return err
	}
	log.Info("sitrep running", "sources", len(cfg.Sources), "store", storeName(cfg.RedisURL != ""), "poll_interval", cfg.PollInterval)
	err = runBot(ctx, b, tg)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	err = errors.Join(err, stopWeb())
	log.Info("sitrep stopped")
	return err
}

func storeName(redis bool) string {
	if redis {
		return "redis"
	}
	return "embedded"
}

// parseFlags parses args. -h or --help prints usage (with examples) to
// stdout and ends the command successfully; a bad flag prints the error and
// usage to stderr.
func parseFlags(fs *flag.FlagSet, args []string, usage string, e env) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	printUsage := func(w io.Writer) {
		fmt.Fprint(w, usage)
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(e.stdout)
		return errHelp
	case err != nil:
		fmt.Fprintf(e.stderr, "sitrep %s: %v\n\n", fs.Name(), err)
		printUsage(e.stderr)
		return errUsage
	case fs.NArg() > 0:
		fmt.Fprintf(e.stderr, "sitrep %s: unexpected argument %q\n\n", fs.Name(), fs.Arg(0))
		printUsage(e.stderr)
		return errUsage
	}
	return nil
}
