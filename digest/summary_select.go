package digest

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// chooseSentences picks the one or two candidate sentences that together
// cover the most weight of words not yet covered (by the headline), each
// word counted once at the better lead prior of the sentences that have it,
// within max characters. Two sentences that say the same are never paired.
func chooseSentences(cands []sentence, w map[uint64]float64, covered map[uint64]bool, max int) string {
	if len(cands) == 0 {
		return ""
	}
	// Each sentence's words as weights, in the order of its sorted terms,
	// with covered words at zero.
	weights := make([][]float64, len(cands))
	scores := make([]float64, len(cands))
	order := make([]int, len(cands))
	for i, s := range cands {
		weights[i] = make([]float64, len(s.terms))
		for j, t := range s.terms {
			if !covered[t] {
				weights[i][j] = w[t]
				scores[i] += w[t] * s.prior
			}
		}
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	order = order[:min(len(order), maxCandidates)]

	pick, pickScore := []int{order[0]}, scores[order[0]]
	for x, i := range order {
		for _, j := range order[x+1:] {
			// A pair covers at most the sum of its sentences' scores,
			// and order falls: once that sum is clearly below the best,
			// no later pair can win.
			if beneath(scores[i]+scores[j], pickScore) {
				break
			}
			a, b := &cands[i], &cands[j]
			if a.chars+1+b.chars > max || overlap(a.terms, b.terms) > maxOverlap {
				continue
			}
			if g := pairGain(a, b, weights[i], weights[j]); g > pickScore {
				pick, pickScore = []int{i, j}, g
			}
		}
	}
	slices.SortFunc(pick, func(i, j int) int {
		a, b := cands[i], cands[j]
		if a.doc == b.doc {
			return cmp.Compare(a.pos, b.pos)
		}
		return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(a.doc, b.doc))
	})
	texts := make([]string, 0, maxSentences)
	for _, i := range pick[:min(len(pick), maxSentences)] {
		texts = append(texts, cands[i].text)
	}
	return strings.Join(texts, " ")
}

// beneath reports whether bound is below best by more than rounding: the
// sums being compared add the same products in different orders.
func beneath(bound, best float64) bool {
	return bound < best*(1-1e-9)
}

// pairGain is the weight the two sentences cover together, each word at
// the better prior of the sentences that have it.
func pairGain(a, b *sentence, wa, wb []float64) float64 {
	var g float64
	i, j := 0, 0
	for i < len(a.terms) || j < len(b.terms) {
		switch {
		case j == len(b.terms) || i < len(a.terms) && a.terms[i] < b.terms[j]:
			g += wa[i] * a.prior
			i++
		case i == len(a.terms) || b.terms[j] < a.terms[i]:
			g += wb[j] * b.prior
			j++
		default:
			g += wa[i] * max(a.prior, b.prior)
			i++
			j++
		}
	}
	return g
}

// overlap is the share of the smaller set of words that the other has too.
func overlap(a, b []uint64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return float64(n) / float64(min(len(a), len(b)))
}

// fallbackSummary is used when no sentence can stand alone within max
// characters: the start of the first article's lead, cut at a word boundary
// and marked with an ellipsis. It is "" when the articles have no text.
func fallbackSummary(docs []*doc, max int) string {
	for _, d := range docs {
		text := d.teaser
		if len(d.paras) > 0 {
			text = d.paras[0]
		}
		if text != "" {
			return cutWords(text, max)
		}
	}
	return ""
}

// cutWords shortens s to at most max characters, ending at a word boundary
// with "…" when it had to cut.
func cutWords(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	rs := []rune(s)
	cut := string(rs[:max-1]) // leaves room for the ellipsis
	if rs[max-1] != ' ' {     // cut inside a word: back to its start
		i := strings.LastIndexByte(cut, ' ')
		if i <= 0 {
			return ""
		}
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:-—–") + "…"
}
