package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
)

const statusUsage = `Usage: sitrep status [--config FILE] [--json]

Shows the state of the service from its store: the leader (when several
instances share Redis), the outbox and its dead letters, failing feeds,
subscriptions by platform, and the latest digest. What the store cannot tell
shows as n/a (null in JSON). Exit status 1 when the store cannot be reached.

With Redis, status reads the shared state at any time. The embedded store is
held by a running 'sitrep run': status reads it while sitrep is stopped; a
running one shows its state at /metrics and /readyz.

Examples:
  sitrep status
  sitrep status --json
  SITREP_REDIS_URL=redis://localhost:6379/0 sitrep status
  docker compose exec sitrep sitrep status
`

// statusTimeout bounds reading the status.
const statusTimeout = 10 * time.Second

func cmdStatus(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	configPath := fs.String("config", "", "configuration file (YAML); default $SITREP_CONFIG")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args, statusUsage, e); err != nil {
		return err
	}
	cfg, err := loadConfig(e, *configPath)
	if err != nil {
		return err
	}
	newLogger(cfg.Log, e.stderr)
	ctx, cancel := context.WithTimeout(ctx, statusTimeout)
	defer cancel()
	where := storeLabel(cfg)
	store, err := openStore(ctx, cfg)
	if errors.Is(err, boltstore.ErrInUse) {
		return &exitError{code: 1, err: fmt.Errorf("%s is in use by a running sitrep: status reads the embedded store "+
			"only while sitrep is stopped (with redis_url, at any time); the running one shows its state at /metrics and /readyz", where)}
	} else if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("%s unreachable: %w", where, err)}
	}
	defer store.Close()
	st, err := bot.ReadStatus(ctx, store, bot.StatusOptions{Sources: sourceInfo(cfg.Sources)})
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("%s: %w", where, err)}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Store string `json:"store"`
			bot.Status
		}{where, st})
	}
	return printStatus(e.stdout, where, st)
}

// storeLabel names the configured store without its password.
func storeLabel(cfg config.Config) string {
	if cfg.RedisURL != "" {
		return "redis " + redactedURL(cfg.RedisURL.Value())
	}
	return "embedded store " + storePath(cfg)
}

// printStatus writes st as aligned text.
func printStatus(w io.Writer, where string, st bot.Status) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	na := "n/a"
	leader, outbox, dead := na, na, na
	if st.Leader != nil {
		leader = cmp.Or(*st.Leader, "none")
	}
	if st.Outbox != nil {
		outbox, dead = fmt.Sprintf("%d waiting", st.Outbox.Pending), fmt.Sprint(st.Outbox.Dead)
	}
	latest := "none yet"
	if d := st.LatestDigest; d != nil {
		latest = fmt.Sprintf("%s · %s · %d developments", d.ID, d.Generated.Format("2 Jan 2006 15:04 MST"), d.Developments)
	}
	fmt.Fprintf(tw, "store\t%s\n", where)
	fmt.Fprintf(tw, "leader\t%s\n", leader)
	fmt.Fprintf(tw, "outbox\t%s\n", outbox)
	fmt.Fprintf(tw, "dead letters\t%s\n", dead)
	fmt.Fprintf(tw, "subscriptions\t%s\n", subscriptionsText(st.Subscriptions))
	fmt.Fprintf(tw, "feeds\t%d configured, %d failing\n", st.Feeds, len(st.FailingFeeds))
	fmt.Fprintf(tw, "latest digest\t%s\n", latest)
	if len(st.FailingFeeds) > 0 {
		fmt.Fprintf(tw, "\nfailing feeds\n  FEED\tFAILURES\tLAST OK\tLAST ERROR\n")
		for _, f := range st.FailingFeeds {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", feedLabel(f), failuresText(f), lastOK(f.LastSuccess), oneLine(f.LastError, 100))
		}
	}
	return tw.Flush()
}

func subscriptionsText(subs map[string]bot.SubscriptionCount) string {
	if len(subs) == 0 {
		return "none"
	}
	var parts []string
	for _, p := range slices.Sorted(maps.Keys(subs)) {
		c := subs[p]
		parts = append(parts, fmt.Sprintf("%s %d active, %d inactive", p, c.Active, c.Inactive))
	}
	return strings.Join(parts, "; ")
}

func feedLabel(f bot.FeedHealth) string {
	if f.Name == "" {
		return f.URL
	}
	return f.Name + " (" + f.URL + ")"
}

func failuresText(f bot.FeedHealth) string {
	if f.Failing {
		return fmt.Sprintf("%d, failing", f.Failures)
	}
	return fmt.Sprint(f.Failures)
}

func lastOK(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Format("2 Jan 15:04 MST")
}

// oneLine keeps an error message to one line of at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
