package feeds_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/digest"
)

// corpusFile is one file of the feedparser test suite.
type corpusFile struct {
	rel     string // path under the suite's directory, with slashes
	body    []byte
	headers [][2]string // the HTTP headers its comment asks for
}

// headerRE finds the "Header: Name: value" lines of a suite file's comment.
var headerRE = regexp.MustCompile(`(?m)^Header:\s*([A-Za-z-]+):[ \t]*(.*?)\s*$`)

// feedparserCorpus reads every file of shared/testdata/feedparser.
func feedparserCorpus(tb testing.TB) []corpusFile {
	tb.Helper()
	root := sharedTestdata(tb, "feedparser")
	var out []corpusFile
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "LICENSE" {
			return err
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		f := corpusFile{rel: filepath.ToSlash(rel), body: body}
		for _, m := range headerRE.FindAllSubmatch(head(body, 2048), -1) {
			f.headers = append(f.headers, [2]string{string(m[1]), string(m[2])})
		}
		out = append(out, f)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(out) < 2000 {
		tb.Fatalf("%d files in the feedparser suite, want about 2,100", len(out))
	}
	return out
}

func head(b []byte, n int) []byte { return b[:min(len(b), n)] }

// TestFeedparserCorpus serves every file of the feedparser suite (with the
// HTTP headers it names) and collects them all at once: nothing panics or
// hangs, every feed ends within its deadline, a failure is a clear error of
// that feed alone, and every article is valid UTF-8 with sane fields.
func TestFeedparserCorpus(t *testing.T) {
	files := feedparserCorpus(t)
	byPath := make(map[string]corpusFile, len(files))
	for _, f := range files {
		byPath["/"+f.rel] = f
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		f, ok := byPath[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		for _, h := range f.headers {
			w.Header().Set(h[0], h[1])
		}
		w.Write(f.body)
	})
	list := make([]feeds.Feed, len(files))
	for i, f := range files {
		list[i] = feeds.Feed{Name: f.rel, URL: srv.URL + "/" + f.rel, FullText: feeds.FullTextNever}
	}
	c := feeds.New(list, nil, feeds.Options{Now: func() time.Time { return t0 }, Logger: quietLogger(),
		Timeout: 5 * time.Second, FeedTimeout: 10 * time.Second, PerHost: 16, MaxItems: 1000, MaxAge: 100 * 365 * 24 * time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	col, err := c.Collect(ctx)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	okByDir := map[string][2]int{}
	for i, res := range col.Feeds {
		dir, _, _ := strings.Cut(files[i].rel, "/")
		n := okByDir[dir]
		n[1]++
		switch {
		case res.Err == nil:
			n[0]++
		case errors.Is(res.Err, feeds.ErrNotAFeed) || strings.HasPrefix(res.Err.Error(), "parse: "):
			t.Logf("%s: %v", files[i].rel, res.Err)
		default:
			t.Errorf("%s: error %q, want a parse or not-a-feed error", files[i].rel, res.Err)
		}
		okByDir[dir] = n
	}
	for dir, n := range okByDir {
		t.Logf("%-10s %4d of %4d parsed", dir, n[0], n[1])
	}
	if n := okByDir["wellformed"]; n[0] < n[1]*9/10 {
		t.Errorf("only %d of %d well-formed feeds parsed", n[0], n[1])
	}
	for _, a := range col.Articles {
		checkArticle(t, a, t0)
	}
}

// checkArticle fails the test for an article ToArticle should never make.
func checkArticle(tb testing.TB, a digest.Article, now time.Time) {
	tb.Helper()
	for name, s := range map[string]string{"id": a.ID, "source": a.Source, "url": a.URL, "title": a.Title,
		"summary": a.Summary, "content": a.Content, "lang": a.Lang} {
		if !utf8.ValidString(s) {
			tb.Errorf("%s: %s is not valid UTF-8: %q", a.Source, name, s)
		}
	}
	switch {
	case a.ID == "" || len(a.ID) > 256:
		tb.Errorf("%s: id %q, want 1 to 256 bytes", a.Source, a.ID)
	case a.Title == "" && a.URL == "":
		tb.Errorf("%s: article %q has neither title nor URL", a.Source, a.ID)
	case a.URL != "" && !strings.HasPrefix(a.URL, "http://") && !strings.HasPrefix(a.URL, "https://"):
		tb.Errorf("%s: URL %q is not http(s)", a.Source, a.URL)
	case a.Published.After(now) || a.Published.IsZero() || a.Published.Location() != time.UTC:
		tb.Errorf("%s: published %v, want a UTC time not after %v", a.Source, a.Published, now)
	case a.Lang != "" && len(a.Lang) != 2:
		tb.Errorf("%s: lang %q, want two letters or none", a.Source, a.Lang)
	case bytes.ContainsAny([]byte(a.Title), "\x00"):
		tb.Errorf("%s: NUL in title %q", a.Source, a.Title)
	}
}
