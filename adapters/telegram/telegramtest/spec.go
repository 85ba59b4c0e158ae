package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Spec is the Bot API as published in api.json: every method with its
// fields and every type with its fields or subtypes.
type Spec struct {
	Version string
	Methods map[string]SpecMethod
	Types   map[string]SpecType
}

// SpecMethod is one Bot API method.
type SpecMethod struct {
	Name   string      `json:"name"`
	Fields []SpecField `json:"fields"`
}

// SpecType is one Bot API type: an object with fields, or a union of subtypes.
type SpecType struct {
	Name     string      `json:"name"`
	Fields   []SpecField `json:"fields"`
	Subtypes []string    `json:"subtypes"`
}

// SpecField is one field of a method or type, with the types it may hold
// ("Integer", "String", "Array of MessageEntity", "ReplyParameters", …).
type SpecField struct {
	Name     string   `json:"name"`
	Types    []string `json:"types"`
	Required bool     `json:"required"`
}

var specCache sync.Map // path → *Spec

// LoadSpec reads api.json (the shape of PaulSonOfLars/telegram-bot-api-spec).
// Specs are cached by path: tests may start many servers.
func LoadSpec(path string) (*Spec, error) {
	if s, ok := specCache.Load(path); ok {
		return s.(*Spec), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("telegramtest: spec: %w", err)
	}
	var s Spec
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("telegramtest: spec %s: %w", path, err)
	}
	if len(s.Methods) == 0 || len(s.Types) == 0 {
		return nil, fmt.Errorf("telegramtest: spec %s has no methods or types", path)
	}
	specCache.Store(path, &s)
	return &s, nil
}

// field returns the named field of fields.
func field(fields []SpecField, name string) (SpecField, bool) {
	i := slices.IndexFunc(fields, func(f SpecField) bool { return f.Name == name })
	if i < 0 {
		return SpecField{}, false
	}
	return fields[i], true
}

// param is one request parameter: a form value (text) or a JSON body value.
type param struct {
	form   string
	json   json.RawMessage
	isJSON bool
}

// CheckParams checks a request's parameters against the method's fields:
// every name known, every value of one of its types, every required field
// present. The error says what is wrong in Telegram's words.
func (s *Spec) CheckParams(method string, params map[string]param) error {
	m, ok := s.Methods[method]
	if !ok {
		return fmt.Errorf("method %q is not in Bot API %s", method, s.Version)
	}
	for _, name := range sortedKeys(params) {
		f, ok := field(m.Fields, name)
		if !ok {
			return fmt.Errorf("%s has no field %q", method, name)
		}
		p := params[name]
		var err error
		if p.isJSON {
			err = s.checkJSON(f.Types, p.json)
		} else {
			err = s.checkForm(f.Types, p.form)
		}
		if err != nil {
			return fmt.Errorf("field %q: %w", name, err)
		}
	}
	for _, f := range m.Fields {
		if _, ok := params[f.Name]; f.Required && !ok {
			return fmt.Errorf("%s: required field %q is missing", method, f.Name)
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// checkForm checks a form value: scalars as text, everything else as JSON text.
func (s *Spec) checkForm(types []string, v string) error {
	var objErr error
	for _, t := range types {
		var err error
		switch t {
		case "String", "InputFile":
			return nil
		case "Integer":
			_, err = strconv.ParseInt(v, 10, 64)
		case "Float":
			_, err = strconv.ParseFloat(v, 64)
		case "Boolean":
			_, err = strconv.ParseBool(v)
		default:
			if err = s.checkJSON([]string{t}, json.RawMessage(v)); objErr == nil {
				objErr = err
			}
		}
		if err == nil {
			return nil
		}
	}
	if objErr != nil && len(types) == 1 {
		return objErr
	}
	return fmt.Errorf("%q is not %s", clip(v), strings.Join(types, " or "))
}

// checkJSON checks a JSON value against any of types. An object or array may
// also come JSON-serialized inside a string, as the Bot API accepts.
func (s *Spec) checkJSON(types []string, raw json.RawMessage) error {
	var firstErr error
	for _, t := range types {
		err := s.checkJSONType(t, raw)
		if err == nil {
			return nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

func (s *Spec) checkJSONType(t string, raw json.RawMessage) error {
	raw = bytes.TrimSpace(raw)
	want := func(ok bool) error {
		if ok {
			return nil
		}
		return fmt.Errorf("%s is not %s", clip(string(raw)), t)
	}
	switch t {
	case "String", "InputFile":
		var v string
		return want(json.Unmarshal(raw, &v) == nil)
	case "Integer":
		var f float64
		return want(len(raw) > 0 && raw[0] != '"' && json.Unmarshal(raw, &f) == nil && f == math.Trunc(f))
	case "Float":
		var f float64
		return want(len(raw) > 0 && raw[0] != '"' && json.Unmarshal(raw, &f) == nil)
	case "Boolean":
		var b bool
		return want(json.Unmarshal(raw, &b) == nil)
	}
	if len(raw) > 0 && raw[0] == '"' { // serialized inside a string
		var inner string
		if err := json.Unmarshal(raw, &inner); err != nil {
			return err
		}
		raw = json.RawMessage(inner)
	}
	if elem, ok := strings.CutPrefix(t, "Array of "); ok {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return fmt.Errorf("%s is not %s", clip(string(raw)), t)
		}
		for i, it := range items {
			if err := s.checkJSON([]string{elem}, it); err != nil {
				return fmt.Errorf("item %d: %w", i, err)
			}
		}
		return nil
	}
	return s.checkObject(t, raw)
}

// checkObject checks a JSON object against type t, or one of its subtypes.
func (s *Spec) checkObject(t string, raw json.RawMessage) error {
	typ, ok := s.Types[t]
	if !ok {
		return fmt.Errorf("unknown type %s", t)
	}
	if len(typ.Subtypes) > 0 {
		var errs []string
		for _, sub := range typ.Subtypes {
			err := s.checkObject(sub, raw)
			if err == nil {
				return nil
			}
			errs = append(errs, sub+": "+err.Error())
		}
		return fmt.Errorf("matches no %s: %s", t, strings.Join(errs, "; "))
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return fmt.Errorf("%s is not a %s object", clip(string(raw)), t)
	}
	for _, name := range sortedKeys(obj) {
		f, ok := field(typ.Fields, name)
		if !ok {
			return fmt.Errorf("%s has no field %q", t, name)
		}
		if err := s.checkJSON(f.Types, obj[name]); err != nil {
			return fmt.Errorf("%s.%s: %w", t, name, err)
		}
	}
	for _, f := range typ.Fields {
		if _, ok := obj[f.Name]; f.Required && !ok {
			return fmt.Errorf("%s: required field %q is missing", t, f.Name)
		}
	}
	return nil
}

// clip shortens a value for an error message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
