package digest

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// token is one word or number of a text, as written and lower-cased.
type token struct { // the fields in an order that leaves no padding but at the end
	text    string // as written
	lower   string // lower-cased; numbers without thousands separators
	num     string // the digits of a number or number word, else ""
	term    uint64 // wordTerm of its stem; 0 for numbers, stop words and one-letter words
	hash    uint64 // of its lower-case form, for shingles
	data    *wordData
	at      int32 // byte offset in its text
	initial bool  // first word of a sentence or paragraph
	number  bool  // digits, or a number spelled in words
	next    bool  // the next token follows after a single space
	class   uint8 // classStop and classCalendar bits
}

// soundKey returns soundKey of the token's lower-case form, worked out once
// per word.
func (t token) soundKey() string {
	if t.data == nil {
		return soundKey(t.lower)
	}
	if !t.data.keyDone {
		t.data.key, t.data.keyDone = soundKey(t.lower), true
	}
	return t.data.key
}

// Word classes, looked up once per token.
const (
	classStop     = 1 << iota // a stop word
	classCalendar             // a day or month name
)

// wordInfo is what the tokenizer knows of a common word.
type wordInfo struct {
	class uint8
	num   string // for number words, their digits
}

// words holds the stop words, calendar words and number words, so one
// lookup tells a token's class and number.
var words = func() map[string]wordInfo {
	m := map[string]wordInfo{}
	for w := range stopwords {
		i := m[w]
		i.class |= classStop
		m[w] = i
	}
	for w := range calendarWords {
		i := m[w]
		i.class |= classCalendar
		m[w] = i
	}
	for w, n := range numberWords {
		i := m[w]
		i.num = n
		m[w] = i
	}
	return m
}()

// maxCommonWord is the length in bytes of the longest word in words.
var maxCommonWord = func() int {
	n := 0
	for w := range words {
		n = max(n, len(w))
	}
	return n
}()

// wordData is what the tokenizer works out about a word as written.
type wordData struct {
	lower    string
	class    uint8
	num      string
	term     uint64
	hash     uint64
	key      string // soundKey(lower), once keyDone
	keyDone  bool
	hits     []lexHit // terms of the cache's lexicons whose first word this is, once hitsDone
	hitsDone bool
}

// lexHit is a term of a lexicon registered with a word cache.
type lexHit struct {
	slot uint8 // the lexicon's place in wordCache.lexicons
	term int32
}

func newWordData(w string) *wordData {
	d := &wordData{lower: lower(w)}
	if len(d.lower) <= maxCommonWord {
		info := words[d.lower]
		d.class, d.num = info.class, info.num
	}
	if d.class&classStop == 0 && d.num == "" && utf8.RuneCountInString(d.lower) >= 2 {
		d.term = wordTerm(stem(d.lower))
	}
	d.hash = termHash('s', d.lower)
	return d
}

// wordCache keeps the wordData of words as written. Words repeat from one
// article to the next, so an engine looks most of them up instead of
// lower-casing, stemming and hashing them again. The cache is emptied when
// it reaches maxCachedWords; what it holds never changes a result.
type wordCache struct {
	m        map[string]*wordData
	lexicons []*lexicon // whose first-word matches are kept per word
}

// register has c keep, for each word, the terms of lx whose first word it
// matches. At most 255 lexicons.
func (c *wordCache) register(lx *lexicon) {
	if c.slot(lx) < 0 && len(c.lexicons) < 255 {
		c.lexicons = append(c.lexicons, lx)
	}
}

// slot returns lx's place among c's lexicons, or -1.
func (c *wordCache) slot(lx *lexicon) int {
	if c == nil {
		return -1
	}
	for i, l := range c.lexicons {
		if l == lx {
			return i
		}
	}
	return -1
}

// hits returns the terms of c's lexicons whose first word d is.
func (c *wordCache) hits(d *wordData) []lexHit {
	if !d.hitsDone {
		for i, lx := range c.lexicons {
			lx.firstWordTerms(d.lower, func(t int32) { d.hits = append(d.hits, lexHit{uint8(i), t}) })
		}
		d.hitsDone = true
	}
	return d.hits
}

const maxCachedWords = 1 << 16

func (c *wordCache) get(w string) *wordData {
	if c == nil {
		return newWordData(w)
	}
	if d, ok := c.m[w]; ok {
		return d
	}
	if c.m == nil || len(c.m) >= maxCachedWords {
		c.m = make(map[string]*wordData, 1024)
	}
	d := newWordData(strings.Clone(w)) // the key must not pin the article's text
	c.m[d.lower] = d
	if d.lower != w {
		c.m[strings.Clone(w)] = d
	}
	return d
}

func (t token) stop() bool     { return t.class&classStop != 0 }
func (t token) calendar() bool { return t.class&classCalendar != 0 }

// tokenize splits plain text into words and numbers. Letters and digits
// form separate tokens ("F-16" → "F", "16"; "€340m" → "340", "m"), a number
// keeps its inner separators ("1,200" → "1200", "9.5"), and apostrophes stay
// inside words ("Kyiv's", "обов'язкову").
func tokenize(text string) []token {
	return tokenizeAppend(make([]token, 0, len(text)/6+1), text, nil)
}

// tokenBuffers hold the tokens of texts while they are worked on.
var tokenBuffers = sync.Pool{New: func() any { return new([]token) }}

// withTokens calls use with the tokens of text, made with cache (which may
// be nil) in a buffer that is reused once use returns.
func withTokens(text string, cache *wordCache, use func([]token)) {
	buf := tokenBuffers.Get().(*[]token)
	*buf = tokenizeAppend((*buf)[:0], text, cache)
	use(*buf)
	clear(*buf)
	tokenBuffers.Put(buf)
}

// tokenizeAppend appends the tokens of text to dst (see tokenize), using
// cache for what it knows of words; cache may be nil.
func tokenizeAppend(dst []token, text string, cache *wordCache) []token {
	out := dst
	from := len(dst)
	initial := true
	numbers := false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case isLetter(r):
			j := scanWord(text, i)
			w := text[i:j]
			wd := cache.get(w)
			numbers = numbers || wd.num != ""
			out = append(out, token{text: w, lower: wd.lower, at: int32(i), initial: initial, next: spaceThenWord(text, j),
				class: wd.class, num: wd.num, term: wd.term, hash: wd.hash, data: wd})
			initial = false
			i = j
		case '0' <= r && r <= '9': // other scripts' digits are not numbers here
			j, n := scanNumber(text, i)
			out = append(out, token{text: text[i:j], lower: n, num: n, at: int32(i), initial: initial, number: true, next: spaceThenWord(text, j), hash: termHash('s', n)})
			initial = false
			i = j
		default:
			if r == '.' || r == '!' || r == '?' {
				initial = true
			}
			i += size
		}
	}
	if !numbers {
		return out
	}
	return append(out[:from], joinNumberWords(out[from:])...)
}

// isLetter is unicode.IsLetter with a fast path for ASCII.
func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return uint32(r|0x20)-'a' < 26 // r|0x20 lower-cases an ASCII letter
	}
	return isLetterRune(r)
}

// isLetterRune is unicode.IsLetter, out of line so that isLetter inlines.
//
//go:noinline
func isLetterRune(r rune) bool { return unicode.IsLetter(r) }

// lower is strings.ToLower with a fast path for lower-case ASCII words,
// which it returns without allocating.
func lower(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return strings.ToLower(w)
		}
	}
	return w
}

// spaceThenWord reports whether text[j:] is one space and a letter or digit.
func spaceThenWord(text string, j int) bool {
	if j+1 >= len(text) || text[j] != ' ' {
		return false
	}
	if c := text[j+1]; c < utf8.RuneSelf {
		return isLetter(rune(c)) || '0' <= c && c <= '9'
	}
	r, _ := utf8.DecodeRuneInString(text[j+1:])
	return isLetter(r) || '0' <= r && r <= '9'
}

// numberWordValues are the English number words that combine into numbers.
var numberWordValues = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
	"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// joinNumberWords turns spelled-out numbers of several words into one
// number token: "one hundred and twenty" and "a hundred and twenty" → 120.
func joinNumberWords(toks []token) []token {
	out := toks[:0]
	for i := 0; i < len(toks); {
		v, n := 0, 0
		if toks[i].num != "" && !toks[i].number || toks[i].lower == "a" {
			v, n = spelledNumber(toks[i:])
		}
		if n < 2 {
			out = append(out, toks[i])
			i++
			continue
		}
		digits := strconv.Itoa(v)
		out = append(out, token{text: toks[i].text, lower: digits, num: digits, at: toks[i].at, initial: toks[i].initial, number: true,
			next: toks[i+n-1].next, hash: termHash('s', digits)})
		i += n
	}
	return out
}

// spelledNumber reads a number of two or more words at the start of toks
// and returns its value and how many tokens it took (0 if none).
func spelledNumber(toks []token) (value, n int) {
	total, cur, used := 0, 0, 0
	for i, t := range toks {
		w := t.lower
		switch {
		case w == "a" && i == 0 && len(toks) > 1 && (toks[1].lower == "hundred" || toks[1].lower == "thousand"):
			cur = 1
		case w == "and" && i > 0 && (toks[i-1].lower == "hundred" || toks[i-1].lower == "thousand") &&
			i+1 < len(toks) && numberWordValues[toks[i+1].lower] > 0:
		case numberWordValues[w] > 0:
			cur += numberWordValues[w]
		case w == "hundred" && used > 0:
			cur = max(cur, 1) * 100
		case w == "thousand" && used > 0:
			total += max(cur, 1) * 1000
			cur = 0
		default:
			if used < 2 || (toks[used-1].lower == "and") {
				return 0, 0
			}
			return total + cur, used
		}
		used = i + 1
	}
	if used < 2 {
		return 0, 0
	}
	return total + cur, used
}

// scanWord returns the end of the word starting at i: letters and marks,
// with an apostrophe between letters kept inside. Hyphens split words, so
// "five-hour" meets "five hours".
func scanWord(text string, i int) int {
	j := i
	for j < len(text) {
		if c := text[j]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			j++ // the common case, without decoding
			continue
		}
		r, size := rune(text[j]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[j:])
		}
		if isLetter(r) || r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r) {
			j += size
			continue
		}
		if r == '\'' || r == '’' {
			if k := j + size; k < len(text) {
				if next, _ := utf8.DecodeRuneInString(text[k:]); isLetter(next) {
					j = k
					continue
				}
			}
		}
		break
	}
	return j
}

// scanNumber returns the end of the number starting at i and its normal
// form: digits, with "," or "." between digits kept only as a decimal point.
func scanNumber(text string, i int) (int, string) {
	j := i
	for j < len(text) && isDigit(text[j]) {
		j++
	}
	if j == len(text) || text[j] != ',' && text[j] != '.' || j+1 == len(text) || !isDigit(text[j+1]) {
		return j, text[i:j] // digits only: the number as written
	}
	var b strings.Builder
	j = i
	for j < len(text) {
		c := text[j]
		if isDigit(c) {
			b.WriteByte(c)
			j++
			continue
		}
		if (c == ',' || c == '.') && j+1 < len(text) && isDigit(text[j+1]) {
			// 1,200 is a thousands separator; 9.5 and 1.9 are decimals.
			if c == '.' || !(j+3 < len(text) && isDigit(text[j+2]) && isDigit(text[j+3]) && (j+4 >= len(text) || !isDigit(text[j+4]))) {
				b.WriteByte('.')
			}
			j++
			continue
		}
		break
	}
	return j, b.String()
}

// isCapitalized reports whether a written word starts with an upper-case letter.
func isCapitalized(w string) bool {
	if w != "" && w[0] < utf8.RuneSelf {
		return w[0]-'A' < 26
	}
	return startsUpper(w)
}

// startsUpper is isCapitalized for any first letter, out of line so that
// isCapitalized inlines.
//
//go:noinline
func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// isAcronym reports whether a written word is two or more letters, all upper case.
func isAcronym(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2
}

// titleCased reports whether most longer words of a title are capitalized,
// as in "Russian Drones Strike Odesa Port": then its capitals say nothing.
func titleCased(toks []token) bool {
	long, caps := 0, 0
	for _, t := range toks {
		if t.number || utf8.RuneCountInString(t.text) <= 3 {
			continue
		}
		long++
		if isCapitalized(t.text) {
			caps++
		}
	}
	return long >= 3 && caps*10 >= long*7
}
