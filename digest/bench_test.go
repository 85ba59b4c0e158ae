package digest_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// benchmarkEngine adds n articles (copies of the corpus a week apart, see
// scaled) through a new engine, asking for a digest every 100 articles as
// the bot's /latest would. It reports the heap the engine holds at the end
// (in use with it minus in use without it): bounded by the window, it does
// not grow with n.
func benchmarkEngine(b *testing.B, n int) {
	recs := scaled(mustLoadCorpus(b), n)
	arts := make([]digest.Article, len(recs))
	for i, r := range recs {
		arts[i] = r.Article
	}
	b.ReportAllocs()
	b.ResetTimer()
	var heap uint64
	for i := 0; b.Loop(); i++ {
		e := digest.NewEngine(digest.Options{})
		for j, a := range arts {
			e.Add(a)
			if j%100 == 99 {
				e.Digest(a.Published, a.Published.Add(-24*time.Hour), 10)
			}
		}
		if i == 0 {
			b.StopTimer()
			with := heapInUse()
			runtime.KeepAlive(e)
			e = nil
			heap = with - min(with, heapInUse())
			b.StartTimer()
		}
	}
	b.ReportMetric(float64(heap)/(1<<20), "heapMB")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/article")
}

func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func BenchmarkEngine1k(b *testing.B)   { benchmarkEngine(b, 1_000) }
func BenchmarkEngine10k(b *testing.B)  { benchmarkEngine(b, 10_000) }
func BenchmarkEngine100k(b *testing.B) { benchmarkEngine(b, 100_000) }
