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
	"runtime"
	"sync"

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
// are skipped; an error names the (first bad) line. The lines are decoded
// on as many goroutines as there are processors.
func ReadCorpus(r io.Reader) ([]Record, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("evaluate: corpus: %w", err)
	}
	var lines [][]byte
	var numbers []int
	for n := 1; len(data) > 0; n++ {
		advance, line, _ := bufio.ScanLines(data, true)
		data = data[advance:]
		if len(line) > 0 {
			lines, numbers = append(lines, line), append(numbers, n)
		}
	}
	out := make([]Record, len(lines))
	errs := make([]error, len(lines))
	parts := min(runtime.GOMAXPROCS(0), len(lines)/64+1)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() {
			for i := p * len(lines) / parts; i < (p+1)*len(lines)/parts; i++ {
				if errs[i] = json.Unmarshal(lines[i], &out[i]); errs[i] != nil {
					return // the lines after it in this part are not needed
				}
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("evaluate: corpus line %d: %w", numbers[i], err)
		}
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
