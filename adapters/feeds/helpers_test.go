package feeds_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/internal/testshared"
)

// t0 is the tests' "now".
var t0 = time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// item is one item of a generated RSS feed.
type item struct {
	guid, title, link, desc, content string
	pub                              time.Time
}

// rss renders items as an RSS 2.0 document.
func rss(items ...item) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
		`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Test</title><link>https://news.example/</link><language>en-us</language>` + "\n")
	for _, it := range items {
		b.WriteString("<item>")
		for _, f := range [][2]string{{"guid", it.guid}, {"title", it.title}, {"link", it.link}, {"description", it.desc}, {"content:encoded", it.content}} {
			if f[1] != "" {
				fmt.Fprintf(&b, "<%s>%s</%s>", f[0], html.EscapeString(f[1]), f[0])
			}
		}
		if !it.pub.IsZero() {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", it.pub.Format(time.RFC1123Z))
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// numbered returns n items with ids 1..n, newest first, a minute apart
// before t0.
func numbered(n int) []item {
	out := make([]item, n)
	for i := range out {
		out[i] = item{guid: fmt.Sprint(i + 1), title: fmt.Sprintf("Strike on Kharkiv number %d", i+1),
			link: fmt.Sprintf("https://news.example/a/%d", i+1), desc: "Russian drones hit Kharkiv overnight.",
			pub: t0.Add(-time.Duration(i+1) * time.Minute)}
	}
	return out
}

// openBolt opens an embedded store in a temporary directory.
func openBolt(tb testing.TB, dir string) *boltstore.Store {
	tb.Helper()
	s, err := boltstore.Open(filepath.Join(dir, "sitrep.db"), boltstore.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// mustCollect runs one Collect and fails the test on a collection error.
func mustCollect(tb testing.TB, c *feeds.Collector) bot.Collection {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	col, err := c.Collect(ctx)
	if err != nil {
		tb.Fatalf("Collect: %v", err)
	}
	return col
}

// markSeen does what the bot does after storing articles: marks them seen
// and commits the collection.
func markSeen(tb testing.TB, st bot.SeenStore, col bot.Collection) {
	tb.Helper()
	keys := make([]string, len(col.Articles))
	for i, a := range col.Articles {
		keys[i] = bot.SeenKey(a)
	}
	if err := st.MarkSeen(context.Background(), keys, time.Hour); err != nil {
		tb.Fatal(err)
	}
	if col.Commit != nil {
		if err := col.Commit(context.Background()); err != nil {
			tb.Fatal(err)
		}
	}
}

// logBuffer collects log lines, safe for concurrent use.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *logBuffer) String() string     { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }
func (l *logBuffer) Count(s string) int { return strings.Count(l.String(), s) }

// newLogger returns a logger writing text lines at info level to a buffer.
func newLogger() (*slog.Logger, *logBuffer) {
	var buf logBuffer
	return slog.New(slog.NewTextHandler(&buf, nil)), &buf
}

// quietLogger discards everything.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// serve starts a test server with handler and closes it with the test.
func serve(tb testing.TB, handler http.HandlerFunc) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(handler)
	tb.Cleanup(srv.Close)
	return srv
}

// sharedTestdata returns shared/testdata/NAME (see internal/testshared).
func sharedTestdata(tb testing.TB, name string) string {
	tb.Helper()
	return testshared.Path(tb, "testdata/"+name)
}
