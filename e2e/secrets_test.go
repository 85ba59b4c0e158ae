package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestNoSecretInLogs runs sitrep at debug level, with text and with JSON
// logs, through every adapter and the failures an operator meets: Telegram
// by long polling and by webhook, Discord over the gateway and by HTTP
// interactions, Redis with a password (one that goes away for a while),
// platforms that answer 401, 429 and 5xx or drop the connection, and
// configurations that fail at start (unreachable platform or Redis, tokens
// and password refused). No line any process prints, on stdout or stderr,
// holds a bot token, the webhook secret, an interaction token or the Redis
// password. In JSON every line is an object with snake_case keys.
func TestNoSecretInLogs(t *testing.T) {
	sitrepBinary(t) // built first: skipped under -short before anything starts
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Run("long polling, gateway", func(t *testing.T) { pollingAndGateway(t, format) })
			t.Run("webhook, HTTP interactions", func(t *testing.T) { webhookAndInteractions(t, format) })
			t.Run("failures at start", func(t *testing.T) { failuresAtStart(t, format) })
		})
	}
}

// logSecrets are what no log line may hold: each secret, and the forms a
// URL or a JSON string would give it.
type logSecrets struct {
	forms map[string]string // form → what it is
}

func newLogSecrets() *logSecrets { return &logSecrets{forms: map[string]string{}} }

// add names a secret. A Telegram token's bot id (before the colon) is
// public; its secret half is what must not show.
func (s *logSecrets) add(what, secret string) {
	for _, f := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.Trim(mustJSON(secret), `"`)} {
		s.forms[f] = what
	}
	if _, half, ok := strings.Cut(secret, ":"); ok && len(half) >= 16 {
		s.add(what+" (its secret half)", half)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// check fails the test for every line of logs that holds a secret.
func (s *logSecrets) check(tb testing.TB, who, logs string) {
	tb.Helper()
	for _, leak := range s.find(logs) {
		tb.Errorf("%s printed %s", who, leak)
	}
}

// find returns each line of logs that holds a secret, saying which, with
// the secret masked.
func (s *logSecrets) find(logs string) []string {
	var out []string
	for _, line := range strings.Split(logs, "\n") {
		for form, what := range s.forms {
			if strings.Contains(line, form) {
				out = append(out, "the "+what+": "+strings.ReplaceAll(line, form, "«"+what+"»"))
			}
		}
	}
	return out
}

// checkJSONLines fails the test for a line of a JSON log that is not a
// JSON object, or whose keys are not snake_case.
func checkJSONLines(tb testing.TB, who, stderr string) {
	tb.Helper()
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if line == "" || strings.HasPrefix(line, "sitrep: ") { // the exit error, printed by main
			continue
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			tb.Errorf("%s: a log line is not JSON: %q", who, line)
			continue
		}
		for _, k := range keysOf(obj) {
			if !snakeCase.MatchString(k) {
				tb.Errorf("%s: log key %q is not snake_case: %s", who, k, line)
			}
		}
	}
}

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// keysOf lists an object's keys, and those of the objects (slog groups) in it.
func keysOf(obj map[string]any) []string {
	var out []string
	for k, v := range obj {
		out = append(out, k)
		if sub, ok := v.(map[string]any); ok {
			out = append(out, keysOf(sub)...)
		}
	}
	return out
}

// randomHex returns n random hexadecimal characters.
func randomHex(n int) string {
	b := make([]byte, (n+1)/2)
	rand.Read(b)
	return hex.EncodeToString(b)[:n]
}

// testSecrets are the credentials of one scenario, all fresh.
type testSecrets struct {
	telegramToken, discordToken, webhookSecret, redisPassword string
}

func newTestSecrets() testSecrets {
	return testSecrets{
		telegramToken: "7" + strings.Map(hexToDigit, randomHex(9)) + ":AA" + randomHex(33),
		discordToken:  "MTk" + randomHex(21) + ".G" + randomHex(5) + "." + randomHex(38),
		webhookSecret: "wh_" + randomHex(40),
		redisPassword: "rp-" + randomHex(24),
	}
}

func hexToDigit(r rune) rune {
	if r >= 'a' {
		return '0' + (r-'a')%10
	}
	return r
}

// watch returns the secrets to look for in the logs.
func (ts testSecrets) watch() *logSecrets {
	s := newLogSecrets()
	s.add("Telegram bot token", ts.telegramToken)
	s.add("Discord bot token", ts.discordToken)
	s.add("webhook secret", ts.webhookSecret)
	s.add("Redis password", ts.redisPassword)
	return s
}

// checkLogs applies the checks to everything a process printed.
func checkLogs(tb testing.TB, s *logSecrets, format string, p *proc) {
	tb.Helper()
	s.check(tb, p.name, p.logs())
	if format == "json" {
		checkJSONLines(tb, p.name, p.stderr.String())
	}
}
