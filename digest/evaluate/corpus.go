// Package evaluate measures the digest engine against a labelled corpus:
// it replays the articles through an engine and scores the developments it
// made against the gold stories (B-cubed and pairwise clustering scores,
// relevance, cross-language placement and the facts the summaries keep).
// It reads from readers and does no other I/O; the sitrep eval command
// opens the files and prints the result.
package evaluate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/sitrepbot/sitrep/digest"
)

// Record is one line of a labelled corpus: an article and the gold story it
// reports, "" when it is off-topic.
type Record struct {
	digest.Article
	Story string `json:"story"`
}

// Story is one gold story: its facts are lists of acceptable
// (case-insensitive) substrings, one of which a good summary contains.
type Story struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Importance int        `json:"importance"`
	Facts      [][]string `json:"facts"`
}

// ReadCorpus reads a corpus in JSON Lines, one Record a line. Blank lines
// are skipped; an error names the line.
func ReadCorpus(r io.Reader) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			return nil, fmt.Errorf("evaluate: corpus line %d: %w", n, err)
		}
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("evaluate: corpus: %w", err)
	}
	return out, nil
}

// ReadStories reads the gold stories: a JSON array of Story.
func ReadStories(r io.Reader) ([]Story, error) {
	var out []Story
	if err := json.NewDecoder(r).Decode(&out); err != nil {
		return nil, fmt.Errorf("evaluate: stories: %w", err)
	}
	return out, nil
}
