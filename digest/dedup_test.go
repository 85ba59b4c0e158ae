package digest

import (
	"math/rand/v2"
	"testing"
)

// TestSimhash checks the counting eight bits at a time against counting
// bit by bit, for lists short and longer than the counters' 255.
func TestSimhash(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 2, 7, 254, 255, 256, 600, 1000} {
		for range 20 {
			hs := make([]uint64, n)
			for i := range hs {
				if hs[i] = rng.Uint64(); i%3 == 0 { // some with more zeros than ones
					hs[i] &= rng.Uint64()
				}
			}
			var counts [64]int
			for _, h := range hs {
				for b := range 64 {
					counts[b] += int(h>>b&1)*2 - 1
				}
			}
			var want uint64
			for b := range 64 {
				if counts[b] > 0 {
					want |= 1 << b
				}
			}
			if got := simhash(hs); got != want {
				t.Fatalf("%d hashes: simhash %064b, want %064b", n, got, want)
			}
		}
	}
}
