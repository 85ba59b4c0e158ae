package digest

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomVec returns a sorted vector of up to n terms drawn from [0, space).
func randomVec(rng *rand.Rand, n int, space uint64) vec {
	m := map[uint64]float32{}
	for range rng.IntN(n + 1) {
		m[rng.Uint64N(space)] = rng.Float32()
	}
	var v vec
	for t, w := range m {
		v = append(v, entry{t, w})
	}
	slices.SortFunc(v, func(a, b entry) int { return cmpUint64(a.t, b.t) })
	return v
}

// TestCentroidAdd checks the merged list of a centroid against sums in a
// map, and the similarity against a dot product over the map.
func TestCentroidAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 200 {
		var c centroid
		want := map[uint64]float32{}
		for range rng.IntN(12) {
			v := randomVec(rng, 60, 200)
			c.add(v, make([]float64, len(v)))
			for _, e := range v {
				want[e.t] += e.w
			}
		}
		if len(c.v) != len(want) || !slices.IsSortedFunc(c.v, func(a, b entry) int { return cmpUint64(a.t, b.t) }) {
			t.Fatalf("round %d: %d terms, want %d, sorted", round, len(c.v), len(want))
		}
		for _, e := range c.v {
			if want[e.t] != e.w {
				t.Fatalf("round %d: term %d = %v, want %v", round, e.t, e.w, want[e.t])
			}
		}
		q := randomVec(rng, 40, 200)
		var wantDot float64
		for _, e := range q {
			if w, ok := want[e.t]; ok {
				wantDot += float64(e.w) * float64(w)
			}
		}
		var gotDot float64
		j := 0
		for _, e := range q {
			if j = seek(c.v, j, e.t); j < len(c.v) && c.v[j].t == e.t {
				gotDot += float64(e.w) * float64(c.v[j].w)
			}
		}
		if gotDot != wantDot {
			t.Fatalf("round %d: dot %v, want %v", round, gotDot, wantDot)
		}
		// cosineQuery walks the lists side by side or gallops, by their
		// lengths: the dot product must be the same bits either way.
		df := newDocFreq()
		qry := query{norm: 1}
		for _, e := range q {
			qry.terms, qry.w = append(qry.terms, e.t), append(qry.w, float64(e.w))
		}
		if len(c.v) > 0 && wantDot != 0 {
			want := wantDot / math.Sqrt(c.length2(df))
			if got := c.cosineQuery(&qry, df); got != want {
				t.Fatalf("round %d: cosine %v, want %v (%d query terms, %d centroid terms)", round, got, want, len(q), len(c.v))
			}
		}
	}
}
