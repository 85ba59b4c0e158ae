package digest

import (
	"slices"
	"testing"
)

// TestPlainTerms checks sentenceTerms's fast path against the terms of
// the tokens, on every sentence of the corpus and on a few made to test it.
func TestPlainTerms(t *testing.T) {
	texts := []string{
		"Kyiv's mayor said 1,200 people and 9.5% of F-16s were hit on Dec. 14.",
		"Two hundred and twenty soldiers came back, a hundred more next week.",
		"Обмін полоненими: 1 200 військових повернулися додому — обов'язкову.",
		"Ceasefire talks in Abu Dhabi — the UAE's mediation — resumed on Monday.",
		"",
		"7",
	}
	for _, a := range xcorpus(t) {
		texts = append(texts, a.Title)
		for _, p := range paragraphs(a.Content) {
			texts = append(texts, Sentences(p)...)
		}
	}
	var cache wordCache
	plain := 0
	for _, text := range texts {
		want := tokenTerms(text, nil)
		slices.Sort(want)
		want = slices.Compact(want)
		got, ok := plainTerms(text, &cache)
		if !ok {
			continue
		}
		plain++
		slices.Sort(got)
		if got = slices.Compact(got); !slices.Equal(got, want) {
			t.Errorf("plainTerms(%q) = %v, want %v", text, got, want)
		}
	}
	if plain < len(texts)/2 {
		t.Errorf("the fast path took %d of %d texts", plain, len(texts))
	}
	if _, ok := plainTerms("Two hundred and twenty soldiers.", &cache); ok {
		t.Error("plainTerms took a text with number words")
	}
}
