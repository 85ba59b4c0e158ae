package digest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/internal/testshared"
)

// size counts what the engine holds.
func (e *Engine) size() map[string]int {
	return map[string]int{
		"window": len(e.window), "clusters": len(e.clusters), "ids": len(e.byID), "index": len(e.index),
		"df": e.df.df.len(), "seen": len(e.seen), "shingles": len(e.dups.shingles), "titles": len(e.dups.titles),
	}
}

// TestMemoryBounded replays the corpus 3 and 12 times, a week apart: the
// engine must hold about as much after 12 weeks as after 3.
func TestMemoryBounded(t *testing.T) {
	recs := xcorpus(t)
	sizes := map[int]map[string]int{}
	for _, weeks := range []int{3, 12} {
		e := NewEngine(Options{})
		for k := range weeks {
			for _, a := range recs {
				a.ID += fmt.Sprint("-w", k)
				a.URL += fmt.Sprint("-w", k)
				a.Published = a.Published.Add(time.Duration(k) * 7 * 24 * time.Hour)
				e.Add(a)
			}
		}
		sizes[weeks] = e.size()
	}
	for k, n := range sizes[12] {
		if n > sizes[3][k]*5/4+8 {
			t.Errorf("%s: %d after 12 weeks, %d after 3: grows with history", k, n, sizes[3][k])
		}
	}
	t.Logf("after 3 weeks %v, after 12 %v", sizes[3], sizes[12])
}

// xcorpus reads the shared corpus's articles, sorted by publication, for
// the package's internal tests (the external tests have their own helpers).
func xcorpus(tb testing.TB) []Article {
	tb.Helper()
	b, err := os.ReadFile(testshared.Path(tb, "corpus/articles.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []Article
	for _, line := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var a Article
		if err := json.Unmarshal(line, &a); err != nil {
			tb.Fatal(err)
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b Article) int { return a.Published.Compare(b.Published) })
	return out
}
