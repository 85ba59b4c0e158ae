package bot

import (
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// PublicDigest is the JSON shape in which sitrep publishes a digest: what
// `sitrep digest --format json` prints and the web archive serves at
// /digest.json. Its field names are a fixed contract other tools read: add
// fields, never rename or remove one.
type PublicDigest struct {
	Generated    time.Time           `json:"generated"`
	Since        time.Time           `json:"since"`
	Developments []PublicDevelopment `json:"developments"`
}

// PublicDevelopment is one development of a PublicDigest.
type PublicDevelopment struct {
	ID           string         `json:"id"`
	Headline     string         `json:"headline"`
	Summary      string         `json:"summary"`
	Sources      []PublicSource `json:"sources"`
	ArticleCount int            `json:"article_count"`
	FirstSeen    time.Time      `json:"first_seen"`
	Updated      time.Time      `json:"updated"`
	Score        float64        `json:"score"`
}

// PublicSource is one outlet that carries a development, with its article.
type PublicSource struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// NewPublicDigest returns d in its public shape, times in UTC. Lists are
// never null: a digest without developments has "developments": [].
func NewPublicDigest(d digest.Digest) PublicDigest {
	out := PublicDigest{Generated: d.Generated.UTC(), Since: d.Since.UTC(), Developments: []PublicDevelopment{}}
	for _, dev := range d.Developments {
		p := PublicDevelopment{ID: dev.ID, Headline: dev.Headline, Summary: dev.Summary, ArticleCount: dev.ArticleCount,
			FirstSeen: dev.FirstSeen.UTC(), Updated: dev.Updated.UTC(), Score: dev.Score, Sources: []PublicSource{}}
		for _, s := range dev.Sources {
			p.Sources = append(p.Sources, PublicSource{Name: s.Name, URL: s.URL})
		}
		out.Developments = append(out.Developments, p)
	}
	return out
}
