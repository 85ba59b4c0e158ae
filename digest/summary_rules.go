package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// danglingStarts are first words that point back to something a summary
// would not contain.
var danglingStarts = map[string]bool{
	"he": true, "she": true, "it": true, "they": true, "this": true, "these": true, "that": true,
	"those": true, "his": true, "her": true, "its": true, "their": true, "such": true, "but": true,
	"however": true, "also": true, "and": true, "meanwhile": true, "still": true, "yet": true,
	"then": true, "there": true, "here": true, "him": true, "them": true, "we": true, "our": true,
	"i": true, "both": true, "instead": true, "nevertheless": true, "moreover": true, "besides": true,
	"additionally": true, "another": true, "so": true, "or": true, "thus": true, "hence": true,
	"він": true, "вона": true, "воно": true, "вони": true, "це": true, "цей": true, "ця": true,
	"ці": true, "його": true, "її": true, "їх": true, "але": true, "проте": true, "також": true,
	"он": true, "она": true, "оно": true, "они": true, "это": true, "этот": true, "эта": true,
	"эти": true, "его": true, "ее": true, "её": true, "их": true, "но": true, "однако": true, "также": true,
}

// standsAlone reports whether a sentence can open a summary: it starts with
// a capital, a digit or a quote, not with a word that points back; it ends
// like a statement; and its quotes are balanced.
func standsAlone(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !strings.ContainsRune(`"“«'‘`, r) {
		return false
	}
	first := s
	if i := strings.IndexByte(s, ' '); i > 0 {
		first = s[:i]
	}
	first = strings.ToLower(strings.TrimFunc(first, func(r rune) bool { return !unicode.IsLetter(r) }))
	if danglingStarts[first] {
		return false
	}
	end := strings.TrimRight(s, `"')]»”’`)
	if !strings.HasSuffix(end, ".") && !strings.HasSuffix(end, "!") {
		return false
	}
	if strings.Count(s, `"`)%2 != 0 || strings.Count(s, "“") != strings.Count(s, "”") || strings.Count(s, "«") != strings.Count(s, "»") {
		return false
	}
	return !shouting(s)
}

// shouting reports whether a sentence opens with several words in capitals
// ("WHAT HAPPENS NEXT? …"), as explainers' subheadings do.
func shouting(s string) bool {
	n := 0
	for range 3 { // the first three words, as strings.Fields splits them
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			break
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			end = len(s)
		}
		if isAcronym(strings.TrimFunc(s[:end], func(r rune) bool { return !unicode.IsLetter(r) })) {
			n++
		}
		s = s[end:]
	}
	return n >= 2
}
