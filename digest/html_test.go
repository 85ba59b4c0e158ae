package digest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Drones hit  Odesa\n port.", "Drones hit Odesa port."},
		{"tags", "<p>Drones <b>hit</b> Odesa.</p><p>Four hurt.</p>", "Drones hit Odesa. Four hurt."},
		{"entities", "Zelensky calls it &#8220;a compromise&#8221; &amp; more&nbsp;here", "Zelensky calls it “a compromise” & more here"},
		{"script and style", `<style>p{color:red}</style>News<script>alert("x")</script> today`, "News today"},
		{"comment", "a<!-- hidden <b> -->b", "a b"},
		{"attribute with >", `<a href="x?a>b" title='>'>link</a> text`, "link text"},
		{"less than is text", "3 < 4 and 5 > 2", "3 < 4 and 5 > 2"},
		{"unterminated tag", "text <a href=", "text"},
		{"invalid utf8", "ok \xff\xfe end", "ok \uFFFD end"},
		{"control chars", "a\x00b\x07c", "abc"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"blank lines", "One.\n\nTwo\nlines.\n\n\n  \nThree.", []string{"One.", "Two lines.", "Three."}},
		{"crlf", "One.\r\n\r\nTwo.", []string{"One.", "Two."}},
		{"block tags", "<p>One.</p><div>Two.</div>Three<br>Four", []string{"One.", "Two.", "Three", "Four"}},
		{"inline tags stay in paragraph", "<p>One <i>two</i> three.</p>", []string{"One two three."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := paragraphs(tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzText checks that normalization never panics and always returns valid
// UTF-8 without markup delimiters left from tags, for any input; and that
// titles and sentences built from it are valid too.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"<p>Drones <b>hit</b> Odesa.</p>", "&#8220;x&#8221; &amp;", "<script>x</script>y", "a<!--",
		"<", "<<a>>", "\xff\xfe", "Зеленський: Україна &mdash; НАТО", "BERLIN, Dec 14 (Wire) - Text.",
		"<a href=\"x>y\">z", "&#xD800;", "&#0;", "Mr. X said. Then U.S. talks! Why? 9.5 x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range append([]string{Text(s), CleanTitle(s), CanonicalURL(s)}, paragraphs(s)...) {
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 %q from %q", out, s)
			}
		}
		for _, p := range paragraphs(s) {
			if p == "" || strings.TrimSpace(p) != p {
				t.Fatalf("paragraph %q not trimmed or empty, from %q", p, s)
			}
			for _, sent := range Sentences(p) {
				if !utf8.ValidString(sent) || sent == "" {
					t.Fatalf("bad sentence %q from %q", sent, s)
				}
			}
			tokenize(p)
		}
		DetectLang(s)
	})
}

// TestNormalBreaks checks normalizeBreaks's fast path against the full
// rebuild on every string of up to seven characters from a small alphabet.
func TestNormalBreaks(t *testing.T) {
	alphabet := []byte{'a', ' ', '\n', '\r', '\t'}
	var walk func(s []byte)
	walk = func(s []byte) {
		if got, want := normalizeBreaks(string(s)), rebuildBreaks(string(s)); got != want {
			t.Fatalf("normalizeBreaks(%q) = %q, want %q", s, got, want)
		}
		if len(s) == 7 {
			return
		}
		for _, c := range alphabet {
			walk(append(s, c))
		}
	}
	walk(nil)
}
