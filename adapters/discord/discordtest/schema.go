package discordtest

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// validator checks JSON values against the subset of JSON Schema 2020-12 that
// Discord's OpenAPI description uses. It is stricter than JSON Schema in one
// way, on purpose: an object schema that lists properties and says nothing of
// additionalProperties is closed, so a field the spec does not know is a
// violation rather than silently ignored. oneOf and anyOf both pass when at
// least one branch matches.
type validator struct {
	doc map[string]any // the whole document, for $ref

	mu       sync.Mutex
	patterns map[string]*regexp.Regexp
}

func newValidator(doc map[string]any) *validator {
	return &validator{doc: doc, patterns: map[string]*regexp.Regexp{}}
}

// validate returns one line per violation of schema by value at path.
func (v *validator) validate(schema, value any, path string) []string {
	return v.check(schema, value, path, true)
}

// check validates value; closed says whether unknown object fields count.
func (v *validator) check(schema, value any, path string, closed bool) []string {
	s, ok := schema.(map[string]any)
	if !ok {
		if schema == false {
			return []string{path + ": not allowed"}
		}
		return nil
	}
	var errs []string
	if ref, ok := s["$ref"].(string); ok {
		errs = append(errs, v.check(v.resolve(ref), value, path, false)...)
	}
	for _, sub := range list(s["allOf"]) {
		errs = append(errs, v.check(sub, value, path, false)...)
	}
	for _, key := range []string{"oneOf", "anyOf"} {
		if branches := list(s[key]); len(branches) > 0 {
			errs = append(errs, v.anyOf(branches, value, path)...)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if t, ok := s["type"]; ok && !typeMatches(t, value) {
		return []string{fmt.Sprintf("%s: %s, want %s", path, describe(value), typeNames(t))}
	}
	if c, ok := s["const"]; ok && !sameJSON(c, value) {
		errs = append(errs, fmt.Sprintf("%s: %s, want %v", path, describe(value), c))
	}
	if e := list(s["enum"]); len(e) > 0 && !slices.ContainsFunc(e, func(x any) bool { return sameJSON(x, value) }) {
		errs = append(errs, fmt.Sprintf("%s: %s is not one of %v", path, describe(value), e))
	}
	switch val := value.(type) {
	case string:
		errs = append(errs, v.checkString(s, val, path)...)
	case json.Number:
		errs = append(errs, checkNumber(s, val, path)...)
	case []any:
		errs = append(errs, v.checkArray(s, val, path)...)
	case map[string]any:
		errs = append(errs, v.checkObject(s, val, path, closed)...)
	}
	return errs
}

// anyOf passes when one branch has no violation, else reports the branch
// that came closest: the one whose violations lie deepest in the value,
// then the one with fewest.
func (v *validator) anyOf(branches []any, value any, path string) []string {
	var best []string
	bestDepth := -1
	for _, b := range branches {
		errs := v.check(b, value, path, true)
		if len(errs) == 0 {
			return nil
		}
		d := depth(errs)
		if d > bestDepth || d == bestDepth && len(errs) < len(best) {
			best, bestDepth = errs, d
		}
	}
	return best
}

// depth is how far into the value the deepest violation lies.
func depth(errs []string) int {
	most := 0
	for _, e := range errs {
		p, _, _ := strings.Cut(e, ": ")
		most = max(most, strings.Count(p, ".")+strings.Count(p, "["))
	}
	return most
}

func (v *validator) resolve(ref string) any {
	var node any = v.doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, _ := node.(map[string]any)
		node = m[part]
	}
	return node
}

func (v *validator) checkString(s map[string]any, val, path string) []string {
	var errs []string
	n := utf8.RuneCountInString(val)
	if max, ok := intKey(s, "maxLength"); ok && n > max {
		errs = append(errs, fmt.Sprintf("%s: %d characters, more than %d", path, n, max))
	}
	if min, ok := intKey(s, "minLength"); ok && n < min {
		errs = append(errs, fmt.Sprintf("%s: %d characters, fewer than %d", path, n, min))
	}
	if p, ok := s["pattern"].(string); ok {
		if re := v.pattern(p); re != nil && !re.MatchString(val) {
			errs = append(errs, fmt.Sprintf("%s: %q does not match %s", path, val, p))
		}
	}
	switch s["format"] {
	case "uri":
		if u, err := url.Parse(val); err != nil || u.Scheme == "" {
			errs = append(errs, fmt.Sprintf("%s: %q is not a URI", path, val))
		}
	case "date-time":
		if _, err := time.Parse(time.RFC3339, val); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %q is not an RFC 3339 date-time", path, val))
		}
	}
	return errs
}

func (v *validator) pattern(p string) *regexp.Regexp {
	v.mu.Lock()
	defer v.mu.Unlock()
	re, ok := v.patterns[p]
	if !ok {
		re, _ = regexp.Compile(p) // a pattern RE2 cannot compile is not checked
		v.patterns[p] = re
	}
	return re
}

func checkNumber(s map[string]any, val json.Number, path string) []string {
	x, ok := new(big.Float).SetString(val.String())
	if !ok {
		return []string{fmt.Sprintf("%s: %q is not a number", path, val)}
	}
	var errs []string
	if min, ok := s["minimum"].(json.Number); ok {
		if m, _ := new(big.Float).SetString(min.String()); m != nil && x.Cmp(m) < 0 {
			errs = append(errs, fmt.Sprintf("%s: %s is less than %s", path, val, min))
		}
	}
	if max, ok := s["maximum"].(json.Number); ok {
		if m, _ := new(big.Float).SetString(max.String()); m != nil && x.Cmp(m) > 0 {
			errs = append(errs, fmt.Sprintf("%s: %s is more than %s", path, val, max))
		}
	}
	return errs
}

func (v *validator) checkArray(s map[string]any, val []any, path string) []string {
	var errs []string
	if max, ok := intKey(s, "maxItems"); ok && len(val) > max {
		errs = append(errs, fmt.Sprintf("%s: %d items, more than %d", path, len(val), max))
	}
	if min, ok := intKey(s, "minItems"); ok && len(val) < min {
		errs = append(errs, fmt.Sprintf("%s: %d items, fewer than %d", path, len(val), min))
	}
	if s["uniqueItems"] == true {
		seen := map[string]bool{}
		for _, item := range val {
			k := canonical(item)
			if seen[k] {
				errs = append(errs, fmt.Sprintf("%s: %s appears twice", path, k))
			}
			seen[k] = true
		}
	}
	if items, ok := s["items"]; ok {
		for i, item := range val {
			errs = append(errs, v.check(items, item, fmt.Sprintf("%s[%d]", path, i), true)...)
		}
	}
	return errs
}

func (v *validator) checkObject(s map[string]any, val map[string]any, path string, closed bool) []string {
	var errs []string
	for _, name := range list(s["required"]) {
		if _, ok := val[name.(string)]; !ok {
			errs = append(errs, fmt.Sprintf("%s.%s: required", path, name))
		}
	}
	if max, ok := intKey(s, "maxProperties"); ok && len(val) > max {
		errs = append(errs, fmt.Sprintf("%s: %d properties, more than %d", path, len(val), max))
	}
	props, _ := s["properties"].(map[string]any)
	known := v.knownProperties(s)
	for _, name := range sortedKeys(val) {
		sub := path + "." + name
		switch p, ok := props[name]; {
		case ok:
			errs = append(errs, v.check(p, val[name], sub, true)...)
		case s["additionalProperties"] != nil:
			errs = append(errs, v.check(s["additionalProperties"], val[name], sub, true)...)
		case closed && known != nil && !known[name]:
			errs = append(errs, sub+": unknown field")
		}
	}
	return errs
}

// knownProperties is the set of property names s and its allOf and $ref
// parts declare, or nil when s does not describe its properties.
func (v *validator) knownProperties(s map[string]any) map[string]bool {
	var known map[string]bool
	add := func(m map[string]any) {
		if props, ok := m["properties"].(map[string]any); ok {
			if known == nil {
				known = map[string]bool{}
			}
			for name := range props {
				known[name] = true
			}
		}
	}
	add(s)
	parts := list(s["allOf"])
	if ref, ok := s["$ref"].(string); ok {
		parts = append(parts, v.resolve(ref))
	}
	for _, p := range parts {
		if m, ok := p.(map[string]any); ok {
			for name := range v.knownProperties(m) {
				add(map[string]any{"properties": map[string]any{name: true}})
			}
		}
	}
	return known
}

func typeMatches(t, value any) bool {
	if names, ok := t.([]any); ok {
		return slices.ContainsFunc(names, func(n any) bool { return typeMatches(n, value) })
	}
	switch t {
	case "null":
		return value == nil
	case "boolean":
		_, ok := value.(bool)
		return ok
	case "string":
		_, ok := value.(string)
		return ok
	case "number":
		_, ok := value.(json.Number)
		return ok
	case "integer":
		n, ok := value.(json.Number)
		if !ok {
			return false
		}
		_, isInt := new(big.Int).SetString(n.String(), 10)
		return isInt
	case "array":
		_, ok := value.([]any)
		return ok
	case "object":
		_, ok := value.(map[string]any)
		return ok
	}
	return false
}

func typeNames(t any) string {
	if names, ok := t.([]any); ok {
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = fmt.Sprint(n)
		}
		return strings.Join(parts, " or ")
	}
	return fmt.Sprint(t)
}

// describe names a value's JSON type for a violation message.
func describe(value any) string {
	switch x := value.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case string:
		if len(x) > 40 {
			x = x[:40] + "…"
		}
		return fmt.Sprintf("string %q", x)
	case json.Number:
		return "number " + x.String()
	case []any:
		return "array"
	default:
		return "object"
	}
}

func list(x any) []any {
	l, _ := x.([]any)
	return l
}

func intKey(s map[string]any, key string) (int, bool) {
	n, ok := s[key].(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return int(i), err == nil
}

func sameJSON(a, b any) bool { return canonical(a) == canonical(b) }

// canonical writes a JSON value with sorted keys, for comparison.
func canonical(x any) string {
	out, _ := json.Marshal(x)
	return string(out)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
