package telegramtest

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
)

// params are one request's parameters, already checked against the
// specification: the accessors only convert.
type params struct {
	values map[string]param
	ctx    context.Context
}

func (p params) has(name string) bool { _, ok := p.values[name]; return ok }

// str returns a String parameter ("" when absent).
func (p params) str(name string) string {
	v, ok := p.values[name]
	if !ok {
		return ""
	}
	if !v.isJSON {
		return v.form
	}
	var s string
	if json.Unmarshal(v.json, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(v.json)) // a number given for "Integer or String"
}

// int returns an Integer parameter (0 when absent).
func (p params) int(name string) int64 {
	n, _ := strconv.ParseInt(p.str(name), 10, 64)
	return n
}

// bool returns a Boolean parameter (false when absent).
func (p params) bool(name string) bool {
	b, _ := strconv.ParseBool(p.str(name))
	return b
}

// object decodes an object or array parameter into dst; it reports false
// when the parameter is absent.
func (p params) object(name string, dst any) bool {
	v, ok := p.values[name]
	if !ok {
		return false
	}
	data := []byte(v.form)
	if v.isJSON {
		data = v.json
		var inner string
		if json.Unmarshal(data, &inner) == nil {
			data = []byte(inner)
		}
	}
	return json.Unmarshal(data, dst) == nil
}

// display renders the parameters as text for Request: strings as
// themselves, other JSON values as JSON text.
func (p params) display() map[string]string {
	out := make(map[string]string, len(p.values))
	for k := range p.values {
		out[k] = p.str(k)
	}
	return out
}
