package digest

import "time"

// Source is one outlet that carries a development, with the link to its article.
type Source struct {
	Name  string `json:"name"`
	URL   string `json:"url"`
	Label string `json:"label,omitempty"`
}

// ArticleRef is one article of a development, for its timeline.
type ArticleRef struct {
	ID        string    `json:"id"`
	Source    string    `json:"source"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Published time.Time `json:"published"`
}

// Development is a group of articles that report the same thing, with its
// summary. Its ID stays the same as it grows; Version changes when it gains
// outlets or a new lead fact.
type Development struct {
	ID           string       `json:"id"`
	Version      int          `json:"version"`
	Headline     string       `json:"headline"`
	Summary      string       `json:"summary"`
	Sources      []Source     `json:"sources"`
	ArticleCount int          `json:"article_count"`
	FirstSeen    time.Time    `json:"first_seen"`
	Updated      time.Time    `json:"updated"`
	Score        float64      `json:"score"`
	Lang         string       `json:"lang,omitempty"`
	Articles     []ArticleRef `json:"articles,omitempty"` // the timeline; set by Engine.Development
}

// IsNew reports whether d first appeared after t (rather than being updated after it).
func (d Development) IsNew(t time.Time) bool { return !d.FirstSeen.Before(t) }

// Digest is the ranked list of developments new or updated since a time.
type Digest struct {
	ID           string        `json:"id,omitempty"`
	Generated    time.Time     `json:"generated"`
	Since        time.Time     `json:"since"`
	Developments []Development `json:"developments"`
}
