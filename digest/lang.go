package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DetectLang guesses the ISO 639-1 language of plain text: "uk" or "ru" for
// Cyrillic text, told apart by the letters only one of them has (Ukrainian
// і ї є ґ, Russian ы э ъ ё) and by frequent words only one of them uses
// (Ukrainian що, як, або; Russian что, как, или); "en", "de", "fr", "es", "it" or "pl" for Latin
// text, by their most frequent short words. It returns "" when the text does
// not say (too short, or no distinct letters or words).
func DetectLang(text string) string {
	var latin, cyrillic, uk, ru int
	for _, r := range text {
		switch {
		case r < 0x80:
			if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
				latin++
			}
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
			switch unicode.ToLower(r) {
			case 'і', 'ї', 'є', 'ґ':
				uk++
			case 'ы', 'э', 'ъ', 'ё':
				ru++
			}
		case unicode.IsLetter(r) && unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	switch {
	case cyrillic > latin:
		wu, wr := cyrillicWords(text)
		uk, ru = uk+wu, ru+wr
		switch {
		case uk > ru:
			return "uk"
		case ru > uk:
			return "ru"
		}
		return ""
	case latin > 0:
		return latinLang(text)
	}
	return ""
}

// ukWords and ruWords are frequent words of one of the two languages only.
var ukWords, ruWords = wordSet("і й що це як або він вона вони був була було його її від та щоб також"),
	wordSet("и что это как или он она они был была было его ее от чтобы также")

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// cyrillicWords counts the frequent words of Ukrainian and of Russian in text.
func cyrillicWords(text string) (uk, ru int) {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) > 12 {
			continue
		}
		w = strings.ToLower(w)
		if ukWords[w] {
			uk++
		}
		if ruWords[w] {
			ru++
		}
	}
	return uk, ru
}

// latinStopwords are the most frequent short words of Latin-script languages.
var latinStopwords = map[string][]string{
	"en": {"the", "and", "of", "to", "in", "is", "was", "that", "for", "on", "with", "as", "by", "at", "from", "it", "has", "have", "said", "after", "its", "are", "were", "be", "will", "could"},
	"de": {"der", "die", "das", "und", "ist", "nicht", "mit", "von", "den", "dem", "sich", "auf", "für", "ein", "eine", "wird", "auch", "nach"},
	"fr": {"le", "la", "les", "des", "et", "est", "une", "du", "dans", "pour", "que", "qui", "sur", "pas", "au", "aux", "avec", "ont"},
	"es": {"el", "los", "las", "del", "que", "y", "en", "por", "una", "con", "para", "es", "se", "su", "al", "lo", "como"},
	"it": {"il", "di", "che", "della", "per", "non", "del", "gli", "una", "sono", "nel", "alla", "dei", "anche", "con", "è"},
	"pl": {"w", "na", "się", "nie", "z", "że", "do", "jest", "to", "przez", "od", "jak", "po", "oraz", "dla", "ale"},
}

var latinLangs = []string{"en", "de", "fr", "es", "it", "pl"}

// stopwordLangs maps each frequent word to the set of languages (bit i for
// latinLangs[i]) it is frequent in.
var stopwordLangs = func() map[string]uint8 {
	m := map[string]uint8{}
	for i, lang := range latinLangs {
		for _, w := range latinStopwords[lang] {
			m[w] |= 1 << i
		}
	}
	return m
}()

// maxStopword is the length in bytes of the longest word in stopwordLangs
// (at most 8): longer words need no lookup.
var maxStopword = func() int {
	n := 0
	for w := range stopwordLangs {
		n = max(n, len(w))
	}
	return min(n, 8)
}()

// letterAt returns the size of the character at text[i] and whether it is
// a letter.
func letterAt(text string, i int) (size int, letter bool) {
	if c := text[i]; c < utf8.RuneSelf {
		return 1, isLetter(rune(c))
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	return size, unicode.IsLetter(r)
}

// latinLang returns the Latin-script language whose frequent words occur
// most often in text, if it has at least two of them and leads clearly.
func latinLang(text string) string {
	var hits [8]int
	var buf [8]byte
	for i := 0; i < len(text); {
		if size, ok := letterAt(text, i); !ok {
			i += size
			continue
		}
		j := i
		for j < len(text) {
			if c := text[j]; c < utf8.RuneSelf && isLetter(rune(c)) {
				j++
				continue
			}
			size, ok := letterAt(text, j)
			if !ok {
				break
			}
			j += size
		}
		if w := text[i:j]; len(w) <= maxStopword {
			langs := stopwordLangs[string(lowerASCII(buf[:0], w))]
			for k := range latinLangs {
				if langs&(1<<k) != 0 {
					hits[k]++
				}
			}
		}
		i = j
	}
	best, second := 0, 0
	for k := range latinLangs {
		switch {
		case hits[k] > hits[best]:
			second, best = hits[best], k
		case k != best && hits[k] > second:
			second = hits[k]
		}
	}
	if hits[best] < 2 || hits[best] < 2*second {
		return ""
	}
	return latinLangs[best]
}

// lowerASCII appends w to buf with its ASCII letters lower-cased. Used as
// m[string(lowerASCII(…))], the conversion does not allocate.
func lowerASCII(buf []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// articleLang decides an article's language: what its text says, else what
// its feed declared ("en-US" counts as "en"), else "en" for Latin script
// and "ru" for Cyrillic without distinct letters.
func articleLang(text, declared string) string {
	if l := DetectLang(text); l != "" {
		return l
	}
	declared = strings.ToLower(strings.TrimSpace(declared))
	if i := strings.IndexAny(declared, "-_"); i > 0 {
		declared = declared[:i]
	}
	if declared != "" {
		return declared
	}
	for _, r := range text {
		if unicode.Is(unicode.Cyrillic, r) {
			return "ru"
		}
	}
	return "en"
}
