package evaluate

import (
	"slices"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// Assignments are what the engine decided, in the form `sitrep eval
// --assignments` writes, so the metrics can be recomputed independently.
type Assignments struct {
	// Articles maps each article ID to its development's ID, or nil when
	// the engine dropped it.
	Articles map[string]*string `json:"articles"`
	// Developments holds the final text and outlets of each development.
	Developments map[string]DevelopmentText `json:"developments"`
}

// DevelopmentText is a development as the metrics see it.
type DevelopmentText struct {
	Headline string   `json:"headline"`
	Summary  string   `json:"summary"`
	Sources  []string `json:"sources"`
}

// Replay adds the records to a new engine made with opts, in publication
// order (records published at the same time keep their order), and returns
// what it decided. Developments are taken in their final state: as the
// engine forgets them (through Options.OnExpire) or at the end.
func Replay(opts digest.Options, records []Record) Assignments {
	recs := slices.Clone(records)
	slices.SortStableFunc(recs, func(a, b Record) int { return a.Published.Compare(b.Published) })
	out := Assignments{Articles: map[string]*string{}, Developments: map[string]DevelopmentText{}}
	keep := func(d digest.Development) {
		t := DevelopmentText{Headline: d.Headline, Summary: d.Summary, Sources: []string{}}
		for _, s := range d.Sources {
			t.Sources = append(t.Sources, s.Name)
		}
		out.Developments[d.ID] = t
	}
	user := opts.OnExpire
	opts.OnExpire = func(d digest.Development) {
		keep(d)
		if user != nil {
			user(d)
		}
	}
	e := digest.NewEngine(opts)
	arts := make([]digest.Article, len(recs))
	for i, r := range recs {
		arts[i] = r.Article
	}
	var live []string
	for i, o := range e.AddAll(arts) {
		r := recs[i]
		if o.DevelopmentID == "" || o.Dropped != "" {
			out.Articles[r.ID] = nil
			continue
		}
		id := o.DevelopmentID
		out.Articles[r.ID] = &id
		live = append(live, id)
	}
	slices.Sort(live)
	for _, id := range slices.Compact(live) {
		if d, ok := e.Development(id); ok {
			keep(d)
		}
	}
	return out
}

// Evaluate replays the records (see Replay), times it, and scores the result.
func Evaluate(opts digest.Options, records []Record, stories []Story) (Metrics, Assignments) {
	start := time.Now()
	a := Replay(opts, records)
	elapsed := time.Since(start)
	m := Score(records, stories, a)
	m.Seconds = elapsed.Seconds()
	if m.Seconds > 0 {
		m.ArticlesPerSecond = float64(len(records)) / m.Seconds
	}
	return m, a
}
