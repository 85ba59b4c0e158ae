package digest

import "testing"

func TestCleanTitle(t *testing.T) {
	tests := []struct {
		name, title, source, url, want string
	}{
		{"pipe outlet", "Drones hit Odesa port | Kyiv Ledger", "", "", "Drones hit Odesa port"},
		{"pipe section and outlet", "Drones hit Odesa port | World | Kyiv Ledger", "", "", "Drones hit Odesa port"},
		{"dash kept without source", "Russian troops liberate Priluzhnoye — Defence Ministry", "", "", "Russian troops liberate Priluzhnoye — Defence Ministry"},
		{"dash stripped when it names the source", "Drones hit Odesa port - Kyiv Ledger", "Kyiv Ledger", "", "Drones hit Odesa port"},
		{"source named by host", "Drones hit Odesa port – kyivledger.example", "KL", "https://www.kyivledger.example/a", "Drones hit Odesa port"},
		{"lower-case tail is no outlet", "Talks go on | what we know so far", "", "", "Talks go on | what we know so far"},
		{"html", "<b>Drones</b> hit &amp; run", "", "", "Drones hit & run"},
		{"separator only", " | Kyiv Ledger", "", "", "| Kyiv Ledger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanTitle(tt.title, tt.source, tt.url); got != tt.want {
				t.Errorf("cleanTitle(%q, %q, %q) = %q, want %q", tt.title, tt.source, tt.url, got, tt.want)
			}
		})
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://Example.COM/a/b?utm_source=x&id=7&fbclid=y#top", "https://example.com/a/b?id=7"},
		{"http://example.com:80/a?b=2&a=1", "http://example.com/a?a=1&b=2"},
		{"https://example.com:8443/a", "https://example.com:8443/a"},
		{"https://example.com", "https://example.com/"},
		{"https://user:pw@example.com/a?utm_campaign=c", "https://example.com/a"},
		{"  https://example.com/a?ref=rss&q=drone+strike  ", "https://example.com/a?q=drone+strike"},
		{"not a url", "not a url"},
		{"mailto:x@example.com", "mailto:x@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := CanonicalURL(tt.in); got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestURLKey(t *testing.T) {
	a := urlKey(CanonicalURL("https://www.example.com/news/1/?utm_source=x"))
	b := urlKey(CanonicalURL("http://example.com/news/1"))
	if a != b {
		t.Errorf("urlKey: %q != %q, want one article", a, b)
	}
}
