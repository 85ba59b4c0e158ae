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
	ID           string       `json:"id"`      // 7 characters of [a-z2-7], from the founding article
	Version      int          `json:"version"` // 1, then +1 for each new outlet or new number in a title or lead
	Headline     string       `json:"headline"`
	Summary      string       `json:"summary"` // one or two of its outlets' sentences
	Sources      []Source     `json:"sources"` // each outlet once, in the order they joined
	ArticleCount int          `json:"article_count"`
	FirstSeen    time.Time    `json:"first_seen"` // publication of its earliest article
	Updated      time.Time    `json:"updated"`    // publication of the article that last changed Version
	Score        float64      `json:"score"`      // rank in a digest; see Engine.Digest
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
