package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// labeled is a small labeled corpus: two outlets on one strike, one on
// another, and an off-topic item.
const labeled = `{"id":"x1","source":"Wire","url":"https://wire.example/1","title":"Russian drones hit Odesa port, four injured","content":"Russian drones struck the port of Odesa overnight, injuring four dock workers and damaging two grain terminals, the regional governor said on Monday.\n\nAir defences shot down most of the drones, the air force said. Loading of grain ships will resume once a damaged conveyor is repaired.","published":"2025-12-15T05:00:00Z","lang":"en","story":"odesa"}
{"id":"x2","source":"Ledger","url":"https://ledger.example/2","title":"Drone attack on Odesa port injures four","content":"Four dock workers were injured when Russian drones attacked grain terminals at the port of Odesa overnight, the governor said on Monday.\n\nPort officials said a conveyor line was damaged and grain loading was suspended for the day.","published":"2025-12-15T06:00:00Z","lang":"en","story":"odesa"}
{"id":"x3","source":"Wire","url":"https://wire.example/3","title":"Glide bombs hit Kharkiv apartment blocks, six hurt","content":"Russian aircraft dropped glide bombs on a residential district of Kharkiv on Saturday afternoon, injuring six people and damaging three apartment blocks, the mayor said.\n\nSchools in the Saltivskyi district will teach online until the end of the week.","published":"2025-12-13T15:00:00Z","lang":"en","story":"kharkiv"}
{"id":"x4","source":"Ledger","url":"https://ledger.example/4","title":"Ski jumping: Austrian wins in Klingenthal","content":"Austria's Felix Brandstatter won the World Cup ski jumping competition in Klingenthal on Sunday.","published":"2025-12-15T08:00:00Z","lang":"en","story":""}
`

const labeledStories = `[{"id":"odesa","title":"Odesa port strike","importance":2,"facts":[["Odesa"],["port"],["four"]]},
{"id":"kharkiv","title":"Kharkiv bombs","importance":1,"facts":[["Kharkiv"]]}]`

func writeCorpus(t *testing.T) (corpus, stories string) {
	t.Helper()
	dir := t.TempDir()
	corpus, stories = filepath.Join(dir, "articles.jsonl"), filepath.Join(dir, "stories.json")
	if err := os.WriteFile(corpus, []byte(labeled), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stories, []byte(labeledStories), 0o644); err != nil {
		t.Fatal(err)
	}
	return corpus, stories
}

func TestEvalJSON(t *testing.T) {
	corpus, stories := writeCorpus(t)
	decided := filepath.Join(t.TempDir(), "decided.json")
	out, stderr, err := runCmd(t, nil, "eval", "--corpus", corpus, "--stories", stories, "--json", "--assignments", decided)
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, stderr)
	}
	var m map[string]float64
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"articles", "articles_per_second", "bcubed_f1", "bcubed_precision", "bcubed_recall",
		"crosslingual_precision", "crosslingual_recall", "fact_coverage", "gold_stories", "pairwise_f1",
		"predicted_developments", "relevance_precision", "relevance_recall", "seconds", "summary_chars_max"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys = %v\nwant %v", keys, want)
	}
	if m["articles"] != 4 || m["gold_stories"] != 2 || m["bcubed_f1"] != 1 || m["relevance_precision"] != 1 || m["fact_coverage"] != 1 {
		t.Errorf("metrics = %v, want 4 articles, 2 stories and perfect scores", m)
	}

	b, err := os.ReadFile(decided)
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Articles     map[string]*string `json:"articles"`
		Developments map[string]struct {
			Headline, Summary string
			Sources           []string
		} `json:"developments"`
	}
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if a.Articles["x4"] != nil || a.Articles["x1"] == nil || *a.Articles["x1"] != *a.Articles["x2"] {
		t.Fatalf("assignments = %s", b)
	}
	if d := a.Developments[*a.Articles["x1"]]; !slices.Equal(d.Sources, []string{"Wire", "Ledger"}) || d.Headline == "" {
		t.Errorf("development of x1 = %+v, want both outlets and a headline", d)
	}
}

func TestEvalTable(t *testing.T) {
	corpus, stories := writeCorpus(t)
	out, stderr, err := runCmd(t, nil, "eval", "--corpus", corpus, "--stories", stories)
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, stderr)
	}
	for _, want := range []string{"bcubed_f1", "crosslingual_precision", "articles_per_second"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %s:\n%s", want, out)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	corpus, stories := writeCorpus(t)
	tests := []struct {
		name string
		args []string
		want error
	}{
		{"no flags", []string{"eval"}, errUsage},
		{"no stories", []string{"eval", "--corpus", corpus}, errUsage},
		{"bad flag", []string{"eval", "--nope"}, errUsage},
		{"missing file", []string{"eval", "--corpus", corpus + ".missing", "--stories", stories}, os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, nil, tt.args...)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if out, _, err := runCmd(t, nil, "eval", "--help"); err != nil || !strings.Contains(out, "Examples:") {
		t.Errorf("--help: err %v, output %q", err, out)
	}
}
