package digest

import (
	"math"
	"slices"
	"strings"
)

// entry is one term of a sparse vector.
type entry struct {
	t uint64
	w float32
}

// vec is a sparse vector sorted by term.
type vec []entry

// normalize scales v to unit length.
func (v vec) normalize() {
	var n float64
	for _, e := range v {
		n += float64(e.w) * float64(e.w)
	}
	if n == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(n))
	for i := range v {
		v[i].w *= inv
	}
}

// centroid is the sum of the raw vectors of one field of a development's
// articles, with the length it had under IDF when last computed.
type centroid struct {
	v     vec     // sorted by term, like the vectors it sums
	norm  float64 // squared length under IDF; 0 means stale
	normN int     // documents in the window when norm was computed
}

// add adds v to c, merging the two sorted lists. The cached length is
// updated in O(len(v)) with the IDF of v's terms (idf[i] for v[i]), not
// recomputed over all of c's terms.
func (c *centroid) add(v vec, idfs []float64) {
	// Forward, in v's order: the change of length, and how many terms
	// are new.
	delta, added := 0.0, 0
	j := 0
	for i, e := range v {
		j = seek(c.v, j, e.t)
		var old float32
		if j < len(c.v) && c.v[j].t == e.t {
			old = c.v[j].w
		} else {
			added++
		}
		idf := idfs[i]
		x, y := float64(old)*idf, float64(old+e.w)*idf
		delta += y*y - x*x
	}
	if c.norm != 0 {
		c.norm += delta
	}
	// Backward, in place: the merged list.
	n := len(c.v)
	c.v = slices.Grow(c.v, added)[:n+added]
	i, j, k := len(v)-1, n-1, n+added-1
	for i >= 0 {
		switch {
		case j >= 0 && c.v[j].t > v[i].t:
			c.v[k] = c.v[j]
			j--
		case j >= 0 && c.v[j].t == v[i].t:
			c.v[k] = entry{t: v[i].t, w: c.v[j].w + v[i].w}
			i, j = i-1, j-1
		default:
			c.v[k] = v[i]
			i--
		}
		k--
	}
}

// seek returns the index of the first entry of v at or after from whose
// term is not below t (len(v) if none), by galloping: a centroid holds
// many more terms than the vectors compared with it.
func seek(v vec, from int, t uint64) int {
	if from >= len(v) || v[from].t >= t {
		return from
	}
	return gallop(v, from, t)
}

// gallop is seek when v[from].t < t, out of line so that seek inlines.
//
//go:noinline
func gallop(v vec, from int, t uint64) int {
	// v[lo].t < t; find hi with v[hi].t >= t or hi = len(v).
	lo, step := from, 1
	hi := lo + step
	for hi < len(v) && v[hi].t < t {
		lo = hi
		step *= 2
		hi = lo + step
	}
	hi = min(hi, len(v))
	for lo+1 < hi { // v[lo].t < t, and v[hi].t >= t or hi == len(v)
		m := int(uint(lo+hi) >> 1)
		if v[m].t < t {
			lo = m
		} else {
			hi = m
		}
	}
	return hi
}

// cosineQuery is the cosine similarity of a query and c under IDF.
func (c *centroid) cosineQuery(q *query, df *docFreq) float64 {
	if len(c.v) == 0 || q.norm == 0 {
		return 0
	}
	// The terms both have are met in ascending order whichever way the
	// lists are walked, so the sum is the same.
	var dot float64
	if len(c.v) <= 4*len(q.terms) { // side by side
		for i, j := 0, 0; i < len(q.terms) && j < len(c.v); {
			switch a, b := q.terms[i], c.v[j].t; {
			case a < b:
				i++
			case a > b:
				j++
			default:
				dot += q.w[i] * float64(c.v[j].w)
				i, j = i+1, j+1
			}
		}
	} else { // galloping through the longer centroid
		j := 0
		for i, t := range q.terms {
			if j = seek(c.v, j, t); j == len(c.v) {
				break
			}
			if c.v[j].t == t {
				dot += q.w[i] * float64(c.v[j].w)
			}
		}
	}
	if dot == 0 {
		return 0
	}
	return dot / (q.norm * math.Sqrt(c.length2(df)))
}

// length2 returns the squared length of c under IDF. It is cached and
// recomputed when c changed or the window grew or shrank by more than a
// sixteenth.
func (c *centroid) length2(df *docFreq) float64 {
	if c.norm == 0 || drifted(c.normN, df.n) {
		// Summed in fixed point: integer addition does not depend on the
		// map's order, so the result is the same on every run.
		var n int64
		for _, e := range c.v {
			x := float64(e.w) * df.idf(e.t)
			n += int64(x * x * fixedOne)
		}
		c.norm, c.normN = float64(n)/fixedOne, df.n
	}
	return c.norm
}

const fixedOne = 1 << 32

func drifted(then, now int) bool {
	d := then - now
	if d < 0 {
		d = -d
	}
	return d*16 > then
}

// docFreq counts, for each term, the articles in the window that have it,
// so IDF reflects the news of the last days and forgets the rest.
type docFreq struct {
	n  int
	df termCounts
	// table caches idf by document frequency for a window of tableN
	// articles; it is rebuilt when the window has changed by a
	// sixty-fourth, which moves no IDF by more than about 1.5%.
	table  []float64
	tableN int
}

// The IDF has a prior: pseudoDocs articles that no one wrote, half of which
// use each of the commonTerms. While the window holds few articles (the
// first minutes of a new installation) this keeps "Russian" or "said"
// from weighing as much as a place name; once it holds hundreds, the prior
// no longer matters.
const pseudoDocs = 16

// commonTerms are words that nearly every article about the war uses,
// as stems: the countries, their capitals, the vocabulary of officials.
var commonTerms = strings.Fields(`russ ukrain kyiv moscow kremlin war militar military official govern
	government minist ministry president region regional city people country forc force day week year time
	report statement told includ accord attack strik struck overnight`)

func newDocFreq() *docFreq {
	d := &docFreq{}
	prior := map[uint64]bool{} // each term once, as when they were set in a map
	for _, w := range commonTerms {
		prior[wordTerm(w)] = true
	}
	for _, c := range []int{conceptRussia, conceptUkraine} {
		prior[keyTerm(conceptTerms[c])] = true
	}
	for t := range prior {
		d.df.add(t, pseudoDocs/2)
	}
	return d
}

// idf is the smoothed inverse document frequency of a term,
// ln(1 + N/df), with N and df counting the pseudo-documents of the prior.
func (d *docFreq) idf(t uint64) float64 {
	n := int(d.df.get(t))
	if n < 1 {
		n = 1
	}
	if d.stale() {
		d.rebuild()
	}
	if n < len(d.table) {
		return d.table[n]
	}
	return math.Log(1 + float64(d.tableN+pseudoDocs+1)/float64(n))
}

// stale reports whether the table must be rebuilt for the window's size.
func (d *docFreq) stale() bool {
	return d.table == nil || d.tableN != d.n && (d.tableN-d.n)*64 > d.n || (d.n-d.tableN)*64 > d.tableN
}

func (d *docFreq) rebuild() {
	d.tableN = d.n
	size := min(d.n+pseudoDocs+2, 4096)
	d.table = slices.Grow(d.table[:0], size)[:size]
	for k := 1; k < size; k++ {
		d.table[k] = math.Log(1 + float64(d.n+pseudoDocs+1)/float64(k))
	}
}

// termIDF holds the IDF of each term of an article's vectors (all and
// keys, index for index) in the window as it is while the article is
// added: worked out once, it serves the query, the index terms and the
// centroids.
type termIDF struct {
	all, keys []float64
}

// weigh fills w with the IDF of the terms of f, reusing its arrays.
func (d *docFreq) weigh(f *features, w *termIDF) {
	w.all, w.keys = w.all[:0], w.keys[:0]
	for _, e := range f.all {
		idf := d.idf(e.t)
		w.all = append(w.all, idf)
		if isKeyTerm(e.t) {
			w.keys = append(w.keys, idf)
		}
	}
}

func (d *docFreq) add(fs ...vec) {
	d.n++
	for _, v := range fs {
		for _, e := range v {
			d.df.add(e.t, 1)
		}
	}
}

func (d *docFreq) remove(fs ...vec) {
	d.n--
	for _, v := range fs {
		for _, e := range v {
			d.df.add(e.t, -1)
		}
	}
}
