package digest

import (
	"math"
	"slices"
	"strconv"
	"sync"
)

// features are what the clustering compares of one article.
type features struct {
	// all holds every word of the article in one term space, before IDF
	// and scaled to unit length: stemmed words, the sound keys of names,
	// the concepts of the thesaurus; weighted by where they occur (title,
	// lead, later paragraphs) and what they are (numbers and names weigh
	// more, full names and titles of persons less).
	all vec
	// keys holds the key terms of all (see keyTerm): what survives
	// translation. Articles in different languages are compared by these
	// alone.
	keys vec
	// facts are the numbers of the title and lead (see leadFacts).
	facts []uint64
	// calendar holds the day and month names, as terms of the unified
	// vector: they are left out of it (time is the time decay's business)
	// but summaries want them ("talks resume on Monday").
	calendar []uint64
}

// Terms are 64-bit hashes. The top bit marks key terms: those that mean
// the same in any language (concepts, sound keys of names, romanized
// acronyms, numbers of two or more digits); the rest are words of one
// language.
const keyBit = 1 << 63

// wordTerm is the term of a stemmed word.
func wordTerm(w string) uint64 { return termHash('w', w) &^ keyBit }

// keyTerm is the term of a language-independent key.
func keyTerm(k string) uint64 { return termHash('k', k) | keyBit }

func isKeyTerm(t uint64) bool { return t&keyBit != 0 }

// Weights of a word in the unified vector, by where it occurs and what it is.
var (
	titleWeight  = 2.0  // a word of the title, against 1 for the lead paragraph
	leadDecay    = 0.35 // paragraph i weighs 1/(1+leadDecay·i): the inverted pyramid puts the news first
	nameWeight   = 1.5  // a name or acronym
	numberWeight = 3.0  // a number of two or more digits: counts identify events
	givenWeight  = 0.3  // a capitalized word right before another name: given names, titles
	personWeight = 0.25 // a person's surname: people act in many developments
	conceptShare = 0.7  // of a word's weight moved to its thesaurus concept
	keyShare     = 0.5  // of a name's weight moved to its sound key
)

// extract computes the features of an article from the tokens of its
// cleaned title and of its paragraphs (the teaser joined to the lead).
func extract(titleToks []token, bodyToks [][]token, cache *wordCache) features {
	var f features
	acc := accumulators.Get().(*accumulator)
	defer func() {
		clear(acc.lists) // the tokens are the caller's
		accumulators.Put(acc)
	}()
	names := namedWords(titleToks, bodyToks, acc.reset(&acc.names))
	persons := personWords(bodyToks, acc.reset(&acc.persons))
	lists := append(append(acc.lists[:0], titleToks), bodyToks...)
	acc.lists = lists
	// The concept mentions of all lists in one array: list i's are
	// spans[ends[i-1]:ends[i]].
	spans, ends := acc.spans[:0], acc.ends[:0]
	for _, toks := range lists {
		spans = appendConceptSpans(spans, toks, cache)
		ends = append(ends, len(spans))
	}
	acc.spans, acc.ends = spans, ends
	from := 0
	for i, toks := range lists {
		w := titleWeight
		if i > 0 {
			w = 1 / (1 + leadDecay*float64(i-1))
		}
		acc.addAll(toks, spans[from:ends[i]], w, names, persons)
		from = ends[i]
	}
	f.all = acc.vector()
	for _, toks := range lists {
		for _, t := range toks {
			if t.calendar() && t.term != 0 {
				f.calendar = append(f.calendar, t.term)
			}
		}
	}
	slices.Sort(f.calendar)
	f.calendar = slices.Compact(f.calendar)
	f.keys = keysOf(f.all)
	f.facts = leadFacts(titleToks, bodyToks)
	return f
}

// addAll adds the tokens of one title or paragraph to the unified vector.
// A word that names a thesaurus concept gives conceptShare of its weight to
// the concept; a name gives keyShare of its weight to its sound key, and an
// acronym to its romanized form, so spellings of one transliterated name
// ("Pryluzhne", "Priluzhnoye") meet while a name written the same way still
// counts once. Concepts, sound keys and numbers are key terms (see keyTerm).
func (a *accumulator) addAll(toks []token, spans []conceptSpan, w float64, names, persons map[string]bool) {
	inConcept := slices.Grow(a.inConcept[:0], len(toks))[:len(toks)]
	clear(inConcept)
	a.inConcept = inConcept
	for _, sp := range spans {
		a.add(keyTerm(conceptTerms[sp.concept]), w*conceptShare)
		for i := sp.start; i < sp.end; i++ {
			inConcept[i] = true
		}
	}
	for j, t := range toks {
		if t.calendar() {
			continue // time is the time decay's business
		}
		tw := w * tokenWeight(toks, j, names, persons)
		if inConcept[j] {
			tw *= 1 - conceptShare
		}
		switch {
		case t.num != "":
			if len(t.num) >= 2 {
				a.add(keyTerm("#"+t.num), tw)
			} else {
				a.add(wordTerm(t.num), tw)
			}
			continue
		case isAcronym(t.text):
			a.add(keyTerm("@"+transliterate(t.lower)), tw*keyShare)
			tw *= 1 - keyShare
		case isCapitalized(t.text) && names[t.lower]:
			if k := t.soundKey(); k != "" {
				a.add(keyTerm("%"+k), tw*keyShare)
				tw *= 1 - keyShare
			}
		}
		a.word(t, tw)
	}
}

// keysOf returns the key terms of a unified vector, scaled to unit length:
// what is compared across languages.
func keysOf(all vec) vec {
	n := 0
	for _, e := range all {
		if isKeyTerm(e.t) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	keys := make(vec, 0, n)
	for _, e := range all {
		if isKeyTerm(e.t) {
			keys = append(keys, e)
		}
	}
	keys.normalize()
	return keys
}

// tokenWeight is the weight multiplier of toks[j] for what it is: numbers
// of two or more digits and names weigh more; a capitalized word right
// before another name ("Volodymyr" in "Volodymyr Zelensky", "President"
// before it) weighs givenWeight, so a person named in full does not count
// thrice; and a person's surname weighs personWeight.
func tokenWeight(toks []token, j int, names, persons map[string]bool) float64 {
	t := toks[j]
	if n, ok := numberOf(t); ok {
		if len(n) >= 2 {
			return numberWeight
		}
		return 1
	}
	switch {
	case !isCapitalized(t.text):
		return 1
	case t.next && j+1 < len(toks) && isCapitalized(toks[j+1].text) && !isAcronym(toks[j+1].text):
		return givenWeight
	case persons[t.lower]:
		return personWeight
	case isAcronym(t.text) || names[t.lower]:
		return nameWeight
	}
	return 1
}

// personWords returns the last words of runs of two or more capitalized
// words in running text ("Volodymyr Zelensky", "Chancellor Friedrich
// Merz"): mostly surnames.
// The words go into out, which must be empty.
func personWords(body [][]token, out map[string]bool) map[string]bool {
	for _, toks := range body {
		run := 0
		for j, t := range toks {
			if !isCapitalized(t.text) || isAcronym(t.text) {
				run = 0
				continue
			}
			run++
			last := !t.next || j+1 >= len(toks) || !isCapitalized(toks[j+1].text) || isAcronym(toks[j+1].text)
			if last && run >= 2 && !t.stop() {
				out[t.lower] = true
			}
		}
	}
	return out
}

// namedWords returns the lower-case words written capitalized somewhere
// other than at the start of a sentence: the names in the text. A
// title-cased title says nothing about names and is skipped.
// The words go into names, which must be empty.
func namedWords(title []token, body [][]token, names map[string]bool) map[string]bool {
	add := func(toks []token) {
		for _, t := range toks {
			if !t.number && !t.initial && isCapitalized(t.text) && !t.stop() {
				names[t.lower] = true
			}
		}
	}
	if !titleCased(title) {
		add(title)
	}
	for _, toks := range body {
		add(toks)
	}
	return names
}

// leadFacts are the numbers of the title and the first paragraph: when a
// development gains one, it has a new lead fact.
func leadFacts(title []token, body [][]token) []uint64 {
	var out []uint64
	lists := [][]token{title}
	if len(body) > 0 {
		lists = append(lists, body[0])
	}
	for _, toks := range lists {
		for _, t := range toks {
			if n, ok := numberOf(t); ok {
				out = append(out, keyTerm("#"+n))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// numberOf returns the digits of a number token or number word.
func numberOf(t token) (string, bool) {
	return t.num, t.num != ""
}

// accumulator collects the weighted terms of one vector before it is
// made, and holds the scratch space of extract.
type accumulator struct {
	terms          []entry64
	names, persons map[string]bool
	lists          [][]token
	spans          []conceptSpan
	ends           []int
	inConcept      []bool
}

// reset empties the map *m, making it if needed, and returns it.
func (a *accumulator) reset(m *map[string]bool) map[string]bool {
	if *m == nil {
		*m = map[string]bool{}
	}
	clear(*m)
	return *m
}

type entry64 struct {
	t uint64
	w float64
}

var accumulators = sync.Pool{New: func() any { return &accumulator{} }}

func (a *accumulator) add(term uint64, w float64) {
	if w > 0 {
		a.terms = append(a.terms, entry64{term, w})
	}
}

// word adds a word: stop words and one-letter words have no term.
func (a *accumulator) word(t token, w float64) {
	if t.term != 0 {
		a.add(t.term, w)
	}
}

// conceptTerm is the term of a thesaurus concept.
func conceptTerm(i int) string { return "~" + strconv.Itoa(i) }

// conceptTerms are the terms of the thesaurus concepts, by index.
var conceptTerms = func() []string {
	out := make([]string, len(concepts))
	for i := range concepts {
		out[i] = conceptTerm(i)
	}
	return out
}()

// conceptSpan is one mention of a thesaurus concept: toks[start:end].
type conceptSpan struct{ concept, start, end int }

// appendConceptSpans appends the concepts that toks (made with cache)
// mention to out.
func appendConceptSpans(out []conceptSpan, toks []token, cache *wordCache) []conceptSpan {
	conceptLexicon.matchCached(toks, cache, func(term, start, end int) {
		out = append(out, conceptSpan{conceptOf[term], start, end})
	})
	return out
}

// vector returns the terms added so far, each once with the sum of its
// weights made sublinear (1 + ln w above 1), sorted by term and scaled to
// unit length, and empties the accumulator.
func (a *accumulator) vector() vec {
	slices.SortFunc(a.terms, func(x, y entry64) int { return cmpUint64(x.t, y.t) })
	distinct := 0
	for i := range a.terms {
		if i == 0 || a.terms[i].t != a.terms[i-1].t {
			distinct++
		}
	}
	v := make(vec, 0, distinct)
	for i := 0; i < len(a.terms); {
		t, w := a.terms[i].t, 0.0
		for ; i < len(a.terms) && a.terms[i].t == t; i++ {
			w += a.terms[i].w
		}
		if w > 1 {
			w = 1 + math.Log(w)
		}
		v = append(v, entry{t: t, w: float32(w)})
	}
	a.terms = a.terms[:0]
	v.normalize()
	return v
}

func cmpUint64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// termHash is the 64-bit FNV-1a hash of a field salt and a term: terms are
// kept as hashes, so no vocabulary grows with history.
func termHash(field byte, term string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	h = (h ^ uint64(field)) * prime
	for i := 0; i < len(term); i++ {
		h = (h ^ uint64(term[i])) * prime
	}
	return h
}
