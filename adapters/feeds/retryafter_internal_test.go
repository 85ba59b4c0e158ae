package feeds

import (
	"net/http"
	"testing"
	"time"
)

var now = time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC)

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"120", 2 * time.Minute},
		{" 30 ", 30 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"1e3", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"Tuesday, 16-Dec-25 14:00:00 GMT", 2 * time.Hour}, // RFC 850
		{"99999999999999999999", 0},
		{"9999999999", maxRetryAfter},
		{now.Add(30 * 24 * time.Hour).Format(http.TimeFormat), maxRetryAfter},
		{"soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := parseRetryAfter(tt.in, now); got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "Tue, 16 Dec 2025 12:01:30 GMT", "Tuesday, 16-Dec-25 14:00:00 GMT", "Tue Dec 16 14:00:00 2025", "-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := parseRetryAfter(s, now); got < 0 || got > maxRetryAfter {
			t.Errorf("parseRetryAfter(%q) = %s, want within [0, %s]", s, got, maxRetryAfter)
		}
	})
}
