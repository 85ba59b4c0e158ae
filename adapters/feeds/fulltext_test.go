package feeds_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/sitrepbot/sitrep/adapters/feeds"
)

// articlePage is an article's web page: navigation, the story, a footer.
func articlePage(charset, story string) string {
	return `<!DOCTYPE html><html><head><meta charset="` + charset + `"><title>Story</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Story</h1>` + story + `</article>
<footer>Copyright News Example. All rights reserved. Subscribe to our newsletter.</footer></body></html>`
}

var storyEN = strings.Repeat(`<p>Russian drones struck energy infrastructure in Kharkiv overnight, the head of the regional military administration said, leaving parts of the city without power as repair crews worked through the morning.</p>
`, 6)

// pageServer serves /feed/NAME feeds and /a/NAME pages, counting page hits.
type pageServer struct {
	mu    sync.Mutex
	feeds map[string]string
	pages map[string]func(w http.ResponseWriter)
	hits  map[string]int
}

func (s *pageServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if body, ok := s.feeds[r.URL.Path]; ok {
		w.Write([]byte(body))
		return
	}
	s.hits[r.URL.Path]++
	if page, ok := s.pages[r.URL.Path]; ok {
		page(w)
		return
	}
	http.NotFound(w, r)
}

func htmlPage(body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(body))
	}
}

func TestFullText(t *testing.T) {
	longText := strings.Repeat("Air defence shot down most of the drones over Kyiv overnight. ", 8) // 80 words
	ukStory := strings.Repeat("<p>Уночі російські безпілотники атакували енергетичну інфраструктуру Харкова, повідомив голова обласної військової адміністрації. Пошкоджено підстанцію, частина міста без світла.</p>\n", 5)
	uk1251, _ := charmap.Windows1251.NewEncoder().String(articlePage("windows-1251", ukStory))
	tests := []struct {
		name       string
		mode       feeds.FullText
		desc       string
		page       func(w http.ResponseWriter)
		wantHit    bool
		wantInText string // "" = the feed's text is kept
	}{
		{"auto short", feeds.FullTextAuto, "Drones hit Kharkiv.", htmlPage(articlePage("utf-8", storyEN)), true, "repair crews worked through the morning"},
		{"auto long", feeds.FullTextAuto, longText, htmlPage(articlePage("utf-8", storyEN)), false, ""},
		{"never", feeds.FullTextNever, "Drones hit Kharkiv.", htmlPage(articlePage("utf-8", storyEN)), false, ""},
		{"always", feeds.FullTextAlways, longText, htmlPage(articlePage("utf-8", storyEN)), true, "repair crews"},
		{"page fails", feeds.FullTextAuto, "Drones hit Kharkiv.", func(w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) }, true, ""},
		{"not html", feeds.FullTextAuto, "Drones hit Kharkiv.", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.4"))
		}, true, ""},
		{"windows-1251 page", feeds.FullTextAuto, "Дрони атакували Харків.", htmlPage(uk1251), true, "Пошкоджено підстанцію, частина міста без світла."},
		{"page without article", feeds.FullTextAuto, "Drones hit Kharkiv.", htmlPage("<html><body><p>Hi</p></body></html>"), true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := &pageServer{pages: map[string]func(http.ResponseWriter){"/a/1": tt.page}, hits: map[string]int{}}
			srv := serve(t, ps.ServeHTTP)
			ps.feeds = map[string]string{"/feed": rss(item{guid: "1", title: "Drones hit Kharkiv", link: srv.URL + "/a/1#top", desc: tt.desc})}
			c := feeds.New([]feeds.Feed{{Name: "News", URL: srv.URL + "/feed", FullText: tt.mode}}, nil, feeds.Options{Logger: quietLogger(), Now: func() time.Time { return t0 }})
			col := mustCollect(t, c)
			if col.Feeds[0].Err != nil || len(col.Articles) != 1 {
				t.Fatalf("%v, %d articles, want 1 and no error", col.Feeds[0].Err, len(col.Articles))
			}
			a := col.Articles[0]
			if got := ps.hits["/a/1"] > 0; got != tt.wantHit {
				t.Errorf("page fetched = %v, want %v", got, tt.wantHit)
			}
			if tt.wantInText == "" {
				if a.Content != "" {
					t.Errorf("content = %q, want the feed's (none)", a.Content)
				}
				return
			}
			if !strings.Contains(a.Content, tt.wantInText) {
				t.Errorf("content = %q, want it to contain %q", a.Content, tt.wantInText)
			}
			for _, junk := range []string{"Subscribe to our newsletter", "Sport"} {
				if strings.Contains(a.Content, junk) {
					t.Errorf("content keeps the page's %q: %q", junk, a.Content)
				}
			}
		})
	}
}

// TestFullTextCachedAndLocal: a page two feeds link to is fetched once, and a
// local feed does not fetch pages in auto mode.
func TestFullTextCachedAndLocal(t *testing.T) {
	ps := &pageServer{pages: map[string]func(http.ResponseWriter){"/a/1": htmlPage(articlePage("utf-8", storyEN))}, hits: map[string]int{}}
	srv := serve(t, ps.ServeHTTP)
	feed := rss(item{guid: "1", title: "Drones hit Kharkiv", link: srv.URL + "/a/1", desc: "Short."})
	ps.feeds = map[string]string{"/feed1": feed, "/feed2": feed}
	local := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(local, []byte(feed), 0o600); err != nil {
		t.Fatal(err)
	}
	list := []feeds.Feed{{Name: "One", URL: srv.URL + "/feed1"}, {Name: "Two", URL: srv.URL + "/feed2"}}
	c := feeds.New(list, nil, feeds.Options{Logger: quietLogger(), Concurrency: 1})
	col := mustCollect(t, c)
	if len(col.Articles) != 2 || !strings.Contains(col.Articles[1].Content, "repair crews") {
		t.Fatalf("articles %+v, want two with the page's text", col.Articles)
	}
	if got := ps.hits["/a/1"]; got != 1 {
		t.Errorf("page fetched %d times, want once", got)
	}
	c = feeds.New([]feeds.Feed{{Name: "Local", URL: local}}, nil, feeds.Options{Logger: quietLogger()})
	if col := mustCollect(t, c); len(col.Articles) != 1 || col.Articles[0].Content != "" {
		t.Errorf("local feed: %+v, want its own text", col.Articles)
	}
	if got := ps.hits["/a/1"]; got != 1 {
		t.Errorf("a local feed in auto mode fetched the page (%d fetches)", got)
	}
}

// TestPoliteness: feeds and their pages on two hosts never have more than
// PerHost requests at once on one host, nor more than Concurrency in all.
func TestPoliteness(t *testing.T) {
	var mu sync.Mutex
	inFlight, maxHost := map[string]int{}, map[string]int{}
	total, maxTotal := 0, 0
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight[r.Host]++
		total++
		maxHost[r.Host] = max(maxHost[r.Host], inFlight[r.Host])
		maxTotal = max(maxTotal, total)
		mu.Unlock()
		defer func() { mu.Lock(); inFlight[r.Host]--; total--; mu.Unlock() }()
		time.Sleep(10 * time.Millisecond) // holds the request open so that others overlap it
		if strings.HasPrefix(r.URL.Path, "/feed") {
			w.Write([]byte(rss(item{guid: "1", title: "Drones", link: "http://" + r.Host + "/a" + r.URL.Path, desc: "Short."})))
			return
		}
		w.Write([]byte(articlePage("utf-8", storyEN)))
	})
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	var list []feeds.Feed
	for i := range 24 {
		host := "127.0.0.1"
		if i%2 == 1 {
			host = "localhost"
		}
		list = append(list, feeds.Feed{Name: fmt.Sprint(i), URL: fmt.Sprintf("http://%s%s/feed%d", host, port, i)})
	}
	c := feeds.New(list, nil, feeds.Options{Logger: quietLogger(), Concurrency: 3, PerHost: 2})
	col := mustCollect(t, c)
	for _, r := range col.Feeds {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Name, r.Err)
		}
	}
	if got := len(col.Articles); got != 24 {
		t.Errorf("%d articles, want 24", got)
	}
	t.Logf("at most %d requests at once, per host %v", maxTotal, maxHost)
	for host, n := range maxHost {
		if n > 2 {
			t.Errorf("%d requests at once to %s, want at most 2", n, host)
		}
	}
	if maxTotal > 3 {
		t.Errorf("%d requests at once, want at most 3", maxTotal)
	}
}

// TestFullTextRobots: pages are fetched only where the site's robots.txt lets
// sitrep in, its rules read once; a robots.txt that fails disallows every page.
func TestFullTextRobots(t *testing.T) {
	robots := func(status int, body string) func(w http.ResponseWriter) {
		return func(w http.ResponseWriter) { w.WriteHeader(status); w.Write([]byte(body)) }
	}
	tests := []struct {
		name    string
		robots  func(w http.ResponseWriter)
		allowed []string // of /a/open, /a/closed
	}{
		{"rules for sitrep", robots(200, "User-agent: *\nDisallow: /\n\nUser-agent: sitrep\nDisallow: /a/closed\n"), []string{"/a/open"}},
		{"rules for others", robots(200, "User-agent: otherbot\nDisallow: /\n"), []string{"/a/open", "/a/closed"}},
		{"everyone kept out", robots(200, "User-agent: *\nDisallow: /a/\n"), nil},
		{"no robots.txt", robots(404, ""), []string{"/a/open", "/a/closed"}},
		{"robots.txt fails", robots(503, ""), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := htmlPage(articlePage("utf-8", storyEN))
			ps := &pageServer{pages: map[string]func(http.ResponseWriter){"/robots.txt": tt.robots, "/a/open": page, "/a/closed": page},
				hits: map[string]int{}}
			srv := serve(t, ps.ServeHTTP)
			c := feeds.New([]feeds.Feed{{Name: "News", URL: srv.URL + "/feed"}}, nil, feeds.Options{Logger: quietLogger(), Now: func() time.Time { return t0 }})
			for poll := range 2 {
				ps.mu.Lock()
				ps.feeds = map[string]string{"/feed": rss(
					item{guid: fmt.Sprint("open-", poll), title: "Drones hit Kharkiv", link: srv.URL + "/a/open", desc: "Short."},
					item{guid: fmt.Sprint("closed-", poll), title: "Drones hit Kharkiv", link: srv.URL + "/a/closed", desc: "Short."})}
				ps.mu.Unlock()
				c.Collect(t.Context())
			}
			ps.mu.Lock()
			defer ps.mu.Unlock()
			if got := ps.hits["/robots.txt"]; got != 1 {
				t.Errorf("robots.txt read %d times, want once", got)
			}
			for _, path := range []string{"/a/open", "/a/closed"} {
				if got, want := ps.hits[path] > 0, slices.Contains(tt.allowed, path); got != want {
					t.Errorf("%s fetched = %v, want %v", path, got, want)
				}
			}
		})
	}
}
