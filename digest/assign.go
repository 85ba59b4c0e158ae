package digest

import (
	"cmp"
	"math"
	"slices"
)

// Candidate search: a development is indexed under the most weighty terms
// of each of its articles, and an article looks up its own most weighty
// terms, so it is compared only with developments it shares one with.
const (
	indexTerms  = 24 // of an article's unified vector
	indexKeys   = 12 // of its language-independent keys
	maxCompared = 8  // developments compared, those sharing the most index terms
)

// minCrossKeys is how many language-independent terms an article needs to
// be judged against developments in other languages: a title and a teaser
// are too little to go on.
const minCrossKeys = 10

// assign returns the development d belongs to and its similarity, or nil
// if it starts one.
//
// Streaming clustering in the manner of Miranda et al. (2018, "Multilingual
// Clustering of Streaming News"): d is compared only with the open
// developments that share an indexed term with it, by the cosine of TF-IDF
// vectors (IDF over the window) with a time decay. It joins the best one in
// its own language if the similarity reaches the threshold. Failing that it
// may join a development in another language, judged by the terms that
// survive translation (names, numbers, concepts), when that one is both
// similar enough and clearly ahead of any other.
func (e *Engine) assign(d *doc, idf *termIDF) (*cluster, float64) {
	q, qk := &e.q, &e.qk
	q.set(d.feat.all, idf.all)
	qk.set(d.feat.keys, idf.keys)
	var best, bestX *cluster
	bestSim, bestXSim, secondX := 0.0, 0.0, 0.0
	for _, c := range e.candidates(d, idf) {
		if !c.open(d.time(), e.opts.Window) {
			continue
		}
		decay := e.p.decay(d.time(), c)
		if lv := c.langs[d.art.Lang]; lv != nil {
			if s := lv.all.cosineQuery(q, e.df) * decay; s > bestSim {
				best, bestSim = c, s
			}
			continue
		}
		if len(d.feat.keys) < minCrossKeys {
			continue // a title and a teaser are too little to go on across languages
		}
		switch s := c.keys.cosineQuery(qk, e.df) * decay; {
		case s > bestXSim:
			bestX, bestXSim, secondX = c, s, bestXSim
		case s > secondX:
			secondX = s
		}
	}
	if best != nil && bestSim >= e.p.threshold(e.opts.Threshold, d) {
		return best, bestSim
	}
	if bestX != nil && bestXSim >= e.p.cross && bestXSim-secondX >= e.p.crossMargin {
		return bestX, bestXSim
	}
	return nil, 0
}

// query is an article's vector weighted for comparison with centroids:
// each weight times IDF squared (once for each side of the dot product).
type query struct {
	terms []uint64
	w     []float64
	norm  float64 // length under IDF
}

// set makes q the query of v, whose terms have IDF idfs, reusing q's arrays.
func (q *query) set(v vec, idfs []float64) {
	q.terms = slices.Grow(q.terms[:0], len(v))[:len(v)]
	q.w = slices.Grow(q.w[:0], len(v))[:len(v)]
	var n float64
	for i, e := range v {
		idf := idfs[i]
		x := float64(e.w) * idf
		n += x * x
		q.terms[i], q.w[i] = e.t, x*idf
	}
	q.norm = math.Sqrt(n)
}

// candidates returns the developments that share the most index terms
// with d (up to maxCompared; ties go to the older), oldest first.
// The list is e's scratch space, valid until the next call.
func (e *Engine) candidates(d *doc, idf *termIDF) []*cluster {
	out := e.cands[:0]
	defer func() { e.cands = out[:0] }()
	for _, t := range indexTermsOf(d, idf) {
		for c := range e.index[t].all() {
			if c.shared == 0 {
				out = append(out, c)
			}
			c.shared++
		}
	}
	if len(out) > maxCompared {
		slices.SortFunc(out, func(a, b *cluster) int { return cmp.Or(b.shared-a.shared, a.seq-b.seq) })
		for _, c := range out[maxCompared:] {
			c.shared = 0
		}
		clear(out[maxCompared:])
		out = out[:maxCompared]
	}
	for _, c := range out {
		c.shared = 0
	}
	slices.SortFunc(out, func(a, b *cluster) int { return a.seq - b.seq })
	return out
}

// indexTermsOf returns the terms of d with the most weight under IDF,
// worked out once.
func indexTermsOf(d *doc, idf *termIDF) []uint64 {
	if d.index == nil {
		d.index = make([]uint64, 0, indexTerms+indexKeys)
		d.index = appendTopTerms(d.index, d.feat.all, idf.all, indexTerms)
		d.index = appendTopTerms(d.index, d.feat.keys, idf.keys, indexKeys)
	}
	return d.index
}

// appendTopTerms appends the k terms of v with the highest weight times
// IDF (ties to the smaller term) to dst. k is at most indexTerms.
func appendTopTerms(dst []uint64, v vec, idfs []float64, k int) []uint64 {
	type tw struct {
		t uint64
		w float64
	}
	better := func(a, b tw) bool { return a.w > b.w || a.w == b.w && a.t < b.t }
	// Insertion into a sorted list of at most k: k is small.
	var buf [indexTerms + 1]tw
	top := buf[: 0 : k+1]
	for i, e := range v {
		x := tw{e.t, float64(e.w) * idfs[i]}
		if len(top) == k && !better(x, top[k-1]) {
			continue
		}
		i := len(top)
		for i > 0 && better(x, top[i-1]) {
			i--
		}
		top = slices.Insert(top, i, x)
		if len(top) > k {
			top = top[:k]
		}
	}
	for _, x := range top {
		dst = append(dst, x.t)
	}
	return dst
}

// indexCluster adds c to the index under the index terms of d it lacks.
func (e *Engine) indexCluster(c *cluster, d *doc, idf *termIDF) {
	for _, t := range indexTermsOf(d, idf) {
		if !c.indexed[t] {
			c.indexed[t] = true
			p := e.index[t]
			p.add(c)
			e.index[t] = p
		}
	}
}
