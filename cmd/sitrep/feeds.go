package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
)

// feedOptions maps the feeds section of the configuration onto the
// collector's options, counting failing feeds into metrics (may be nil). A
// zero in the configuration means none, where the collector's zero means its
// default.
func feedOptions(cfg config.FeedsConfig, log *slog.Logger, metrics *bot.Metrics) feeds.Options {
	noneIfZero := func(n int) int {
		if n == 0 {
			return -1
		}
		return n
	}
	return feeds.Options{
		MaxBody:          int64(cfg.MaxBodyBytes),
		Timeout:          cfg.Timeout,
		Concurrency:      cfg.Concurrency,
		PerHost:          cfg.PerHost,
		FailingAfter:     cfg.FailingAfter,
		MaxItems:         cfg.MaxItemsPerPoll,
		FullTextMinWords: noneIfZero(cfg.FullTextMinWords),
		FullTextPerPoll:  noneIfZero(cfg.FullTextPerPoll),
		Logger:           log,
		Metrics:          metrics,
	}
}

// checkFeeds prints the health of the configured feeds as the store has it:
// one line for all, and a WARN line for each feed marked failing, with its
// last error. Failing feeds do not change check's exit status.
func checkFeeds(ctx context.Context, cfg config.Config, w io.Writer) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	store, err := openStore(ctx, cfg)
	if errors.Is(err, boltstore.ErrInUse) {
		fmt.Fprintln(w, "SKIP feeds: the embedded store is in use by a running sitrep (its log reports failing feeds)")
		return
	} else if err != nil {
		fmt.Fprintf(w, "SKIP feeds: %v\n", err)
		return
	}
	defer store.Close()
	states, err := store.ListFeedStates(ctx)
	if err != nil {
		fmt.Fprintf(w, "SKIP feeds: %v\n", err)
		return
	}
	polled, erring, failing := 0, 0, 0
	var warnings []string
	for _, s := range cfg.Sources {
		st, ok := states[s.URL]
		if !ok {
			continue
		}
		polled++
		if st.Failures > 0 {
			erring++
		}
		if !st.Failing {
			continue
		}
		failing++
		last := "never"
		if !st.LastSuccess.IsZero() {
			last = st.LastSuccess.UTC().Format(time.RFC3339)
		}
		warnings = append(warnings, fmt.Sprintf("WARN feed %q: failing, %d failures in a row, last success %s, next try %s: %s",
			s.Name, st.Failures, last, st.NextPoll.UTC().Format(time.RFC3339), st.LastError))
	}
	fmt.Fprintf(w, "OK   feeds: %d configured, %d polled, %d with errors, %d failing\n", len(cfg.Sources), polled, erring, failing)
	for _, line := range warnings {
		fmt.Fprintln(w, line)
	}
}
