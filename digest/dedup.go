package digest

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// Near-duplicate detection: wire copy republished by several outlets (the
// same text under a new headline, with a byline added or the ending
// trimmed) must become one article carried by several outlets. Two checks
// over 4-word shingles of the text find it:
//
//   - SimHash (Charikar 2002): 64-bit fingerprints within Hamming distance
//     simhashRadius are copies. Found through four 16-bit bands, one of
//     which two such fingerprints must share.
//   - Containment of sampled shingles (Broder 1997): shingles whose hash is
//     0 mod shingleSampling are kept; a text sharing most of the shorter
//     one's samples is a copy even when one side lost paragraphs, which
//     SimHash alone misses.
//
// Exact hashes of the cleaned title and the canonical URL catch the rest.
const (
	shingleSize     = 4
	shingleSampling = 4
	simhashRadius   = 3
	minShingles     = 24  // shorter texts get no fingerprint: too little to tell
	minSamples      = 8   // nor containment
	minContainment  = 0.6 // share of the shorter text's samples
	minTitleWords   = 6   // shorter titles are too generic to mark a copy
)

// fingerprint identifies the text of an article for duplicate detection.
type fingerprint struct {
	simhash uint64   // 0 when the text is too short
	samples []uint64 // sorted sampled shingle hashes
}

// fingerprintOf computes the fingerprint of an article's text paragraphs.
func fingerprintOf(paras [][]token) fingerprint {
	buf := hashBuffers.Get().(*[]uint64)
	defer hashBuffers.Put(buf)
	words := (*buf)[:0]
	for _, toks := range paras {
		for _, t := range toks {
			words = append(words, t.hash)
		}
	}
	*buf = words
	n := len(words) - shingleSize + 1
	if n < minShingles {
		return fingerprint{}
	}
	// The SimHash is taken over the sampled shingles: the same ones are
	// sampled from any text that has them, so it is still a locality-
	// sensitive hash of the text, at a quarter of the cost.
	samples := make([]uint64, 0, n/shingleSampling+1)
	for i := range n {
		if h := shingleHash(words[i : i+shingleSize]); h%shingleSampling == 0 {
			samples = append(samples, h)
		}
	}
	f := fingerprint{simhash: simhash(samples) | 1} // never 0, which means "none"
	slices.Sort(samples)
	f.samples = slices.Compact(samples)
	return f
}

// simhash returns the hash whose bit b is set when more of hs have bit b
// set than not. The bits are counted eight at a time: spread turns a byte
// into eight one-byte counters, which add up in a uint64 for up to 255
// hashes before they are emptied into the totals.
func simhash(hs []uint64) uint64 {
	var ones [64]int
	var lanes [8]uint64 // lanes[k]'s byte i counts bit 8k+i
	flush := func() {
		for k := range lanes {
			for i := range 8 {
				ones[8*k+i] += int(lanes[k] >> (8 * i) & 0xff)
			}
			lanes[k] = 0
		}
	}
	for n, h := range hs {
		for k := range lanes {
			lanes[k] += spread[byte(h>>(8*k))]
		}
		if n%255 == 254 {
			flush()
		}
	}
	flush()
	var s uint64
	for b, n := range ones {
		if 2*n > len(hs) { // more ones than zeros
			s |= 1 << b
		}
	}
	return s
}

// spread[x] has byte i set to bit i of x.
var spread = func() (t [256]uint64) {
	for x := range t {
		for i := range 8 {
			t[x] |= uint64(x>>i&1) << (8 * i)
		}
	}
	return t
}()

// hashBuffers hold the word hashes of an article while it is fingerprinted.
var hashBuffers = sync.Pool{New: func() any { return new([]uint64) }}

// shingleHash combines the hashes of consecutive words, in order.
func shingleHash(words []uint64) uint64 {
	h := uint64(14695981039346656037)
	for _, w := range words {
		h = (h ^ w) * 1099511628211
		h ^= h >> 29
	}
	return h
}

// dupIndex finds earlier articles in the window that an article copies.
type dupIndex struct {
	bands    [4]map[uint16]postings[*doc]
	shingles map[uint64]postings[*doc]
	titles   map[string]*doc
	shared   []*doc // scratch list for contains
}

func newDupIndex() *dupIndex {
	x := &dupIndex{shingles: map[uint64]postings[*doc]{}, titles: map[string]*doc{}}
	for i := range x.bands {
		x.bands[i] = map[uint16]postings[*doc]{}
	}
	return x
}

func band(h uint64, i int) uint16 { return uint16(h >> (16 * i)) }

// titleKey is the identity of a title for duplicate detection, "" when it
// is too short to mean anything.
func titleKey(title string) string {
	if strings.Count(title, " ") < minTitleWords-1 {
		return ""
	}
	return squash(title)
}

// find returns the earliest indexed article that d copies, or nil.
func (x *dupIndex) find(d *doc) *doc {
	var best *doc
	better := func(c *doc) {
		if best == nil || c.seq < best.seq {
			best = c
		}
	}
	if k := d.titleKey; k != "" {
		if c := x.titles[k]; c != nil {
			better(c)
		}
	}
	if f := d.print; f.simhash != 0 {
		for i := range x.bands {
			for c := range x.bands[i][band(f.simhash, i)].all() {
				if bits.OnesCount64(c.print.simhash^f.simhash) <= simhashRadius {
					better(c)
				}
			}
		}
	}
	if c := x.contains(d); c != nil {
		better(c)
	}
	return best
}

// contains returns the earliest article sharing most sampled shingles with d.
func (x *dupIndex) contains(d *doc) *doc {
	if len(d.print.samples) < minSamples {
		return nil
	}
	shared := x.shared[:0]
	for _, s := range d.print.samples {
		for c := range x.shingles[s].all() {
			if c.shared == 0 {
				shared = append(shared, c)
			}
			c.shared++
		}
	}
	var best *doc
	for _, c := range shared {
		n := c.shared
		c.shared = 0
		m := min(len(c.print.samples), len(d.print.samples))
		if m >= minSamples && float64(n) >= minContainment*float64(m) && (best == nil || c.seq < best.seq) {
			best = c
		}
	}
	clear(shared)
	x.shared = shared[:0]
	return best
}

func (x *dupIndex) add(d *doc) {
	if k := d.titleKey; k != "" && x.titles[k] == nil {
		x.titles[k] = d
	}
	if d.print.simhash != 0 {
		for i := range x.bands {
			b := band(d.print.simhash, i)
			p := x.bands[i][b]
			p.add(d)
			x.bands[i][b] = p
		}
	}
	for _, s := range d.print.samples {
		p := x.shingles[s]
		p.add(d)
		x.shingles[s] = p
	}
}

func (x *dupIndex) remove(d *doc) {
	if k := d.titleKey; k != "" && x.titles[k] == d {
		delete(x.titles, k)
	}
	if d.print.simhash != 0 {
		for i := range x.bands {
			b := band(d.print.simhash, i)
			p := x.bands[i][b]
			if p.remove(d) {
				delete(x.bands[i], b)
			} else {
				x.bands[i][b] = p
			}
		}
	}
	for _, s := range d.print.samples {
		p := x.shingles[s]
		if p.remove(d) {
			delete(x.shingles, s)
		} else {
			x.shingles[s] = p
		}
	}
}

// without returns s without the element e, reusing s's array.
func without[T comparable](s []T, e T) []T {
	if i := slices.Index(s, e); i >= 0 {
		return slices.Delete(s, i, i+1)
	}
	return s
}
