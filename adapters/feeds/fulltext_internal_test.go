package feeds

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzExtractText(f *testing.F) {
	story := strings.Repeat("<p>Russian drones struck energy infrastructure in Kharkiv overnight, officials said.</p>", 8)
	f.Add([]byte("<html><body><nav>Home</nav><article>"+story+"</article></body></html>"), "text/html; charset=utf-8")
	f.Add([]byte("<html><head><meta charset=windows-1251></head><body><p>\xcf\xf0\xe8\xe2\xb3\xf2</p></body></html>"), "text/html")
	f.Add([]byte("<table><tr><td><p><p><p>"+story), "")
	f.Add([]byte("%PDF-1.4"), "application/pdf")
	f.Fuzz(func(t *testing.T, page []byte, contentType string) {
		text, err := extractText(answer{body: page, contentType: contentType, url: "https://news.example/a/1"})
		if err != nil {
			return
		}
		if text == "" || !utf8.ValidString(text) || len(text) > maxPageText {
			t.Errorf("extractText = %q (%d bytes), want valid, non-empty UTF-8 of at most %d bytes", text, len(text), maxPageText)
		}
	})
}
