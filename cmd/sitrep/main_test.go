package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a running command and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func envMap(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// runCmd runs sitrep with args and returns stdout, stderr and the error.
func runCmd(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr syncBuffer
	err := run(context.Background(), args, envMap(env), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

const sample = "../../testdata/sample-articles.jsonl"

func TestDigestJSONShape(t *testing.T) {
	out, stderr, err := runCmd(t, nil, "digest", "--corpus", sample, "--format", "json", "--now", "2025-12-16T18:00:00Z")
	if err != nil {
		t.Fatalf("digest: %v\n%s", err, stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"generated", "since", "developments"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %q in %s", k, out)
		}
	}
	devs, _ := got["developments"].([]any)
	if len(devs) < 3 {
		t.Fatalf("%d developments, want at least 3", len(devs))
	}
	dev := devs[0].(map[string]any)
	for _, k := range []string{"id", "headline", "summary", "sources", "article_count", "first_seen", "updated", "score"} {
		if _, ok := dev[k]; !ok {
			t.Errorf("development lacks %q: %v", k, dev)
		}
	}
	src := dev["sources"].([]any)[0].(map[string]any)
	if src["name"] == "" || src["url"] == "" {
		t.Errorf("source = %v, want name and url", src)
	}
}

func TestDigestDeterministic(t *testing.T) {
	args := []string{"digest", "--corpus", sample, "--format", "json", "--now", "2025-12-16T18:00:00Z"}
	first, _, err := runCmd(t, nil, args...)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, _, _ := runCmd(t, nil, args...)
		if again != first {
			t.Fatalf("two runs differ:\n%s\n---\n%s", first, again)
		}
	}
}

func TestDigestFormats(t *testing.T) {
	for _, format := range []string{"text", "markdown"} {
		t.Run(format, func(t *testing.T) {
			out, _, err := runCmd(t, nil, "digest", "--corpus", sample, "--format", format, "--now", "2025-12-16T18:00:00Z", "--limit", "2")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "Mykolaiv") || strings.Count(out, "/story ")+strings.Count(out, "id `") != 2 {
				t.Errorf("output lacks the top development or has other than 2 items:\n%s", out)
			}
		})
	}
}

func TestDigestFromFeedFile(t *testing.T) {
	feed := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(feed, []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Russian drones hit Kharkiv power station</title><link>https://t.example/1</link><guid>1</guid>
<pubDate>Tue, 16 Dec 2025 10:00:00 GMT</pubDate><description>Russian drones hit a power station in Kharkiv overnight.</description></item>
</channel></rss>`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{feed, "file://" + feed} {
		out, stderr, err := runCmd(t, nil, "digest", "--feed", ref, "--now", "2025-12-16T18:00:00Z")
		if err != nil || !strings.Contains(out, "Kharkiv power station") {
			t.Errorf("digest --feed %s: %v\n%s%s", ref, err, out, stderr)
		}
	}
}

func TestCheckBadConfig(t *testing.T) {
	out, _, err := runCmd(t, nil, "check", "--config", "../../config/testdata/bad.yaml")
	if code := exitCode(err); code != 2 {
		t.Fatalf("exit code %d (%v), want 2", code, err)
	}
	for _, key := range []string{"sources[0].name", "poll_interval (SITREP_POLL_INTERVAL)", "digest.default_timezone", "log.level"} {
		if !strings.Contains(out, key) {
			t.Errorf("check output lacks %q:\n%s", key, out)
		}
	}
}

func TestCheckServices(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runCmd(t, map[string]string{"SITREP_DATA_DIR": dir}, "check")
	if err != nil || !strings.Contains(out, "OK   embedded store") {
		t.Errorf("check with embedded store: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, map[string]string{"SITREP_REDIS_URL": "redis://:pw-secret@127.0.0.1:1/0"}, "check")
	if code := exitCode(err); code != 1 {
		t.Errorf("check with unreachable Redis: exit %d, want 1\n%s", code, out)
	}
	if !strings.Contains(out, "FAIL redis") || strings.Contains(out, "pw-secret") {
		t.Errorf("check output should say FAIL redis without the password:\n%s", out)
	}
}

func TestHelp(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			out, _, err := runCmd(t, nil, c.name, "--help")
			if err != nil {
				t.Fatalf("%s --help: %v", c.name, err)
			}
			if !strings.Contains(out, "Usage: sitrep "+c.name) || !strings.Contains(out, "Examples:") {
				t.Errorf("%s --help lacks usage or examples:\n%s", c.name, out)
			}
		})
	}
	_, _, err := runCmd(t, nil, "frobnicate")
	if !errors.Is(err, errUsage) || exitCode(err) != 2 {
		t.Errorf("unknown command: %v (exit %d), want a usage error", err, exitCode(err))
	}
}

// TestRunOffline: with no configuration and no network, run starts on the
// embedded store, logs every unreachable source with its reason, and stops
// cleanly when cancelled.
func TestRunOffline(t *testing.T) {
	dir := t.TempDir()
	env := envMap(map[string]string{"SITREP_DATA_DIR": dir, "SITREP_HTTP_LISTEN": "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"run"}, env, &stdout, &stderr) }()

	deadline := time.Now().Add(60 * time.Second)
	for strings.Count(stderr.String(), "feed failed") < 16 {
		if time.Now().After(deadline) {
			t.Fatalf("not every default source was reported unreachable within 60s:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop within 5s of cancellation")
	}
	log := stderr.String()
	if !strings.Contains(log, "error=") || !strings.Contains(log, "sitrep stopped") {
		t.Errorf("log lacks reasons or the stop line:\n%s", log)
	}
	if _, err := os.Stat(filepath.Join(dir, "sitrep.db")); err != nil {
		t.Errorf("embedded store not created: %v", err)
	}
}

// TestDigestConfiguredTopics: engine.topics replaces the built-in lexicon.
func TestDigestConfiguredTopics(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("engine:\n  topics:\n    - {name: sport, terms: [football, tournament]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := runCmd(t, nil, "digest", "--config", path, "--corpus", sample, "--now", "2025-12-16T18:00:00Z")
	if err != nil {
		t.Fatalf("digest: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "football") || strings.Contains(out, "Mykolaiv") {
		t.Errorf("with a sport topic, want the football item only:\n%s", out)
	}
}
