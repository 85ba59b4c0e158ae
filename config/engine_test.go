package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestEngineSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	yaml := `sources:
  - {name: A, url: "https://a.example/rss", weight: 2.5}
engine:
  window: 48h
  topics:
    - {name: energy, terms: [grid, "power plant"], context: [strike, outage]}
  importance_terms: [nuclear]
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Engine.Window != 48*time.Hour || len(cfg.Engine.Topics) != 1 || cfg.Engine.Topics[0].Context[1] != "outage" ||
		cfg.Engine.ImportanceTerms[0] != "nuclear" || cfg.Sources[0].Weight != 2.5 {
		t.Errorf("engine section = %+v, sources = %+v", cfg.Engine, cfg.Sources)
	}
}

func TestEngineSectionErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	yaml := `sources:
  - {name: A, url: "https://a.example/rss", weight: -1}
engine:
  window: 10m
  topics:
    - {name: "", terms: []}
    - {name: x, terms: [Kyiv]}
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, noEnv)
	if err == nil {
		t.Fatal("Load succeeded")
	}
	for _, want := range []string{"sources[0].weight", "engine.window (SITREP_ENGINE_WINDOW)", "engine.topics[0].name: is required",
		"engine.topics[0].terms: needs at least one term", `engine.topics[1] (term 0): terms are non-empty lower-case word prefixes, got "Kyiv"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, err)
		}
	}
}
