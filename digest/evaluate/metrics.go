package evaluate

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Metrics are the scores of one evaluation. The JSON keys are a fixed
// contract: `sitrep eval --json` prints exactly these.
type Metrics struct {
	Articles              int     `json:"articles"`
	GoldStories           int     `json:"gold_stories"`
	PredictedDevelopments int     `json:"predicted_developments"`
	RelevancePrecision    float64 `json:"relevance_precision"`
	RelevanceRecall       float64 `json:"relevance_recall"`
	BCubedPrecision       float64 `json:"bcubed_precision"`
	BCubedRecall          float64 `json:"bcubed_recall"`
	BCubedF1              float64 `json:"bcubed_f1"`
	PairwiseF1            float64 `json:"pairwise_f1"`
	CrosslingualPrecision float64 `json:"crosslingual_precision"`
	CrosslingualRecall    float64 `json:"crosslingual_recall"`
	FactCoverage          float64 `json:"fact_coverage"`
	SummaryCharsMax       int     `json:"summary_chars_max"`
	Seconds               float64 `json:"seconds"`
	ArticlesPerSecond     float64 `json:"articles_per_second"`
}

// Score computes the metrics of assignments against the gold labels of the
// records (Seconds and ArticlesPerSecond are left to the caller):
//
//   - relevance: gold relevant = a story; predicted relevant = kept.
//   - B-cubed (Bagga & Baldwin 1998) and pairwise F1 over the gold-relevant
//     articles, each language's articles scored among themselves (gold and
//     predicted clusters both restricted to the article's language); a
//     dropped article is its own singleton.
//   - cross-language: a non-English relevant article belongs in the
//     development holding most of its story's English articles. Recall is
//     the share placed there; precision, of those placed in a development
//     with English articles, the share placed in the right one (1 if none).
//   - fact coverage: for each story with two or more articles, the share of
//     its facts found in the headline and summary of the development holding
//     most of its articles, averaged over stories.
func Score(records []Record, stories []Story, a Assignments) Metrics {
	m := Metrics{Articles: len(records)}
	gold := map[string]bool{}
	devs := map[string]bool{}
	for _, r := range records {
		if r.Story != "" {
			gold[r.Story] = true
		}
		if d := devOf(a, r.ID); d != "" {
			devs[d] = true
		}
	}
	m.GoldStories = len(gold)
	m.PredictedDevelopments = len(devs)
	m.RelevancePrecision, m.RelevanceRecall = relevance(records, a)
	m.BCubedPrecision, m.BCubedRecall, m.PairwiseF1 = clustering(records, a)
	m.BCubedF1 = f1(m.BCubedPrecision, m.BCubedRecall)
	m.CrosslingualPrecision, m.CrosslingualRecall = crosslingual(records, a)
	m.FactCoverage = factCoverage(records, stories, a)
	for _, d := range a.Developments {
		m.SummaryCharsMax = max(m.SummaryCharsMax, utf8.RuneCountInString(d.Summary))
	}
	return m
}

// devOf returns the development an article was put in, "" if dropped.
func devOf(a Assignments, id string) string {
	if p := a.Articles[id]; p != nil {
		return *p
	}
	return ""
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(num, den int) float64 {
	if den == 0 {
		return 1
	}
	return float64(num) / float64(den)
}

func relevance(records []Record, a Assignments) (precision, recall float64) {
	var kept, relevant, both int
	for _, r := range records {
		k := devOf(a, r.ID) != ""
		if k {
			kept++
		}
		if r.Story != "" {
			relevant++
			if k {
				both++
			}
		}
	}
	return ratio(both, kept), ratio(both, relevant)
}

// clustering returns B-cubed precision and recall and pairwise F1 over the
// gold-relevant articles, language by language.
func clustering(records []Record, a Assignments) (precision, recall, pairF1 float64) {
	type key struct{ lang, cluster string }
	goldSize, predSize, both := map[key]int{}, map[key]int{}, map[[2]key]int{}
	var items [][2]key
	for _, r := range records {
		if r.Story == "" {
			continue
		}
		pred := devOf(a, r.ID)
		if pred == "" {
			pred = "\x00dropped\x00" + r.ID
		}
		g, p := key{r.Lang, r.Story}, key{r.Lang, pred}
		goldSize[g]++
		predSize[p]++
		both[[2]key{g, p}]++
		items = append(items, [2]key{g, p})
	}
	if len(items) == 0 {
		return 1, 1, 1
	}
	for _, it := range items {
		n := float64(both[it])
		precision += n / float64(predSize[it[1]])
		recall += n / float64(goldSize[it[0]])
	}
	precision /= float64(len(items))
	recall /= float64(len(items))

	pairs := func(n int) int { return n * (n - 1) / 2 }
	var tp, predPairs, goldPairs int
	for _, n := range both {
		tp += pairs(n)
	}
	for _, n := range predSize {
		predPairs += pairs(n)
	}
	for _, n := range goldSize {
		goldPairs += pairs(n)
	}
	return precision, recall, f1(ratio(tp, predPairs), ratio(tp, goldPairs))
}

// crosslingual scores where the non-English relevant articles went.
func crosslingual(records []Record, a Assignments) (precision, recall float64) {
	target := map[string]string{} // story → development with most of its English articles
	count := map[[2]string]int{}
	withEnglish := map[string]bool{}
	for _, r := range records {
		d := devOf(a, r.ID)
		if r.Lang != "en" || d == "" {
			continue
		}
		withEnglish[d] = true
		if r.Story != "" {
			count[[2]string{r.Story, d}]++
		}
	}
	for _, k := range sortedPairs(count) {
		story, d := k[0], k[1]
		if t, ok := target[story]; !ok || count[k] > count[[2]string{story, t}] {
			target[story] = d
		}
	}
	var total, right, placed, placedRight int
	for _, r := range records {
		if r.Lang == "en" || r.Story == "" {
			continue
		}
		t, ok := target[r.Story]
		if !ok {
			continue
		}
		total++
		d := devOf(a, r.ID)
		if d == t {
			right++
		}
		if withEnglish[d] {
			placed++
			if d == t {
				placedRight++
			}
		}
	}
	return ratio(placedRight, placed), ratio(right, total)
}

// factCoverage averages, over stories with two or more articles, the
// share of facts found in the text of the development holding most of them.
func factCoverage(records []Record, stories []Story, a Assignments) float64 {
	size := map[string]int{}
	count := map[[2]string]int{}
	for _, r := range records {
		if r.Story == "" {
			continue
		}
		size[r.Story]++
		if d := devOf(a, r.ID); d != "" {
			count[[2]string{r.Story, d}]++
		}
	}
	home := map[string]string{}
	for _, k := range sortedPairs(count) {
		if h, ok := home[k[0]]; !ok || count[k] > count[[2]string{k[0], h}] {
			home[k[0]] = k[1]
		}
	}
	var sum float64
	n := 0
	for _, s := range stories {
		if size[s.ID] < 2 || len(s.Facts) == 0 {
			continue
		}
		n++
		d, ok := a.Developments[home[s.ID]]
		if !ok {
			continue
		}
		text := strings.ToLower(d.Headline + " " + d.Summary)
		found := 0
		for _, alts := range s.Facts {
			if slices.ContainsFunc(alts, func(alt string) bool { return strings.Contains(text, strings.ToLower(alt)) }) {
				found++
			}
		}
		sum += float64(found) / float64(len(s.Facts))
	}
	if n == 0 {
		return 1
	}
	return sum / float64(n)
}

// sortedPairs returns the keys of m sorted, so ties resolve the same way on
// every run (to the development that sorts first).
func sortedPairs(m map[[2]string]int) [][2]string {
	keys := make([][2]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	return keys
}
