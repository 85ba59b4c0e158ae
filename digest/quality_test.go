package digest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrepbot/sitrep/digest"
	"github.com/sitrepbot/sitrep/digest/evaluate"
)

// toEval converts records for the evaluate package.
func toEval(recs []record) []evaluate.Record {
	out := make([]evaluate.Record, len(recs))
	for i, r := range recs {
		out[i] = evaluate.Record{Article: r.Article, Story: r.Story}
	}
	return out
}

func mustReadStories(tb testing.TB, path string) []evaluate.Story {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	s, err := evaluate.ReadStories(f)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func mustReadCorpus(tb testing.TB, path string) []record {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := evaluate.ReadCorpus(f)
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]record, len(recs))
	for i, r := range recs {
		out[i] = record{Article: r.Article, Story: r.Story}
	}
	return out
}

// target is a bound a metric must meet.
type target struct {
	name string
	got  func(evaluate.Metrics) float64
	min  float64 // or, when max is set, the metric must be at most max
	max  float64
}

func checkTargets(t *testing.T, m evaluate.Metrics, targets []target) {
	t.Helper()
	for _, tt := range targets {
		got := tt.got(m)
		if tt.max > 0 && got > tt.max || tt.max == 0 && got < tt.min {
			if tt.max > 0 {
				t.Errorf("%s = %.4f, want at most %g", tt.name, got, tt.max)
			} else {
				t.Errorf("%s = %.4f, want at least %g", tt.name, got, tt.min)
			}
		}
	}
	t.Logf("bcubed_f1 %.4f (P %.4f R %.4f), pairwise_f1 %.4f, relevance P %.4f R %.4f, crosslingual P %.4f R %.4f, facts %.4f, summary max %d, %d developments",
		m.BCubedF1, m.BCubedPrecision, m.BCubedRecall, m.PairwiseF1, m.RelevancePrecision, m.RelevanceRecall,
		m.CrosslingualPrecision, m.CrosslingualRecall, m.FactCoverage, m.SummaryCharsMax, m.PredictedDevelopments)
}

// The targets of issue 3 on the shared corpus.
func TestCorpusQuality(t *testing.T) {
	recs := mustLoadCorpus(t)
	stories := mustReadStories(t, filepath.Join(corpusDir(t), "stories.json"))
	t.Run("full", func(t *testing.T) {
		m, _ := evaluate.Evaluate(digest.Options{}, toEval(recs), stories)
		checkTargets(t, m, []target{
			{name: "bcubed_f1", got: func(m evaluate.Metrics) float64 { return m.BCubedF1 }, min: 0.97},
			{name: "crosslingual_precision", got: func(m evaluate.Metrics) float64 { return m.CrosslingualPrecision }, min: 1},
			{name: "relevance_precision", got: func(m evaluate.Metrics) float64 { return m.RelevancePrecision }, min: 0.97},
			{name: "relevance_recall", got: func(m evaluate.Metrics) float64 { return m.RelevanceRecall }, min: 0.97},
			{name: "fact_coverage", got: func(m evaluate.Metrics) float64 { return m.FactCoverage }, min: 0.90},
			{name: "summary_chars_max", got: func(m evaluate.Metrics) float64 { return float64(m.SummaryCharsMax) }, max: 320},
			{name: "crosslingual_recall (stretch)", got: func(m evaluate.Metrics) float64 { return m.CrosslingualRecall }, min: 0.5},
		})
	})
	t.Run("thin", func(t *testing.T) {
		m, _ := evaluate.Evaluate(digest.Options{}, toEval(thin(recs)), stories)
		checkTargets(t, m, []target{
			{name: "bcubed_f1", got: func(m evaluate.Metrics) float64 { return m.BCubedF1 }, min: 0.90},
			{name: "relevance_recall", got: func(m evaluate.Metrics) float64 { return m.RelevanceRecall }, min: 0.90},
			{name: "crosslingual_precision", got: func(m evaluate.Metrics) float64 { return m.CrosslingualPrecision }, min: 1},
			{name: "summary_chars_max", got: func(m evaluate.Metrics) float64 { return float64(m.SummaryCharsMax) }, max: 320},
		})
	})
}

// TestHardCases replays testdata/hardcases.jsonl, written for these tests:
// one minister's two announcements on one day; two strikes on one city two
// days apart; a repatriation of the dead told in different words; Ukrainian
// and Russian reports beside English ones that share their place names;
// wire copy republished by three outlets; off-topic items about the same
// cities.
func TestHardCases(t *testing.T) {
	recs := mustReadCorpus(t, "testdata/hardcases.jsonl")
	stories := mustReadStories(t, "testdata/hardcases-stories.json")
	for _, variant := range []struct {
		name    string
		recs    []record
		targets []target
	}{
		{"full", recs, []target{
			{name: "bcubed_precision", got: func(m evaluate.Metrics) float64 { return m.BCubedPrecision }, min: 1},
			{name: "bcubed_recall", got: func(m evaluate.Metrics) float64 { return m.BCubedRecall }, min: 1},
			{name: "relevance_precision", got: func(m evaluate.Metrics) float64 { return m.RelevancePrecision }, min: 1},
			{name: "relevance_recall", got: func(m evaluate.Metrics) float64 { return m.RelevanceRecall }, min: 1},
			{name: "crosslingual_precision", got: func(m evaluate.Metrics) float64 { return m.CrosslingualPrecision }, min: 1},
			{name: "fact_coverage", got: func(m evaluate.Metrics) float64 { return m.FactCoverage }, min: 0.9},
		}},
		{"thin", thin(recs), []target{
			{name: "bcubed_precision", got: func(m evaluate.Metrics) float64 { return m.BCubedPrecision }, min: 1},
			{name: "crosslingual_precision", got: func(m evaluate.Metrics) float64 { return m.CrosslingualPrecision }, min: 1},
			{name: "relevance_recall", got: func(m evaluate.Metrics) float64 { return m.RelevanceRecall }, min: 0.9},
		}},
	} {
		t.Run(variant.name, func(t *testing.T) {
			m, _ := evaluate.Evaluate(digest.Options{}, toEval(variant.recs), stories)
			checkTargets(t, m, variant.targets)
		})
	}
	e, _ := replay(t, digest.Options{}, recs)
	if n := e.Stats().Duplicates; n != 2 {
		t.Errorf("%d articles taken as wire copies, want 2 (h21 with a byline, h22 trimmed)", n)
	}
}

// TestCopiesStayApart replays the corpus three times, a week apart (as the
// benchmarks do): no development may hold articles of two copies.
func TestCopiesStayApart(t *testing.T) {
	recs := mustLoadCorpus(t)
	big := scaled(recs, 3*len(recs))
	_, devs := replay(t, digest.Options{}, big)
	copyOf := map[string]string{} // development → copy suffix
	for _, r := range big {
		dev, ok := devs[r.ID]
		if !ok {
			continue
		}
		k := r.ID[strings.LastIndex(r.ID, "-w"):]
		if prev, ok := copyOf[dev]; ok && prev != k {
			t.Fatalf("development %s holds articles of copies %s and %s", dev, prev, k)
		}
		copyOf[dev] = k
	}
}
