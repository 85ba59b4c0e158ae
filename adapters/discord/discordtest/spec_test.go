package discordtest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/sitrepbot/sitrep/internal/testshared"
)

var update = flag.Bool("update", false, "regenerate openapi.json from Discord's full OpenAPI document")

// TestSpecUpToDate keeps openapi.json equal to the served routes' part of
// the full document (found by internal/testshared).
func TestSpecUpToDate(t *testing.T) {
	path := testshared.Path(t, "specs/discord/openapi.json")
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
