package digest

import "strings"

// lexicon matches a list of terms (word prefixes, possibly several words)
// against tokenized text. Terms are bucketed by the first two bytes of
// their first word, in a table in compressed-row form, so each token costs
// one array lookup and a check of the few terms in its bucket.
type lexicon struct {
	starts [lexBuckets + 1]int32 // terms of bucket b: byBucket[starts[b]:starts[b+1]]
	bucket []int32
	terms  [][]lexWord
	short  bool // some term's first word has one letter
}

const lexBuckets = 1 << 11

type lexWord struct {
	w     string
	exact bool // must be the whole word, not a prefix
}

// lexBucket is the bucket of a word: a hash of its first two bytes (one
// Cyrillic letter, or two Latin ones), or of its one byte.
func lexBucket(w string) int {
	k := uint32(w[0])
	if len(w) >= 2 {
		k = k<<8 | uint32(w[1])
	}
	return int((k * 2654435761) >> (32 - 11))
}

// newLexicon compiles terms. Each word of a term matches as a prefix, or as
// a whole word when it ends in '$'.
func newLexicon(terms []string) *lexicon {
	lx := &lexicon{}
	var at [lexBuckets][]int32
	for _, term := range terms {
		var words []lexWord
		for _, piece := range strings.Fields(strings.ToLower(term)) {
			exact := strings.HasSuffix(piece, "$")
			toks := tokenize(strings.TrimSuffix(piece, "$"))
			for i, t := range toks {
				words = append(words, lexWord{w: t.lower, exact: exact || i < len(toks)-1})
			}
		}
		if len(words) == 0 {
			continue
		}
		lx.short = lx.short || len(words[0].w) == 1
		b := lexBucket(words[0].w)
		at[b] = append(at[b], int32(len(lx.terms)))
		lx.terms = append(lx.terms, words)
	}
	for b := range at {
		lx.starts[b] = int32(len(lx.bucket))
		lx.bucket = append(lx.bucket, at[b]...)
	}
	lx.starts[lexBuckets] = int32(len(lx.bucket))
	return lx
}

// match calls found with the index of each term that occurs in toks, once
// per occurrence.
func (lx *lexicon) match(toks []token, found func(term int)) {
	lx.matchSpans(toks, func(term, _, _ int) { found(term) })
}

// matchSpans calls found with each term that occurs in toks and the
// tokens it covers, toks[start:end].
func (lx *lexicon) matchSpans(toks []token, found func(term, start, end int)) {
	for i, t := range toks {
		if t.lower == "" {
			continue
		}
		lx.matchBucket(lexBucket(t.lower), toks, i, found)
		if lx.short && len(t.lower) >= 2 {
			lx.matchBucket(lexBucket(t.lower[:1]), toks, i, found) // one-letter terms
		}
	}
}

// matchCached is matchSpans for tokens made with cache, which knows, for
// each word, the terms of lx whose first word it matches.
func (lx *lexicon) matchCached(toks []token, cache *wordCache, found func(term, start, end int)) {
	slot := cache.slot(lx)
	if slot < 0 {
		lx.matchSpans(toks, found)
		return
	}
	for i, t := range toks {
		if t.data == nil {
			if t.lower != "" {
				lx.matchBucket(lexBucket(t.lower), toks, i, found)
			}
			continue
		}
		for _, h := range cache.hits(t.data) {
			if int(h.slot) == slot {
				if term := lx.terms[h.term]; lx.matchAt(term, toks[i:]) {
					found(int(h.term), i, i+len(term))
				}
			}
		}
	}
}

// firstWordTerms returns the terms of lx whose first word w matches.
func (lx *lexicon) firstWordTerms(w string, add func(term int32)) {
	check := func(b int) {
		for _, ti := range lx.bucket[lx.starts[b]:lx.starts[b+1]] {
			first := lx.terms[ti][0]
			if w == first.w || !first.exact && strings.HasPrefix(w, first.w) {
				add(ti)
			}
		}
	}
	check(lexBucket(w))
	if lx.short && len(w) >= 2 {
		check(lexBucket(w[:1]))
	}
}

func (lx *lexicon) matchBucket(b int, toks []token, i int, found func(term, start, end int)) {
	from, to := lx.starts[b], lx.starts[b+1]
	if from == to {
		return
	}
	for _, ti := range lx.bucket[from:to] {
		if term := lx.terms[ti]; lx.matchAt(term, toks[i:]) {
			found(int(ti), i, i+len(term))
		}
	}
}

func (lx *lexicon) matchAt(term []lexWord, toks []token) bool {
	if len(toks) < len(term) {
		return false
	}
	for j, w := range term {
		got := toks[j].lower
		if got != w.w && (w.exact || !strings.HasPrefix(got, w.w)) {
			return false
		}
	}
	return true
}

// topicMatcher decides whether an article belongs to one topic.
type topicMatcher struct {
	name    string
	terms   *lexicon
	context *lexicon
}

func newTopicMatcher(t Topic) topicMatcher {
	m := topicMatcher{name: t.Name, terms: newLexicon(t.Terms)}
	m.context = m.terms
	if len(t.Context) > 0 {
		m.context = newLexicon(t.Context)
	}
	return m
}

// relevant applies the rule documented on Topic to the tokens of an
// article's title and teaser (head) and of its paragraphs (body), made with
// cache.
func (m topicMatcher) relevant(head, body [][]token, cache *wordCache) bool {
	score := map[int]int{}
	for _, toks := range body {
		m.context.matchCached(toks, cache, func(i, _, _ int) { score[i] = 1 })
	}
	for _, toks := range head {
		m.context.matchCached(toks, cache, func(i, _, _ int) { score[i] = 2 })
	}
	total := 0
	for _, s := range score {
		total += s
	}
	inHead, inBody := false, false
	for _, toks := range head {
		m.terms.matchCached(toks, cache, func(int, int, int) { inHead = true })
	}
	for _, toks := range body {
		if inHead {
			break
		}
		m.terms.matchCached(toks, cache, func(int, int, int) { inBody = true })
	}
	if len(body) == 0 {
		// A title and a teaser alone: naming the topic or its events is
		// all they can do.
		return inHead || total >= 2
	}
	return (inHead || inBody) && total >= 2
}
