package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/web"
)

// TestGolden pins the rendered pages and feeds, in the fixture's time zone.
func TestGolden(t *testing.T) {
	kyiv, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := mustServer(t, web.Options{Location: kyiv, PublicURL: "https://sitrep.example.org/"})
	for _, tt := range []struct{ path, file string }{
		{"/", "index.html"},
		{"/story/myk1", "story.html"},
		{"/story/nope", "notfound.html"},
		{"/digest.atom", "digest.atom"},
		{"/digest.json", "digest.json"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			golden(t, tt.file, get(t, s.Handler(), tt.path).Body.Bytes())
		})
	}
}

// TestHostileText: feed text cannot become markup or a script link.
func TestHostileText(t *testing.T) {
	s, _ := mustServer(t, web.Options{})
	for _, path := range []string{"/", "/story/bad3", "/digest.atom"} {
		t.Run(path, func(t *testing.T) {
			body := get(t, s.Handler(), path).Body.String()
			for _, bad := range []string{"<script", "<b>tags", "javascript:", "<Outlet>", "<i>markup"} {
				if strings.Contains(body, bad) {
					t.Errorf("body contains %q:\n%s", bad, body)
				}
			}
			if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") && !strings.Contains(body, "&amp;lt;script&amp;gt;") {
				t.Errorf("the hostile headline is not there as escaped text:\n%s", body)
			}
		})
	}
}
