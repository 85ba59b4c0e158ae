package main

import (
	"path/filepath"
	"testing"

	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/adapters/feeds/feedstest"
	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
)

// corpusFeeds serves shared/corpus/articles.jsonl as one RSS feed per
// outlet and returns the feeds to collect.
func corpusFeeds(tb testing.TB) []feeds.Feed {
	tb.Helper()
	items, err := feeds.ReadCorpusFile(filepath.Join(telegramtest.SharedDir(tb), "corpus", "articles.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	return feedstest.New(tb, items, feedstest.Options{}).Feeds()
}
