package telegram

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxMessage is the longest message text, in UTF-16 code units after entity
// parsing (https://core.telegram.org/bots/api#sendmessage).
const maxMessage = 4096

// fragment is a piece of a message in the Bot API's HTML style
// (https://core.telegram.org/bots/api#html-style) that knows the length of
// its visible text as Telegram counts it. Text goes in only through text and
// link, escaped; markup only through the tag helpers, so a fragment is
// always well formed.
type fragment struct {
	b strings.Builder
	n int // UTF-16 code units of visible text
}

func (f *fragment) String() string { return f.b.String() }

// text appends visible text, escaped.
func (f *fragment) text(s string) {
	f.b.WriteString(textEscaper.Replace(s))
	f.n += utf16Len(s)
}

// wrap appends s inside a formatting tag (b, i, code).
func (f *fragment) wrap(tag, s string) {
	f.b.WriteString("<" + tag + ">")
	f.text(s)
	f.b.WriteString("</" + tag + ">")
}

// link appends s linked to target, or plain s when target is not a link
// Telegram should open.
func (f *fragment) link(target, s string) {
	if !linkable(target) {
		f.text(s)
		return
	}
	f.b.WriteString(`<a href="` + attrEscaper.Replace(target) + `">`)
	f.text(s)
	f.b.WriteString("</a>")
}

// bold appends b(inner) where inner writes the content.
func (f *fragment) bold(inner func()) {
	f.b.WriteString("<b>")
	inner()
	f.b.WriteString("</b>")
}

// time appends a date_time entity: Telegram shows t in the reader's own
// time zone and format; fallback is what older apps show.
func (f *fragment) time(unix int64, format, fallback string) {
	f.b.WriteString(`<tg-time unix="` + strconv.FormatInt(unix, 10) + `" format="` + format + `">`)
	f.text(fallback)
	f.b.WriteString("</tg-time>")
}

// append adds another fragment.
func (f *fragment) append(g *fragment) {
	f.b.WriteString(g.b.String())
	f.n += g.n
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
)

// maxURL bounds a link target; longer ones are not linked.
const maxURL = 2048

// linkable reports whether target is an absolute http(s) URL worth linking.
func linkable(target string) bool {
	if target == "" || len(target) > maxURL || !utf8.ValidString(target) {
		return false
	}
	u, err := url.Parse(target)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// clean makes feed text safe to show on one line: valid UTF-8, no control
// characters, no bidirectional embedding or override (which would reorder
// the rest of the line), whitespace collapsed.
func clean(s string) string {
	return strings.Join(strings.Fields(strings.Map(dropControl, strings.ToValidUTF8(s, "\uFFFD"))), " ")
}

// cleanLines is clean for text of several lines: line breaks are kept.
func cleanLines(s string) []string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = clean(l)
	}
	return lines
}

func dropControl(r rune) rune {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return ' '
	case unicode.IsControl(r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return -1
	}
	return r
}

// truncate shortens s to at most max UTF-16 code units, at a word boundary
// when one is near, ending with "…".
func truncate(s string, max int) string {
	if utf16Len(s) <= max {
		return s
	}
	return strings.TrimRight(s[:cutPoint(s, max-1)], " ") + "…"
}

// splitWords splits s into pieces of at most max UTF-16 code units, at word
// boundaries when they are near.
func splitWords(s string, max int) []string {
	var out []string
	for utf16Len(s) > max {
		cut := cutPoint(s, max)
		out = append(out, strings.TrimRight(s[:cut], " "))
		s = strings.TrimLeft(s[cut:], " ")
	}
	return append(out, s)
}

// cutPoint returns the byte offset at which to cut s so that s[:cut] has at
// most max UTF-16 code units: after the last space when that space is in
// the last third, else after the last whole character that fits. It cuts
// after at least one character, so a caller's loop always advances.
func cutPoint(s string, max int) int {
	cut, lastSpace, n := 0, -1, 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if n+w > max && cut > 0 {
			break
		}
		n += w
		cut = i + utf8.RuneLen(r)
		if r == ' ' {
			lastSpace = i + 1
		}
	}
	if lastSpace > cut*2/3 && lastSpace < cut {
		cut = lastSpace
	}
	return cut
}

// pack joins blocks into as few messages as it can, in order, with sep
// between blocks of one message; a message never exceeds limit and a block
// is never split (every block must fit in limit). A message of empty blocks
// only is dropped.
func pack(blocks []*fragment, sep string, limit int) []string {
	var out []string
	var cur strings.Builder
	n, sepN, open, content := 0, utf16Len(sep), false, false
	flush := func() {
		if content {
			out = append(out, cur.String())
		}
		cur.Reset()
		n, open, content = 0, false, false
	}
	for _, b := range blocks {
		if open && n+sepN+b.n > limit {
			flush()
		}
		if open {
			cur.WriteString(sep)
			n += sepN
		}
		cur.WriteString(b.String())
		n += b.n
		open, content = true, content || b.n > 0
	}
	flush()
	return out
}
