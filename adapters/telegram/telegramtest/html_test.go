package telegramtest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name, in, text string
		entities       []Entity
	}{
		{"plain", "hello", "hello", nil},
		{"named entities", "a &lt;b&gt; &amp; &quot;c&quot;", `a <b> & "c"`, nil},
		{"numeric entities", "&#65;&#x42;&#x1F600;", "AB😀", nil},
		{"bold", "<b>x</b>y", "xy", []Entity{{Type: "bold", Offset: 0, Length: 1}}},
		{"nested", "<b>a<i>b</i></b>", "ab", []Entity{{Type: "bold", Offset: 0, Length: 2}, {Type: "italic", Offset: 1, Length: 1}}},
		{"link", `<a href="https://x.example/?a=1&amp;b=2">t</a>`, "t", []Entity{{Type: "text_link", Offset: 0, Length: 1, URL: "https://x.example/?a=1&b=2"}}},
		{"single-quoted href", `<a href='http://x.example'>t</a>`, "t", []Entity{{Type: "text_link", Length: 1, URL: "http://x.example"}}},
		{"utf16 offsets", "😀<b>x</b>", "😀x", []Entity{{Type: "bold", Offset: 2, Length: 1}}},
		{"bold inside link", `<a href="https://x.example"><b>t</b></a>`, "t", []Entity{{Type: "text_link", Length: 1, URL: "https://x.example"}, {Type: "bold", Length: 1}}},
		{"pre with language", `<pre><code class="language-go">x</code></pre>`, "x", []Entity{{Type: "pre", Length: 1}, {Type: "code", Length: 1}}},
		{"spoilers", `<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>`, "ab", []Entity{{Type: "spoiler", Length: 1}, {Type: "spoiler", Offset: 1, Length: 1}}},
		{"date time", `<tg-time unix="1765800300" format="t">14:05</tg-time>`, "14:05", []Entity{{Type: "date_time", Length: 5}}},
		{"expandable quote", "<blockquote expandable>q</blockquote>", "q", []Entity{{Type: "expandable_blockquote", Length: 1}}},
		{"upper-case tag", "<B>x</B>", "x", []Entity{{Type: "bold", Length: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHTML(tt.in)
			if err != nil {
				t.Fatalf("ParseHTML(%q): %v", tt.in, err)
			}
			if got.Text != tt.text {
				t.Errorf("text = %q, want %q", got.Text, tt.text)
			}
			if len(got.Entities) != len(tt.entities) {
				t.Fatalf("entities = %+v, want %+v", got.Entities, tt.entities)
			}
			for i := range got.Entities {
				if got.Entities[i] != tt.entities[i] {
					t.Errorf("entity %d = %+v, want %+v", i, got.Entities[i], tt.entities[i])
				}
			}
		})
	}
}

func TestParseHTMLRejects(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"bare ampersand", "a & b", "unescaped '&'"},
		{"bare less-than", "a < b", "unescaped '<'"},
		{"bare greater-than", "a > b", "unescaped '>'"},
		{"unknown named entity", "&nbsp;", "unsupported HTML entity"},
		{"zero entity", "&#0;", "invalid numeric entity"},
		{"surrogate entity", "&#xD800;", "invalid numeric entity"},
		{"unsupported tag", "<p>x</p>", `unsupported start tag "p"`},
		{"br", "a<br/>b", "unexpected"},
		{"unclosed", "<b>x", "can't find end tag"},
		{"crossed", "<b><i>x</b></i>", "unmatched end tag"},
		{"stray end", "x</b>", "unmatched end tag"},
		{"javascript link", `<a href="javascript:alert(1)">x</a>`, "scheme"},
		{"link without href", `<a>x</a>`, "needs an href"},
		{"link in link", `<a href="https://a.example"><a href="https://b.example">x</a></a>`, "can't contain each other"},
		{"bold in code", "<code><b>x</b></code>", "pre and code contain no other entities"},
		{"nested quotes", "<blockquote><blockquote>x</blockquote></blockquote>", "can't be nested"},
		{"unknown attribute", `<b class="x">y</b>`, "unsupported attribute"},
		{"span without spoiler", `<span>x</span>`, "tg-spoiler"},
		{"bad time format", `<tg-time unix="1" format="x">t</tg-time>`, "does not match"},
		{"language outside pre", `<code class="language-go">x</code>`, "only allowed"},
		{"unclosed attribute", `<a href="https://x.example>x</a>`, "unclosed"},
		{"invalid UTF-8", "a\xffb", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHTML(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseHTML(%q) = %v, want an error containing %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestCheckMessageTextLength(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		wantErr string
	}{
		{"at the limit", strings.Repeat("a", MaxMessageLength), ""},
		{"markup is free", "<b>" + strings.Repeat("a", MaxMessageLength) + "</b>", ""},
		{"entities count once", strings.Repeat("&amp;", MaxMessageLength), ""},
		{"over the limit", strings.Repeat("a", MaxMessageLength+1), "too long"},
		{"astral characters count twice", strings.Repeat("😀", MaxMessageLength/2+1), "too long"},
		{"empty", "<b></b>", "empty"},
		{"blank", "  \n ", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckMessageText(tt.text, "HTML")
			if tt.wantErr == "" && err != nil {
				t.Errorf("CheckMessageText: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("CheckMessageText = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

// FuzzParseHTML: the parser never panics, and what it accepts has entities
// inside its text and, escaped back, parses to the same text.
func FuzzParseHTML(f *testing.F) {
	for _, s := range []string{"<b>x</b>", "&lt;&#65;", `<a href="https://x.example">y</a>`, "<pre><code>z</code></pre>", "<b", "&", "😀<i>é</i>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseHTML(s)
		if err != nil {
			return
		}
		if !utf8.ValidString(p.Text) {
			t.Fatalf("text of %q is not UTF-8", s)
		}
		n := p.Length()
		for _, e := range p.Entities {
			if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
				t.Fatalf("entity %+v outside text of length %d (input %q)", e, n, s)
			}
		}
		escaped := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(p.Text)
		again, err := ParseHTML(escaped)
		if err != nil || again.Text != p.Text {
			t.Fatalf("escaped text %q does not parse back: %v", escaped, err)
		}
	})
}
