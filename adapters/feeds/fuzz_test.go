package feeds_test

import (
	"testing"

	"github.com/sitrepbot/sitrep/adapters/feeds"
)

// FuzzToArticle parses a feed document (served with a Content-Type) and
// converts each item, seeded with the feedparser suite: no input panics, and
// every article is valid UTF-8 with sane fields (see checkArticle).
//
//	go test ./adapters/feeds -run '^$' -fuzz FuzzToArticle -fuzztime 60s
func FuzzToArticle(f *testing.F) {
	for _, file := range feedparserCorpus(f) {
		ct := ""
		for _, h := range file.headers {
			if h[0] == "Content-type" || h[0] == "Content-Type" {
				ct = h[1]
			}
		}
		f.Add(file.body, ct)
	}
	src := feeds.Feed{Name: "Fuzz", URL: "https://news.example/feed", Lang: "uk", Label: "independent"}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := feeds.Parse(body, contentType)
		if err != nil {
			if feed != nil {
				t.Errorf("Parse returned a feed with the error %v", err)
			}
			return
		}
		for _, it := range feed.Items {
			if a, ok := feeds.ToArticle(src, feed, it, t0); ok {
				checkArticle(t, a, t0)
			}
		}
	})
}
