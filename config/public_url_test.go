package config

import (
	"strings"
	"testing"
)

func TestPublicURL(t *testing.T) {
	tests := []struct {
		value   string
		wantErr bool
	}{
		{"", false},
		{"https://sitrep.example.org", false},
		{"https://example.org/sitrep/", false},
		{"http://127.0.0.1:8080", false},
		{"sitrep.example.org", true},
		{"ftp://sitrep.example.org", true},
		{"ftp://user:pw@sitrep.example.org", true},
		{"https://user:pw@sitrep.example.org", true},
		{"https://sitrep.example.org/?a=b", true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			cfg, err := Load("", func(k string) string {
				if k == "SITREP_HTTP_PUBLIC_URL" {
					return tt.value
				}
				return ""
			})
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "http.public_url (SITREP_HTTP_PUBLIC_URL)") {
					t.Errorf("error %v, want one naming http.public_url", err)
				}
				if err != nil && strings.Contains(err.Error(), "pw@") {
					t.Errorf("error shows the credentials: %v", err)
				}
				return
			}
			if err != nil || cfg.HTTP.PublicURL != tt.value {
				t.Errorf("got %q, %v; want %q", cfg.HTTP.PublicURL, err, tt.value)
			}
		})
	}
}
