package discordtest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "regenerate openapi.json from Discord's full OpenAPI document")

// fullSpec is where Discord's whole OpenAPI document is, outside the
// repository: under $SITREP_SHARED_DIR, else in the first shared/ directory
// above the working directory.
func fullSpec() (string, bool) {
	const rel = "specs/discord/openapi.json"
	if d := os.Getenv("SITREP_SHARED_DIR"); d != "" {
		return filepath.Join(d, rel), true
	}
	dir, err := os.Getwd()
	for err == nil {
		p := filepath.Join(dir, "shared", rel)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
		if filepath.Dir(dir) == dir {
			break
		}
		dir = filepath.Dir(dir)
	}
	return "", false
}

// TestSpecUpToDate keeps openapi.json equal to the served routes' part of
// the full document. Without the document the test is skipped, or fails
// when CI is set.
func TestSpecUpToDate(t *testing.T) {
	path, ok := fullSpec()
	if !ok {
		if os.Getenv("CI") != "" {
			t.Fatal("no shared/specs/discord/openapi.json above the working directory and SITREP_SHARED_DIR is not set")
		}
		t.Skip("SKIP: no shared/specs/discord/openapi.json found; set SITREP_SHARED_DIR to check openapi.json against it")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := trimSpec(data)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(want, specJSON) {
		return
	}
	if *update {
		if err := os.WriteFile("openapi.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("openapi.json is out of date with %s; run go test ./adapters/discord/discordtest -run TestSpecUpToDate -update", path)
}

// trimSpec keeps the served operations (without their responses) and every
// schema they reference, directly or not.
func trimSpec(full []byte) ([]byte, error) {
	doc, err := decodeJSON(full)
	if err != nil {
		return nil, err
	}
	m := doc.(map[string]any)
	paths := map[string]any{}
	for _, r := range routes {
		item := m["paths"].(map[string]any)[r.Path].(map[string]any)
		out, _ := paths[r.Path].(map[string]any)
		if out == nil {
			out = map[string]any{}
			if p, ok := item["parameters"]; ok {
				out["parameters"] = p
			}
			paths[r.Path] = out
		}
		op := map[string]any{}
		for k, v := range item[strings.ToLower(r.Method)].(map[string]any) {
			if k != "responses" {
				op[k] = v
			}
		}
		out[strings.ToLower(r.Method)] = op
	}
	v := newValidator(m)
	schemas := map[string]any{}
	var collect func(x any)
	collect = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				name := strings.TrimPrefix(ref, "#/components/schemas/")
				if _, done := schemas[name]; !done {
					schemas[name] = v.resolve(ref)
					collect(schemas[name])
				}
			}
			for _, sub := range x {
				collect(sub)
			}
		case []any:
			for _, sub := range x {
				collect(sub)
			}
		}
	}
	collect(paths)
	trimmed := map[string]any{"openapi": m["openapi"], "info": m["info"], "paths": paths,
		"components": map[string]any{"schemas": schemas}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(trimmed); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
