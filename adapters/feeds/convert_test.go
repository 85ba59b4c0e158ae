package feeds_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/digest"
)

func TestToArticle(t *testing.T) {
	src := feeds.Feed{Name: "Kyiv Ledger", URL: "https://kl.example/rss/", Lang: "uk", Label: "independent"}
	past, future, ancient := t0.Add(-2*time.Hour), t0.Add(48*time.Hour), time.Unix(0, 0)
	feed := &gofeed.Feed{Language: "en-GB", Link: "https://kl.example/"}
	tests := []struct {
		name string
		feed *gofeed.Feed
		item gofeed.Item
		want digest.Article // Source and Label are the source's
	}{
		{"guid, content first", feed,
			gofeed.Item{GUID: " urn:1 ", Title: "Strike", Link: "https://kl.example/a/1", Description: "teaser", Content: "<p>body</p>", PublishedParsed: &past},
			digest.Article{ID: "urn:1", URL: "https://kl.example/a/1", Title: "Strike", Summary: "teaser", Content: "<p>body</p>", Published: past, Lang: "en"}},
		{"canonical link as id", feed,
			gofeed.Item{Title: "Strike", Link: "HTTPS://KL.example:443/a/2?utm_source=rss&id=7&fbclid=x#comments"},
			digest.Article{ID: "https://kl.example/a/2?id=7", URL: "https://kl.example/a/2?id=7", Title: "Strike", Published: t0, Lang: "en"}},
		{"relative link", nil,
			gofeed.Item{Title: "Strike", Link: "/a/3"},
			digest.Article{ID: "https://kl.example/a/3", URL: "https://kl.example/a/3", Title: "Strike", Published: t0, Lang: "uk"}},
		{"javascript link dropped", nil,
			gofeed.Item{Title: "Click", Link: "javascript:alert(1)"},
			digest.Article{ID: "Click", Title: "Click", Published: t0, Lang: "uk"}},
		{"future date clamped", nil,
			gofeed.Item{GUID: "f", Title: "Soon", PublishedParsed: &future},
			digest.Article{ID: "f", Title: "Soon", Published: t0, Lang: "uk"}},
		{"updated when no published", nil,
			gofeed.Item{GUID: "u", Title: "Upd", UpdatedParsed: &past},
			digest.Article{ID: "u", Title: "Upd", Published: past, Lang: "uk"}},
		{"epoch date is no date", nil,
			gofeed.Item{GUID: "e", Title: "Old", PublishedParsed: &ancient},
			digest.Article{ID: "e", Title: "Old", Published: t0, Lang: "uk"}},
		{"item language first", feed,
			gofeed.Item{GUID: "l", Title: "Мова", DublinCoreExt: &ext.DublinCoreExtension{Language: []string{"ru-RU"}}},
			digest.Article{ID: "l", Title: "Мова", Published: t0, Lang: "ru"}},
		{"bad feed language falls back to the source's", &gofeed.Feed{Language: "English"},
			gofeed.Item{GUID: "b", Title: "T"},
			digest.Article{ID: "b", Title: "T", Published: t0, Lang: "uk"}},
		{"invalid UTF-8 repaired", nil,
			gofeed.Item{GUID: "x\xff", Title: " Ki\xffv "},
			digest.Article{ID: "x\uFFFD", Title: "Ki\uFFFDv", Published: t0, Lang: "uk"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := feeds.ToArticle(src, tt.feed, &tt.item, t0)
			if !ok {
				t.Fatal("ToArticle reported no article")
			}
			want := tt.want
			want.Source, want.Label = src.Name, src.Label
			if got != want || got.Published.Location() != time.UTC {
				t.Errorf("got  %+v\nwant %+v (in UTC)", got, want)
			}
		})
	}
}

func TestToArticleHashesLongIDs(t *testing.T) {
	a, _ := feeds.ToArticle(feeds.Feed{Name: "X"}, nil, &gofeed.Item{GUID: strings.Repeat("g", 300), Title: "T"}, t0)
	b, _ := feeds.ToArticle(feeds.Feed{Name: "X"}, nil, &gofeed.Item{GUID: strings.Repeat("g", 301), Title: "T"}, t0)
	if !strings.HasPrefix(a.ID, "sha256:") || len(a.ID) > 256 || a.ID == b.ID {
		t.Errorf("ids %q and %q, want distinct short hashes", a.ID, b.ID)
	}
}

func TestToArticleRejects(t *testing.T) {
	src := feeds.Feed{Name: "X"}
	for name, it := range map[string]*gofeed.Item{
		"nil":               nil,
		"no title, no link": {Description: "orphan text"},
		"blank title":       {Title: "   "},
		"link not http(s)":  {Link: "ftp://x.example/file"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, ok := feeds.ToArticle(src, nil, it, t0); ok {
				t.Errorf("ToArticle(%+v) made an article", it)
			}
		})
	}
}

func TestToArticleCapsText(t *testing.T) {
	huge := strings.Repeat("Ж", 1<<20) // 2 MiB of two-byte letters
	a, ok := feeds.ToArticle(feeds.Feed{Name: "X"}, nil, &gofeed.Item{GUID: "1", Title: huge, Description: huge, Content: huge}, t0)
	if !ok {
		t.Fatal("no article")
	}
	for name, s := range map[string]string{"title": a.Title, "summary": a.Summary, "content": a.Content} {
		if len(s) > 128<<10 || !strings.HasPrefix(huge, s) || s == "" {
			t.Errorf("%s: %d bytes, want a non-empty prefix of at most 128 KiB cut between letters", name, len(s))
		}
	}
}
