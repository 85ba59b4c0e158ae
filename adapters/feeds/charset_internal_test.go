package feeds

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

func TestFeedToUTF8(t *testing.T) {
	encode := func(enc encoding.Encoding, s string) string {
		out, err := enc.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := `<?xml version="1.0" encoding="utf-8"?><rss><channel><title>Київ</title></channel></rss>`
	with := func(decl string) string {
		return `<?xml version="1.0" encoding="` + decl + `"?><rss><channel><title>Київ</title></channel></rss>`
	}
	tests := []struct {
		name, in, contentType string
	}{
		{"utf-8", with("utf-8"), ""},
		{"utf-8 with bom", "\xEF\xBB\xBF" + with("UTF-8"), ""},
		{"windows-1251", encode(charmap.Windows1251, with("windows-1251")), ""},
		{"koi8-u by header", encode(charmap.KOI8U, with("koi8-u")), "text/xml; charset=koi8-u"},
		{"utf-16le bom", encode(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), with("utf-16")), ""},
		{"utf-16be no bom", encode(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), with("utf-16")), ""},
		{"utf-16le no bom", encode(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), with("utf-16")), ""},
		{"utf-32be bom", encode(utf32.UTF32(utf32.BigEndian, utf32.UseBOM), with("utf-32")), ""},
		{"utf-32le no bom", encode(utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), with("utf-32")), ""},
		{"utf-16 declared, utf-8 bytes", with("utf-16"), ""},
		{"controls dropped", with("utf-8")[:50] + "\x01\x0b\x1f" + with("utf-8")[50:], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(feedToUTF8([]byte(tt.in), tt.contentType)); got != want {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}

func FuzzFeedToUTF8(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="windows-1251"?><rss/>`), "text/xml")
	f.Add([]byte("\xFF\xFE<\x00r\x00"), "")
	f.Add([]byte("<?xml encoding='utf-8'?>\xc3\x28\xe2"), "text/xml; charset=utf-16")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		if out := feedToUTF8(body, contentType); !utf8.Valid(out) {
			t.Errorf("feedToUTF8(%q, %q) = %q, not valid UTF-8", body, contentType, out)
		}
		if out := pageToUTF8(body, contentType); !utf8.Valid(out) {
			t.Errorf("pageToUTF8(%q, %q) = %q, not valid UTF-8", body, contentType, out)
		}
	})
}
