package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"text/tabwriter"

	"github.com/sitrepbot/sitrep/digest"
	"github.com/sitrepbot/sitrep/digest/evaluate"
)

const evalUsage = `Usage: sitrep eval --corpus ARTICLES.jsonl --stories STORIES.json [--json] [--assignments FILE]

Replays a labeled corpus through the engine, in publication order, and
measures what it made against the gold stories: relevance, B-cubed and
pairwise F1 (each language scored apart), cross-language placement, the
share of each story's key facts its summary keeps, summary length and
speed. The corpus is JSON Lines of articles with a "story" field ("" for
off-topic); the stories file is a JSON array of {id, title, importance,
facts}.

Examples:
  sitrep eval --corpus shared/corpus/articles.jsonl --stories shared/corpus/stories.json
  sitrep eval --corpus articles.jsonl --stories stories.json --json --assignments decided.json
`

// cmdEval measures the engine against a labeled corpus.
func cmdEval(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	corpus := fs.String("corpus", "", "labeled articles, JSON Lines (required)")
	stories := fs.String("stories", "", "gold stories, JSON array (required)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	assignments := fs.String("assignments", "", "also write what the engine decided to this `file` (JSON)")
	if err := parseFlags(fs, args, evalUsage, e); err != nil {
		return err
	}
	if *corpus == "" || *stories == "" {
		fmt.Fprintf(e.stderr, "sitrep eval: --corpus and --stories are required\n\n%s", evalUsage)
		return errUsage
	}
	recs, err := readFile(*corpus, evaluate.ReadCorpus)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	golds, err := readFile(*stories, evaluate.ReadStories)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// A batch replay: trade memory (still bounded by the engine's window)
	// for fewer garbage collections.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	m, decided := evaluate.Evaluate(digest.Options{}, recs, golds)
	if *assignments != "" {
		if err := writeJSON(*assignments, decided); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	return printMetrics(e.stdout, m)
}

// readFile opens path and parses it with read.
func readFile[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return v, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// writeJSON writes v to path as indented JSON.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// printMetrics prints the metrics as an aligned table, in the order of the
// JSON keys.
func printMetrics(w io.Writer, m evaluate.Metrics) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	rows := []struct {
		name  string
		value any
	}{
		{"articles", m.Articles},
		{"gold_stories", m.GoldStories},
		{"predicted_developments", m.PredictedDevelopments},
		{"relevance_precision", m.RelevancePrecision},
		{"relevance_recall", m.RelevanceRecall},
		{"bcubed_precision", m.BCubedPrecision},
		{"bcubed_recall", m.BCubedRecall},
		{"bcubed_f1", m.BCubedF1},
		{"pairwise_f1", m.PairwiseF1},
		{"crosslingual_precision", m.CrosslingualPrecision},
		{"crosslingual_recall", m.CrosslingualRecall},
		{"fact_coverage", m.FactCoverage},
		{"summary_chars_max", m.SummaryCharsMax},
		{"seconds", m.Seconds},
		{"articles_per_second", m.ArticlesPerSecond},
	}
	for _, r := range rows {
		switch v := r.value.(type) {
		case float64:
			fmt.Fprintf(tw, "%s\t%.4f\t\n", r.name, v)
		default:
			fmt.Fprintf(tw, "%s\t%v\t\n", r.name, v)
		}
	}
	return tw.Flush()
}
