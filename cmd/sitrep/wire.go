package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
	"github.com/sitrepbot/sitrep/digest"
)

// newLogger returns the process logger, writing to w as configured.
func newLogger(cfg config.LogConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.Level)) // validated by config
	opts := &slog.HandlerOptions{Level: level}
	var log *slog.Logger
	if cfg.Format == "json" {
		log = slog.New(slog.NewJSONHandler(w, opts))
	} else {
		log = slog.New(slog.NewTextHandler(w, opts))
	}
	redisstore.SetLibraryLogger(log)
	return log
}

// storePath is where the embedded store lives.
func storePath(cfg config.Config) string { return filepath.Join(cfg.DataDir, "sitrep.db") }

// openStore opens the store the configuration names: Redis when redis_url
// is set, else the embedded file in data_dir.
func openStore(ctx context.Context, cfg config.Config) (bot.Store, error) {
	if cfg.RedisURL != "" {
		s, err := redisstore.Open(cfg.RedisURL.Value(), redisstore.Options{})
		if err != nil {
			return nil, err
		}
		pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := s.Ping(pingCtx); err != nil {
			s.Close()
			return nil, err
		}
		return s, nil
	}
	return boltstore.Open(storePath(cfg), boltstore.Options{})
}

// feedList turns configured sources into feeds, in order.
func feedList(sources []config.Source) []feeds.Feed {
	out := make([]feeds.Feed, len(sources))
	for i, s := range sources {
		out[i] = feeds.Feed{Name: s.Name, URL: s.URL, Lang: s.Lang, Label: s.Label, FullText: feeds.FullText(s.FullText)}
	}
	return out
}

// sourceInfo describes configured sources for /sources.
func sourceInfo(sources []config.Source) []bot.SourceInfo {
	out := make([]bot.SourceInfo, len(sources))
	for i, s := range sources {
		out[i] = bot.SourceInfo{Name: s.Name, URL: s.URL, Lang: s.Lang, Label: s.Label}
	}
	return out
}

// botOptions maps the configuration onto the bot's options.
func botOptions(cfg config.Config, log *slog.Logger) bot.Options {
	return bot.Options{
		Sources:         sourceInfo(cfg.Sources),
		DefaultTime:     cfg.Digest.DefaultTime,
		DefaultTimezone: cfg.Digest.DefaultTimezone,
		MaxItems:        cfg.Digest.MaxItems,
		PollInterval:    cfg.PollInterval,
		Engine:          engineOptions(cfg),
		Logger:          log,
	}
}

// engineOptions maps the configuration onto the engine's options: window,
// topics, importance terms and the sources' ranking weights.
func engineOptions(cfg config.Config) digest.Options {
	o := digest.Options{Window: cfg.Engine.Window, ImportanceTerms: cfg.Engine.ImportanceTerms}
	for _, t := range cfg.Engine.Topics {
		o.Topics = append(o.Topics, digest.Topic{Name: t.Name, Terms: t.Terms, Context: t.Context})
	}
	for _, s := range cfg.Sources {
		if s.Weight > 0 {
			if o.SourceWeights == nil {
				o.SourceWeights = map[string]float64{}
			}
			o.SourceWeights[s.Name] = s.Weight
		}
	}
	return o
}

// loadConfig loads the configuration, printing every problem to w.
func loadConfig(e env, path string) (config.Config, error) {
	cfg, err := config.Load(path, e.getenv)
	if err != nil {
		return cfg, &exitError{code: 2, err: fmt.Errorf("invalid configuration:\n%w", err)}
	}
	return cfg, nil
}
