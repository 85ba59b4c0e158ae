// Package digest is sitrep's engine: it turns outlets' articles into
// developments (groups of articles that report the same thing), ranks them and
// summarizes each in a headline and one or two sentences.
//
// The package is pure: it does no I/O and never reads the clock (every time is
// passed in), and it is deterministic: the same articles in the same order give
// the same developments and the same digest.
//
// An article goes through these steps in Engine.Add (one file each):
//
//   - analyze.go, html.go, normalize.go, lang.go: plain text, a clean title,
//     a canonical URL, the language;
//   - relevance.go, topics.go: the topic lexicons decide relevance;
//   - dedup.go: wire copy of an article already kept joins its development;
//   - features.go, thesaurus.go, translit.go, stem.go: the article's TF-IDF
//     vector, and its language-independent key terms;
//   - assign.go, cluster.go, vector.go: the development it joins, or a new one,
//     whose ID (id.go) comes from the article;
//   - engine.go: the window; what falls out of it is forgotten.
//
// Engine.AddAll (batch.go) does the same for a list of articles, analyzing
// them on another goroutine ahead of the engine. The indexes keep their
// entries in postings.go and the document frequencies in counts.go.
//
// Digest and Development (describe.go) rank developments and summarize them
// (summary*.go) when asked, and keep the summaries until they change.
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
