package feeds_test

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/sitrepbot/sitrep/adapters/feeds"
)

// Texts of the charset tests: what the feed says, in the language its
// outlets write.
var (
	ukTitle = "Російські дрони атакували Харків уночі"
	ukDesc  = "Уночі російські безпілотники атакували енергетичну інфраструктуру Харкова, повідомив голова обласної військової адміністрації. Пошкоджено підстанцію, частина міста без світла."
	ruTitle = "Российские дроны атаковали Харьков ночью"
	ruDesc  = "Ночью российские беспилотники атаковали энергетическую инфраструктуру Харькова, сообщил глава областной военной администрации. Повреждена подстанция, часть города без света."
	frTitle = "Café à Kyiv : la défense aérienne a été très sollicitée"
	frDesc  = "Selon l'armée de l'air, la défense aérienne a détruit la majorité des drones lancés pendant la nuit contre la capitale ukrainienne, où les sirènes ont retenti à plusieurs reprises."
)

// feedIn renders a one-item feed declaring decl, encoded in enc (nil: UTF-8).
func feedIn(t *testing.T, enc encoding.Encoding, decl, title, desc string) []byte {
	t.Helper()
	doc := `<?xml version="1.0" encoding="` + decl + `"?>` + "\n" + rss(item{guid: "1", title: title, desc: desc, link: "https://news.example/1"})[len(`<?xml version="1.0" encoding="utf-8"?>`+"\n"):]
	if enc == nil {
		return []byte(doc)
	}
	out, err := enc.NewEncoder().Bytes([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWrongCharsets(t *testing.T) {
	utf16 := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	tests := []struct {
		name        string
		enc         encoding.Encoding
		decl, ctype string
		title, desc string
	}{
		{"windows-1251 declared right", charmap.Windows1251, "windows-1251", "application/rss+xml", ukTitle, ukDesc},
		{"windows-1251 declared utf-8", charmap.Windows1251, "utf-8", "application/rss+xml", ukTitle, ukDesc},
		{"windows-1251 served as utf-8", charmap.Windows1251, "windows-1251", "text/xml; charset=utf-8", ukTitle, ukDesc},
		{"windows-1251 undeclared", charmap.Windows1251, "", "", ruTitle, ruDesc},
		{"koi8-r declared utf-8", charmap.KOI8R, "utf-8", "", ruTitle, ruDesc},
		{"utf-8 declared windows-1251", nil, "windows-1251", "", ukTitle, ukDesc},
		{"utf-8 served as windows-1251", nil, "utf-8", "application/xml; charset=windows-1251", ruTitle, ruDesc},
		{"utf-8 served as iso-8859-1", nil, "iso-8859-1", "text/xml; charset=iso-8859-1", frTitle, frDesc},
		{"latin-1 declared utf-8", charmap.ISO8859_1, "utf-8", "", frTitle, frDesc},
		{"utf-16 with bom", utf16, "utf-16", "", ukTitle, ukDesc},
		{"utf-16 declared utf-8", utf16, "utf-8", "text/xml; charset=utf-8", ukTitle, ukDesc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := feedIn(t, tt.enc, tt.decl, tt.title, tt.desc)
			if tt.decl == "" {
				body = []byte(strings.Replace(string(body), `encoding=""`, "", 1))
			}
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				w.Write(body)
			})
			res, col := collectOne(t, srv.URL, feeds.Options{})
			if res.Err != nil || len(col.Articles) != 1 {
				t.Fatalf("%v, %d articles, want 1", res.Err, len(col.Articles))
			}
			a := col.Articles[0]
			if a.Title != tt.title || a.Summary != tt.desc {
				t.Errorf("got %q / %q\nwant %q / %q", a.Title, a.Summary, tt.title, tt.desc)
			}
		})
	}
}

// TestBrokenBytes: bytes that are no text in any encoding still give valid
// UTF-8, and good UTF-8 with a stray bad byte keeps its good text.
func TestBrokenBytes(t *testing.T) {
	tests := []struct {
		name, title, keep string
	}{
		{"stray byte in utf-8", ukTitle[:10] + "\xff" + ukTitle[10:], ukTitle[10:]},
		{"random bytes", "\xc3\x28\xa0\xa1\xe2\x28\xa1\xe2\x82\x28\xf0\x28\x8c\xbc\xf8\xa1\xa1\xa1\xa1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := feedIn(t, nil, "utf-8", tt.title, ukDesc)
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
			res, col := collectOne(t, srv.URL, feeds.Options{})
			if res.Err != nil || len(col.Articles) != 1 {
				t.Fatalf("%v, %d articles, want 1", res.Err, len(col.Articles))
			}
			a := col.Articles[0]
			for _, s := range []string{a.Title, a.Summary, a.Content, a.URL, a.ID} {
				if !utf8.ValidString(s) {
					t.Errorf("invalid UTF-8 out: %q", s)
				}
			}
			if !strings.Contains(a.Title, tt.keep) || a.Summary != ukDesc {
				t.Errorf("got %q / %q, want the good text kept", a.Title, a.Summary)
			}
		})
	}
}
