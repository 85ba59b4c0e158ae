// Package feeds turns sources (RSS, Atom, RDF and JSON feeds over HTTP, or
// local files) into digest articles. It fetches politely and conditionally,
// remembers what it has seen, and never decides relevance or clustering.
package feeds

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

var _ bot.Source = (*Collector)(nil)

// Feed is one source to collect from.
type Feed struct {
	Name  string
	URL   string // http(s), file:// or a local path
	Lang  string // used when the feed does not say; "" = detect
	Label string
}

// State is what the collector needs of the store: validators, health and
// the seen-set. A nil State collects everything, every time.
type State interface {
	bot.FeedStateStore
	bot.SeenStore
}

// Options configure a Collector.
type Options struct {
	Client      *http.Client // default: NewClient()
	UserAgent   string       // default "sitrep/dev (+https://github.com/sitrepbot/sitrep)"
	MaxBody     int64        // bytes read of one response; default 5 MiB
	Concurrency int          // feeds fetched at once; default 16
	Now         func() time.Time
	Logger      *slog.Logger
}

// Collector fetches a fixed list of feeds.
type Collector struct {
	feeds []Feed
	state State
	opts  Options
	log   *slog.Logger
}

// New returns a Collector of feeds, keeping its state in st (may be nil).
func New(feeds []Feed, st State, opts Options) *Collector {
	if opts.Client == nil {
		opts.Client = NewClient()
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "sitrep/dev (+https://github.com/sitrepbot/sitrep)"
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 5 << 20
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 16
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Collector{feeds: feeds, state: st, opts: opts, log: opts.Logger}
}

// NewClient returns the HTTP client feeds are fetched with: bounded connect,
// header and whole-request times, and at most 5 redirects.
func NewClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = 15 * time.Second
	t.MaxIdleConnsPerHost = 4
	return &http.Client{
		Transport: t,
		Timeout:   30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errTooManyRedirects
			}
			return nil
		},
	}
}

// Collect implements bot.Source: it polls every feed once, at most
// Concurrency at a time, and returns the articles not seen before, feed by
// feed in configuration order.
func (c *Collector) Collect(ctx context.Context) (bot.Collection, error) {
	results := make([]bot.FeedResult, len(c.feeds))
	articles := make([][]digest.Article, len(c.feeds))
	sem := make(chan struct{}, c.opts.Concurrency)
	var wg sync.WaitGroup
	for i, f := range c.feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				results[i] = bot.FeedResult{Name: f.Name, URL: f.URL, Err: ctx.Err()}
				return
			}
			articles[i], results[i] = c.collectFeed(ctx, f)
		}()
	}
	wg.Wait()
	var col bot.Collection
	col.Feeds = results
	for _, as := range articles {
		col.Articles = append(col.Articles, as...)
	}
	return col, ctx.Err()
}

// collectFeed fetches and converts one feed, keeping its state.
func (c *Collector) collectFeed(ctx context.Context, f Feed) ([]digest.Article, bot.FeedResult) {
	start := c.opts.Now()
	res := bot.FeedResult{Name: f.Name, URL: f.URL}
	var st bot.FeedState
	if c.state != nil {
		var err error
		if st, err = c.state.GetFeedState(ctx, f.URL); err != nil {
			res.Err = err
			return nil, res
		}
	}
	body, next, err := c.fetch(ctx, f.URL, st)
	st.LastPoll = start
	var out []digest.Article
	switch {
	case err != nil:
		st.Failures++
		st.LastError = err.Error()
		res.Err = err
		c.log.Warn("feed failed", "feed", f.Name, "feed_url", f.URL, "error", err)
	case body == nil:
		res.NotModified = true
		st.Failures, st.LastError, st.LastSuccess = 0, "", start
	default:
		st.ETag, st.LastModified = next.ETag, next.LastModified
		out, res.Items, err = c.parse(ctx, f, body, start)
		if err != nil {
			st.Failures++
			st.LastError = err.Error()
			res.Err = err
			c.log.Warn("feed failed", "feed", f.Name, "feed_url", f.URL, "error", err)
		} else {
			st.Failures, st.LastError, st.LastSuccess = 0, "", start
		}
	}
	res.New = len(out)
	res.Duration = c.opts.Now().Sub(start)
	if c.state != nil {
		if err := c.state.PutFeedState(ctx, f.URL, st); err != nil && res.Err == nil {
			res.Err = err
		}
	}
	return out, res
}
