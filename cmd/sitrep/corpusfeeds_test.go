package main

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
)

// rss is the subset of RSS 2.0 the corpus feeds use.
type rss struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Content string   `xml:"xmlns:content,attr"`
	Channel struct {
		Title string    `xml:"title"`
		Link  string    `xml:"link"`
		Items []rssItem `xml:"item"`
	} `xml:"channel"`
}

type rssItem struct {
	GUID        string `xml:"guid"`
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	Description string `xml:"description"`
	Content     string `xml:"content:encoded"`
	PubDate     string `xml:"pubDate"`
}

// corpusFeeds serves shared/corpus/articles.jsonl as one RSS feed per
// outlet and returns the feeds to collect.
func corpusFeeds(tb testing.TB) []feeds.Feed {
	tb.Helper()
	items, err := feeds.ReadCorpusFile(filepath.Join(telegramtest.SharedDir(tb), "corpus", "articles.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	bySource := map[string]*rss{}
	var order []string
	for _, it := range items {
		doc, ok := bySource[it.Source]
		if !ok {
			doc = &rss{Version: "2.0", Content: "http://purl.org/rss/1.0/modules/content/"}
			doc.Channel.Title, doc.Channel.Link = it.Source, "https://"+slug(it.Source)+".example/"
			bySource[it.Source] = doc
			order = append(order, it.Source)
		}
		doc.Channel.Items = append(doc.Channel.Items, rssItem{GUID: it.ID, Title: it.Title, Link: it.URL,
			Description: it.Summary, Content: it.Content, PubDate: it.Published.Format(time.RFC1123Z)})
	}
	mux := http.NewServeMux()
	var out []feeds.Feed
	for _, name := range order {
		body, err := xml.Marshal(bySource[name])
		if err != nil {
			tb.Fatal(err)
		}
		path := "/" + slug(name) + ".xml"
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(append([]byte(xml.Header), body...))
		})
		out = append(out, feeds.Feed{Name: name, URL: path})
	}
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	for i := range out {
		out[i].URL = srv.URL + out[i].URL
	}
	return out
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

func slug(s string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(s), "-"), "-")
}
