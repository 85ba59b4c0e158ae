package config

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the configuration table in README.md")

const (
	readmePath  = "../README.md"
	tableStart  = "<!-- config-keys: generated from config.Keys(); go test ./config -update rewrites it -->\n"
	tableFinish = "<!-- /config-keys -->"
)

// keysTable renders Keys() as the README's Markdown table.
func keysTable() string {
	var b strings.Builder
	b.WriteString("| key | environment | default | meaning |\n|---|---|---|---|\n")
	for _, k := range Keys() {
		def := ""
		if k.Default != "" {
			def = "`" + k.Default + "`"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", k.Path, k.Env, def, k.Doc)
	}
	return b.String()
}

// TestReadmeReference keeps the README's configuration reference in step
// with the Config struct.
func TestReadmeReference(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i := strings.Index(readme, tableStart)
	j := strings.Index(readme, tableFinish)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the config-keys markers")
	}
	got, want := readme[i+len(tableStart):j], keysTable()
	if got == want {
		return
	}
	if *update {
		readme = readme[:i+len(tableStart)] + want + readme[j:]
		if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md configuration table is out of date; run go test ./config -update\ngot:\n%s\nwant:\n%s", got, want)
}
