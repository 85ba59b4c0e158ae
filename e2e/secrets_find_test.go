package e2e

import (
	"net/url"
	"testing"
)

// TestLogSecretsFind: the log check finds a secret in the forms a log line
// may carry it, and only there.
func TestLogSecretsFind(t *testing.T) {
	const token = "123456789:AAsecretHalfOfTheTokenIsLong_-x"
	s := newLogSecrets()
	s.add("token", token)
	s.add("password", "p@ss/word with space")
	tests := []struct {
		name, log string
		want      int
	}{
		{"clean", "level=INFO msg=\"telegram connected\" bot_id=123456789", 0},
		{"as is", "url=https://api.telegram.org/bot" + token + "/getMe", 1},
		{"secret half alone", "token=[redacted]:AAsecretHalfOfTheTokenIsLong_-x", 1},
		{"query-escaped", "url=/x?t=" + url.QueryEscape(token), 1},
		{"in a JSON string", `{"msg":"x","url":"redis://:p@ss/word with space@h"}`, 1},
		{"path-escaped password", "redis://:" + url.PathEscape("p@ss/word with space") + "@h", 1},
		{"two lines", "a " + token + "\nb " + token, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.find(tt.log); len(got) < tt.want || (tt.want == 0 && len(got) > 0) {
				t.Errorf("find = %q, want %d line(s) found", got, tt.want)
			}
		})
	}
}
