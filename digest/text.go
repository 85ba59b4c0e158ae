package digest

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text turns HTML or plain text into plain text: tags removed, entities
// decoded, whitespace collapsed, invalid UTF-8 replaced.
func Text(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '<':
			inTag = true
			b.WriteByte(' ')
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// CleanTitle normalizes a title and strips an outlet suffix such as
// " - Kyiv Ledger" or " | Outlet".
func CleanTitle(s string) string {
	s = Text(s)
	for _, sep := range []string{" | ", " - ", " — "} {
		if i := strings.LastIndex(s, sep); i > 0 && len(s)-i <= 40 && len(strings.Fields(s[i:])) <= 4 {
			s = s[:i]
		}
	}
	return s
}

// Lead returns the leading sentences of text that fit in max characters,
// never cut inside a word.
func Lead(text string, max int) string {
	var out string
	for _, s := range Sentences(text) {
		next := strings.TrimSpace(out + " " + s)
		if utf8.RuneCountInString(next) > max {
			break
		}
		out = next
		if strings.Count(out, ". ") >= 1 {
			break
		}
	}
	if out == "" {
		out = truncateWords(text, max)
	}
	return out
}

// Sentences splits text into sentences at ., ! or ? followed by a space and a
// capital letter or digit.
func Sentences(text string) []string {
	var out []string
	start := 0
	rs := []rune(text)
	for i := 0; i < len(rs)-2; i++ {
		if (rs[i] == '.' || rs[i] == '!' || rs[i] == '?') && rs[i+1] == ' ' && (unicode.IsUpper(rs[i+2]) || unicode.IsDigit(rs[i+2])) {
			out = append(out, strings.TrimSpace(string(rs[start:i+1])))
			start = i + 2
		}
	}
	if rest := strings.TrimSpace(string(rs[start:])); rest != "" {
		out = append(out, rest)
	}
	return out
}

func truncateWords(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	rs := []rune(s)[:max-1]
	if i := strings.LastIndexByte(string(rs), ' '); i > 0 {
		return string(rs)[:i] + "…"
	}
	return string(rs) + "…"
}

var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and for with that this from have has had was were are its his her their
	they said says will would been after over into about than also which who what when where more most other
	some such only not but can could may might one two new on in at to of by as is it be or an a`) {
		stopwords[w] = true
	}
}

func termCounts(text string) map[string]int {
	out := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if utf8.RuneCountInString(w) < 3 || stopwords[w] {
			continue
		}
		out[w]++
	}
	return out
}
