package digest

import (
	"math/rand/v2"
	"testing"
)

// TestTermCounts checks the table against a map through random additions
// and removals, over few distinct terms (long probe runs, many removals)
// and over many.
func TestTermCounts(t *testing.T) {
	for _, space := range []uint64{50, 5000, 1 << 40} {
		rng := rand.New(rand.NewPCG(space, 7))
		var m termCounts
		want := map[uint64]int32{}
		for step := range 200000 {
			term := rng.Uint64N(space) * 0x10001 // with a 0 term among them
			delta := int32(rng.IntN(3) + 1)
			if rng.IntN(2) == 0 {
				delta = -delta
			}
			m.add(term, delta)
			if want[term] += delta; want[term] <= 0 {
				delete(want, term)
			}
			if got := m.get(term); got != want[term] {
				t.Fatalf("space %d, step %d: count of %d = %d, want %d", space, step, term, got, want[term])
			}
			if m.len() != len(want) {
				t.Fatalf("space %d, step %d: %d terms, want %d", space, step, m.len(), len(want))
			}
		}
		for term, n := range want {
			if got := m.get(term); got != n {
				t.Fatalf("space %d: count of %d = %d, want %d", space, term, got, n)
			}
		}
	}
}
