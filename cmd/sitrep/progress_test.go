package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDigestProgress: the bar shows on stderr when a person watches, and
// nothing of it appears when output goes to a pipe or a file.
func TestDigestProgress(t *testing.T) {
	dir := t.TempDir()
	cfg := writeKharkivFeeds(t, dir, time.Date(2025, 12, 16, 18, 0, 0, 0, time.UTC))
	var args []string
	for _, f := range []string{"ledger.xml", "wire.xml"} {
		args = append(args, "--feed", filepath.Join(dir, f))
	}
	args = append(args, "--config", cfg, "--now", "2025-12-16T18:00:00Z")
	tests := []struct {
		name     string
		terminal bool
		wantBar  bool
	}{
		{"terminal", true, true},
		{"not a terminal", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			e := env{getenv: envMap(nil), stdout: &stdout, stderr: &stderr,
				isTerminal: func(io.Writer) bool { return tt.terminal }}
			if err := cmdDigest(context.Background(), e, args); err != nil {
				t.Fatalf("digest: %v\n%s", err, stderr.String())
			}
			if !strings.Contains(stdout.String(), "Kharkiv") {
				t.Errorf("stdout lacks the digest:\n%s", stdout.String())
			}
			if got := strings.Contains(stderr.String(), "reading feeds") && strings.Contains(stderr.String(), "/2)"); got != tt.wantBar {
				t.Errorf("bar shown = %v, want %v; stderr:\n%q", got, tt.wantBar, stderr.String())
			}
			if strings.Contains(stdout.String(), "reading feeds") {
				t.Errorf("the bar went to stdout:\n%s", stdout.String())
			}
		})
	}
}

func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name, w := range map[string]io.Writer{"pipe": w, "file": f, "buffer": &syncBuffer{}} {
		if isTerminal(w) {
			t.Errorf("isTerminal(%s) = true", name)
		}
	}
}
