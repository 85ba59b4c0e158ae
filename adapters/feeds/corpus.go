package feeds

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/sitrepbot/sitrep/digest"
)

// CorpusItem is one line of a corpus file: an article, with the story it
// belongs to when the corpus is labeled ("" = off-topic).
type CorpusItem struct {
	digest.Article
	Story string `json:"story,omitempty"`
}

// ReadCorpus reads a JSON Lines corpus (one article object per line, as in
// testdata/sample-articles.jsonl). Blank lines are skipped; a bad line is an
// error that names it.
func ReadCorpus(r io.Reader) ([]CorpusItem, error) {
	var out []CorpusItem
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(trimSpace(line)) == 0 {
			continue
		}
		var it CorpusItem
		if err := json.Unmarshal(line, &it); err != nil {
			return nil, fmt.Errorf("corpus line %d: %w", n, err)
		}
		if it.ID == "" || it.Source == "" {
			return nil, fmt.Errorf("corpus line %d: id and source are required", n)
		}
		out = append(out, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	return out, nil
}

// ReadCorpusFile reads the corpus at path.
func ReadCorpusFile(path string) ([]CorpusItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	items, err := ReadCorpus(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return items, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}
