package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// ErrNotAFeed is returned for a document that is not RSS, Atom, RDF or JSON Feed.
var ErrNotAFeed = errors.New("not a feed")

// parse converts a feed document into the articles not seen before.
func (c *Collector) parse(ctx context.Context, f Feed, body []byte, now time.Time) ([]digest.Article, int, error) {
	parsed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, 0, ErrNotAFeed
	} else if err != nil {
		return nil, 0, fmt.Errorf("parse: %w", err)
	}
	articles := make([]digest.Article, 0, len(parsed.Items))
	for _, it := range parsed.Items {
		if a, ok := ToArticle(f, parsed, it, now); ok {
			articles = append(articles, a)
		}
	}
	if c.state == nil {
		return articles, len(parsed.Items), nil
	}
	keys := make([]string, len(articles))
	for i, a := range articles {
		keys[i] = bot.SeenKey(a)
	}
	unseen, err := c.state.Unseen(ctx, keys)
	if err != nil {
		return nil, len(parsed.Items), err
	}
	fresh := make(map[string]bool, len(unseen))
	for _, k := range unseen {
		fresh[k] = true
	}
	out := articles[:0]
	for _, a := range articles {
		if fresh[bot.SeenKey(a)] {
			out = append(out, a)
		}
	}
	return out, len(parsed.Items), nil
}

// ToArticle converts one feed item. It reports false for an item with neither
// a title nor a link. Dates in the future are clamped to now; an item without
// a date is dated now (its first sighting).
func ToArticle(f Feed, feed *gofeed.Feed, it *gofeed.Item, now time.Time) (digest.Article, bool) {
	if it == nil || (strings.TrimSpace(it.Title) == "" && strings.TrimSpace(it.Link) == "") {
		return digest.Article{}, false
	}
	a := digest.Article{
		ID:      strings.TrimSpace(it.GUID),
		Source:  f.Name,
		Label:   f.Label,
		URL:     strings.TrimSpace(it.Link),
		Title:   it.Title,
		Summary: it.Description,
		Content: it.Content,
		Lang:    f.Lang,
	}
	if a.ID == "" {
		a.ID = a.URL
	}
	if a.ID == "" {
		a.ID = a.Title
	}
	if a.Lang == "" && feed != nil {
		a.Lang = strings.ToLower(strings.SplitN(feed.Language, "-", 2)[0])
	}
	switch {
	case it.PublishedParsed != nil:
		a.Published = *it.PublishedParsed
	case it.UpdatedParsed != nil:
		a.Published = *it.UpdatedParsed
	default:
		a.Published = now
	}
	if a.Published.After(now) {
		a.Published = now
	}
	a.Published = a.Published.UTC()
	return a, true
}
