package bot

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// TestPublicDigestJSON pins the published JSON shape, field by field.
func TestPublicDigestJSON(t *testing.T) {
	kyiv := time.FixedZone("EET", 2*3600)
	at := time.Date(2025, 12, 16, 20, 0, 0, 0, kyiv)
	d := digest.Digest{ID: "e-1", Generated: at, Since: at.Add(-24 * time.Hour), Developments: []digest.Development{{
		ID: "x1", Version: 3, Headline: "H", Summary: "S", ArticleCount: 2, FirstSeen: at.Add(-time.Hour), Updated: at,
		Score: 1.5, Lang: "en", Sources: []digest.Source{{Name: "A", URL: "https://a.example/1", Label: "independent"}},
	}}}
	tests := []struct {
		name string
		in   digest.Digest
		want string
	}{
		{"one development", d, `{"generated":"2025-12-16T18:00:00Z","since":"2025-12-15T18:00:00Z","developments":[` +
			`{"id":"x1","headline":"H","summary":"S","sources":[{"name":"A","url":"https://a.example/1"}],` +
			`"article_count":2,"first_seen":"2025-12-16T17:00:00Z","updated":"2025-12-16T18:00:00Z","score":1.5}]}`},
		{"empty", digest.Digest{Generated: at, Since: at}, `{"generated":"2025-12-16T18:00:00Z","since":"2025-12-16T18:00:00Z","developments":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(NewPublicDigest(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(b); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
