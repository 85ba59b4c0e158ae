package digest

import "strings"

// cyrillicLatin romanizes Ukrainian and Russian letters the way English-
// language outlets usually spell names (Kyiv, Zelensky, Kharkiv, Shahed).
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ye", 'ё': "yo",
	'ж': "zh", 'з': "z", 'и': "y", 'і': "i", 'ї': "yi", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh",
	'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya", '\'': "", '’': "",
}

// transliterate romanizes lower-case Cyrillic; other runes are kept.
func transliterate(s string) string {
	var b strings.Builder
	for _, r := range s {
		if l, ok := cyrillicLatin[r]; ok {
			b.WriteString(l)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// soundKey reduces a lower-case name, in Latin letters or Cyrillic, to the
// skeleton of its consonants, so that one name written by different
// romanizations and with different case endings meets: "Zelensky",
// "Зеленський" and "Зеленского" all give "zlns"; "Lysohirsk" and
// "Лисогорск" give "lsgr". Letters that romanizations disagree on are merged
// (g/h, w/v, c/k, ts/z), vowels and doubled letters dropped, and the result
// cut to maxKey consonants. It returns "" for words with fewer than three
// consonants: they are too short to identify anything.
func soundKey(w string) string {
	var buf [16]byte
	lat := buf[:0]
	for _, r := range w {
		if r < 0x80 {
			lat = append(lat, byte(r))
		} else if l, ok := cyrillicLatin[r]; ok {
			lat = append(lat, l...)
		}
		if len(lat) >= 12 {
			break // enough letters for maxKey consonants
		}
	}
	var key [maxKey]byte
	n := 0
	for i := 0; i < len(lat) && n < maxKey; i++ {
		c, skip := soundClass(lat, i)
		i += skip
		if c == 0 || n > 0 && key[n-1] == c {
			continue
		}
		key[n] = c
		n++
	}
	if n < 3 {
		return ""
	}
	return string(key[:n])
}

// soundClass returns the consonant class of the sound at lat[i] (0 for a
// vowel or anything else) and how many more letters the sound took: romanizations
// disagree on g/h, w/v, c/k, ts/z, so those are merged, and digraphs
// (sh, ch, zh, kh, ts, ph, ck, ks, shch) count as one sound.
func soundClass(lat []byte, i int) (byte, int) {
	next := func(k int) byte {
		if i+k < len(lat) {
			return lat[i+k]
		}
		return 0
	}
	c := lat[i]
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'j':
		return 0, 0
	case 's':
		switch {
		case next(1) == 'h' && next(2) == 'c' && next(3) == 'h':
			return 's', 3
		case next(1) == 'c' && next(2) == 'h':
			return 's', 2
		case next(1) == 'h':
			return 's', 1
		}
		return 's', 0
	case 't':
		switch {
		case next(1) == 's' && next(2) == 'c' && next(3) == 'h':
			return 'c', 3
		case next(1) == 'c' && next(2) == 'h':
			return 'c', 2
		case next(1) == 's', next(1) == 'z':
			return 'z', 1
		}
		return 't', 0
	case 'c':
		switch next(1) {
		case 'h':
			return 'c', 1
		case 'k':
			return 'k', 1
		}
		return 'k', 0
	case 'z':
		if next(1) == 'h' {
			return 'z', 1
		}
		return 'z', 0
	case 'k':
		switch next(1) {
		case 'h':
			return 'g', 1
		case 's':
			return 's', 1
		}
		return 'k', 0
	case 'p':
		if next(1) == 'h' {
			return 'f', 1
		}
		return 'p', 0
	case 'h':
		return 'g', 0
	case 'w':
		return 'v', 0
	case 'q':
		return 'k', 0
	case 'x':
		return 's', 0
	}
	if c < 'a' || c > 'z' {
		return 0, 0
	}
	return c, 0
}

const maxKey = 4
