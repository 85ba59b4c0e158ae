package main

import (
	"context"
	"errors"
	"flag"
)

const evalUsage = `Usage: sitrep eval --corpus ARTICLES.jsonl --stories STORIES.json [--json]

Measures the engine against a labeled corpus.

Examples:
  sitrep eval --corpus corpus/articles.jsonl --stories corpus/stories.json
`

// cmdEval is built with the engine's measurements.
func cmdEval(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	if err := parseFlags(fs, args, evalUsage, e); err != nil {
		return err
	}
	return errors.New("eval: not available in this build")
}
