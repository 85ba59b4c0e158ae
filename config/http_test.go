package config

import (
	"os"
	"path/filepath"
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

// TestHTTPNeededForWebhooks: webhooks and HTTP interactions need the server.
func TestHTTPNeededForWebhooks(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, yaml, want string
	}{
		{"telegram webhook", "http: {listen: \"\"}\ntelegram: {token: \"1:a\", webhook_url: \"https://b.example/tg\", webhook_secret: s3cr3t}\n", "with telegram.webhook_url"},
		{"discord interactions", "http: {listen: \"\"}\ndiscord: {public_key: \"" + strings.Repeat("ab", 32) + "\"}\n", "with discord.public_key"},
		{"server on", "telegram: {token: \"1:a\", webhook_url: \"https://b.example/tg\", webhook_secret: s3cr3t}\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path, func(string) string { return "" })
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Load: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), "http.listen (SITREP_HTTP_LISTEN): is required "+tt.want)):
				t.Errorf("error %v, want http.listen required %s", err, tt.want)
			}
		})
	}
}
