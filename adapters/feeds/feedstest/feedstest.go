// Package feedstest serves a corpus of articles (feeds.CorpusItem, as in
// shared/corpus/articles.jsonl) over HTTP as RSS 2.0 feeds, one per outlet,
// for tests and benchmarks that collect feeds the way sitrep does in
// production.
package feedstest

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/feeds"
)

// Options configure a Server.
type Options struct {
	// NewestAt, when set, moves every article's published time by the same
	// amount so that the newest is at NewestAt: the collector considers
	// only the last 72 hours, so a corpus from the past served to a process
	// that reads the real clock must be brought forward. Zero keeps the
	// corpus's times.
	NewestAt time.Time
}

// Server serves one RSS feed per outlet of a corpus. It stops when the test ends.
type Server struct {
	srv      *httptest.Server
	feeds    []feeds.Feed
	requests atomic.Int64
}

// New serves items, one feed per Source in the order they first appear.
func New(tb testing.TB, items []feeds.CorpusItem, opts Options) *Server {
	tb.Helper()
	shift := time.Duration(0)
	if !opts.NewestAt.IsZero() && len(items) > 0 {
		newest := items[0].Published
		for _, it := range items {
			if it.Published.After(newest) {
				newest = it.Published
			}
		}
		shift = opts.NewestAt.Sub(newest)
	}
	bySource := map[string]*rss{}
	var order []string
	for _, it := range items {
		doc, ok := bySource[it.Source]
		if !ok {
			doc = &rss{Version: "2.0", Content: "http://purl.org/rss/1.0/modules/content/"}
			doc.Channel.Title, doc.Channel.Link = it.Source, "https://"+Slug(it.Source)+".example/"
			bySource[it.Source] = doc
			order = append(order, it.Source)
		}
		doc.Channel.Items = append(doc.Channel.Items, rssItem{GUID: it.ID, Title: it.Title, Link: it.URL,
			Description: it.Summary, Content: it.Content, PubDate: it.Published.Add(shift).Format(time.RFC1123Z)})
	}
	s := &Server{}
	mux := http.NewServeMux()
	for _, name := range order {
		body, err := xml.Marshal(bySource[name])
		if err != nil {
			tb.Fatal(err)
		}
		body = append([]byte(xml.Header), body...)
		path := "/" + Slug(name) + ".xml"
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			s.requests.Add(1)
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(body)
		})
		s.feeds = append(s.feeds, feeds.Feed{Name: name, URL: path})
	}
	s.srv = httptest.NewServer(mux)
	tb.Cleanup(s.srv.Close)
	for i := range s.feeds {
		s.feeds[i].URL = s.srv.URL + s.feeds[i].URL
	}
	return s
}

// Feeds returns the served feeds, with their outlet names and URLs.
func (s *Server) Feeds() []feeds.Feed { return append([]feeds.Feed(nil), s.feeds...) }

// Requests counts the feed requests answered.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// rss is the subset of RSS 2.0 the feeds use.
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

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// Slug turns an outlet's name into a path segment: "Kyiv Ledger" → "kyiv-ledger".
func Slug(s string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(s), "-"), "-")
}
