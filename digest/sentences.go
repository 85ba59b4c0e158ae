package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentences splits plain text into sentences: at '.', '!' or '?' (with any
// closing quotes or brackets) followed by a space and an upper-case letter,
// a digit or an opening quote. Abbreviations ("Mr.", "Dec.", "U.S."), single
// initials and decimal points do not end a sentence.
func Sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		end := i + 1
		for end < len(text) && strings.ContainsRune(`"')]»”’`, rune(text[end])) {
			end++
		}
		if end < len(text) && text[end] >= 0x80 {
			r, size := utf8.DecodeRuneInString(text[end:])
			if r == '»' || r == '”' || r == '’' {
				end += size
			}
		}
		if end >= len(text) || text[end] != ' ' || !startsSentence(text[end+1:]) {
			continue
		}
		if c == '.' && isAbbreviation(text[start:i]) {
			continue
		}
		if s := strings.TrimSpace(text[start:end]); s != "" {
			out = append(out, s)
		}
		start = end + 1
		i = end
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

func startsSentence(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune(`"'«“‘(`, r)
}

// abbreviations end in a period without ending a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "gen": true, "lt": true, "col": true,
	"maj": true, "capt": true, "sgt": true, "adm": true, "gov": true, "sen": true, "rep": true, "no": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "vs": true, "etc": true, "approx": true, "est": true,
	"inc": true, "ltd": true, "co": true, "corp": true, "jr": true, "sr": true, "prof": true, "pres": true,
	"fig": true, "vol": true, "ca": true, "p": true, "pp": true, "ст": true, "им": true, "тыс": true,
	"млн": true, "млрд": true, "тис": true, "ген": true, "ул": true, "вул": true, "г": true, "гг": true,
}

// isAbbreviation reports whether the text before a period ends in an
// abbreviation, an initial ("J.") or a dotted acronym ("U.S.").
func isAbbreviation(before string) bool {
	i := strings.LastIndexAny(before, " \t(\"'«“")
	w := before[i+1:]
	if w == "" {
		return false
	}
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r)
	}
	if strings.Contains(w, ".") { // U.S, e.g, a.m
		return true
	}
	return abbreviations[strings.ToLower(w)]
}

// stripDateline removes a wire dateline such as "BERLIN, Dec 14 (Atlantic
// Wire) - " or "WASHINGTON — " from the start of a lead paragraph.
func stripDateline(p string) string {
	head := p
	if len(head) > 80 {
		head = head[:80]
	}
	for _, dash := range []string{" - ", " — ", " – ", " -- "} {
		i := strings.Index(head, dash)
		if i <= 0 {
			continue
		}
		if isDateline(head[:i]) {
			return strings.TrimSpace(p[i+len(dash):])
		}
	}
	return p
}

// isDateline reports whether s looks like "CITY, Region, Mon 14 (Agency)":
// a place in capitals, then only capitalized words, numbers and a
// parenthesized credit.
func isDateline(s string) bool {
	if j := strings.IndexByte(s, '('); j >= 0 {
		if k := strings.IndexByte(s[j:], ')'); k >= 0 {
			s = s[:j] + s[j+k+1:]
		}
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '.' })
	if len(words) == 0 || !isAcronym(words[0]) || utf8.RuneCountInString(words[0]) < 3 {
		return false
	}
	for _, w := range words[1:] {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isByline reports whether a paragraph is a byline or credit line rather
// than news: "By Atlantic Wire Service", "Reporting by …; editing by …".
func isByline(p string) bool {
	head := p[:min(len(p), 24)]
	var buf [24]byte
	var l string
	if isASCII(head) { // the usual case, without allocating
		l = string(lowerASCII(buf[:0], head))
	} else {
		l = strings.ToLower(head)
	}
	if strings.HasPrefix(l, "by ") && len(strings.Fields(p)) <= 8 && !strings.ContainsAny(p, ".!?") {
		return true
	}
	for _, pre := range []string{"reporting by", "additional reporting", "editing by", "writing by", "compiled by", "(reporting", "photo:", "read more", "related:", "subscribe"} {
		if strings.HasPrefix(l, pre) {
			return true
		}
	}
	return false
}
