package e2e

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// failuresAtStart runs sitrep with configurations that cannot work: a
// platform or Redis that is unreachable, a token or password refused. `sitrep
// run` either stops with an error or keeps running without the platform
// (Discord logs why); `sitrep check` and `sitrep status` report the
// failures. Nothing printed holds a secret.
func failuresAtStart(t *testing.T, format string) {
	ts := newTestSecrets()
	sec := ts.watch()
	closed := "127.0.0.1:" + strconv.Itoa(freePort(t)) // nothing listens there
	rs := startRedis(t, redisOptions{Password: ts.redisPassword})
	w := newWorld(t, worldOptions{}) // its fakes know other tokens than ts's
	base := map[string]string{"SITREP_LOG_LEVEL": "debug", "SITREP_LOG_FORMAT": format,
		"SITREP_TELEGRAM_TOKEN": "", "SITREP_DISCORD_TOKEN": ""}
	wrongPassword := strings.Replace(rs.URL(), ts.redisPassword, ts.redisPassword+"x", 1)
	sec.add("wrong Redis password", ts.redisPassword+"x")
	for _, tc := range []struct {
		name string
		env  map[string]string
		runs string // "exits", or a line logged while it keeps running
	}{
		{"Telegram unreachable", map[string]string{"SITREP_TELEGRAM_TOKEN": ts.telegramToken, "SITREP_TELEGRAM_API_URL": "http://" + closed}, "exits"},
		{"Telegram token refused", map[string]string{"SITREP_TELEGRAM_TOKEN": ts.telegramToken}, "exits"},
		{"Discord unreachable", map[string]string{"SITREP_DISCORD_TOKEN": ts.discordToken, "SITREP_DISCORD_API_URL": "http://" + closed}, "registering slash commands failed"},
		{"Discord token refused", map[string]string{"SITREP_DISCORD_TOKEN": ts.discordToken}, "gateway refused"},
		{"Redis password refused", map[string]string{"SITREP_REDIS_URL": wrongPassword}, "exits"},
		{"Redis unreachable", map[string]string{"SITREP_REDIS_URL": fmt.Sprintf("redis://:%s@%s/0", ts.redisPassword, closed)}, "exits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := w.env(base)
			for k, v := range tc.env {
				env[k] = v
			}
			p := startSitrep(t, "sitrep run", env, "run")
			if tc.runs == "exits" {
				select {
				case <-p.done:
				case <-time.After(30 * time.Second):
					t.Fatalf("sitrep run kept running:\n%s", tail(p.stderr.String(), 20))
				}
				if p.err == nil {
					t.Errorf("sitrep run exited 0, want an error")
				}
			} else {
				eventually(t, "sitrep run logs "+strconv.Quote(tc.runs), 30*time.Second, func() bool {
					return strings.Contains(p.stderr.String(), tc.runs)
				})
				p.term(t)
			}
			checkLogs(t, sec, format, p)
			for _, cmd := range []string{"check", "status"} {
				out := runToEnd(t, env, cmd)
				sec.check(t, "sitrep "+cmd, out)
			}
		})
	}
}

// runToEnd runs a sitrep command that may fail and returns all it printed.
func runToEnd(tb testing.TB, env map[string]string, args ...string) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := sitrepCommand(ctx, tb, env, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Run() // the failures are the point
	if ctx.Err() != nil {
		tb.Fatalf("sitrep %s did not finish within 30s", strings.Join(args, " "))
	}
	return out.String()
}
