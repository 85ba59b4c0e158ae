package digest

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// A development's summary is extractive: a headline (the title that best
// represents its articles) and one or two sentences its outlets wrote,
// chosen to cover what most of them report. Words weigh by how many of the
// articles use them (consensus) times their IDF, and sentences by a lead
// prior: on news the first sentences hold the facts, and beat graph-based
// ranking in faithfulness.
const (
	leadPrior        = 0.25 // weight of a sentence at position k: 1/(1+leadPrior*k)
	teaserPos        = 1    // position given to the teaser's sentences
	maxSentences     = 2
	maxLeadSentences = 5   // sentences of an article's text considered, from the top
	maxCandidates    = 40  // sentences considered for a pair
	minSentenceLen   = 40  // characters
	maxOverlap       = 0.5 // word overlap above which two sentences say the same
)

// summaryCache holds a development's headline and summary for the articles
// it had when they were computed.
type summaryCache struct {
	docs              int
	headline, summary string
	importance        int // importance terms in the headline and summary
}

// sentence is a candidate for a summary.
type sentence struct {
	text  string
	terms []uint64 // distinct, sorted
	prior float64
	doc   int // position of its article in the development
	pos   int // position in its article
	chars int
}

// docText is what summaries need of an article, computed once.
type docText struct {
	titleTerms []uint64   // distinct words of its title
	sentences  []sentence // those that could stand in a summary
}

// text returns d's summary material, computing it on first use.
func (d *doc) text(maxChars int, cache *wordCache) *docText {
	if d.sum != nil {
		return d.sum
	}
	t := &docText{titleTerms: sentenceTerms(d.title, cache)}
	if d.dupOf == nil { // a copy's sentences are its original's
		pos := 0
	paras:
		for _, p := range d.paras {
			for _, s := range Sentences(p) {
				if pos == maxLeadSentences {
					break paras
				}
				t.sentences = appendSentence(t.sentences, s, pos, maxChars, cache)
				pos++
			}
		}
		for _, s := range Sentences(d.teaser) {
			t.sentences = appendSentence(t.sentences, s, teaserPos, maxChars, cache)
		}
	}
	d.sum = t
	return t
}

// appendSentence adds s to out if it can stand alone within max characters.
func appendSentence(out []sentence, s string, pos, max int, cache *wordCache) []sentence {
	c, ok := candidate(s, pos, max)
	if !ok {
		return out
	}
	c.terms = sentenceTerms(s, cache)
	return append(out, c)
}

// candidate returns s as a sentence at position pos, without its terms, and
// whether it can stand alone within max characters.
func candidate(s string, pos, max int) (sentence, bool) {
	n := utf8.RuneCountInString(s)
	if n < minSentenceLen || n > max || !standsAlone(s) {
		return sentence{}, false
	}
	return sentence{text: s, prior: 1 / (1 + leadPrior*float64(pos)), pos: pos, chars: n}, true
}

// summarize returns c's headline and summary, computing them only when c
// gained articles since the last time.
func (e *Engine) summarize(c *cluster) *summaryCache {
	if s := c.summary; s != nil && s.docs == len(c.docs) {
		return s
	}
	docs := c.docsIn(c.lang)
	weights := e.consensus(docs)
	for _, d := range docs {
		d.text(e.opts.MaxSummaryChars, &e.words)
	}
	headline, covered := bestTitle(docs, weights)
	var cands []sentence
	for i, d := range docs {
		for _, s := range d.sum.sentences {
			s.doc = i
			cands = append(cands, s)
		}
	}
	summary := chooseSentences(cands, weights, covered, e.opts.MaxSummaryChars)
	if summary == "" {
		summary = fallbackSummary(docs, e.opts.MaxSummaryChars)
	}
	found := map[int]bool{}
	withTokens(headline+". "+summary, &e.words, func(toks []token) {
		e.importance.match(toks, func(i int) { found[i] = true })
	})
	c.summary = &summaryCache{docs: len(c.docs), headline: headline, summary: summary, importance: len(found)}
	return c.summary
}

// docsIn returns c's articles in one language, in the order they came.
func (c *cluster) docsIn(lang string) []*doc {
	var out []*doc
	for _, d := range c.docs {
		if d.art.Lang == lang {
			out = append(out, d)
		}
	}
	return out
}

// consensus weighs each word by the share of the (original) articles that
// use it times its IDF in the window. An article's words are the terms of
// its unified vector (which also holds concepts and sound keys; no
// sentence has those, so they weigh nothing here). The map is e's scratch
// space, valid until the next call.
func (e *Engine) consensus(docs []*doc) map[uint64]float64 {
	if e.weights == nil {
		e.weights = map[uint64]float64{}
	}
	w := e.weights
	clear(w)
	n := 0
	for _, d := range docs { // first the number of articles with each word
		if d.dupOf != nil {
			continue
		}
		n++
		for _, t := range d.feat.all {
			w[t.t]++
		}
		for _, t := range d.feat.calendar {
			w[t]++
		}
	}
	for t, k := range w {
		w[t] = k / float64(max(n, 1)) * e.df.idf(t)
	}
	return w
}

// sentenceTerms are the distinct stemmed words of a text, sorted, as terms
// of the unified vector (so the window's IDF applies).
func sentenceTerms(text string, cache *wordCache) []uint64 {
	out, ok := plainTerms(text, cache)
	if !ok {
		out = tokenTerms(text, cache)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// sentenceTerm is the term t counts as in a sentence: a number of two
// digits or more as a key term, a shorter one as a word, else its own term
// (0 for none).
func (t token) sentenceTerm() uint64 {
	switch {
	case len(t.num) >= 2:
		return keyTerm("#" + t.num)
	case t.num != "":
		return wordTerm(t.num)
	}
	return t.term
}

// tokenTerms returns the terms of sentenceTerms, unsorted, from the tokens
// of text.
func tokenTerms(text string, cache *wordCache) []uint64 {
	var out []uint64
	withTokens(text, cache, func(toks []token) {
		out = make([]uint64, 0, len(toks))
		for _, t := range toks {
			if x := t.sentenceTerm(); x != 0 {
				out = append(out, x)
			}
		}
	})
	return out
}

// plainTerms returns the terms of sentenceTerms, unsorted, reading the
// words of text as tokenize does but without making tokens; ok is false,
// and nothing returned, when text has a number word, which tokenize may
// join with its neighbours ("two hundred").
func plainTerms(text string, cache *wordCache) (out []uint64, ok bool) {
	out = make([]uint64, 0, len(text)/6+1)
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case isLetter(r):
			j := scanWord(text, i)
			wd := cache.get(text[i:j])
			if wd.num != "" {
				return nil, false
			}
			if wd.term != 0 {
				out = append(out, wd.term)
			}
			i = j
		case '0' <= r && r <= '9':
			j, n := scanNumber(text, i)
			if len(n) >= 2 {
				out = append(out, keyTerm("#"+n))
			} else {
				out = append(out, wordTerm(n))
			}
			i = j
		default:
			i += size
		}
	}
	return out, true
}

// labelPrefixes mark titles of explainers, live pages and opinion: they
// represent a development less well than a report's title.
var labelPrefixes = []string{"explainer", "analysis", "opinion", "comment", "live", "watch", "video", "factbox", "q&a", "editorial", "podcast", "update", "breaking"}

// bestTitle returns the title whose words the articles share most, and
// the set of its words.
// The docs' text must have been worked out (see doc.text).
func bestTitle(docs []*doc, w map[uint64]float64) (string, map[uint64]bool) {
	var best *doc
	bestScore := -1.0
	for _, d := range docs {
		terms := d.sum.titleTerms
		if len(terms) == 0 {
			continue
		}
		var s float64
		for _, t := range terms {
			s += w[t]
		}
		s /= math.Sqrt(float64(len(terms)))
		lower := strings.ToLower(d.title)
		for _, p := range labelPrefixes {
			if strings.HasPrefix(lower, p+":") || strings.HasPrefix(lower, p+" -") {
				s *= 0.5
			}
		}
		if strings.HasSuffix(d.title, "?") {
			s *= 0.7
		}
		if s > bestScore {
			best, bestScore = d, s
		}
	}
	if best == nil {
		if len(docs) == 0 {
			return "", nil
		}
		best = docs[0]
	}
	covered := map[uint64]bool{}
	for _, t := range best.sum.titleTerms {
		covered[t] = true
	}
	return best.title, covered
}
