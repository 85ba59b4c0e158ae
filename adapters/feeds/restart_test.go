package feeds_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// recordingSource passes a Source's collections on, keeping their articles.
type recordingSource struct {
	bot.Source
	mu       sync.Mutex
	articles []digest.Article
}

func (r *recordingSource) Collect(ctx context.Context) (bot.Collection, error) {
	col, err := r.Source.Collect(ctx)
	r.mu.Lock()
	r.articles = append(r.articles, col.Articles...)
	r.mu.Unlock()
	return col, err
}

// validatingServer serves feeds with different validators and records, per
// path, the validators each request sent and the status it got.
type validatingServer struct {
	mu      sync.Mutex
	version map[string]int // per path; an item is added with each version
	log     map[string][]string
}

func (s *validatingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.version[r.URL.Path]
	etag, lastMod := fmt.Sprintf(`"%s-%d"`, r.URL.Path, v), t0.Add(time.Duration(v)*time.Hour).Format(http.TimeFormat)
	inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
	status := http.StatusOK
	switch r.URL.Path {
	case "/etag", "/changed":
		w.Header().Set("ETag", etag)
		if inm == etag {
			status = http.StatusNotModified
		}
	case "/lm":
		w.Header().Set("Last-Modified", lastMod)
		if ims == lastMod {
			status = http.StatusNotModified
		}
	}
	s.log[r.URL.Path] = append(s.log[r.URL.Path], fmt.Sprintf("inm=%s ims=%s -> %d", inm, ims, status))
	if status == http.StatusNotModified {
		w.WriteHeader(status)
		return
	}
	items := numbered(3)
	for i := range v {
		items = append([]item{{guid: fmt.Sprintf("%s-new-%d", r.URL.Path, i), title: "Kyiv air raid alert", link: "https://news.example/new"}}, items...)
	}
	w.Write([]byte(rss(items...)))
}

// TestRestart stops and starts the bot on the same store: no article is
// ingested twice, and the stored validators are sent and answered with 304.
func TestRestart(t *testing.T) {
	stores := []struct {
		name string
		open func(t *testing.T) func() bot.Store // returns the opener of each session
	}{
		{"bolt", func(t *testing.T) func() bot.Store {
			dir := t.TempDir()
			return func() bot.Store {
				s, err := boltstore.Open(dir+"/sitrep.db", boltstore.Options{})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
		}},
		{"redis", func(t *testing.T) func() bot.Store {
			rdb, prefix := redistest.Client(t)
			rdb.Close()
			return func() bot.Store {
				s, err := redisstore.Open(redistest.URL(), redisstore.Options{Prefix: prefix})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
		}},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			open := st.open(t)
			vs := &validatingServer{version: map[string]int{}, log: map[string][]string{}}
			srv := serve(t, vs.ServeHTTP)
			var list []feeds.Feed
			for _, p := range []string{"/etag", "/lm", "/none", "/changed"} {
				list = append(list, feeds.Feed{Name: p, URL: srv.URL + p, FullText: feeds.FullTextNever})
			}
			var all []digest.Article
			for session := range 2 {
				if session == 1 {
					vs.mu.Lock()
					vs.version["/changed"]++
					vs.mu.Unlock()
				}
				all = append(all, runSession(t, open(), list)...)
			}
			seen := map[string]bool{}
			for _, a := range all {
				if k := bot.SeenKey(a); seen[k] {
					t.Errorf("%s ingested twice", k)
				} else {
					seen[k] = true
				}
			}
			if got, want := len(all), 4*3+1; got != want {
				t.Errorf("%d articles over two sessions, want %d", got, want)
			}
			vs.mu.Lock()
			defer vs.mu.Unlock()
			for path, want := range map[string]string{
				"/etag":    `inm="/etag-0" ims= -> 304`,
				"/lm":      fmt.Sprintf("inm= ims=%s -> 304", t0.Format(http.TimeFormat)),
				"/none":    "inm= ims= -> 200",
				"/changed": `inm="/changed-0" ims= -> 200`,
			} {
				if got := vs.log[path]; len(got) != 2 || got[1] != want {
					t.Errorf("%s: requests %q, want the second %q", path, got, want)
				}
			}
		})
	}
}

// runSession starts a bot on store, polls once and stops, closing the store.
func runSession(t *testing.T, store bot.Store, list []feeds.Feed) []digest.Article {
	t.Helper()
	defer store.Close()
	src := &recordingSource{Source: feeds.New(list, store, feeds.Options{Now: func() time.Time { return t0 }, Logger: quietLogger()})}
	b := bot.New(store, src, bot.Options{Now: func() time.Time { return t0 }, Logger: quietLogger()})
	ctx := context.Background()
	if err := b.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	return src.articles
}
