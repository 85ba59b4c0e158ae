// Package feeds turns sources (RSS 0.9x/1/2, Atom, RDF and JSON Feed over
// HTTP, or local files) into digest articles. It fetches politely (one shared
// client with timeouts and a body cap, per-host and global limits, backoff,
// Retry-After) and conditionally (ETag, Last-Modified), skips items it has
// seen, fetches an article's page when the feed's text is too short, and
// never decides relevance or clustering.
package feeds

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

var _ bot.Source = (*Collector)(nil)

// Collector fetches a fixed list of feeds. Its methods are safe for
// concurrent use, but Collect is meant to run once at a time.
type Collector struct {
	feeds  []Feed
	state  State
	opts   Options
	log    *slog.Logger
	limits *limiter
	pages  *lru.Cache[string, pageText]
	robots *lru.Cache[string, robotsRules] // by site (scheme://host)
	// fetching lets feeds that want the same page at once share one request.
	fetching singleflight.Group

	mu     sync.Mutex
	memory map[string]feedMemory // by feed URL
	seed   maphash.Seed
}

// New returns a Collector of feeds, keeping its state in st (may be nil).
func New(feeds []Feed, st State, opts Options) *Collector {
	opts = opts.withDefaults()
	pages, _ := lru.New[string, pageText](opts.FullTextCache) // errs only for a size <= 0
	robots, _ := lru.New[string, robotsRules](robotsSites)
	return &Collector{feeds: feeds, state: st, opts: opts, log: opts.Logger, limits: newLimiter(opts.Concurrency, opts.PerHost),
		pages: pages, robots: robots, memory: map[string]feedMemory{}, seed: maphash.MakeSeed()}
}

// Collect implements bot.Source: it polls every feed that is due, at most
// Concurrency requests at once and PerHost to one host, and returns the
// articles not seen before, feed by feed in configuration order. A feed in
// backoff is Skipped. The error is ctx's, when it ended.
func (c *Collector) Collect(ctx context.Context) (bot.Collection, error) {
	now := c.opts.Now()
	results := make([]bot.FeedResult, len(c.feeds))
	articles := make([][]digest.Article, len(c.feeds))
	failing := make([]bool, len(c.feeds))
	pending := make([]*bot.FeedState, len(c.feeds))
	var wg sync.WaitGroup
	for i, f := range c.feeds {
		wg.Go(func() {
			articles[i], results[i], pending[i], failing[i] = c.collectFeed(ctx, f, now)
			if c.opts.FeedDone != nil {
				c.opts.FeedDone(results[i])
			}
		})
	}
	wg.Wait()
	var col bot.Collection
	col.Feeds = results
	n := 0
	for i, as := range articles {
		col.Articles = append(col.Articles, as...)
		if failing[i] {
			n++
		}
	}
	if c.opts.Metrics != nil && c.state != nil {
		c.opts.Metrics.FeedsFailing.Set(float64(n))
	}
	if slices.ContainsFunc(pending, func(st *bot.FeedState) bool { return st != nil }) {
		col.Commit = func(ctx context.Context) error { return c.commit(ctx, pending) }
	}
	return col, ctx.Err()
}

// commit stores the states of the feeds that brought new articles, held back
// by Collect until the articles are stored.
func (c *Collector) commit(ctx context.Context, pending []*bot.FeedState) error {
	var errs []error
	for i, st := range pending {
		if st == nil {
			continue
		}
		if err := c.state.PutFeedState(ctx, c.feeds[i].URL, *st); err != nil {
			errs = append(errs, fmt.Errorf("feeds: %s: keeping its state: %w", c.feeds[i].Name, err))
		}
	}
	return errors.Join(errs...)
}

// collectFeed polls one feed when it is due and keeps its state. It reports
// whether the feed is failing. When ctx ends (shutdown) it records nothing.
// The state of a feed that brought new articles is not stored but returned
// (pending), for Commit once the articles are stored.
func (c *Collector) collectFeed(ctx context.Context, f Feed, now time.Time) (_ []digest.Article, _ bot.FeedResult, pending *bot.FeedState, failing bool) {
	start := time.Now()
	res := bot.FeedResult{Name: f.Name, URL: f.URL}
	var st bot.FeedState
	if c.state != nil {
		var err error
		if st, err = c.state.GetFeedState(ctx, f.URL); err != nil {
			res.Err = err
			return nil, res, nil, false
		}
	}
	if st.NextPoll.After(now) {
		res.Skipped = true
		return nil, res, nil, st.Failing
	}
	stored := st
	p, err := c.poll(ctx, f, &st, now)
	res.Duration = time.Since(start)
	if ctx.Err() != nil {
		res.Err = ctx.Err()
		return nil, res, nil, st.Failing
	}
	st.LastPoll = now
	if err != nil {
		c.failed(f, &st, err, now)
		res.Err = err
	} else {
		c.succeeded(f, &st, now)
		res.Items, res.New, res.NotModified = p.items, len(p.articles), p.notModified
	}
	switch {
	case c.state == nil || !needsWrite(stored, st):
	case len(p.articles) > 0:
		pending = &st
	default:
		if err := c.state.PutFeedState(ctx, f.URL, st); err != nil && res.Err == nil {
			res.Err = err
		}
	}
	return p.articles, res, pending, st.Failing
}

// stateRefresh is how stale the stored LastPoll and LastSuccess of a healthy,
// unchanged feed may become before they are written again.
const stateRefresh = 15 * time.Minute

// needsWrite reports whether st must be stored over stored: when anything but
// the poll times changed, or they are older than stateRefresh. So a 304 from
// a healthy feed usually costs no write (an fsync with the embedded store).
func needsWrite(stored, st bot.FeedState) bool {
	if st.LastPoll.Sub(stored.LastPoll) >= stateRefresh {
		return true
	}
	stored.LastPoll, stored.LastSuccess = st.LastPoll, st.LastSuccess
	return stored != st
}

// webHost is the host of an http(s) URL, "" for anything else.
func webHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return strings.ToLower(u.Host)
}
