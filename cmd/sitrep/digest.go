package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"time"

	"github.com/sitrepbot/sitrep/adapters/console"
	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

const digestUsage = `Usage: sitrep digest [--feed URL]... [--corpus FILE] [flags]

Collects once, runs the engine and prints the digest. Articles come from the
configured sources, or from --feed (repeatable: http(s), file:// or a path),
or from --corpus (JSON Lines, one article per line). Nothing is stored.

Examples:
  sitrep digest
  sitrep digest --feed https://kyivindependent.com/news-archive/rss/ --since 6h
  sitrep digest --corpus testdata/sample-articles.jsonl --now 2025-12-16T18:00:00Z --format markdown
  sitrep digest --corpus testdata/sample-articles.jsonl --now 2025-12-16T18:00:00Z --format json --limit 3
`

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return fmt.Sprint(*l) }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func cmdDigest(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	var feedURLs stringList
	fs.Var(&feedURLs, "feed", "feed to collect from (repeatable); default: the configured sources")
	corpus := fs.String("corpus", "", "read articles from a JSON Lines corpus instead of feeds")
	configPath := fs.String("config", "", "configuration file (YAML); default $SITREP_CONFIG")
	format := fs.String("format", "text", "output: text, markdown or json")
	since := fs.Duration("since", 24*time.Hour, "include developments new or updated in this period")
	nowFlag := fs.String("now", "", "the time to build the digest at, RFC 3339 (default: now)")
	limit := fs.Int("limit", 0, "developments to print (default: digest.max_items)")
	if err := parseFlags(fs, args, digestUsage, e); err != nil {
		return err
	}
	if *format != "text" && *format != "markdown" && *format != "json" {
		return usageError(e, "digest", digestUsage, fmt.Errorf("--format must be text, markdown or json, not %q", *format))
	}
	now := time.Now().UTC()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usageError(e, "digest", digestUsage, fmt.Errorf("--now: %v", err))
		}
		now = t
	}
	cfg, err := loadConfig(e, *configPath)
	if err != nil {
		return err
	}
	if *limit <= 0 {
		*limit = cfg.Digest.MaxItems
	}
	log := newLogger(cfg.Log, e.stderr)
	var articles []digest.Article
	if *corpus != "" {
		items, err := feeds.ReadCorpusFile(*corpus)
		if err != nil {
			return err
		}
		for _, it := range items {
			articles = append(articles, it.Article)
		}
	} else {
		list := feedList(cfg.Sources)
		if len(feedURLs) > 0 {
			list = nil
			for _, u := range feedURLs {
				list = append(list, feeds.Feed{Name: feedName(u), URL: u})
			}
		}
		opts := feedOptions(cfg.Feeds, log, nil)
		opts.Now, opts.MaxAge = func() time.Time { return now }, max(*since, 72*time.Hour)
		col, err := collectFeeds(ctx, list, opts, newProgress(e, len(list), "reading feeds"))
		if err != nil {
			return err
		}
		articles = col.Articles
		if failed := failedFeeds(col.Feeds); failed == len(col.Feeds) && failed > 0 {
			return fmt.Errorf("no feed could be read (%d failed)", failed)
		}
	}
	d := buildDigest(engineOptions(cfg), articles, now, now.Add(-*since), *limit)
	return printDigest(e.stdout, d, *format)
}

// buildDigest replays articles published up to now, in time order, through a
// fresh engine and returns the digest of [since, now].
func buildDigest(opts digest.Options, articles []digest.Article, now, since time.Time, limit int) digest.Digest {
	sorted := slices.Clone(articles)
	slices.SortStableFunc(sorted, func(a, b digest.Article) int {
		return cmp.Or(a.Published.Compare(b.Published), cmp.Compare(bot.SeenKey(a), bot.SeenKey(b)))
	})
	sorted = slices.DeleteFunc(sorted, func(a digest.Article) bool { return a.Published.After(now) })
	eng := digest.NewEngine(opts)
	eng.AddAll(sorted)
	return eng.Digest(now, since, limit)
}

func failedFeeds(rs []bot.FeedResult) int {
	n := 0
	for _, r := range rs {
		if r.Err != nil {
			n++
		}
	}
	return n
}

// feedName names a feed given on the command line by its host or file name.
func feedName(raw string) string {
	if u, err := url.Parse(raw); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return u.Host
	}
	return filepath.Base(raw)
}

func printDigest(w io.Writer, d digest.Digest, format string) error {
	switch format {
	case "markdown":
		return console.Markdown(w, d)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(publicDigest(d))
	}
	return console.Text(w, d)
}

// usageError prints err and the usage to stderr.
func usageError(e env, name, usage string, err error) error {
	fmt.Fprintf(e.stderr, "sitrep %s: %v\n\n%s", name, err, usage)
	return errors.Join(errUsage, err)
}
