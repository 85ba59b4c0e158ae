package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
)

// TestCheckShowsFailingFeeds: check prints each feed the store has marked
// failing, with its last error, and still exits 0.
func TestCheckShowsFailingFeeds(t *testing.T) {
	dir := t.TempDir()
	s, err := boltstore.Open(filepath.Join(dir, "sitrep.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := config.DefaultSources()
	ctx := context.Background()
	last := time.Date(2025, 12, 16, 9, 0, 0, 0, time.UTC)
	states := map[string]bot.FeedState{
		src[0].URL: {Failures: 12, Failing: true, LastError: "HTTP 503 Service Unavailable", LastSuccess: last, NextPoll: last.Add(time.Hour)},
		src[1].URL: {Failures: 2, LastError: "timeout"},
		src[2].URL: {LastSuccess: last},
	}
	for u, st := range states {
		if err := s.PutFeedState(ctx, u, st); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	out, _, err := runCmd(t, map[string]string{"SITREP_DATA_DIR": dir}, "check")
	if err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
	for _, want := range []string{
		"OK   feeds: 16 configured, 3 polled, 2 with errors, 1 failing",
		`WARN feed "` + src[0].Name + `": failing, 12 failures in a row, last success 2025-12-16T09:00:00Z, next try 2025-12-16T10:00:00Z: HTTP 503 Service Unavailable`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, src[1].Name) {
		t.Errorf("check warns of a feed that is not failing:\n%s", out)
	}
}

func TestFeedOptions(t *testing.T) {
	cfg := config.DefaultFeeds()
	cfg.FullTextPerPoll, cfg.FullTextMinWords = 0, 0
	got := feedOptions(cfg, nil, nil)
	if got.MaxBody != 5<<20 || got.PerHost != 2 || got.Concurrency != 16 || got.FailingAfter != 10 || got.MaxItems != 100 || got.Timeout != 30*time.Second {
		t.Errorf("feedOptions(defaults) = %+v", got)
	}
	if got.FullTextPerPoll >= 0 || got.FullTextMinWords >= 0 {
		t.Errorf("a zero full-text setting maps to %d, %d, want negative (none)", got.FullTextPerPoll, got.FullTextMinWords)
	}
}
