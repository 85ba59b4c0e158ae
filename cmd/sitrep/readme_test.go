package main

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateReadme = flag.Bool("update", false, "rewrite the example digest in README.md")

const (
	exampleStart  = "<!-- example-digest: go test ./cmd/sitrep -run TestReadmeExample -update rewrites it -->\n```\n"
	exampleFinish = "```\n<!-- /example-digest -->"
)

// TestReadmeExample keeps the README's example digest what sitrep prints.
func TestReadmeExample(t *testing.T) {
	out, stderr, err := runCmd(t, nil, "digest", "--corpus", sample, "--now", "2025-12-16T18:00:00Z", "--limit", "3")
	if err != nil {
		t.Fatalf("digest: %v\n%s", err, stderr)
	}
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, exampleStart), strings.Index(readme, exampleFinish)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the example-digest markers")
	}
	if got := readme[i+len(exampleStart) : j]; got != out {
		if !*updateReadme {
			t.Fatalf("README.md example differs from what sitrep digest prints (go test ./cmd/sitrep -run TestReadmeExample -update):\ngot:\n%s\nwant:\n%s", got, out)
		}
		readme = readme[:i+len(exampleStart)] + out + readme[j:]
		if err := os.WriteFile("../../README.md", []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
