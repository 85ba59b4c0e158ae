package web_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/sitrepbot/sitrep/adapters/web"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// memStore holds one digest in memory.
type memStore struct{ d digest.Digest }

func (m memStore) Ping(context.Context) error { return nil }
func (m memStore) LatestDigests(context.Context, int) ([]digest.Digest, error) {
	return []digest.Digest{m.d}, nil
}
func (m memStore) GetDevelopment(_ context.Context, id string) (digest.Development, error) {
	for _, d := range m.d.Developments {
		if d.ID == id {
			return d, nil
		}
	}
	return digest.Development{}, bot.ErrNotFound
}

// FuzzPages: whatever a feed says, the pages hold no script, no event
// handler and no script link, and the Atom feed stays well-formed XML.
func FuzzPages(f *testing.F) {
	f.Add(`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, "javascript:alert(1)", "Outlet", "label")
	f.Add("]]></title><script>", "&amp;&lt;\x00\x0b\u202e", " JaVaScRiPt:alert(1)", "</a><a href=javascript:x>", `"><svg onload=x>`)
	f.Add(strings.Repeat("x", 10000), "\u200b\u200f", "data:text/html,<script>", "<!--", "-->")
	f.Fuzz(func(t *testing.T, headline, summary, link, outlet, label string) {
		d := digest.Development{ID: "fz1", Headline: headline, Summary: summary, ArticleCount: 1,
			FirstSeen: at.Add(-time.Hour), Updated: at, Score: 1, Lang: "en",
			Sources:  []digest.Source{{Name: outlet, URL: link, Label: label}},
			Articles: []digest.ArticleRef{{ID: "1", Source: outlet, URL: link, Title: headline, Published: at}}}
		s, err := web.New(web.Options{Store: memStore{digest.Digest{ID: "e", Generated: at, Since: at.Add(-time.Hour),
			Developments: []digest.Development{d}}}, Now: func() time.Time { return at }, Logger: discardLogger()})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/", "/story/fz1"} {
			rec := get(t, s.Handler(), path)
			if rec.Code != 200 {
				t.Fatalf("%s: status %d", path, rec.Code)
			}
			if bad := liveMarkup(rec.Body.String()); bad != "" {
				t.Fatalf("%s: %s\n%s", path, bad, rec.Body)
			}
		}
		dec := xml.NewDecoder(get(t, s.Handler(), "/digest.atom").Body)
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("Atom feed is not well-formed: %v", err)
			}
		}
	})
}

// liveMarkup describes the first script element, event handler attribute
// or script link in page, or returns "".
func liveMarkup(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data == "script" || tok.Data == "iframe" || tok.Data == "object" || tok.Data == "embed" {
				return "element " + tok.Data
			}
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(a.Key, "on") || ((a.Key == "href" || a.Key == "src") &&
					(strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:"))) {
					return "attribute " + a.Key + "=" + a.Val
				}
			}
		}
	}
}
