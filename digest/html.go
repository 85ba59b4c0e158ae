package digest

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text turns HTML or plain text into one line of plain text: tags removed
// (with the contents of script and style elements), entities decoded,
// whitespace collapsed to single spaces, invalid UTF-8 replaced by U+FFFD.
func Text(s string) string {
	return strings.Join(paragraphs(s), " ")
}

// paragraphs turns HTML or plain text into its paragraphs of plain text.
// Block-level tags (p, br, div, li, h1…h6, …) and blank lines separate
// paragraphs; inside a paragraph whitespace is collapsed.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(stripTags(s), "\n\n") {
		if strings.IndexByte(p, '&') >= 0 {
			p = html.UnescapeString(p)
		}
		if p = collapseSpace(strings.ToValidUTF8(p, "\uFFFD")); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// collapseSpace trims s, turns every run of white space into one space and
// drops control characters; it returns s itself when there is nothing to do.
func collapseSpace(s string) string {
	clean := true
	space := true // at the start, spaces are dropped
	for i := 0; i < len(s); {
		if c := s[i]; ' ' < c && c < 0x7f { // printable ASCII, not a space
			space = false
			i++
			continue
		}
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		// unicode.IsSpace, without a call for printable ASCII.
		isSpace := r == ' ' || (r < 0x20 || r >= utf8.RuneSelf) && unicode.IsSpace(r)
		if isSpace && (space || r != ' ') || r < 0x20 || r == 0x7f {
			clean = false
			break
		}
		space = isSpace
	}
	if clean && !space {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			pending = b.Len() > 0
		case r < 0x20 || r == 0x7f:
		default:
			if pending {
				b.WriteByte(' ')
				pending = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// stripTags removes markup from s. Block-level tags become "\n\n"; other
// tags become a space. A '<' that does not start a tag is kept as text.
// Line breaks in the input are kept so blank lines still separate paragraphs.
func stripTags(s string) string {
	if !strings.ContainsRune(s, '<') {
		return normalizeBreaks(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '<' || !startsTag(s[i+1:]) { // text up to the next '<'
			j := strings.IndexByte(s[i+1:], '<')
			if j < 0 {
				j = len(s)
			} else {
				j += i + 1
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		name, end := scanTag(s, i)
		switch {
		case name == "script" || name == "style":
			i = skipElement(s, end, name)
			b.WriteByte(' ')
			continue
		case blockTags[name]:
			b.WriteString("\n\n")
		default:
			b.WriteByte(' ')
		}
		i = end
	}
	return normalizeBreaks(b.String())
}

// normalizeBreaks turns CR LF and CR into LF, and any run of lines that
// contains a blank line into exactly "\n\n".
func normalizeBreaks(s string) string {
	if normalBreaks(s) {
		return s
	}
	return rebuildBreaks(s)
}

// rebuildBreaks is normalizeBreaks without the fast path.
func rebuildBreaks(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	var b strings.Builder
	blank := false
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank = true
			continue
		}
		if i > 0 {
			if blank {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		blank = false
		b.WriteString(l)
	}
	return b.String()
}

// normalBreaks reports whether normalizeBreaks would return s unchanged:
// s is lines that are not blank, separated by exactly one empty line each.
// It is how most plain-text article bodies come.
func normalBreaks(s string) bool {
	if strings.IndexByte(s, '\r') >= 0 {
		return false
	}
	for {
		i := strings.Index(s, "\n\n")
		line := s
		if i >= 0 {
			line = s[:i]
		}
		if strings.IndexByte(line, '\n') >= 0 || strings.TrimSpace(line) == "" {
			return false
		}
		if i < 0 {
			return true
		}
		s = s[i+2:]
	}
}

// startsTag reports whether the text after a '<' looks like markup: a tag
// name, a closing tag, a comment or a declaration.
func startsTag(rest string) bool {
	if rest == "" {
		return false
	}
	c := rest[0]
	return c == '/' || c == '!' || c == '?' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// scanTag returns the lower-case name of the tag starting at s[i] == '<'
// and the index just after it. Comments and quoted attribute values are
// skipped whole; an unterminated tag runs to the end of s.
func scanTag(s string, i int) (name string, end int) {
	if strings.HasPrefix(s[i:], "<!--") {
		if j := strings.Index(s[i+4:], "-->"); j >= 0 {
			return "", i + 4 + j + 3
		}
		return "", len(s)
	}
	j := i + 1
	if j < len(s) && s[j] == '/' {
		j++
	}
	k := j
	for k < len(s) && isNameByte(s[k]) {
		k++
	}
	name = strings.ToLower(s[j:k])
	var quote byte
	for ; k < len(s); k++ {
		switch c := s[k]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return name, k + 1
		}
	}
	return name, len(s)
}

func isNameByte(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || c == '-' || c == ':'
}

// skipElement returns the index after the closing tag of a script or style
// element whose start tag ends at i, or len(s) if it is never closed.
func skipElement(s string, i int, name string) int {
	lower := strings.ToLower(s[i:])
	if j := strings.Index(lower, "</"+name); j >= 0 {
		_, end := scanTag(s, i+j)
		return end
	}
	return len(s)
}

var blockTags = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true, "td": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true,
	"section": true, "article": true, "header": true, "footer": true, "figure": true, "figcaption": true,
	"table": true, "hr": true, "pre": true, "dd": true, "dt": true, "aside": true,
}
