package config

import (
	"fmt"
	"strings"
	"time"
)

// EngineConfig tunes how articles become developments. Topics and
// importance terms are lists, set in the YAML file only.
type EngineConfig struct {
	Window time.Duration `yaml:"window" env:"SITREP_ENGINE_WINDOW" doc:"how long a development stays open after its latest article; also how long articles are kept"`
	// Topics decide which articles are relevant; empty = the built-in
	// Russia–Ukraine war lexicon. Several topics may be given.
	Topics []Topic `yaml:"topics,omitempty"`
	// ImportanceTerms raise the rank of developments that mention them
	// (lower-case word prefixes, any language); empty = the built-in list.
	ImportanceTerms []string `yaml:"importance_terms,omitempty"`
}

// Topic is a relevance lexicon: an article belongs to it when it mentions
// one of Terms (places, actors, institutions) and enough of Context (what
// makes it news of the topic's events: strikes, troops, talks). Terms are
// lower-case word prefixes in any language; a term ending in '$' must match
// a whole word.
type Topic struct {
	Name    string   `yaml:"name"`
	Terms   []string `yaml:"terms"`
	Context []string `yaml:"context,omitempty"`
}

func defaultEngine() EngineConfig { return EngineConfig{Window: 72 * time.Hour} }

func (e EngineConfig) validate() []error {
	var errs []error
	if e.Window < time.Hour || e.Window > 14*24*time.Hour {
		errs = append(errs, fieldError("engine.window", "SITREP_ENGINE_WINDOW", fmt.Sprintf("must be between 1h and 336h, got %s", e.Window)))
	}
	for i, t := range e.Topics {
		p := fmt.Sprintf("engine.topics[%d]", i)
		if strings.TrimSpace(t.Name) == "" {
			errs = append(errs, fieldError(p+".name", "", "is required"))
		}
		if len(t.Terms) == 0 {
			errs = append(errs, fieldError(p+".terms", "", "needs at least one term"))
		}
		for j, term := range append(t.Terms, t.Context...) {
			if strings.TrimSpace(term) == "" || term != strings.ToLower(term) {
				errs = append(errs, fieldError(fmt.Sprintf("%s (term %d)", p, j), "", fmt.Sprintf("terms are non-empty lower-case word prefixes, got %q", term)))
			}
		}
	}
	return errs
}
