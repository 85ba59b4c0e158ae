package web_test

import (
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/sitrepbot/sitrep/adapters/web"
)

// TestAtomParsesBack reads the feed with gofeed, as a feed reader would.
func TestAtomParsesBack(t *testing.T) {
	tests := []struct {
		name      string
		publicURL string
		base      string
	}{
		{"public URL", "https://sitrep.example.org/news/", "https://sitrep.example.org/news"},
		{"request host", "", "http://sitrep.test"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := mustServer(t, web.Options{PublicURL: tt.publicURL})
			rec := get(t, s.Handler(), "/digest.atom")
			feed, err := gofeed.NewParser().ParseString(rec.Body.String())
			if err != nil {
				t.Fatalf("gofeed: %v\n%s", err, rec.Body)
			}
			if feed.FeedType != "atom" || feed.FeedVersion != "1.0" {
				t.Errorf("feed type %s %s, want atom 1.0", feed.FeedType, feed.FeedVersion)
			}
			if feed.Title == "" || feed.UpdatedParsed == nil || !feed.UpdatedParsed.Equal(at) {
				t.Errorf("title %q, updated %v: want a title and the newest edition's time %v", feed.Title, feed.UpdatedParsed, at)
			}
			if got, want := feed.FeedLink, tt.base+"/digest.atom"; got != want {
				t.Errorf("self link %q, want %q", got, want)
			}
			if got, want := feed.Link, tt.base+"/"; got != want {
				t.Errorf("alternate link %q, want %q", got, want)
			}
			var ids []string
			for _, it := range feed.Items {
				ids = append(ids, it.GUID)
				if it.Link != it.GUID || !strings.HasPrefix(it.Link, tt.base+"/story/") {
					t.Errorf("entry %q: id %q, link %q; want both the story URL", it.Title, it.GUID, it.Link)
				}
				if it.UpdatedParsed == nil || it.PublishedParsed == nil || it.UpdatedParsed.Before(*it.PublishedParsed) {
					t.Errorf("entry %q: updated %v, published %v", it.Title, it.UpdatedParsed, it.PublishedParsed)
				}
			}
			want := []string{"myk1", "bad3", "air2", "old4"} // most recently updated first, each once
			if len(ids) != len(want) {
				t.Fatalf("entries %v, want %v", ids, want)
			}
			for i, id := range want {
				if ids[i] != tt.base+"/story/"+id {
					t.Errorf("entry %d is %s, want %s", i, ids[i], id)
				}
			}
			myk, bad := feed.Items[0], feed.Items[1]
			if !strings.Contains(myk.Content, `<a href="https://harbour.example/a1">Harbour Times</a> [independent]`) {
				t.Errorf("content lacks the outlet link:\n%s", myk.Content)
			}
			if bad.Title != hostile {
				t.Errorf("hostile title reads back as %q, want the text %q", bad.Title, hostile)
			}
			if strings.Contains(bad.Content, "javascript:") || strings.Contains(bad.Content, "<script") || strings.Contains(bad.Content, "<i>") {
				t.Errorf("hostile content is live markup:\n%s", bad.Content)
			}
		})
	}
}
