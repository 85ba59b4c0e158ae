package discord

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// zwsp (zero-width space) is put after every '@' and '<' that came from a
// feed, so no mention (@everyone, @here, <@id>, <@&id>, <#id>, </cmd:id>)
// or custom emoji can form, whatever allowed_mentions says.
const zwsp = "\u200b"

// ellipsis ends a text that was cut short.
const ellipsis = "…"

// markdownSpecial are the characters Discord's markdown gives a meaning to:
// https://support.discord.com/hc/en-us/articles/210298617 (a backslash before
// any ASCII punctuation shows it as is).
const markdownSpecial = "\\*_~`|>#[]()-"

// escape makes feed text inert in Discord markdown, on one line, and
// returns at most max characters (runes, as Discord counts), ending with …
// when it was cut. Line breaks and tabs become spaces; control characters
// are dropped.
func escape(s string, max int) string { return encode(s, max, true) }

// plain is escape for text shown without markdown (embed footers): it
// only neutralizes mentions.
func plain(s string, max int) string { return encode(s, max, false) }

// encode writes s on one line with every '@' and '<' neutralized and, with
// markdown, every markdown character escaped. It returns at most max runes;
// a text that does not fit is cut after whole encodings (never inside an
// escape) and ends with an ellipsis.
func encode(s string, max int, markdown bool) string {
	if max <= 0 {
		return ""
	}
	var b strings.Builder
	n, fits := 0, 0       // fits: bytes of b that leave room for the ellipsis
	for _, r := range s { // an invalid byte comes as U+FFFD
		if r == '\r' || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			continue
		}
		before := b.Len()
		switch {
		case r == '\n' || r == '\t':
			b.WriteByte(' ')
		case r == '@' || r == '<':
			b.WriteRune(r)
			b.WriteString(zwsp)
		case markdown && strings.ContainsRune(markdownSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		n += utf8.RuneCountInString(b.String()[before:])
		if n <= max-1 {
			fits = b.Len()
		}
		if n > max {
			return b.String()[:fits] + ellipsis
		}
	}
	return b.String()
}

// clip returns the first n runes of s, cheaply, for text about to be
// formatted and then escaped within a smaller limit.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// runes counts characters as Discord does.
func runes(s string) int { return utf8.RuneCountInString(s) }

// maxLinkTarget bounds a link's URL; a longer one is shown as text only.
const maxLinkTarget = 512

// linkEscaper percent-encodes what could end a link target or form a mention.
var linkEscaper = strings.NewReplacer("(", "%28", ")", "%29", "@", "%40", "<", "%3C", ">", "%3E", " ", "%20",
	"*", "%2A", "_", "%5F", "~", "%7E", "|", "%7C", "`", "%60")

// linkTarget returns u fit for an embed URL or a markdown link target: an
// absolute http(s) URL without user info, with the characters that could
// end the link or form a mention percent-encoded; ok is false otherwise.
func linkTarget(raw string) (string, bool) {
	if len(raw) > maxLinkTarget {
		return "", false
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.User = nil
	s := linkEscaper.Replace(u.String())
	if runes(s) > maxLinkTarget {
		return "", false
	}
	return s, true
}

// link writes a markdown link with an escaped label, or the label alone
// when the URL cannot be a link.
func link(label, rawURL string, maxLabel int) string {
	text := escape(label, maxLabel)
	if target, ok := linkTarget(rawURL); ok {
		return "[" + text + "](" + target + ")"
	}
	return text
}
