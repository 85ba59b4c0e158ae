package bot

import (
	"context"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// Source collects new articles from the configured feeds.
type Source interface {
	// Collect polls every feed that is due and returns the articles not seen
	// before. A feed that fails is reported in its FeedResult, not as an error;
	// the error is for a failure of the whole collection (e.g. the store).
	Collect(ctx context.Context) (Collection, error)
}

// Collection is the result of one Collect.
type Collection struct {
	Articles []digest.Article
	Feeds    []FeedResult
	// Commit, when not nil, keeps what Collect learned of the feeds that
	// brought Articles (their validators). Call it once the articles are
	// stored: until then those feeds are fetched in full again, so articles
	// lost in between (a crash, a store error) come again.
	Commit func(ctx context.Context) error
}

// FeedResult is what happened to one feed in one Collect.
type FeedResult struct {
	Name        string
	URL         string
	Items       int  // items in the feed
	New         int  // articles returned
	NotModified bool // the server answered 304
	Skipped     bool // not due yet (backoff or Retry-After)
	Err         error
	Duration    time.Duration
}

// SeenKey is the key under which an article is remembered as seen: its
// outlet and its id, so two outlets' identical GUIDs stay apart.
func SeenKey(a digest.Article) string { return a.Source + "|" + a.ID }
