package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFeedsFromFileAndEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sitrep.yaml")
	yaml := `sources:
  - {name: A, url: "https://a.example/rss", full_text: never}
  - {name: B, url: "https://b.example/rss"}
feeds:
  per_host: 3
  timeout: 10s
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, envOf(map[string]string{"SITREP_FEEDS_MAX_ITEMS_PER_POLL": "50", "SITREP_FEEDS_MAX_BODY_BYTES": "1048576"}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"full_text from file", cfg.Sources[0].FullText, "never"},
		{"full_text unset", cfg.Sources[1].FullText, ""},
		{"per_host from file", cfg.Feeds.PerHost, 3},
		{"timeout from file", cfg.Feeds.Timeout, 10 * time.Second},
		{"max_items_per_poll from env", cfg.Feeds.MaxItemsPerPoll, 50},
		{"max_body_bytes from env", cfg.Feeds.MaxBodyBytes, 1 << 20},
		{"concurrency default", cfg.Feeds.Concurrency, 16},
		{"failing_after default", cfg.Feeds.FailingAfter, 10},
		{"full_text_min_words default", cfg.Feeds.FullTextMinWords, 80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestFeedsInvalid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sitrep.yaml")
	yaml := `sources:
  - {name: A, url: "https://a.example/rss", full_text: sometimes}
feeds:
  timeout: 100ms
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, envOf(map[string]string{"SITREP_FEEDS_PER_HOST": "0", "SITREP_FEEDS_CONCURRENCY": "lots",
		"SITREP_FEEDS_MAX_BODY_BYTES": "10"}))
	if err == nil {
		t.Fatal("Load succeeded")
	}
	msg := err.Error()
	for _, want := range []string{
		`sources[0].full_text: must be auto, always or never, got "sometimes"`,
		"feeds.timeout (SITREP_FEEDS_TIMEOUT): must be between 1s and 10m",
		"feeds.per_host (SITREP_FEEDS_PER_HOST): must be between 1 and 64, got 0",
		`feeds.concurrency (SITREP_FEEDS_CONCURRENCY): not a whole number: "lots"`,
		"feeds.max_body_bytes (SITREP_FEEDS_MAX_BODY_BYTES): must be between",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors lack %q\ngot:\n%s", want, msg)
		}
	}
}
