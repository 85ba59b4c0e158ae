package feeds_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/bot"
)

// collectOne collects a single feed at url with opts and returns its result.
func collectOne(tb testing.TB, url string, opts feeds.Options) (bot.FeedResult, bot.Collection) {
	tb.Helper()
	if opts.Logger == nil {
		opts.Logger = quietLogger()
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0 }
	}
	c := feeds.New([]feeds.Feed{{Name: "Hostile", URL: url, FullText: feeds.FullTextNever}}, nil, opts)
	col := mustCollect(tb, c)
	return col.Feeds[0], col
}

func TestSlowLoris(t *testing.T) {
	drip := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
		for {
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
				w.Write([]byte(" "))
			}
		}
	}
	tests := []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"body", func(t *testing.T) string { return serve(t, drip).URL }},
		{"headers", func(t *testing.T) string { return dripHeaders(t) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			res, _ := collectOne(t, tt.url(t), feeds.Options{Timeout: time.Second})
			t.Logf("error: %v", res.Err)
			if res.Err == nil || !strings.Contains(res.Err.Error(), "Timeout") {
				t.Errorf("error %v, want a timeout", res.Err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s with a 1s timeout", d)
			}
		})
	}
}

// dripHeaders serves raw HTTP that sends its status line, then one header
// line every 50 ms, never ending the headers.
func dripHeaders(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(func() { close(done); ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer conn.Close()
				bufio.NewReader(conn).ReadString('\n')
				conn.Write([]byte("HTTP/1.1 200 OK\r\n"))
				for i := 0; ; i++ {
					select {
					case <-done:
						return
					case <-time.After(50 * time.Millisecond):
					}
					if _, err := fmt.Fprintf(conn, "X-Drip-%d: 1\r\n", i); err != nil {
						return
					}
				}
			})
		}
	})
	return "http://" + ln.Addr().String() + "/feed"
}

func TestHugeBody(t *testing.T) {
	const size = 50 << 20
	for _, withLength := range []bool{true, false} {
		t.Run(fmt.Sprintf("content-length=%v", withLength), func(t *testing.T) {
			var written atomic.Int64
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if withLength {
					w.Header().Set("Content-Length", fmt.Sprint(size))
				}
				chunk := []byte("<rss>" + strings.Repeat("x", 64<<10-5))
				for written.Load() < size {
					n, err := w.Write(chunk)
					written.Add(int64(n))
					if err != nil {
						return
					}
				}
			})
			res, _ := collectOne(t, srv.URL, feeds.Options{})
			t.Logf("error: %v", res.Err)
			if !errors.Is(res.Err, feeds.ErrTooLarge) || !strings.Contains(res.Err.Error(), "5 MiB") {
				t.Errorf("error %v, want ErrTooLarge naming the 5 MiB limit", res.Err)
			}
			if got := written.Load(); got >= size {
				t.Errorf("the server wrote all %d bytes: the body was not cut", got)
			}
		})
	}
}

func TestRedirectLoop(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		next := "/a"
		if r.URL.Path == "/a" {
			next = "/b"
		}
		http.Redirect(w, r, next, http.StatusFound)
	})
	res, _ := collectOne(t, srv.URL+"/a", feeds.Options{})
	t.Logf("error: %v", res.Err)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "redirects") {
		t.Errorf("error %v, want a redirect error", res.Err)
	}
	if got := hits.Load(); got > 6 {
		t.Errorf("%d requests, want at most 6", got)
	}
}

func TestHTMLInsteadOfFeed(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html><head><title>News</title></head><body><p>Moved</p></body></html>`))
	})
	res, _ := collectOne(t, srv.URL, feeds.Options{})
	t.Logf("error: %v", res.Err)
	if !errors.Is(res.Err, feeds.ErrNotAFeed) || !strings.Contains(res.Err.Error(), "HTML page") {
		t.Errorf("error %v, want ErrNotAFeed saying it got an HTML page", res.Err)
	}
}

// countingState counts the keys the collector asks the seen-set about, and
// the feed states it writes.
type countingState struct {
	feeds.State
	asked atomic.Int64
	puts  atomic.Int64
}

func (s *countingState) PutFeedState(ctx context.Context, feedURL string, st bot.FeedState) error {
	s.puts.Add(1)
	return s.State.PutFeedState(ctx, feedURL, st)
}

func (s *countingState) Unseen(ctx context.Context, keys []string) ([]string, error) {
	s.asked.Add(int64(len(keys)))
	return s.State.Unseen(ctx, keys)
}

func TestTenThousandItems(t *testing.T) {
	var pages atomic.Int32
	var feed string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/a/") {
			pages.Add(1)
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(feed))
	})
	items := numbered(10000)
	for i := range items {
		items[i].link = srv.URL + items[i].link[len("https://news.example"):]
	}
	items[0], items[9999] = items[9999], items[0] // the newest is not first
	feed = rss(items...)
	store := openBolt(t, t.TempDir())
	defer store.Close()
	st := &countingState{State: store}
	c := feeds.New([]feeds.Feed{{Name: "Archive", URL: srv.URL}}, st, feeds.Options{
		Now: func() time.Time { return t0 }, Logger: quietLogger(), MaxItems: 100, FullTextPerPoll: 5})
	col := mustCollect(t, c)
	res := col.Feeds[0]
	if res.Err != nil || res.Items != 10000 {
		t.Fatalf("result %+v, want 10000 items and no error", res)
	}
	if got, want := len(col.Articles), 100; got != want {
		t.Errorf("%d articles, want the newest %d", got, want)
	}
	for _, a := range col.Articles {
		var n int
		fmt.Sscan(a.ID, &n)
		if n < 1 || n > 100 {
			t.Errorf("article %s is not among the newest 100", a.ID)
			break
		}
	}
	if got := st.asked.Load(); got > 100 {
		t.Errorf("asked the seen-set about %d keys, want at most 100", got)
	}
	if got := pages.Load(); got > 5 {
		t.Errorf("fetched %d article pages, want at most 5", got)
	}
}

// TestOneBadFeedAlone: an unparseable feed fails with a clear error, and the
// others of the same collection are collected.
func TestOneBadFeedAlone(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><item><title>cut`))
			return
		}
		w.Write([]byte(rss(numbered(2)...)))
	})
	list := []feeds.Feed{{Name: "Good", URL: srv.URL + "/good"}, {Name: "Bad", URL: srv.URL + "/bad"}, {Name: "Good 2", URL: srv.URL + "/good2"}}
	for i := range list {
		list[i].FullText = feeds.FullTextNever
	}
	var done atomic.Int32
	col := mustCollect(t, feeds.New(list, nil, feeds.Options{Logger: quietLogger(), Now: func() time.Time { return t0 },
		FeedDone: func(bot.FeedResult) { done.Add(1) }}))
	if got := done.Load(); got != 3 {
		t.Errorf("FeedDone called %d times, want once per feed (3)", got)
	}
	if err := col.Feeds[1].Err; err == nil || !strings.Contains(err.Error(), "parse") {
		t.Errorf("bad feed: %v, want a parse error", err)
	}
	if col.Feeds[0].Err != nil || col.Feeds[2].Err != nil || len(col.Articles) != 4 {
		t.Errorf("good feeds: %v, %v, %d articles, want 4", col.Feeds[0].Err, col.Feeds[2].Err, len(col.Articles))
	}
}
