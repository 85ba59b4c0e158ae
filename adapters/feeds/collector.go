// Package feeds turns sources (RSS 0.9x/1/2, Atom, RDF and JSON Feed over
// HTTP, or local files) into digest articles. It fetches politely (one shared
// client with timeouts and a body cap, per-host and global limits, backoff,
// Retry-After) and conditionally (ETag, Last-Modified), skips items it has
// seen, fetches an article's page when the feed's text is too short, and
// never decides relevance or clustering.
package feeds

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/mmcdole/gofeed"
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
	// fetching lets feeds that want the same page at once share one request.
	fetching singleflight.Group

	mu sync.Mutex
	// unconfirmed holds, per feed URL, the seen-keys of the articles the last
	// poll returned, until the store has them as seen. While some are not,
	// the feed is fetched without validators, so that articles the bot
	// failed to store come back instead of hiding behind a 304.
	unconfirmed map[string][]string
}

// New returns a Collector of feeds, keeping its state in st (may be nil).
func New(feeds []Feed, st State, opts Options) *Collector {
	opts = opts.withDefaults()
	pages, _ := lru.New[string, pageText](opts.FullTextCache) // errs only for a size <= 0
	return &Collector{feeds: feeds, state: st, opts: opts, log: opts.Logger,
		limits: newLimiter(opts.Concurrency, opts.PerHost), pages: pages, unconfirmed: map[string][]string{}}
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
	var wg sync.WaitGroup
	for i, f := range c.feeds {
		wg.Go(func() { articles[i], results[i], failing[i] = c.collectFeed(ctx, f, now) })
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
	return col, ctx.Err()
}

// collectFeed polls one feed when it is due and keeps its state. It reports
// whether the feed is failing. When ctx ends (shutdown) it records nothing.
func (c *Collector) collectFeed(ctx context.Context, f Feed, now time.Time) ([]digest.Article, bot.FeedResult, bool) {
	start := time.Now()
	res := bot.FeedResult{Name: f.Name, URL: f.URL}
	var st bot.FeedState
	if c.state != nil {
		var err error
		if st, err = c.state.GetFeedState(ctx, f.URL); err != nil {
			res.Err = err
			return nil, res, false
		}
	}
	if st.NextPoll.After(now) {
		res.Skipped = true
		return nil, res, st.Failing
	}
	stored := st
	fctx, cancel := context.WithTimeout(ctx, c.opts.FeedTimeout)
	defer cancel()
	p, err := c.poll(fctx, f, &st, now)
	res.Duration = time.Since(start)
	if ctx.Err() != nil {
		res.Err = ctx.Err()
		return nil, res, st.Failing
	}
	st.LastPoll = now
	if err != nil {
		c.failed(f, &st, err, now)
		res.Err = err
	} else {
		c.succeeded(f, &st, now)
		res.Items, res.New, res.NotModified = p.items, len(p.articles), p.notModified
	}
	if c.state != nil && needsWrite(stored, st) {
		if err := c.state.PutFeedState(ctx, f.URL, st); err != nil && res.Err == nil {
			res.Err = err
		}
	}
	return p.articles, res, st.Failing
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

// polled is what one poll of a feed found.
type polled struct {
	articles    []digest.Article
	items       int
	notModified bool
}

// poll fetches, parses and converts one feed, keeping the validators of a
// good answer in st, and adds full text to the new articles.
func (c *Collector) poll(ctx context.Context, f Feed, st *bot.FeedState, now time.Time) (polled, error) {
	v := validators{etag: st.ETag, lastModified: st.LastModified}
	if c.pendingArticles(ctx, f.URL) {
		v = validators{}
	}
	releaseHost, releaseAll := func() {}, func() {}
	if host := webHost(f.URL); host != "" {
		var err error
		if releaseHost, releaseAll, err = c.limits.acquire(ctx, host); err != nil {
			return polled{}, err
		}
	}
	defer releaseAll()
	ans, err := c.get(ctx, f.URL, v, acceptFeed)
	releaseHost()
	if err != nil || ans.notModified {
		return polled{notModified: ans.notModified}, err
	}
	feed, err := Parse(ans.body, ans.contentType)
	if err != nil {
		return polled{}, err
	}
	articles, err := c.unseen(ctx, c.convert(f, feed, now))
	if err != nil {
		return polled{}, err
	}
	releaseAll()
	c.addFullText(ctx, f, articles)
	st.ETag, st.LastModified = ans.validators.etag, ans.validators.lastModified
	c.setUnconfirmed(f.URL, articles)
	return polled{articles: articles, items: len(feed.Items)}, nil
}

// convert turns the newest MaxItems items of feed into articles, once each.
func (c *Collector) convert(f Feed, feed *gofeed.Feed, now time.Time) []digest.Article {
	items := newest(feed.Items, c.opts.MaxItems)
	out := make([]digest.Article, 0, len(items))
	keys := make(map[string]bool, len(items))
	for _, it := range items {
		a, ok := ToArticle(f, feed, it, now)
		if k := bot.SeenKey(a); ok && !keys[k] {
			keys[k] = true
			out = append(out, a)
		}
	}
	return out
}

// unseen returns the articles the store has not seen.
func (c *Collector) unseen(ctx context.Context, articles []digest.Article) ([]digest.Article, error) {
	if c.state == nil || len(articles) == 0 {
		return articles, nil
	}
	fresh, err := c.state.Unseen(ctx, seenKeys(articles))
	if err != nil {
		return nil, err
	}
	keep := make(map[string]bool, len(fresh))
	for _, k := range fresh {
		keep[k] = true
	}
	out := articles[:0]
	for _, a := range articles {
		if keep[bot.SeenKey(a)] {
			out = append(out, a)
		}
	}
	return out, nil
}

// setUnconfirmed remembers the articles a poll of feedURL returned.
func (c *Collector) setUnconfirmed(feedURL string, articles []digest.Article) {
	if c.state == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(articles) == 0 {
		delete(c.unconfirmed, feedURL)
		return
	}
	c.unconfirmed[feedURL] = seenKeys(articles)
}

// pendingArticles reports whether articles the last poll of feedURL returned
// are still not seen (the bot did not store them), or may not be.
func (c *Collector) pendingArticles(ctx context.Context, feedURL string) bool {
	c.mu.Lock()
	keys := c.unconfirmed[feedURL]
	c.mu.Unlock()
	if len(keys) == 0 {
		return false
	}
	left, err := c.state.Unseen(ctx, keys)
	if err != nil || len(left) > 0 {
		c.log.Debug("articles of the last poll not stored: fetching the feed unconditionally", "feed_url", redactURL(feedURL), "articles", len(left))
		return true
	}
	c.mu.Lock()
	delete(c.unconfirmed, feedURL)
	c.mu.Unlock()
	return false
}

func seenKeys(articles []digest.Article) []string {
	keys := make([]string, len(articles))
	for i, a := range articles {
		keys[i] = bot.SeenKey(a)
	}
	return keys
}

// webHost is the host of an http(s) URL, "" for anything else.
func webHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return strings.ToLower(u.Host)
}
