package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/config"
)

const checkUsage = `Usage: sitrep check [--config FILE]

Validates the configuration, listing every problem with its key, then reaches
each configured service and prints one OK or FAIL line for each, then the
feeds' health as stored, with a WARN line for each feed marked failing.
Exit status: 0 all good, 2 invalid configuration, 1 a service unreachable.

Examples:
  sitrep check
  sitrep check --config sitrep.yaml
  SITREP_REDIS_URL=redis://localhost:6379/0 sitrep check
`

// checkTimeout bounds each service check.
const checkTimeout = 5 * time.Second

func cmdCheck(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	configPath := fs.String("config", "", "configuration file (YAML); default $SITREP_CONFIG")
	if err := parseFlags(fs, args, checkUsage, e); err != nil {
		return err
	}
	cfg, err := config.Load(*configPath, e.getenv)
	newLogger(cfg.Log, e.stderr)
	if err != nil {
		fmt.Fprintln(e.stdout, "FAIL config")
		for _, line := range joinedErrors(err) {
			fmt.Fprintln(e.stdout, "     "+line)
		}
		return &exitError{code: 2, err: errors.New("invalid configuration")}
	}
	fmt.Fprintf(e.stdout, "OK   config: %d sources, poll every %s\n", len(cfg.Sources), cfg.PollInterval)
	failed := 0
	report := func(name string, err error, ok string) {
		if err != nil {
			failed++
			fmt.Fprintf(e.stdout, "FAIL %s: %v\n", name, err)
			return
		}
		fmt.Fprintf(e.stdout, "OK   %s: %s\n", name, ok)
	}
	for _, c := range serviceChecks(cfg) {
		cctx, cancel := context.WithTimeout(ctx, checkTimeout)
		ok, err := c.check(cctx)
		cancel()
		report(c.name, err, ok)
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d service(s) unreachable", failed)}
	}
	checkFeeds(ctx, cfg, e.stdout)
	return nil
}

// serviceCheck reaches one service and says what it found.
type serviceCheck struct {
	name  string
	check func(ctx context.Context) (string, error)
}

func serviceChecks(cfg config.Config) []serviceCheck {
	var checks []serviceCheck
	if cfg.RedisURL != "" {
		checks = append(checks, serviceCheck{"redis " + redactedURL(cfg.RedisURL.Value()), func(ctx context.Context) (string, error) {
			s, err := redisstore.Open(cfg.RedisURL.Value(), redisstore.Options{})
			if err != nil {
				return "", err
			}
			defer s.Close()
			return "reachable", s.Ping(ctx)
		}})
	} else {
		checks = append(checks, serviceCheck{"embedded store " + storePath(cfg), func(ctx context.Context) (string, error) {
			return checkBolt(storePath(cfg))
		}})
	}
	checks = append(checks, telegramChecks(cfg.Telegram)...)
	checks = append(checks, discordChecks(cfg)...)
	return checks
}

// checkBolt opens the embedded store, which also proves data_dir writable.
// A store held by a running sitrep is fine.
func checkBolt(path string) (string, error) {
	_, statErr := os.Stat(path)
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		if statErr == nil && errors.Is(err, boltstore.ErrInUse) {
			return "in use by a running sitrep", nil
		}
		return "", err
	}
	if err := s.Close(); err != nil {
		return "", err
	}
	if statErr != nil {
		return "created", nil
	}
	return "readable and writable", nil
}

// redactedURL hides a URL's password.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

// joinedErrors splits an errors.Join tree into its leaf messages.
func joinedErrors(err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, joinedErrors(e)...)
		}
		return out
	}
	return []string{err.Error()}
}
