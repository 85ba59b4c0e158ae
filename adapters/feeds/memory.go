package feeds

import (
	"context"

	"github.com/sitrepbot/sitrep/digest"
)

// feedMemory is what the collector remembers of a feed between polls, in
// memory only: a restart forgets it, at the cost of one full parse per feed.
type feedMemory struct {
	// unconfirmed holds the seen-keys of the articles the last poll returned,
	// until the store has them as seen. While some are not, the feed is
	// fetched without validators, so that articles the bot failed to store
	// come back instead of hiding behind a 304.
	unconfirmed []string
	// body is a hash of the last document parsed, so that a server without
	// validators that sends the same document again costs no parse.
	body uint64
}

// remember keeps what a good poll of feedURL found. Without a store nothing
// is remembered: every poll collects everything.
func (c *Collector) remember(feedURL string, body uint64, articles []digest.Article) {
	if c.state == nil {
		return
	}
	m := feedMemory{body: body}
	if len(articles) > 0 {
		m.unconfirmed = seenKeys(articles)
	}
	c.mu.Lock()
	c.memory[feedURL] = m
	c.mu.Unlock()
}

// sameBody reports whether the last document parsed of feedURL hashed to body.
func (c *Collector) sameBody(feedURL string, body uint64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.memory[feedURL]
	return ok && m.body == body
}

// pendingArticles reports whether articles the last poll of feedURL returned
// are still not seen (the bot did not store them), or may not be.
func (c *Collector) pendingArticles(ctx context.Context, feedURL string) bool {
	c.mu.Lock()
	keys := c.memory[feedURL].unconfirmed
	c.mu.Unlock()
	if len(keys) == 0 {
		return false
	}
	left, err := c.state.Unseen(ctx, keys)
	if err != nil || len(left) > 0 {
		c.log.Debug("articles of the last poll not stored: fetching the feed in full", "feed_url", redactURL(feedURL), "articles", len(left))
		return true
	}
	c.mu.Lock()
	if m, ok := c.memory[feedURL]; ok {
		m.unconfirmed = nil
		c.memory[feedURL] = m
	}
	c.mu.Unlock()
	return false
}
