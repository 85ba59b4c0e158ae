// Package digest is sitrep's engine: it turns outlets' articles into
// developments (groups of articles that report the same thing), ranks them and
// summarizes each in a headline and one or two sentences.
//
// The package is pure: it does no I/O and never reads the clock (every time is
// passed in), and it is deterministic: the same articles in the same order give
// the same developments and the same digest.
package digest

import "time"

// Article is one item an outlet published, as collected from its feed.
// Title, Summary and Content may hold HTML; the engine normalizes them.
type Article struct {
	ID        string    `json:"id"`              // stable id: feed GUID or canonical URL
	Source    string    `json:"source"`          // outlet name, e.g. "Kyiv Ledger"
	Label     string    `json:"label,omitempty"` // outlet label, e.g. "state-affiliated (Russia)"
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Summary   string    `json:"summary,omitempty"` // the feed's teaser
	Content   string    `json:"content,omitempty"` // the richest body available
	Published time.Time `json:"published"`
	Lang      string    `json:"lang,omitempty"` // ISO 639-1, "" when unknown
}
