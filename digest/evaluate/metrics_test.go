package evaluate

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/sitrepbot/sitrep/digest"
)

func rec(id, lang, story string) Record {
	return Record{Article: digest.Article{ID: id, Lang: lang}, Story: story}
}

func assigned(pairs ...string) Assignments {
	a := Assignments{Articles: map[string]*string{}, Developments: map[string]DevelopmentText{}}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			a.Articles[pairs[i]] = nil
			continue
		}
		d := pairs[i+1]
		a.Articles[pairs[i]] = &d
	}
	return a
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScoreClustering(t *testing.T) {
	recs := []Record{
		rec("1", "en", "A"), rec("2", "en", "A"), rec("3", "en", "A"),
		rec("4", "en", "B"), rec("5", "en", "B"),
		rec("6", "en", ""), // off-topic
	}
	tests := []struct {
		name                 string
		a                    Assignments
		p, r, pairF1, rp, rr float64
	}{
		{"perfect", assigned("1", "x", "2", "x", "3", "x", "4", "y", "5", "y", "6", ""), 1, 1, 1, 1, 1},
		// Bagga & Baldwin: precision of items in {1,2,3,4} is 3/4 for A's and 1/4 for 4;
		// 5 alone: precision 1, recall 1/2; 4 has recall 1/2.
		{"merged", assigned("1", "x", "2", "x", "3", "x", "4", "x", "5", "y", "6", ""),
			(3*0.75 + 0.25 + 1) / 5, (3*1 + 0.5 + 0.5) / 5, 2 * (3.0 / 6) * (3.0 / 4) / (3.0/6 + 3.0/4), 1, 1},
		// Dropped relevant articles are singletons; a kept off-topic article costs relevance precision only.
		{"dropped", assigned("1", "x", "2", "x", "3", "", "4", "y", "5", "y", "6", "z"),
			1, (2*(2.0/3) + 1.0/3 + 2) / 5, 2 * 1 * (2.0 / 4) / (1 + 2.0/4), 4.0 / 5, 4.0 / 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Score(recs, nil, tt.a)
			if !near(m.BCubedPrecision, tt.p) || !near(m.BCubedRecall, tt.r) {
				t.Errorf("B-cubed P, R = %v, %v, want %v, %v", m.BCubedPrecision, m.BCubedRecall, tt.p, tt.r)
			}
			if !near(m.BCubedF1, 2*tt.p*tt.r/(tt.p+tt.r)) {
				t.Errorf("B-cubed F1 = %v", m.BCubedF1)
			}
			if !near(m.PairwiseF1, tt.pairF1) {
				t.Errorf("pairwise F1 = %v, want %v", m.PairwiseF1, tt.pairF1)
			}
			if !near(m.RelevancePrecision, tt.rp) || !near(m.RelevanceRecall, tt.rr) {
				t.Errorf("relevance P, R = %v, %v, want %v, %v", m.RelevancePrecision, m.RelevanceRecall, tt.rp, tt.rr)
			}
		})
	}
}

func TestScoreLanguagesApart(t *testing.T) {
	// One story in two languages: each language's articles are scored among
	// themselves, so putting the Ukrainian one with the English ones, or
	// apart, gives the same B-cubed.
	recs := []Record{rec("1", "en", "A"), rec("2", "en", "A"), rec("3", "uk", "A")}
	together := Score(recs, nil, assigned("1", "x", "2", "x", "3", "x"))
	apart := Score(recs, nil, assigned("1", "x", "2", "x", "3", "y"))
	if together.BCubedF1 != 1 || apart.BCubedF1 != 1 {
		t.Errorf("B-cubed F1 together %v, apart %v, want 1 and 1", together.BCubedF1, apart.BCubedF1)
	}
	if together.CrosslingualPrecision != 1 || together.CrosslingualRecall != 1 {
		t.Errorf("together: cross-language P, R = %v, %v, want 1, 1", together.CrosslingualPrecision, together.CrosslingualRecall)
	}
	if apart.CrosslingualPrecision != 1 || apart.CrosslingualRecall != 0 {
		t.Errorf("apart: cross-language P, R = %v, %v, want 1 (none placed), 0", apart.CrosslingualPrecision, apart.CrosslingualRecall)
	}
	recs = append(recs, rec("4", "en", "B"))
	wrong := Score(recs, nil, assigned("1", "x", "2", "x", "3", "z", "4", "z"))
	if wrong.CrosslingualPrecision != 0 || wrong.CrosslingualRecall != 0 {
		t.Errorf("wrong merge: cross-language P, R = %v, %v, want 0, 0", wrong.CrosslingualPrecision, wrong.CrosslingualRecall)
	}
}

func TestScoreFacts(t *testing.T) {
	recs := []Record{rec("1", "en", "A"), rec("2", "en", "A"), rec("3", "en", "B"), rec("4", "en", "C"), rec("5", "en", "C")}
	stories := []Story{
		{ID: "A", Facts: [][]string{{"Odesa", "Odessa"}, {"port"}, {"four injured", "injuring four"}}},
		{ID: "B", Facts: [][]string{{"never"}}}, // one article: not scored
		{ID: "C", Facts: [][]string{{"bus"}}},   // all dropped: scores 0
	}
	a := assigned("1", "x", "2", "x", "3", "y", "4", "", "5", "")
	a.Developments["x"] = DevelopmentText{Headline: "Drones hit ODESSA port", Summary: "Drones struck the city overnight."}
	a.Developments["y"] = DevelopmentText{Headline: "Other", Summary: strings.Repeat("é", 321)}
	m := Score(recs, stories, a)
	if want := (2.0/3 + 0) / 2; !near(m.FactCoverage, want) {
		t.Errorf("fact coverage = %v, want %v", m.FactCoverage, want)
	}
	if m.SummaryCharsMax != 321 {
		t.Errorf("summary chars max = %d, want 321 (characters, not bytes)", m.SummaryCharsMax)
	}
	if m.Articles != 5 || m.GoldStories != 3 || m.PredictedDevelopments != 2 {
		t.Errorf("counts = %d articles, %d stories, %d developments; want 5, 3, 2", m.Articles, m.GoldStories, m.PredictedDevelopments)
	}
}

func TestMetricsJSONKeys(t *testing.T) {
	b, err := json.Marshal(Metrics{})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	want := []string{"articles", "articles_per_second", "bcubed_f1", "bcubed_precision", "bcubed_recall",
		"crosslingual_precision", "crosslingual_recall", "fact_coverage", "gold_stories", "pairwise_f1",
		"predicted_developments", "relevance_precision", "relevance_recall", "seconds", "summary_chars_max"}
	if !slices.Equal(got, want) {
		t.Errorf("JSON keys = %v\nwant %v", got, want)
	}
}

func TestReadCorpus(t *testing.T) {
	in := `{"id":"a1","source":"S","url":"u","title":"T","published":"2025-12-12T09:42:00Z","lang":"en","story":"s1"}

{"id":"a2","source":"S","url":"v","title":"U","published":"2025-12-12T10:00:00Z","lang":"uk","story":""}
`
	recs, err := ReadCorpus(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].ID != "a1" || recs[0].Story != "s1" || recs[1].Lang != "uk" || recs[0].Published.Hour() != 9 {
		t.Errorf("ReadCorpus = %+v", recs)
	}
	if _, err := ReadCorpus(strings.NewReader("{\"id\":\"a1\"}\n{bad\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error %v, want one naming line 2", err)
	}
	if _, err := ReadStories(strings.NewReader(`[{"id":"s1","facts":[["a","b"]]}]`)); err != nil {
		t.Errorf("ReadStories: %v", err)
	}
}

// TestReadCorpusInParts: a corpus long enough to be decoded in several
// parts keeps its order, takes CRLF line ends, and its error names the
// first bad line even when a later part has one too.
func TestReadCorpusInParts(t *testing.T) {
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "{\"id\":\"a%d\",\"published\":\"2025-12-12T09:42:00Z\"}\r\n", i)
	}
	good := b.String()
	recs, err := ReadCorpus(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1000 || recs[0].ID != "a0" || recs[999].ID != "a999" || recs[500].ID != "a500" {
		t.Fatalf("ReadCorpus read %d records, first %q, last %q", len(recs), recs[0].ID, recs[len(recs)-1].ID)
	}
	lines := strings.SplitAfter(good, "\n")
	lines[700], lines[900] = "{bad\n", "{bad too\n"
	if _, err := ReadCorpus(strings.NewReader(strings.Join(lines, ""))); err == nil || !strings.Contains(err.Error(), "line 701:") {
		t.Errorf("error %v, want one naming line 701", err)
	}
}
