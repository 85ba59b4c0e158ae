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
held by a running 'sitrep run': status then asks that process, through the
Unix socket sitrep.sock in data_dir (open to its owner only).

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
	st, err := readStatus(ctx, cfg)
	var held *storeHeldError
	if errors.As(err, &held) {
		return &exitError{code: 1, err: fmt.Errorf("%s is in use by a running sitrep that does not answer on its status socket "+
			"(%v); status reads the embedded store while sitrep is stopped, and the running one shows its state at /metrics and /readyz", where, held.ask)}
	} else if err != nil {
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

// readStatus reads the Status from the configured store or, when a running
// sitrep holds the embedded store, from that sitrep. The error is a
// *storeHeldError when the store is held and its holder does not answer.
func readStatus(ctx context.Context, cfg config.Config) (bot.Status, error) {
	store, err := openStore(ctx, cfg)
	if errors.Is(err, boltstore.ErrInUse) {
		st, askErr := askRunningStatus(ctx, cfg)
		if askErr != nil {
			return bot.Status{}, &storeHeldError{store: err, ask: askErr}
		}
		return st, nil
	} else if err != nil {
		return bot.Status{}, fmt.Errorf("unreachable: %w", err)
	}
	defer store.Close()
	return bot.ReadStatus(ctx, store, bot.StatusOptions{Sources: sourceInfo(cfg.Sources)})
}

// storeHeldError: another process holds the embedded store and did not
// answer on the status socket.
type storeHeldError struct{ store, ask error }

func (e *storeHeldError) Error() string   { return fmt.Sprintf("%v; asking it: %v", e.store, e.ask) }
func (e *storeHeldError) Unwrap() []error { return []error{e.store, e.ask} }

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
