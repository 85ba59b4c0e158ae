package config

import (
	"testing"
	"time"
)

func TestShortDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{5 * time.Minute, "5m"},
		{30 * time.Second, "30s"},
		{10 * time.Second, "10s"},
		{90 * time.Second, "1m30s"},
		{time.Hour, "1h"},
		{72 * time.Hour, "72h"},
		{time.Hour + 30*time.Minute, "1h30m"},
		{1500 * time.Millisecond, "1.5s"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := shortDuration(tt.d); got != tt.want {
				t.Errorf("shortDuration(%d) = %q, want %q", tt.d, got, tt.want)
			}
		})
	}
}
