package feeds

import (
	"context"
	"hash/maphash"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// polled is what one poll of a feed found.
type polled struct {
	articles    []digest.Article
	items       int
	notModified bool // a 304, or the same body as last time
}

// poll fetches, parses and converts one feed, keeping the validators of a
// good answer in st, and adds full text to the new articles. FeedTimeout
// bounds its work from the moment it has a slot to fetch in.
func (c *Collector) poll(ctx context.Context, f Feed, st *bot.FeedState, now time.Time) (polled, error) {
	forced := c.pendingArticles(ctx, f.URL)
	v := validators{etag: st.ETag, lastModified: st.LastModified}
	if forced {
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
	ctx, cancel := context.WithTimeout(ctx, c.opts.FeedTimeout)
	defer cancel()
	ans, err := c.get(ctx, f.URL, v, acceptFeed)
	releaseHost()
	if err != nil || ans.notModified {
		return polled{notModified: ans.notModified}, err
	}
	sum := maphash.Bytes(c.seed, ans.body)
	if !forced && c.sameBody(f.URL, sum) {
		st.ETag, st.LastModified = ans.validators.etag, ans.validators.lastModified
		return polled{notModified: true}, nil
	}
	feed, err := Parse(ans.body, ans.contentType)
	if err != nil {
		return polled{}, err
	}
	articles, err := c.unseen(ctx, c.convert(f, feed, now), now)
	if err != nil {
		return polled{}, err
	}
	releaseAll()
	c.addFullText(ctx, f, articles)
	st.ETag, st.LastModified = ans.validators.etag, ans.validators.lastModified
	c.remember(f.URL, sum, articles)
	return polled{articles: articles, items: len(feed.Items)}, nil
}

// convert turns the newest MaxItems items of feed into articles, once each,
// leaving out those published more than MaxAge before now.
func (c *Collector) convert(f Feed, feed *gofeed.Feed, now time.Time) []digest.Article {
	items := newest(feed.Items, c.opts.MaxItems)
	out := make([]digest.Article, 0, len(items))
	keys := make(map[string]bool, len(items))
	oldest := now.Add(-c.opts.MaxAge)
	for _, it := range items {
		a, ok := ToArticle(f, feed, it, now)
		if k := bot.SeenKey(a); ok && !keys[k] && !a.Published.Before(oldest) {
			keys[k] = true
			out = append(out, a)
		}
	}
	return out
}

// unseen returns the articles the store has not seen. An undated item
// (dated now, when it was read) that was seen is marked seen again for
// 2×MaxAge: MaxAge never leaves it out, so it would come back as news once
// its mark expired while the feed still carries it.
func (c *Collector) unseen(ctx context.Context, articles []digest.Article, now time.Time) ([]digest.Article, error) {
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
	var undated []string
	for _, a := range articles {
		switch k := bot.SeenKey(a); {
		case keep[k]:
			out = append(out, a)
		case a.Published.Equal(now):
			undated = append(undated, k)
		}
	}
	if len(undated) > 0 {
		if err := c.state.MarkSeen(ctx, undated, 2*c.opts.MaxAge); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func seenKeys(articles []digest.Article) []string {
	keys := make([]string, len(articles))
	for i, a := range articles {
		keys[i] = bot.SeenKey(a)
	}
	return keys
}
