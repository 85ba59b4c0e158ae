package e2e

import (
	"encoding/json"
	"testing"
)

// status is what `sitrep status --json` prints.
type status struct {
	Store  string  `json:"store"`
	Leader *string `json:"leader"`
	Outbox *struct {
		Pending int `json:"pending"`
		Dead    int `json:"dead"`
	} `json:"outbox"`
	Subscriptions map[string]struct {
		Active   int `json:"active"`
		Inactive int `json:"inactive"`
	} `json:"subscriptions"`
	LatestDigest *struct {
		ID           string `json:"id"`
		Developments int    `json:"developments"`
	} `json:"latest_digest"`
}

// readStatus runs `sitrep status --json` with env.
func readStatus(tb testing.TB, env map[string]string) status {
	tb.Helper()
	out := runSitrep(tb, env, "status", "--json")
	var st status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		tb.Fatalf("sitrep status --json: %v\n%s", err, out)
	}
	if st.Outbox == nil {
		tb.Fatalf("sitrep status --json shows no outbox:\n%s", out)
	}
	return st
}
