package discordtest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// openapi.json is the part of Discord's OpenAPI description of its HTTP API
// (github.com/discord/discord-api-spec, MIT, see LICENSE-openapi) that covers
// the routes below; TestSpecUpToDate regenerates it from the full document.
//
//go:embed openapi.json
var specJSON []byte

// route is one operation of the spec: a method and a path template.
type route struct{ Method, Path string }

// routes are the operations the fake serves: what sitrep calls.
var routes = []route{
	{"GET", "/users/@me"},
	{"GET", "/gateway"},
	{"GET", "/gateway/bot"},
	{"PUT", "/applications/{application_id}/commands"},
	{"PUT", "/applications/{application_id}/guilds/{guild_id}/commands"},
	{"POST", "/channels/{channel_id}/messages"},
	{"PATCH", "/channels/{channel_id}/messages/{message_id}"},
	{"POST", "/interactions/{interaction_id}/{interaction_token}/callback"},
	{"POST", "/webhooks/{webhook_id}/{webhook_token}"},
	{"PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"},
}

// spec is the loaded description: each served operation's parameters and body schema.
type spec struct {
	v   *validator
	ops []*operation
}

type operation struct {
	route
	segs   []string
	params map[string]param // path and query parameters by name
	body   any              // the application/json body schema; nil = no body
	open   bool             // the spec lets the route be called without the bot token
}

type param struct {
	in     string // path or query
	schema any
}

func loadSpec() (*spec, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(specJSON))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("discordtest: openapi.json: %w", err)
	}
	sp := &spec{v: newValidator(doc)}
	paths, _ := doc["paths"].(map[string]any)
	for _, r := range routes {
		item, _ := paths[r.Path].(map[string]any)
		op, _ := item[strings.ToLower(r.Method)].(map[string]any)
		if op == nil {
			return nil, fmt.Errorf("discordtest: openapi.json has no %s %s", r.Method, r.Path)
		}
		o := &operation{route: r, segs: strings.Split(strings.Trim(r.Path, "/"), "/"), params: map[string]param{}}
		for _, req := range list(op["security"]) {
			if m, ok := req.(map[string]any); ok && len(m) == 0 {
				o.open = true
			}
		}
		for _, p := range append(list(item["parameters"]), list(op["parameters"])...) {
			pm, _ := p.(map[string]any)
			name, _ := pm["name"].(string)
			in, _ := pm["in"].(string)
			o.params[name] = param{in: in, schema: pm["schema"]}
		}
		if rb, ok := op["requestBody"].(map[string]any); ok {
			content, _ := rb["content"].(map[string]any)
			js, _ := content["application/json"].(map[string]any)
			o.body = js["schema"]
		}
		sp.ops = append(sp.ops, o)
	}
	return sp, nil
}

var versionRE = regexp.MustCompile(`^/api/v(9|10)(/|$)`)

// match finds the operation for a request path (with its /api/vN prefix)
// and returns its path parameters.
func (sp *spec) match(method, path string) (*operation, map[string]string, error) {
	loc := versionRE.FindStringSubmatchIndex(path)
	if loc == nil {
		return nil, nil, fmt.Errorf("%s %s: not under /api/v9 or /api/v10", method, path)
	}
	segs := strings.Split(strings.Trim(path[loc[3]:], "/"), "/")
	for _, op := range sp.ops {
		if op.Method != method || len(op.segs) != len(segs) {
			continue
		}
		if vars, ok := matchSegs(op.segs, segs); ok {
			return op, vars, nil
		}
	}
	return nil, nil, fmt.Errorf("%s %s: unknown route", method, path)
}

func matchSegs(tmpl, segs []string) (map[string]string, bool) {
	vars := map[string]string{}
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") {
			if segs[i] == "" {
				return nil, false
			}
			vars[strings.Trim(t, "{}")] = segs[i]
		} else if t != segs[i] {
			return nil, false
		}
	}
	return vars, true
}

// check validates a request's parameters and body against op; it returns
// the decoded body (nil when there is none) and one line per violation.
func (sp *spec) check(op *operation, vars map[string]string, query url.Values, contentType string, body []byte) (any, []string) {
	var errs []string
	for name, val := range vars {
		errs = append(errs, sp.v.validate(op.params[name].schema, val, "path."+name)...)
	}
	for name, vals := range query {
		p, ok := op.params[name]
		if !ok || p.in != "query" {
			errs = append(errs, "query."+name+": unknown parameter")
			continue
		}
		for _, raw := range vals {
			errs = append(errs, sp.v.validate(p.schema, queryValue(p.schema, raw), "query."+name)...)
		}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if op.body != nil && op.Method != "PATCH" {
			errs = append(errs, "body: required")
		}
		return nil, errs
	}
	if op.body == nil {
		return nil, append(errs, "body: this route takes none")
	}
	if !strings.HasPrefix(contentType, "application/json") {
		return nil, append(errs, fmt.Sprintf("Content-Type %q, want application/json", contentType))
	}
	v, err := decodeJSON(body)
	if err != nil {
		return nil, append(errs, "body: "+err.Error())
	}
	return v, append(errs, sp.v.validate(op.body, v, "body")...)
}

// queryValue converts a query string value to the JSON type its schema wants.
func queryValue(schema any, raw string) any {
	if s, ok := schema.(map[string]any); ok && s["type"] == "boolean" {
		if b, err := strconv.ParseBool(raw); err == nil {
			return b
		}
	}
	return raw
}

// decodeJSON decodes exactly one JSON value, keeping numbers exact.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}
