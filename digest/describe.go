package digest

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// Ranking: a development's score is the weight of its distinct outlets (a
// masthead counts once; an outlet that only republished another's wire copy
// counts half), raised by the importance terms in its headline and summary,
// and decayed with the hours since its latest article.
const (
	copyWeight      = 0.5  // of an outlet whose only articles are copies
	importanceBoost = 0.25 // per importance term found, up to maxImportance
	maxImportance   = 4
	recencyHours    = 24.0 // score halves this long after the latest article
)

// Development returns one development, with its articles in publication
// order. It is false for an unknown or forgotten ID.
func (e *Engine) Development(id string) (Development, bool) {
	c, ok := e.byID[id]
	if !ok {
		return Development{}, false
	}
	d := e.describe(c, e.latest)
	docs := slices.Clone(c.docs)
	slices.SortStableFunc(docs, func(a, b *doc) int { return a.time().Compare(b.time()) })
	for _, x := range docs {
		d.Articles = append(d.Articles, ArticleRef{ID: x.art.ID, Source: x.art.Source, URL: x.art.URL, Title: x.title, Published: x.art.Published})
	}
	return d, true
}

// Digest returns up to limit developments (all when limit <= 0) that are
// new or updated (their Version changed) at or after since and not after
// now, best first. Summaries are computed once per development and change
// only when it gains articles, so Digest is cheap to call often.
func (e *Engine) Digest(now, since time.Time, limit int) Digest {
	out := Digest{Generated: now, Since: since, Developments: []Development{}}
	for _, c := range e.clusters {
		if c.updated.Before(since) || c.updated.After(now) {
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

// describe returns c as a Development scored at now, without its articles.
func (e *Engine) describe(c *cluster, now time.Time) Development {
	sum := e.summarize(c)
	d := Development{
		ID: c.id, Version: c.version, Headline: sum.headline, Summary: sum.summary,
		ArticleCount: len(c.docs), FirstSeen: c.first, Updated: c.updated, Lang: c.lang,
	}
	d.Sources = sources(c)
	d.Score = e.score(c, sum.importance, now)
	return d
}

// sources lists c's outlets once each, in the order they joined, with the
// link to their first article, preferring an original over a copy.
func sources(c *cluster) []Source {
	var out []Source
	at := map[string]int{}
	for _, d := range c.docs {
		k := d.outlet
		i, ok := at[k]
		if !ok {
			at[k] = len(out)
			out = append(out, Source{Name: d.art.Source, URL: d.art.URL, Label: d.art.Label})
			continue
		}
		if d.dupOf == nil && copyOnly(c, k, d) {
			out[i].URL = d.art.URL
		}
	}
	return out
}

// copyOnly reports whether every article of outlet k in c before d is a copy.
func copyOnly(c *cluster, k string, d *doc) bool {
	for _, x := range c.docs {
		if x == d {
			return true
		}
		if x.outlet == k && x.dupOf == nil {
			return false
		}
	}
	return true
}

// score ranks a development at time now (see the constants above).
func (e *Engine) score(c *cluster, importance int, now time.Time) float64 {
	weight := map[string]float64{}
	for _, d := range c.docs {
		k := d.outlet
		w, ok := e.opts.SourceWeights[d.art.Source]
		if !ok {
			w = 1
		}
		if d.dupOf != nil {
			w *= copyWeight
		}
		weight[k] = max(weight[k], w)
	}
	var outlets float64
	for _, w := range sortedValues(weight) {
		outlets += w
	}
	boost := 1 + importanceBoost*float64(min(importance, maxImportance))
	age := max(now.Sub(c.last).Hours(), 0)
	s := outlets * boost * math.Exp2(-age/recencyHours)
	return math.Round(s*1000) / 1000
}

// sortedValues returns m's values in the order of its sorted keys, so sums
// over them are the same on every run.
func sortedValues(m map[string]float64) []float64 {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]float64, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}
