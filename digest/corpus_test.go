package digest_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/digest"
	"github.com/sitrepbot/sitrep/internal/testshared"
)

// record is one line of the labelled corpus: an article and its gold story.
type record struct {
	digest.Article
	Story string `json:"story"`
}

// corpusDir returns the shared corpus directory (see internal/testshared).
func corpusDir(tb testing.TB) string {
	tb.Helper()
	return testshared.Path(tb, "corpus")
}

// mustLoadCorpus reads the labelled corpus, sorted by publication time.
func mustLoadCorpus(tb testing.TB) []record {
	tb.Helper()
	f, err := os.Open(filepath.Join(corpusDir(tb), "articles.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatal(err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	slices.SortStableFunc(out, func(a, b record) int { return a.Published.Compare(b.Published) })
	return out
}

// thin strips records to what a thin feed carries: title and teaser.
func thin(recs []record) []record {
	out := slices.Clone(recs)
	for i := range out {
		out[i].Content = ""
	}
	return out
}

// scaled returns n articles made of copies of the corpus a week apart: each
// copy has new IDs and URLs, and its texts are perturbed (a sentence of the
// text dropped, two title words swapped) so that copies are not identical.
// Copy k's story labels are suffixed with "#k": copies are different
// developments.
func scaled(recs []record, n int) []record {
	out := make([]record, 0, n)
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; len(out) < n; k++ {
		for _, r := range recs {
			if len(out) == n {
				break
			}
			c := r
			suffix := fmt.Sprintf("-w%d", k)
			c.ID += suffix
			c.URL += suffix
			c.Published = r.Published.Add(time.Duration(k) * 7 * 24 * time.Hour)
			if c.Story != "" {
				c.Story += fmt.Sprintf("#%d", k)
			}
			if k > 0 {
				c.Title = swapWords(c.Title, rng)
				c.Content = dropSentence(c.Content, rng)
			}
			out = append(out, c)
		}
	}
	return out
}

func swapWords(s string, rng *rand.Rand) string {
	w := strings.Fields(s)
	if len(w) < 4 {
		return s
	}
	i := 1 + rng.IntN(len(w)-2)
	w[i], w[i+1] = w[i+1], w[i]
	return strings.Join(w, " ")
}

func dropSentence(s string, rng *rand.Rand) string {
	paras := strings.Split(s, "\n\n")
	if len(paras) < 3 {
		return s
	}
	i := 1 + rng.IntN(len(paras)-1)
	sents := digest.Sentences(paras[i])
	if len(sents) < 2 {
		return s
	}
	j := rng.IntN(len(sents))
	paras[i] = strings.Join(slices.Delete(sents, j, j+1), " ")
	return strings.Join(paras, "\n\n")
}
