package feeds_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/bot"
)

// Shape of the benchmark: feeds spread over hosts (loopback addresses),
// items per feed, and one feed in changeEvery changed per cycle.
const (
	benchFeeds   = 500
	benchHosts   = 50
	benchItems   = 30
	changeEvery  = 10
	benchBodyPad = 600 // bytes of text per item, as in real feeds' descriptions
)

// countingConn counts the bytes a server connection reads and writes.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n.Add(int64(n))
	return n, err
}

type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.n}, nil
}

// feedFarm serves benchFeeds feeds on benchHosts loopback addresses,
// answering conditional requests, and counts the bytes on the wire.
type feedFarm struct {
	bytes   atomic.Int64 // on the wire, both ways
	bodies  atomic.Int64 // of the feed documents served
	mu      sync.Mutex
	version []int
	feeds   []feeds.Feed
}

func newFeedFarm(b *testing.B) *feedFarm {
	b.Helper()
	farm := &feedFarm{version: make([]int, benchFeeds)}
	srv := &http.Server{Handler: farm, ReadHeaderTimeout: 10 * time.Second}
	var wg sync.WaitGroup
	b.Cleanup(func() { srv.Close(); wg.Wait() })
	hosts := make([]string, benchHosts)
	for h := range hosts {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h+1))
		if err != nil {
			b.Skipf("SKIP: cannot listen on 127.0.0.%d: %v", h+1, err)
		}
		hosts[h] = ln.Addr().String()
		wg.Go(func() { srv.Serve(countingListener{ln, &farm.bytes}) })
	}
	for i := range benchFeeds {
		farm.feeds = append(farm.feeds, feeds.Feed{Name: fmt.Sprint("Outlet ", i),
			URL: fmt.Sprintf("http://%s/feeds/%d", hosts[i%benchHosts], i), FullText: feeds.FullTextNever})
	}
	return farm
}

func (f *feedFarm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var i int
	fmt.Sscanf(r.URL.Path, "/feeds/%d", &i)
	f.mu.Lock()
	v := f.version[i]
	f.mu.Unlock()
	etag := fmt.Sprintf(`"%d-%d"`, i, v)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	items := make([]item, benchItems)
	for k := range items {
		n := v + benchItems - k // version v adds item v+benchItems
		items[k] = item{guid: fmt.Sprintf("%d-%d", i, n), title: fmt.Sprintf("Outlet %d reports development %d", i, n),
			link: fmt.Sprintf("https://outlet%d.example/news/%d", i, n), pub: t0.Add(-time.Duration(k) * time.Minute),
			desc: strings.Repeat("Russian drones struck energy infrastructure overnight. ", benchBodyPad/55)}
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	n, _ := w.Write([]byte(rss(items...)))
	f.bodies.Add(int64(n))
}

// change bumps the version of one feed in changeEvery, a different tenth each cycle.
func (f *feedFarm) change(cycle int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.version {
		if (i+cycle)%changeEvery == 0 {
			f.version[i]++
		}
	}
}

// cycle collects once, fails on any feed error, and marks what came as seen.
func (f *feedFarm) cycle(b *testing.B, c *feeds.Collector, st bot.SeenStore) bot.Collection {
	b.Helper()
	col, err := c.Collect(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range col.Feeds {
		if r.Err != nil {
			b.Fatalf("%s: %v", r.Name, r.Err)
		}
	}
	if st != nil {
		markSeen(b, st, col)
	}
	return col
}

// BenchmarkCycle measures one poll of 500 feeds on 50 loopback hosts when 90%
// are unchanged (answered 304): its time (ns/op) and the bytes on the wire,
// against one unconditional cycle of the same feeds.
//
//	go test ./adapters/feeds -run '^$' -bench Cycle -benchtime 10x
func BenchmarkCycle(b *testing.B) {
	stores := []struct {
		name string
		open func(b *testing.B) feeds.State
	}{
		{"bolt", func(b *testing.B) feeds.State {
			s := openBolt(b, b.TempDir())
			b.Cleanup(func() { s.Close() })
			return s
		}},
		{"redis", func(b *testing.B) feeds.State {
			rdb, prefix := redistest.Client(b)
			s := redisstore.New(rdb, redisstore.Options{Prefix: prefix})
			b.Cleanup(func() { s.Close() })
			return s
		}},
	}
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			farm := newFeedFarm(b)
			store := s.open(b)
			opts := feeds.Options{Now: func() time.Time { return t0 }, Logger: quietLogger()}

			start := time.Now()
			farm.cycle(b, feeds.New(farm.feeds, nil, opts), nil)
			uncondTime, uncondBytes, uncondBodies := time.Since(start), farm.bytes.Load(), farm.bodies.Load()

			c := feeds.New(farm.feeds, store, opts)
			farm.cycle(b, c, store) // the first conditional cycle learns the validators
			var condBytes, condBodies, changed int64
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				farm.change(i)
				before, beforeBodies := farm.bytes.Load(), farm.bodies.Load()
				b.StartTimer()
				col := farm.cycle(b, c, store)
				b.StopTimer()
				condBytes += farm.bytes.Load() - before
				condBodies += farm.bodies.Load() - beforeBodies
				changed += int64(len(col.Articles))
				b.StartTimer()
			}
			b.ReportMetric(float64(condBytes)/float64(b.N), "bytes/cycle")
			b.ReportMetric(float64(uncondBytes), "uncond-bytes/cycle")
			b.ReportMetric(100*float64(condBytes)/float64(b.N)/float64(uncondBytes), "%bytes-of-uncond")
			b.ReportMetric(100*float64(condBodies)/float64(b.N)/float64(uncondBodies), "%body-bytes-of-uncond")
			b.ReportMetric(uncondTime.Seconds(), "uncond-s/cycle")
			b.ReportMetric(float64(changed)/float64(b.N), "new-articles/cycle")
		})
	}
}
