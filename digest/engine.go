package digest

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Options configure an Engine. The zero value is usable: every field has a default.
type Options struct {
	Window          time.Duration      // how long a development accepts articles; default 72h
	Topics          []Topic            // relevance lexicons; default DefaultTopics()
	SourceWeights   map[string]float64 // ranking weight per outlet name; default 1
	ImportanceTerms []string           // terms that raise a development's rank
	Threshold       float64            // similarity needed to join a development; default 0.25
}

// Topic is a named relevance lexicon: an article belongs to the topic when its
// title or text contains enough of the terms (lower-case prefixes).
type Topic struct {
	Name  string
	Terms []string
}

// Reasons an article is dropped, as reported in Outcome.Dropped and Stats.
const (
	DropEmpty      = "empty"
	DropIrrelevant = "irrelevant"
	DropDuplicate  = "duplicate"
)

// Outcome says what the engine did with one article.
type Outcome struct {
	DevelopmentID string // "" when dropped
	Dropped       string // one of the Drop* reasons, "" when kept
}

// Stats counts what the engine did since it was made.
type Stats struct {
	Added   int
	Kept    int
	Dropped map[string]int
}

// Engine groups a stream of articles into developments. It is not safe for
// concurrent use.
type Engine struct {
	opts  Options
	devs  []*cluster
	byID  map[string]*cluster
	seen  map[string]bool
	df    map[string]int
	docs  int
	next  int
	stats Stats
}

type cluster struct {
	id       string
	version  int
	articles []doc
	centroid map[string]float64
	outlets  map[string]bool
	first    time.Time
	updated  time.Time
}

type doc struct {
	a     Article
	title string
	text  string
	terms map[string]int
}

// NewEngine returns an empty engine.
func NewEngine(opts Options) *Engine {
	if opts.Window <= 0 {
		opts.Window = 72 * time.Hour
	}
	if opts.Topics == nil {
		opts.Topics = DefaultTopics()
	}
	if opts.Threshold <= 0 {
		opts.Threshold = 0.25
	}
	return &Engine{opts: opts, byID: map[string]*cluster{}, seen: map[string]bool{}, df: map[string]int{},
		stats: Stats{Dropped: map[string]int{}}}
}

// Stats returns counts of what the engine has done.
func (e *Engine) Stats() Stats {
	s := e.stats
	s.Dropped = make(map[string]int, len(e.stats.Dropped))
	for k, v := range e.stats.Dropped {
		s.Dropped[k] = v
	}
	return s
}

// Add normalizes one article and assigns it to a development, or drops it.
func (e *Engine) Add(a Article) Outcome {
	e.stats.Added++
	d := doc{a: a, title: CleanTitle(a.Title), text: Text(a.Content)}
	if d.text == "" {
		d.text = Text(a.Summary)
	}
	if d.title == "" && d.text == "" {
		return e.drop(DropEmpty)
	}
	key := a.Source + "\x00" + a.ID
	if e.seen[key] {
		return e.drop(DropDuplicate)
	}
	if !e.relevant(d.title + " " + d.text) {
		return e.drop(DropIrrelevant)
	}
	e.seen[key] = true
	d.terms = termCounts(d.title + " " + d.title + " " + d.text)
	e.docs++
	for t := range d.terms {
		e.df[t]++
	}
	vec := e.weigh(d.terms)
	best, bestSim := (*cluster)(nil), e.opts.Threshold
	for _, c := range e.devs {
		if a.Published.Sub(c.updated) > e.opts.Window || c.articles[0].a.Lang != a.Lang {
			continue
		}
		if s := cosine(vec, c.centroid); s >= bestSim {
			best, bestSim = c, s
		}
	}
	if best == nil {
		e.next++
		best = &cluster{id: fmt.Sprintf("d%04d", e.next), centroid: map[string]float64{}, outlets: map[string]bool{}, first: a.Published}
		e.devs = append(e.devs, best)
		e.byID[best.id] = best
	}
	if !best.outlets[a.Source] {
		best.version++
	}
	best.outlets[a.Source] = true
	best.articles = append(best.articles, d)
	for t, w := range vec {
		best.centroid[t] += w
	}
	if a.Published.After(best.updated) {
		best.updated = a.Published
	}
	e.stats.Kept++
	return Outcome{DevelopmentID: best.id}
}

func (e *Engine) drop(reason string) Outcome {
	e.stats.Dropped[reason]++
	return Outcome{Dropped: reason}
}

func (e *Engine) relevant(text string) bool {
	words := strings.Fields(strings.ToLower(text))
	for _, t := range e.opts.Topics {
		for _, w := range words {
			for _, term := range t.Terms {
				if strings.HasPrefix(w, term) {
					return true
				}
			}
		}
	}
	return false
}

func (e *Engine) weigh(terms map[string]int) map[string]float64 {
	v := make(map[string]float64, len(terms))
	var norm float64
	for t, n := range terms {
		w := (1 + math.Log(float64(n))) * math.Log(1+float64(e.docs)/float64(e.df[t]))
		v[t] = w
		norm += w * w
	}
	norm = math.Sqrt(norm)
	for t := range v {
		v[t] /= norm
	}
	return v
}

func cosine(a, b map[string]float64) float64 {
	var dot, nb float64
	for t, w := range b {
		nb += w * w
		dot += a[t] * w
	}
	if nb == 0 {
		return 0
	}
	return dot / math.Sqrt(nb)
}

// Development returns one development with its timeline.
func (e *Engine) Development(id string) (Development, bool) {
	c, ok := e.byID[id]
	if !ok {
		return Development{}, false
	}
	d := e.describe(c, c.updated)
	for _, a := range c.articles {
		d.Articles = append(d.Articles, ArticleRef{ID: a.a.ID, Source: a.a.Source, URL: a.a.URL, Title: a.title, Published: a.a.Published})
	}
	return d, true
}

// Digest returns up to limit developments (all when limit <= 0) updated at or
// after since and not after now, best first.
func (e *Engine) Digest(now, since time.Time, limit int) Digest {
	out := Digest{Generated: now, Since: since, Developments: []Development{}}
	for _, c := range e.devs {
		if c.updated.Before(since) || c.first.After(now) {
			continue
		}
		out.Developments = append(out.Developments, e.describe(c, now))
	}
	slices.SortStableFunc(out.Developments, func(a, b Development) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.ID, b.ID))
	})
	if limit > 0 && len(out.Developments) > limit {
		out.Developments = out.Developments[:limit]
	}
	return out
}

func (e *Engine) describe(c *cluster, now time.Time) Development {
	lead := c.articles[0]
	d := Development{ID: c.id, Version: c.version, Headline: lead.title, Summary: Lead(lead.text, 320),
		ArticleCount: len(c.articles), FirstSeen: c.first, Updated: c.updated, Lang: lead.a.Lang}
	seen := map[string]bool{}
	weight := 0.0
	for _, a := range c.articles {
		if seen[a.a.Source] {
			continue
		}
		seen[a.a.Source] = true
		d.Sources = append(d.Sources, Source{Name: a.a.Source, URL: a.a.URL, Label: a.a.Label})
		w, ok := e.opts.SourceWeights[a.a.Source]
		if !ok {
			w = 1
		}
		weight += w
	}
	age := now.Sub(c.updated).Hours()
	d.Score = math.Round(weight/(1+age/24)*1000) / 1000
	return d
}
