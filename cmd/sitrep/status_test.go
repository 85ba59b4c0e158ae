package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
	"github.com/sitrepbot/sitrep/digest"
)

// mustStatusStore fills an embedded store in dir with subscriptions, feed
// states of the default sources and a digest, and closes it.
func mustStatusStore(tb testing.TB, dir string) {
	tb.Helper()
	s, err := boltstore.Open(filepath.Join(dir, "sitrep.db"), boltstore.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	at := time.Date(2025, 12, 16, 18, 0, 0, 0, time.UTC)
	for _, sub := range []bot.Subscription{{Platform: bot.Telegram, ChatID: "1", Active: true},
		{Platform: bot.Telegram, ChatID: "2"}, {Platform: bot.Discord, ChatID: "3", Active: true}} {
		if err := s.PutSubscription(ctx, sub); err != nil {
			tb.Fatal(err)
		}
	}
	first := sourceInfo(loadDefaultConfig(tb).Sources)[0]
	if err := s.PutFeedState(ctx, first.URL, bot.FeedState{Failures: 4, Failing: true, LastError: "GET: 503 Service Unavailable\nretry later",
		LastPoll: at, LastSuccess: at.Add(-3 * time.Hour)}); err != nil {
		tb.Fatal(err)
	}
	if err := s.PutDigest(ctx, digest.Digest{ID: "e-20251216T180000Z", Generated: at, Developments: make([]digest.Development, 3)}, 10); err != nil {
		tb.Fatal(err)
	}
}

func TestStatusEmbedded(t *testing.T) {
	dir := t.TempDir()
	mustStatusStore(t, dir)
	env := map[string]string{"SITREP_DATA_DIR": dir}
	first := loadDefaultConfig(t).Sources[0]

	out, stderr, err := runCmd(t, env, "status")
	if err != nil {
		t.Fatalf("status: %v\n%s", err, stderr)
	}
	for _, want := range []string{
		"leader         n/a", "outbox         0 waiting\n", "dead letters   0\n",
		"subscriptions  discord 1 active, 0 inactive; telegram 1 active, 1 inactive",
		"latest digest  e-20251216T180000Z · 16 Dec 2025 18:00 UTC · 3 developments",
		"failing feeds", first.Name, "4, failing", "16 Dec 15:00 UTC", "GET: 503 Service Unavailable retry later",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}

	out, _, err = runCmd(t, env, "status", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("status --json is not JSON: %v\n%s", err, out)
	}
	if got["leader"] != nil || got["outbox"] == nil || !strings.HasPrefix(got["store"].(string), "embedded store") {
		t.Errorf("leader %v, outbox %v, store %v: want null, an empty outbox, the embedded store", got["leader"], got["outbox"], got["store"])
	}
	if feeds := got["failing_feeds"].([]any); len(feeds) != 1 || feeds[0].(map[string]any)["failures"] != 4.0 {
		t.Errorf("failing_feeds = %v", got["failing_feeds"])
	}
}

func TestStatusStoreInUse(t *testing.T) {
	dir := t.TempDir()
	s, err := boltstore.Open(filepath.Join(dir, "sitrep.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, _, err = runCmd(t, map[string]string{"SITREP_DATA_DIR": dir}, "status")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "in use by a running sitrep") {
		t.Errorf("status on a held store: %v (exit %d), want exit 1 saying it is in use", err, exitCode(err))
	}
}

// TestStatusFromRunning: while a running sitrep holds the embedded store,
// status asks it through the status socket; a socket left by a killed
// process is replaced.
func TestStatusFromRunning(t *testing.T) {
	dir := t.TempDir()
	mustStatusStore(t, dir)
	env := map[string]string{"SITREP_DATA_DIR": dir}
	cfg, err := config.Load("", envMap(env))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(statusSocketPath(cfg), nil, 0o600); err != nil { // stale
		t.Fatal(err)
	}
	s, err := boltstore.Open(storePath(cfg), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stop := serveStatus(cfg, s, slog.New(slog.DiscardHandler))

	out, stderr, err := runCmd(t, env, "status")
	if err != nil {
		t.Fatalf("status while the store is held: %v\n%s", err, stderr)
	}
	for _, want := range []string{"embedded store", "outbox         0 waiting\n",
		"subscriptions  discord 1 active, 0 inactive; telegram 1 active, 1 inactive",
		"latest digest  e-20251216T180000Z · 16 Dec 2025 18:00 UTC · 3 developments", "failing feeds"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	if info, err := os.Stat(statusSocketPath(cfg)); err != nil {
		t.Error(err)
	} else if info.Mode().Perm() != 0o600 {
		t.Errorf("status socket mode %v, want 0600", info.Mode().Perm())
	}

	stop()
	if _, err := os.Stat(statusSocketPath(cfg)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket outlives its server: %v", err)
	}
	_, _, err = runCmd(t, env, "status")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "in use by a running sitrep") {
		t.Errorf("status on a held store that does not answer: %v (exit %d), want exit 1 saying it is in use", err, exitCode(err))
	}
}

func TestStatusRedis(t *testing.T) {
	rdb, _ := redistest.Client(t) // skips, or fails in CI, without a server
	rdb.Close()
	out, stderr, err := runCmd(t, map[string]string{"SITREP_REDIS_URL": redistest.URL()}, "status", "--json")
	if err != nil {
		t.Fatalf("status on Redis: %v\n%s", err, stderr)
	}
	var got bot.Status
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Subscriptions == nil {
		t.Errorf("status --json on Redis: %v\n%s", err, out)
	}

	_, _, err = runCmd(t, map[string]string{"SITREP_REDIS_URL": "redis://:pw-secret@127.0.0.1:1/0"}, "status")
	if exitCode(err) != 1 || strings.Contains(err.Error(), "pw-secret") || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("status on unreachable Redis: %v (exit %d), want exit 1 without the password", err, exitCode(err))
	}
}

// loadDefaultConfig is the configuration with nothing set.
func loadDefaultConfig(tb testing.TB) config.Config {
	tb.Helper()
	cfg, err := config.Load("", envMap(nil))
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

func TestPrintStatus(t *testing.T) {
	leader, none := "sitrep-7f9c", ""
	tests := []struct {
		name string
		st   bot.Status
		want []string
	}{
		{"known", bot.Status{Leader: &leader, Outbox: &bot.OutboxStats{Pending: 12, Dead: 2}, Feeds: 3},
			[]string{"leader         sitrep-7f9c", "outbox         12 waiting", "dead letters   2", "subscriptions  none", "latest digest  none yet"}},
		{"no leader", bot.Status{Leader: &none}, []string{"leader         none"}},
		{"feed never read", bot.Status{FailingFeeds: []bot.FeedHealth{{URL: "https://x.example/rss", Failures: 1, LastError: strings.Repeat("e", 300)}}},
			[]string{"https://x.example/rss  1", "never", strings.Repeat("e", 99) + "…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := printStatus(&b, "redis redis://r:6379/0", tt.st); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, b.String())
				}
			}
		})
	}
}
