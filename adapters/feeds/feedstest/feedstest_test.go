package feedstest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/adapters/feeds/feedstest"
	"github.com/sitrepbot/sitrep/digest"
)

func item(id, source string, published time.Time) feeds.CorpusItem {
	return feeds.CorpusItem{Article: digest.Article{ID: id, Source: source, Title: "Title " + id,
		URL: "https://x.example/" + id, Published: published}}
}

func get(tb testing.TB, url string) string {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return string(body)
}

func TestServe(t *testing.T) {
	t0 := time.Date(2025, 12, 16, 10, 0, 0, 0, time.UTC)
	items := []feeds.CorpusItem{item("a1", "Kyiv Ledger", t0), item("a2", "Atlantic Wire", t0.Add(time.Hour)), item("a3", "Kyiv Ledger", t0.Add(2*time.Hour))}
	newest := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		opts       feedstest.Options
		wantLedger []string // pubDates of Kyiv Ledger's items
	}{
		{"as in the corpus", feedstest.Options{}, []string{t0.Format(time.RFC1123Z), t0.Add(2 * time.Hour).Format(time.RFC1123Z)}},
		{"brought forward", feedstest.Options{NewestAt: newest}, []string{newest.Add(-2 * time.Hour).Format(time.RFC1123Z), newest.Format(time.RFC1123Z)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := feedstest.New(t, items, tt.opts)
			got := s.Feeds()
			if len(got) != 2 || got[0].Name != "Kyiv Ledger" || !strings.HasSuffix(got[0].URL, "/kyiv-ledger.xml") || got[1].Name != "Atlantic Wire" {
				t.Fatalf("Feeds() = %+v, want Kyiv Ledger then Atlantic Wire", got)
			}
			body := get(t, got[0].URL)
			for _, want := range tt.wantLedger {
				if !strings.Contains(body, "<pubDate>"+want+"</pubDate>") {
					t.Errorf("feed lacks pubDate %s:\n%s", want, body)
				}
			}
			if strings.Contains(body, "a2") {
				t.Errorf("another outlet's item in the feed:\n%s", body)
			}
			if got, want := s.Requests(), 1; got != want {
				t.Errorf("Requests() = %d, want %d", got, want)
			}
		})
	}
}
