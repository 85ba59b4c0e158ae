package digest

import (
	"math"
	"time"
)

// cluster is a development as the engine keeps it.
type cluster struct {
	id      string
	seq     int
	docs    []*doc
	langs   map[string]*langVecs // word centroids of its articles, per language
	keys    centroid             // language-independent keys of all its articles
	lang    string               // the language most of its articles are in
	first   time.Time            // earliest article
	last    time.Time            // latest article
	updated time.Time            // article that last changed the version
	version int
	outlets map[string]bool
	facts   map[uint64]bool
	indexed map[uint64]bool // terms under which it is in the engine's index
	shared  int             // scratch count for Engine.candidates
	summary *summaryCache
}

// langVecs are the centroids of one language's articles of a development.
type langVecs struct {
	all centroid
	n   int
}

func newCluster(id string, seq int, d *doc) *cluster {
	c := &cluster{
		id: id, seq: seq, langs: map[string]*langVecs{}, lang: d.art.Lang,
		first: d.time(), last: d.time(), updated: d.time(),
		outlets: map[string]bool{}, facts: map[uint64]bool{}, indexed: make(map[uint64]bool, indexTerms+indexKeys),
	}
	return c
}

// add puts d into c and reports whether c's version changed: it did when d
// brings a new outlet or a number not yet in any title or lead. A copy
// (wire duplicate) counts for its outlet but adds nothing to the centroids.
func (c *cluster) add(d *doc, idf *termIDF) bool {
	d.cluster = c
	c.docs = append(c.docs, d)
	if d.time().Before(c.first) {
		c.first = d.time()
	}
	if d.time().After(c.last) {
		c.last = d.time()
	}
	changed := !c.outlets[d.outlet]
	c.outlets[d.outlet] = true
	for _, f := range d.feat.facts {
		if !c.facts[f] {
			c.facts[f] = true
			changed = changed || len(c.docs) > 1
		}
	}
	if d.dupOf == nil {
		lv := c.langs[d.art.Lang]
		if lv == nil {
			lv = &langVecs{}
			c.langs[d.art.Lang] = lv
		}
		lv.all.add(d.feat.all, idf.all)
		lv.n++
		c.keys.add(d.feat.keys, idf.keys)
		if lv.n > c.langs[c.lang].n {
			c.lang = d.art.Lang
		}
	}
	if len(c.docs) == 1 {
		c.version = 1
		return true
	}
	if changed {
		c.version++
		if d.time().After(c.updated) {
			c.updated = d.time()
		}
	}
	return changed
}

// open reports whether c still accepts an article published at t: within
// the window of its first article and not before it by more than the window.
func (c *cluster) open(t time.Time, window time.Duration) bool {
	return t.Sub(c.first) <= window && c.last.Sub(t) <= window
}

// params are the parameters of the similarity between an article and a
// development. They, and Options.Threshold's default, were chosen where
// B-cubed F1 stays high over a range of thresholds (0.21–0.24) on the shared
// corpus, full and thin, on each half of it (stories split by a hash of
// their ID, so half the distractors are gone) and on testdata/hardcases:
// a plateau rather than a peak, so that other news is not a cliff away.
type params struct {
	tau         float64 // hours: the time decay is exp(-(gap/tau)²)
	cross       float64 // key similarity needed to join across languages
	crossMargin float64 // lead over the runner-up needed to join across languages
	vouch       float64 // times the threshold a development must match to vouch for an article
	shortLen    float64 // terms below which an article counts as short (see threshold)
	shortFloor  float64 // the lowest share of the threshold a short article gets
}

var defaultParams = params{tau: 30, cross: 0.35, crossMargin: 0.1, vouch: 1.5, shortLen: 100, shortFloor: 0.4}

// decay is the time decay: 1 within the span of c's articles, falling with
// the hours between d and c's nearest article.
func (p params) decay(t time.Time, c *cluster) float64 {
	var gap time.Duration
	switch {
	case t.After(c.last):
		gap = t.Sub(c.last)
	case t.Before(c.first):
		gap = c.first.Sub(t)
	}
	x := gap.Hours() / p.tau
	return math.Exp(-x * x)
}

// threshold is the similarity d needs to join a development: the base
// threshold for an article with text; for a short one (a title and a
// teaser) it falls with the square root of its number of terms, since the
// cosine of a short text with any centroid is smaller.
func (p params) threshold(base float64, d *doc) float64 {
	return base * min(1, max(p.shortFloor, math.Sqrt(float64(len(d.feat.all))/p.shortLen)))
}
