package digest

import "time"

// Options configure an Engine. The zero value is usable: every field has a
// default, and every default is sized for a few dozen outlets writing about
// one war.
type Options struct {
	// Window is how long a development stays open after its latest article:
	// an article later than that starts a new development, and the engine
	// forgets developments (and their articles) older than that. Default 72h.
	Window time.Duration

	// Topics decide which articles are relevant: an article is kept when it
	// belongs to at least one. Default DefaultTopics().
	Topics []Topic

	// SourceWeights weigh outlets (by name, as in Article.Source) in the
	// ranking. Outlets not listed weigh 1; a weight of 0 is allowed.
	SourceWeights map[string]float64

	// ImportanceTerms raise the rank of developments whose headline or
	// summary contains them (lower-case word prefixes, any language).
	// Default DefaultImportanceTerms(); an empty non-nil slice disables them.
	ImportanceTerms []string

	// MaxSummaryChars bounds a development's summary, in characters
	// (runes). Default 320.
	MaxSummaryChars int

	// Threshold is the similarity an article needs with a development to
	// join it, between 0 and 1; an article with little text (a title and a
	// teaser) needs less, down to 0.4 of it. Default 0.22; lower merges more.
	Threshold float64

	// OnExpire, if set, is called with the final state of each development
	// just before the engine forgets it (see Engine.Expire). It must not
	// call the engine.
	OnExpire func(Development)
}

// Topic is a named relevance lexicon. Terms say what the topic is about
// (places, actors, institutions); Context, if given, says what makes an
// article about the topic's events rather than anything else that mentions
// those places (for a war: strikes, troops, sanctions, talks). Both hold
// lower-case word prefixes in any language ("ukrain" matches "Ukraine's");
// a word ending in '$' must be whole ("war$" does not match "warning"), and
// a term may have several words ("air defen", "black sea").
//
// An article belongs to the topic when it mentions a Term and its context
// score reaches 2, where each distinct Context term counts 2 when it is in
// the title or teaser and 1 when it is only in the text. An article that
// has only a title and a teaser (a thin feed) belongs when they mention a
// Term or a Context term. A topic without Context uses its Terms as context. Besides, an
// article that belongs to no topic is kept when it is clearly similar to a
// development already kept (see Options.Threshold): the development
// vouches for it.
type Topic struct {
	Name    string   `json:"name" yaml:"name"`
	Terms   []string `json:"terms" yaml:"terms"`
	Context []string `json:"context,omitempty" yaml:"context,omitempty"`
}

// Reasons an article is dropped, as reported in Outcome.Dropped and Stats.
const (
	DropEmpty      = "empty"      // no title and no text
	DropIrrelevant = "irrelevant" // belongs to no topic
	DropDuplicate  = "duplicate"  // the same article (source and id, or URL) was added before
	DropStale      = "stale"      // published a window or more before the latest article
)

// Outcome says what the engine did with one article.
type Outcome struct {
	// DevelopmentID is the development the article belongs to; "" when it
	// was dropped, except for DropDuplicate, where it names the development
	// that already holds the article.
	DevelopmentID string
	// Dropped is one of the Drop* reasons, "" when the article was kept.
	Dropped string
	// DuplicateOf is the ID of the article this one copies (wire copy
	// republished by another outlet), "" when it is original. A copy joins
	// its original's development and adds its outlet.
	DuplicateOf string
}

// Stats counts what the engine did since it was made.
type Stats struct {
	Added        int            // articles passed to Add
	Kept         int            // articles now part of a development
	Duplicates   int            // kept articles that copy another (wire copy)
	Dropped      map[string]int // articles dropped, by reason
	Developments int            // developments the engine holds now
	Expired      int            // developments forgotten by Expire
}

const (
	defaultWindow       = 72 * time.Hour
	defaultThreshold    = 0.22
	defaultSummaryChars = 320
)

// withDefaults returns o with every unset field at its default.
func (o Options) withDefaults() Options {
	if o.Window <= 0 {
		o.Window = defaultWindow
	}
	if o.Topics == nil {
		o.Topics = DefaultTopics()
	}
	if o.ImportanceTerms == nil {
		o.ImportanceTerms = DefaultImportanceTerms()
	}
	if o.MaxSummaryChars <= 0 {
		o.MaxSummaryChars = defaultSummaryChars
	}
	if o.Threshold <= 0 {
		o.Threshold = defaultThreshold
	}
	return o
}
