package feeds_test

import (
	"compress/gzip"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/feeds"
)

// conditionalServer serves one feed with an ETag and a Last-Modified, answers
// 304 to a request that has either, and records the validators it was sent.
type conditionalServer struct {
	mu       sync.Mutex
	body     string
	etag     string
	sentETag []string
	sentIMS  []string
	full     int // 200 answers
}

func (s *conditionalServer) set(body, etag string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body, s.etag = body, etag
}

func (s *conditionalServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sentETag = append(s.sentETag, r.Header.Get("If-None-Match"))
	s.sentIMS = append(s.sentIMS, r.Header.Get("If-Modified-Since"))
	w.Header().Set("ETag", s.etag)
	w.Header().Set("Last-Modified", "Tue, 16 Dec 2025 10:00:00 GMT")
	if r.Header.Get("If-None-Match") == s.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.full++
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write([]byte(s.body))
}

func TestConditionalAndSeen(t *testing.T) {
	cs := &conditionalServer{}
	cs.set(rss(numbered(3)...), `"v1"`)
	srv := serve(t, cs.ServeHTTP)
	store := openBolt(t, t.TempDir())
	defer store.Close()
	c := feeds.New([]feeds.Feed{{Name: "News", URL: srv.URL, FullText: feeds.FullTextNever}}, store,
		feeds.Options{Now: func() time.Time { return t0 }, Logger: quietLogger()})

	col := mustCollect(t, c)
	if got, want := len(col.Articles), 3; got != want {
		t.Fatalf("first poll: %d articles, want %d", got, want)
	}
	markSeen(t, store, col)

	col = mustCollect(t, c)
	if got := col.Feeds[0]; !got.NotModified || got.Err != nil || len(col.Articles) != 0 {
		t.Errorf("second poll = %+v with %d articles, want 304 and none", got, len(col.Articles))
	}
	if got, want := cs.sentETag[1], `"v1"`; got != want {
		t.Errorf("If-None-Match = %q, want %q", got, want)
	}
	if got, want := cs.sentIMS[1], "Tue, 16 Dec 2025 10:00:00 GMT"; got != want {
		t.Errorf("If-Modified-Since = %q, want %q", got, want)
	}

	cs.set(rss(append([]item{{guid: "new", title: "Kyiv air raid alert", link: "https://news.example/new"}}, numbered(3)...)...), `"v2"`)
	col = mustCollect(t, c)
	if len(col.Articles) != 1 || col.Articles[0].ID != "new" {
		t.Fatalf("after a change: %+v, want only the new article", col.Articles)
	}
	if got, want := col.Feeds[0].Items, 4; got != want {
		t.Errorf("Items = %d, want %d", got, want)
	}
}

// TestUnstoredArticlesComeBack: when the bot does not store (mark seen) what
// a poll returned, the next poll fetches the feed without validators, so the
// articles are not lost behind a 304.
func TestUnstoredArticlesComeBack(t *testing.T) {
	cs := &conditionalServer{}
	cs.set(rss(numbered(2)...), `"v1"`)
	srv := serve(t, cs.ServeHTTP)
	store := openBolt(t, t.TempDir())
	defer store.Close()
	c := feeds.New([]feeds.Feed{{Name: "News", URL: srv.URL, FullText: feeds.FullTextNever}}, store,
		feeds.Options{Now: func() time.Time { return t0 }, Logger: quietLogger()})

	mustCollect(t, c) // not marked seen: the bot failed to store them
	col := mustCollect(t, c)
	if got, want := len(col.Articles), 2; got != want {
		t.Fatalf("after a lost poll: %d articles, want %d", got, want)
	}
	if got := cs.sentETag[1]; got != "" {
		t.Errorf("the retry sent If-None-Match %q, want none", got)
	}
	markSeen(t, store, col)
	mustCollect(t, c)
	if got, want := cs.sentETag[2], `"v1"`; got != want {
		t.Errorf("once stored, If-None-Match = %q, want %q", got, want)
	}
}

// TestCrashBeforeStoreLosesNothing: a process that dies after a poll and
// before storing its articles leaves the feed's old validators behind, so the
// next process fetches the feed in full and gets the articles.
func TestCrashBeforeStoreLosesNothing(t *testing.T) {
	cs := &conditionalServer{}
	cs.set(rss(numbered(2)...), `"v1"`)
	srv := serve(t, cs.ServeHTTP)
	store := openBolt(t, t.TempDir())
	defer store.Close()
	feedList := []feeds.Feed{{Name: "News", URL: srv.URL, FullText: feeds.FullTextNever}}
	start := func() *feeds.Collector {
		return feeds.New(feedList, store, feeds.Options{Now: func() time.Time { return t0 }, Logger: quietLogger()})
	}
	markSeen(t, store, mustCollect(t, start()))

	cs.set(rss(append([]item{{guid: "new", title: "Kyiv air raid alert", link: "https://news.example/new"}}, numbered(2)...)...), `"v2"`)
	if col := mustCollect(t, start()); len(col.Articles) != 1 || col.Commit == nil {
		t.Fatalf("after a change: %d articles, commit %v; want the new one, to commit", len(col.Articles), col.Commit != nil)
	} // the process dies here

	col := mustCollect(t, start())
	if len(col.Articles) != 1 || col.Articles[0].ID != "new" {
		t.Fatalf("after the crash: %+v, want the new article again", col.Articles)
	}
	if got, want := cs.sentETag[2], `"v1"`; got != want {
		t.Errorf("after the crash, If-None-Match = %q, want the last committed %q", got, want)
	}
	markSeen(t, store, col)
	if col := mustCollect(t, start()); !col.Feeds[0].NotModified || len(col.Articles) != 0 {
		t.Errorf("once committed: %+v with %d articles, want 304 and none", col.Feeds[0], len(col.Articles))
	}
}

func TestUserAgentAndGzip(t *testing.T) {
	var ua, acceptEncoding string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		ua, acceptEncoding = r.Header.Get("User-Agent"), r.Header.Get("Accept-Encoding")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte(rss(numbered(2)...)))
		zw.Close()
	})
	c := feeds.New([]feeds.Feed{{Name: "News", URL: srv.URL, FullText: feeds.FullTextNever}}, nil, feeds.Options{Logger: quietLogger(), Now: func() time.Time { return t0 }})
	col := mustCollect(t, c)
	if err := col.Feeds[0].Err; err != nil || len(col.Articles) != 2 {
		t.Fatalf("gzipped feed: %v, %d articles, want 2", err, len(col.Articles))
	}
	if !strings.HasPrefix(ua, "sitrep/") || !strings.Contains(ua, "github.com/sitrepbot/sitrep") {
		t.Errorf("User-Agent = %q, want sitrep/VERSION with the project's address", ua)
	}
	if !strings.Contains(acceptEncoding, "gzip") {
		t.Errorf("Accept-Encoding = %q, want gzip", acceptEncoding)
	}
}

func TestLocalFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feed.xml")
	if err := os.WriteFile(path, []byte(rss(numbered(2)...)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{path, "file://" + path} {
		t.Run(ref, func(t *testing.T) {
			store := openBolt(t, t.TempDir())
			defer store.Close()
			c := feeds.New([]feeds.Feed{{Name: "Local", URL: ref}}, store, feeds.Options{Now: func() time.Time { return t0 }, Logger: quietLogger()})
			col := mustCollect(t, c)
			if err := col.Feeds[0].Err; err != nil || len(col.Articles) != 2 {
				t.Fatalf("local feed: %v, %d articles, want 2", err, len(col.Articles))
			}
			markSeen(t, store, col)
			if col = mustCollect(t, c); !col.Feeds[0].NotModified {
				t.Errorf("unchanged file: %+v, want NotModified", col.Feeds[0])
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		c := feeds.New([]feeds.Feed{{Name: "Gone", URL: filepath.Join(dir, "nope.xml")}}, nil, feeds.Options{Logger: quietLogger()})
		if err := mustCollect(t, c).Feeds[0].Err; err == nil || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("missing file: %v, want a no-such-file error", err)
		}
	})
}

// TestNotModifiedCostsNothing: a 304 from a healthy feed is neither parsed
// nor looked up in the seen-set, and its state is written only once its poll
// times are 15 minutes stale.
func TestNotModifiedCostsNothing(t *testing.T) {
	cs := &conditionalServer{}
	cs.set(rss(numbered(3)...), `"v1"`)
	srv := serve(t, cs.ServeHTTP)
	store := openBolt(t, t.TempDir())
	defer store.Close()
	st := &countingState{State: store}
	clk := newClock(t0)
	c := feeds.New([]feeds.Feed{{Name: "News", URL: srv.URL, FullText: feeds.FullTextNever}}, st, feeds.Options{Now: clk.Now, Logger: quietLogger()})
	markSeen(t, store, mustCollect(t, c))
	mustCollect(t, c) // confirms the first poll's articles were stored
	tests := []struct {
		after               time.Duration
		wantAsked, wantPuts int64
	}{
		{time.Minute, 0, 0},
		{5 * time.Minute, 0, 0},
		{16 * time.Minute, 0, 1},
	}
	for _, tt := range tests {
		st.asked.Store(0)
		st.puts.Store(0)
		clk.Set(t0.Add(tt.after))
		if col := mustCollect(t, c); !col.Feeds[0].NotModified {
			t.Fatalf("after %s: %+v, want 304", tt.after, col.Feeds[0])
		}
		if got := st.asked.Load(); got != tt.wantAsked {
			t.Errorf("after %s: asked the seen-set about %d keys, want %d", tt.after, got, tt.wantAsked)
		}
		if got := st.puts.Load(); got != tt.wantPuts {
			t.Errorf("after %s: %d state writes, want %d", tt.after, got, tt.wantPuts)
		}
	}
}

// TestSameBodyWithoutValidators: a server that sends no validators but the
// same document costs no parse and no seen-set lookup the second time.
func TestSameBodyWithoutValidators(t *testing.T) {
	body := rss(numbered(3)...)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) })
	store := openBolt(t, t.TempDir())
	defer store.Close()
	st := &countingState{State: store}
	c := feeds.New([]feeds.Feed{{Name: "News", URL: srv.URL, FullText: feeds.FullTextNever}}, st, feeds.Options{Now: func() time.Time { return t0 }, Logger: quietLogger()})
	markSeen(t, store, mustCollect(t, c))
	mustCollect(t, c) // confirms the first poll's articles were stored
	st.asked.Store(0)
	if col := mustCollect(t, c); !col.Feeds[0].NotModified || len(col.Articles) != 0 {
		t.Errorf("same body again: %+v, want it taken as not modified", col.Feeds[0])
	}
	if got := st.asked.Load(); got != 0 {
		t.Errorf("asked the seen-set about %d keys, want none", got)
	}
	body = rss(append([]item{{guid: "new", title: "Kyiv air raid alert", pub: t0}}, numbered(3)...)...)
	if col := mustCollect(t, c); col.Feeds[0].NotModified || len(col.Articles) != 1 {
		t.Errorf("changed body: %+v with %d articles, want the new one", col.Feeds[0], len(col.Articles))
	}
}

func TestMaxAge(t *testing.T) {
	feed := rss(item{guid: "fresh", title: "Fresh", pub: t0.Add(-time.Hour)}, item{guid: "stale", title: "Stale", pub: t0.Add(-100 * time.Hour)},
		item{guid: "undated", title: "Undated"})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(feed)) })
	tests := []struct {
		maxAge time.Duration
		want   int
	}{
		{0, 2}, // default 72h
		{200 * time.Hour, 3},
		{time.Minute, 1},
	}
	for _, tt := range tests {
		t.Run(tt.maxAge.String(), func(t *testing.T) {
			c := feeds.New([]feeds.Feed{{Name: "News", URL: srv.URL, FullText: feeds.FullTextNever}}, nil,
				feeds.Options{Now: func() time.Time { return t0 }, Logger: quietLogger(), MaxAge: tt.maxAge})
			col := mustCollect(t, c)
			if got := len(col.Articles); got != tt.want || col.Feeds[0].Items != 3 {
				t.Errorf("%d of %d items, want %d of 3", got, col.Feeds[0].Items, tt.want)
			}
		})
	}
}

// TestUndatedItemsStaySeen: an undated item is dated when it is read, so no
// age limit ever leaves it out; while its feed carries it, it stays seen past
// its first mark's expiry instead of coming back as news.
func TestUndatedItemsStaySeen(t *testing.T) {
	clk := &clock{t: t0}
	var mu sync.Mutex
	version := 0
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Write([]byte(rss(item{guid: fmt.Sprint("dated-", version), title: "Kyiv air raid alert", pub: clk.Now()},
			item{guid: "undated", title: "Undated"})))
	})
	store, err := boltstore.Open(filepath.Join(t.TempDir(), "sitrep.db"), boltstore.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	c := feeds.New([]feeds.Feed{{Name: "News", URL: srv.URL, FullText: feeds.FullTextNever}}, store,
		feeds.Options{Now: clk.Now, Logger: quietLogger()})
	for poll, at := range []time.Duration{0, 50 * time.Minute, 4 * time.Hour} { // markSeen's marks last an hour
		clk.Set(t0.Add(at))
		mu.Lock()
		version = poll
		mu.Unlock()
		col := mustCollect(t, c)
		var ids []string
		for _, a := range col.Articles {
			ids = append(ids, a.ID)
		}
		want := []string{fmt.Sprint("dated-", poll)}
		if poll == 0 {
			want = append(want, "undated")
		}
		if !slices.Equal(ids, want) {
			t.Errorf("poll at +%s: articles %q, want %q", at, ids, want)
		}
		markSeen(t, store, col)
	}
}

// TestFeedTimeoutExcludesQueueing: a feed that waits for a free slot longer
// than FeedTimeout is not failed for it; only its own work counts.
func TestFeedTimeoutExcludesQueueing(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(150 * time.Millisecond) // a slow server: each request holds the only slot this long
		w.Write([]byte(rss(numbered(1)...)))
	})
	var list []feeds.Feed
	for i := range 3 {
		list = append(list, feeds.Feed{Name: fmt.Sprint(i), URL: fmt.Sprintf("%s/%d", srv.URL, i), FullText: feeds.FullTextNever})
	}
	c := feeds.New(list, nil, feeds.Options{Now: func() time.Time { return t0 }, Logger: quietLogger(),
		Concurrency: 1, FeedTimeout: 400 * time.Millisecond})
	for _, r := range mustCollect(t, c).Feeds {
		if r.Err != nil {
			t.Errorf("%s: %v, want no timeout for waiting in line", r.Name, r.Err)
		}
	}
}
