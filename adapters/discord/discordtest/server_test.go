package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// lenient is a testing.TB that keeps the fake's end-of-test complaints, for
// tests that break the spec on purpose.
type lenient struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (l *lenient) Errorf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, fmt.Sprintf(format, args...))
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// do sends one bot request to the fake and returns status, headers and body.
func do(tb testing.TB, s *Server, method, path, body string) (int, http.Header, map[string]any) {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bot "+s.Token())
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(data, &out)
	return resp.StatusCode, resp.Header, out
}

func TestSpecViolationsRejected(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	embeds := func(n int, desc string) string {
		var parts []string
		for range n {
			parts = append(parts, `{"title":"t","description":"`+desc+`"}`)
		}
		return `{"embeds":[` + strings.Join(parts, ",") + `]}`
	}
	for _, tc := range []struct {
		name, method, path, body, want string
	}{
		{"unknown route", "GET", "/api/v10/channels/1", "", "unknown route"},
		{"no API version", "POST", "/channels/1/messages", `{"content":"x"}`, "not under /api/v9"},
		{"unknown field", "POST", "/api/v9/channels/1/messages", `{"content":"x","colour":1}`, "body.colour: unknown field"},
		{"unknown embed field", "POST", "/api/v9/channels/1/messages", `{"embeds":[{"title":"t","colour":1}]}`, "body.embeds[0].colour: unknown field"},
		{"wrong type", "POST", "/api/v9/channels/1/messages", `{"content":5}`, "body.content: number 5, want string or null"},
		{"parse null is allowed but a string is not", "POST", "/api/v9/channels/1/messages", `{"content":"x","allowed_mentions":{"parse":"everyone"}}`, "body.allowed_mentions.parse"},
		{"path id not a snowflake", "POST", "/api/v9/channels/abc/messages", `{"content":"x"}`, "path.channel_id"},
		{"unknown query parameter", "POST", "/api/v9/webhooks/1/tok?waitt=true", `{"content":"x"}`, "query.waitt: unknown parameter"},
		{"content over the documented 2000", "POST", "/api/v9/channels/1/messages", `{"content":"` + long(2001) + `"}`, "2001 characters, more than the documented 2000"},
		{"nonce over 25", "POST", "/api/v9/channels/1/messages", `{"content":"x","nonce":"` + long(26) + `"}`, "body.nonce"},
		{"eleven embeds", "POST", "/api/v9/channels/1/messages", embeds(11, "d"), "11 items, more than 10"},
		{"title over 256", "POST", "/api/v9/channels/1/messages", `{"embeds":[{"title":"` + long(257) + `"}]}`, "257 characters, more than 256"},
		{"over 6000 in all", "POST", "/api/v9/channels/1/messages", embeds(2, long(3100)), "characters in all, more than the documented 6000"},
		{"empty message", "POST", "/api/v9/channels/1/messages", `{"allowed_mentions":{"parse":[]}}`, "Cannot send an empty message"},
		{"command without a name", "PUT", "/api/v10/applications/" + DefaultApplicationID + "/commands", `[{"description":"d"}]`, "body[0].name: required"},
		{"command name too long", "PUT", "/api/v10/applications/" + DefaultApplicationID + "/commands", `[{"name":"` + long(33) + `"}]`, "33 characters, more than 32"},
		{"not JSON", "POST", "/api/v9/channels/1/messages", `{"content":`, "body:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := &lenient{TB: t}
			t.Cleanup(func() { // runs after the fake's own cleanup
				if len(tb.errs) == 0 {
					t.Errorf("the fake did not fail its test for the violation")
				}
			})
			s := New(tb, Options{})
			status, _, _ := do(t, s, tc.method, tc.path, tc.body)
			if status != http.StatusBadRequest {
				t.Errorf("status %d, want 400", status)
			}
			v := s.Violations()
			if len(v) != 1 || !strings.Contains(v[0], tc.want) {
				t.Errorf("violations %q, want one that says %q", v, tc.want)
			}
			if n := len(s.Messages("1")); n != 0 {
				t.Errorf("%d messages stored, want none", n)
			}
		})
	}
}

func TestValidMessageAccepted(t *testing.T) {
	s := New(t, Options{})
	body := `{"content":"hi","embeds":[{"title":"t","url":"https://a.example/x","description":"d","color":255,
		"timestamp":"2025-12-16T18:00:00Z","footer":{"text":"f"}}],"allowed_mentions":{"parse":[]},"nonce":"abc","enforce_nonce":true}`
	status, h, out := do(t, s, "POST", "/api/v9/channels/42/messages", body)
	if status != http.StatusOK || out["id"] == "" || out["channel_id"] != "42" {
		t.Fatalf("status %d, body %v", status, out)
	}
	for _, k := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Reset-After", "X-RateLimit-Bucket"} {
		if h.Get(k) == "" {
			t.Errorf("no %s header", k)
		}
	}
	if got := s.Messages("42"); len(got) != 1 || got[0].Embeds[0].Footer.Text != "f" {
		t.Errorf("stored %+v", got)
	}
}

func TestNonceEnforced(t *testing.T) {
	c := &clock{t: time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC)}
	s := New(t, Options{Now: c.Now, ChannelLimit: -1})
	post := func(body string) string {
		_, _, out := do(t, s, "POST", "/api/v9/channels/9/messages", body)
		return fmt.Sprint(out["id"])
	}
	first := post(`{"content":"a","nonce":"n1","enforce_nonce":true}`)
	if again := post(`{"content":"a","nonce":"n1","enforce_nonce":true}`); again != first {
		t.Errorf("same nonce with enforce_nonce: id %s, want the first message %s", again, first)
	}
	if other := post(`{"content":"a","nonce":"n1"}`); other == first {
		t.Errorf("same nonce without enforce_nonce returned the first message")
	}
	c.Add(6 * time.Minute)
	if later := post(`{"content":"a","nonce":"n1","enforce_nonce":true}`); later == first {
		t.Errorf("a nonce six minutes old still returned the first message")
	}
	if n := len(s.Messages("9")); n != 3 {
		t.Errorf("%d messages, want 3", n)
	}
}

func TestRateLimits(t *testing.T) {
	c := &clock{t: time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC)}
	s := New(t, Options{Now: c.Now})
	for i := range 5 {
		status, h, _ := do(t, s, "POST", "/api/v9/channels/7/messages", `{"content":"x"}`)
		if status != http.StatusOK || h.Get("X-RateLimit-Remaining") != fmt.Sprint(4-i) {
			t.Fatalf("message %d: status %d, remaining %s", i, status, h.Get("X-RateLimit-Remaining"))
		}
	}
	status, h, out := do(t, s, "POST", "/api/v9/channels/7/messages", `{"content":"x"}`)
	if status != http.StatusTooManyRequests || out["retry_after"] != 5.0 || out["global"] != false || h.Get("Retry-After") != "5" {
		t.Errorf("sixth message in 5s: status %d, body %v, Retry-After %q", status, out, h.Get("Retry-After"))
	}
	if status, _, _ := do(t, s, "POST", "/api/v9/channels/8/messages", `{"content":"x"}`); status != http.StatusOK {
		t.Errorf("another channel: status %d, want its own bucket", status)
	}
	c.Add(5 * time.Second)
	if status, _, _ := do(t, s, "POST", "/api/v9/channels/7/messages", `{"content":"x"}`); status != http.StatusOK {
		t.Errorf("after the window: status %d", status)
	}
	for range 60 {
		status, h, out = do(t, s, "GET", "/api/v9/users/@me", "")
	}
	if status != http.StatusTooManyRequests || out["global"] != true || h.Get("X-RateLimit-Global") != "true" {
		t.Errorf("60 requests in a second: status %d, body %v, want a global 429", status, out)
	}
	if s.RateLimited() != 12 { // the sixth message, and 11 of the 60 (the window's 50 began with the first message)
		t.Errorf("RateLimited() = %d, want 12", s.RateLimited())
	}
}

func TestUnauthorized(t *testing.T) {
	s := New(t, Options{})
	req, _ := http.NewRequest("GET", s.URL()+"/api/v9/users/@me", nil)
	req.Header.Set("Authorization", "Bot wrong")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: status %d, want 401", resp.StatusCode)
	}
}

func TestValidatorKeepsBigIntegersExact(t *testing.T) {
	v := newValidator(nil)
	schema := map[string]any{"type": "integer", "minimum": json.Number("0"), "maximum": json.Number("18014398509481983")}
	for _, tc := range []struct {
		value string
		ok    bool
	}{{"16", true}, {"18014398509481983", true}, {"18014398509481984", false}, {"1.5", false}, {"-1", false}} {
		val, _ := decodeJSON([]byte(tc.value))
		if got := len(v.validate(schema, val, "x")) == 0; got != tc.ok {
			t.Errorf("%s: valid = %v, want %v", tc.value, got, tc.ok)
		}
	}
	if errs := v.validate(map[string]any{"type": "string", "maxLength": json.Number("2")}, "жжж", "s"); len(errs) != 1 {
		t.Errorf("3 Cyrillic letters against maxLength 2: %v, want one violation (characters, not bytes)", errs)
	}
}
