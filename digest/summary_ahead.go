package digest

import (
	"slices"
	"strings"
)

// textAhead works out d's summary material (see doc.text) from the tokens
// analyze made of its title, teaser and paragraphs, instead of reading those
// texts again when a summary first needs them. It gives what doc.text gives
// (see tokenText.terms). It keeps the sentences of every article; the
// engine drops them if the article turns out to be a copy.
func (d *doc) textAhead(title, teaser []token, paras [][]token, maxChars int, cache *wordCache) *docText {
	tt := tokenText{text: d.title, toks: title}
	t := &docText{titleTerms: tt.terms(d.title, cache)}
	pos := 0
paras:
	for i, p := range d.paras {
		tt := tokenText{text: p, toks: paras[i]}
		for _, s := range Sentences(p) {
			if pos == maxLeadSentences {
				break paras
			}
			if c, ok := candidate(s, pos, maxChars); ok {
				c.terms = tt.terms(s, cache)
				t.sentences = append(t.sentences, c)
			}
			pos++
		}
	}
	tt = tokenText{text: d.teaser, toks: teaser}
	for _, s := range Sentences(d.teaser) {
		if c, ok := candidate(s, teaserPos, maxChars); ok {
			c.terms = tt.terms(s, cache)
			t.sentences = append(t.sentences, c)
		}
	}
	return t
}

// tokenText reads the terms of a text's sentences from the text's tokens.
type tokenText struct {
	text string
	toks []token // those not before the last sentence read
	from int     // where the last sentence read ends in text
}

// terms returns sentenceTerms(s, cache) for s, a sentence of the text after
// the last one read. The text's tokens within s are those tokenize makes of
// s alone unless number words were joined ("two hundred"), which tokenize
// does with no regard for sentences: a sentence that holds a joined number,
// or whose first words went into a number before it, is read again. (Where
// the text joined none, s alone joins none either: a number stops at the
// first word that is not part of one, and s alone ends no later.)
func (x *tokenText) terms(s string, cache *wordCache) []uint64 {
	i := strings.Index(x.text[x.from:], s)
	if i < 0 {
		return sentenceTerms(s, cache)
	}
	start := x.from + i
	end := start + len(s)
	x.from = end
	for len(x.toks) > 0 && int(x.toks[0].at) < start {
		x.toks = x.toks[1:]
	}
	n := 0
	for n < len(x.toks) && int(x.toks[n].at) < end {
		n++
	}
	toks := x.toks[:n]
	x.toks = x.toks[n:]
	first := len(s) // where tokenize starts its first token in s
	if n > 0 {
		first = int(toks[0].at) - start
	}
	if first != firstTokenStart(s) {
		return sentenceTerms(s, cache)
	}
	out := make([]uint64, 0, n)
	for _, t := range toks {
		if t.data == nil && !isDigit(t.text[0]) { // number words joined
			return sentenceTerms(s, cache)
		}
		if x := t.sentenceTerm(); x != 0 {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// firstTokenStart is where tokenize starts its first token in s, or len(s).
func firstTokenStart(s string) int {
	for i, r := range s {
		if isLetter(r) || '0' <= r && r <= '9' {
			return i
		}
	}
	return len(s)
}
