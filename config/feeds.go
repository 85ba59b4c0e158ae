package config

import (
	"fmt"
	"time"
)

// FeedsConfig bounds how sources are fetched: sizes, times, politeness and
// the work done per poll.
type FeedsConfig struct {
	MaxBodyBytes     int           `yaml:"max_body_bytes" env:"SITREP_FEEDS_MAX_BODY_BYTES" doc:"largest feed or article page read, in bytes"`
	Timeout          time.Duration `yaml:"timeout" env:"SITREP_FEEDS_TIMEOUT" doc:"time for one request, connecting to the last byte"`
	Concurrency      int           `yaml:"concurrency" env:"SITREP_FEEDS_CONCURRENCY" doc:"requests at once, all hosts together"`
	PerHost          int           `yaml:"per_host" env:"SITREP_FEEDS_PER_HOST" doc:"requests at once to one host"`
	FailingAfter     int           `yaml:"failing_after" env:"SITREP_FEEDS_FAILING_AFTER" doc:"consecutive failures after which a feed is reported failing"`
	MaxItemsPerPoll  int           `yaml:"max_items_per_poll" env:"SITREP_FEEDS_MAX_ITEMS_PER_POLL" doc:"newest items of one feed considered per poll"`
	FullTextMinWords int           `yaml:"full_text_min_words" env:"SITREP_FEEDS_FULL_TEXT_MIN_WORDS" doc:"with full_text: auto, fetch the article page when the feed gives fewer words"`
	FullTextPerPoll  int           `yaml:"full_text_per_poll" env:"SITREP_FEEDS_FULL_TEXT_PER_POLL" doc:"article pages fetched per feed per poll; 0 = none"`
}

// DefaultFeeds returns the feed-fetching defaults.
func DefaultFeeds() FeedsConfig {
	return FeedsConfig{
		MaxBodyBytes:     5 << 20,
		Timeout:          30 * time.Second,
		Concurrency:      16,
		PerHost:          2,
		FailingAfter:     10,
		MaxItemsPerPoll:  100,
		FullTextMinWords: 80,
		FullTextPerPoll:  20,
	}
}

func (f FeedsConfig) validate() []error {
	var errs []error
	between := func(key, env string, v, lo, hi int) {
		if v < lo || v > hi {
			errs = append(errs, fieldError("feeds."+key, env, fmt.Sprintf("must be between %d and %d, got %d", lo, hi, v)))
		}
	}
	between("max_body_bytes", "SITREP_FEEDS_MAX_BODY_BYTES", f.MaxBodyBytes, 64<<10, 100<<20)
	between("concurrency", "SITREP_FEEDS_CONCURRENCY", f.Concurrency, 1, 256)
	between("per_host", "SITREP_FEEDS_PER_HOST", f.PerHost, 1, 64)
	between("failing_after", "SITREP_FEEDS_FAILING_AFTER", f.FailingAfter, 1, 1000)
	between("max_items_per_poll", "SITREP_FEEDS_MAX_ITEMS_PER_POLL", f.MaxItemsPerPoll, 1, 10000)
	between("full_text_min_words", "SITREP_FEEDS_FULL_TEXT_MIN_WORDS", f.FullTextMinWords, 0, 10000)
	between("full_text_per_poll", "SITREP_FEEDS_FULL_TEXT_PER_POLL", f.FullTextPerPoll, 0, 1000)
	if f.Timeout < time.Second || f.Timeout > 10*time.Minute {
		errs = append(errs, fieldError("feeds.timeout", "SITREP_FEEDS_TIMEOUT", fmt.Sprintf("must be between 1s and 10m, got %s", f.Timeout)))
	}
	return errs
}
