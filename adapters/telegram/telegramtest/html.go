package telegramtest

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxMessageLength is the most UTF-16 code units a message's text may have
// after entity parsing (sendMessage, editMessageText).
const MaxMessageLength = 4096

// Entity is one formatting entity of parsed text, as Telegram reports it:
// offset and length in UTF-16 code units.
type Entity struct {
	Type   string `json:"type"` // bold, italic, text_link, code, pre, blockquote, date_time, bot_command, …
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	URL    string `json:"url,omitempty"` // text_link
}

// ParsedText is HTML after entity parsing: the text a user sees and its entities.
type ParsedText struct {
	Text     string
	Entities []Entity
}

// Length is the text's length as Telegram counts it: UTF-16 code units.
func (p ParsedText) Length() int { return UTF16Len(p.Text) }

// UTF16Len counts s in UTF-16 code units.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Tags as the Bot API's HTML style knows them, by class.
var (
	formatTags = map[string]string{"b": "bold", "strong": "bold", "i": "italic", "em": "italic",
		"u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
		"span": "spoiler", "tg-spoiler": "spoiler"}
	otherTags = map[string]string{"a": "text_link", "code": "code", "pre": "pre", "tg-emoji": "custom_emoji", "tg-time": "date_time"}
)

var (
	dateFormatRE = regexp.MustCompile(`^(r|w?[dD]?[tT]?)$`)
	digitsRE     = regexp.MustCompile(`^[0-9]+$`)
	languageRE   = regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]+$`)
)

// ParseHTML parses text in the Bot API's HTML style
// (https://core.telegram.org/bots/api#html-style) the way Telegram does, but
// strictly: only the supported tags and attributes, balanced and nested as
// entities may nest, every '<', '>' and '&' of the text escaped, only the
// named entities &lt; &gt; &amp; &quot; and numeric ones, links with http,
// https, tg or mailto targets, valid UTF-8.
func ParseHTML(s string) (ParsedText, error) {
	if !utf8.ValidString(s) {
		return ParsedText{}, fmt.Errorf("text must be encoded in UTF-8")
	}
	p := htmlParser{s: s}
	if err := p.run(); err != nil {
		return ParsedText{}, fmt.Errorf("can't parse entities: %w", err)
	}
	// Entities are in the order they opened: by offset, outer first. Empty
	// ones are dropped, as Telegram does.
	p.entities = slices.DeleteFunc(p.entities, func(e Entity) bool { return e.Length == 0 })
	return ParsedText{Text: p.text.String(), Entities: p.entities}, nil
}

type openTag struct {
	name   string
	offset int
	entity int // index in entities
}

type htmlParser struct {
	s        string
	i        int
	text     strings.Builder
	n        int // UTF-16 length of text
	stack    []openTag
	entities []Entity
}

func (p *htmlParser) run() error {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; c {
		case '<':
			if err := p.tag(); err != nil {
				return err
			}
		case '>':
			return fmt.Errorf("unescaped '>' at byte offset %d", p.i)
		case '&':
			r, err := p.entity()
			if err != nil {
				return err
			}
			p.emit(string(r))
		default:
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			p.i += size
			p.emit(string(r))
		}
	}
	if len(p.stack) > 0 {
		return fmt.Errorf("can't find end tag corresponding to start tag %q", p.stack[len(p.stack)-1].name)
	}
	return nil
}

func (p *htmlParser) emit(s string) {
	p.text.WriteString(s)
	p.n += UTF16Len(s)
}

// entity decodes the character reference at p.i.
func (p *htmlParser) entity() (rune, error) {
	start := p.i
	end := strings.IndexByte(p.s[start:], ';')
	if end < 0 || end > 12 {
		return 0, fmt.Errorf("unescaped '&' at byte offset %d", start)
	}
	ref := p.s[start+1 : start+end]
	p.i = start + end + 1
	switch ref {
	case "lt":
		return '<', nil
	case "gt":
		return '>', nil
	case "amp":
		return '&', nil
	case "quot":
		return '"', nil
	}
	num, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return 0, fmt.Errorf("unsupported HTML entity &%s; at byte offset %d", ref, start)
	}
	base := 10
	if h, ok := strings.CutPrefix(strings.ToLower(num), "x"); ok {
		num, base = h, 16
	}
	v, err := strconv.ParseUint(num, base, 32)
	if err != nil || v == 0 || v > utf8.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return 0, fmt.Errorf("invalid numeric entity &%s; at byte offset %d", ref, start)
	}
	return rune(v), nil
}

// tag reads a start or end tag at p.i.
func (p *htmlParser) tag() error {
	start := p.i
	p.i++
	closing := p.i < len(p.s) && p.s[p.i] == '/'
	if closing {
		p.i++
	}
	name := strings.ToLower(p.word())
	if name == "" {
		return fmt.Errorf("unescaped '<' at byte offset %d", start)
	}
	attrs, err := p.attributes()
	if err != nil {
		return fmt.Errorf("tag %q at byte offset %d: %w", name, start, err)
	}
	if closing {
		return p.close(name, len(attrs) > 0, start)
	}
	return p.open(name, attrs, start)
}

// word reads a tag or attribute name.
func (p *htmlParser) word() string {
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			break
		}
		p.i++
	}
	return p.s[start:p.i]
}

// attributes reads attributes up to and including the tag's '>'.
func (p *htmlParser) attributes() (map[string]string, error) {
	attrs := map[string]string{}
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, fmt.Errorf("unclosed tag")
		}
		if p.s[p.i] == '>' {
			p.i++
			return attrs, nil
		}
		name := strings.ToLower(p.word())
		if name == "" {
			return nil, fmt.Errorf("unexpected %q", p.s[p.i])
		}
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == '=' {
			p.i++
			p.skipSpace()
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			attrs[name] = v
			continue
		}
		attrs[name] = ""
	}
}

func (p *htmlParser) skipSpace() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// value reads an attribute value, quoted or not, decoding entities.
func (p *htmlParser) value() (string, error) {
	if p.i >= len(p.s) {
		return "", fmt.Errorf("unclosed tag")
	}
	quote := p.s[p.i]
	if quote != '"' && quote != '\'' {
		quote = 0
	} else {
		p.i++
	}
	var v strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case quote != 0 && c == quote:
			p.i++
			return v.String(), nil
		case quote == 0 && (c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			return v.String(), nil
		case c == '&':
			r, err := p.entity()
			if err != nil {
				return "", err
			}
			v.WriteRune(r)
		case quote == 0 && (c == '"' || c == '\'' || c == '<' || c == '='):
			return "", fmt.Errorf("unexpected %q in an unquoted attribute value", c)
		default:
			v.WriteByte(c)
			p.i++
		}
	}
	return "", fmt.Errorf("unclosed attribute value")
}

func (p *htmlParser) open(name string, attrs map[string]string, at int) error {
	entity, url, err := checkTag(name, attrs, p.parent())
	if err != nil {
		return fmt.Errorf("%w at byte offset %d", err, at)
	}
	if err := p.checkNesting(name); err != nil {
		return fmt.Errorf("%w at byte offset %d", err, at)
	}
	p.stack = append(p.stack, openTag{name: name, offset: p.n, entity: len(p.entities)})
	p.entities = append(p.entities, Entity{Type: entity, Offset: p.n, URL: url})
	return nil
}

func (p *htmlParser) parent() string {
	if len(p.stack) == 0 {
		return ""
	}
	return p.stack[len(p.stack)-1].name
}

func (p *htmlParser) close(name string, hasAttrs bool, at int) error {
	if hasAttrs {
		return fmt.Errorf("end tag %q has attributes at byte offset %d", name, at)
	}
	if len(p.stack) == 0 || p.parent() != name {
		return fmt.Errorf("unmatched end tag %q at byte offset %d, expected %q", name, at, p.parent())
	}
	t := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	p.entities[t.entity].Length = p.n - t.offset
	return nil
}

// checkTag checks a start tag's name and attributes and returns its entity type.
func checkTag(name string, attrs map[string]string, parent string) (entity, url string, err error) {
	allowed := map[string]bool{}
	switch name {
	case "span":
		if attrs["class"] != "tg-spoiler" {
			return "", "", fmt.Errorf(`<span> needs class="tg-spoiler"`)
		}
		allowed["class"] = true
	case "a":
		href, err := checkHref(attrs["href"])
		if err != nil {
			return "", "", err
		}
		allowed["href"], url = true, href
	case "tg-emoji":
		if !digitsRE.MatchString(attrs["emoji-id"]) {
			return "", "", fmt.Errorf("<tg-emoji> needs a numeric emoji-id")
		}
		allowed["emoji-id"] = true
	case "tg-time":
		if !digitsRE.MatchString(attrs["unix"]) {
			return "", "", fmt.Errorf("<tg-time> needs a numeric unix attribute")
		}
		if f, ok := attrs["format"]; ok && !dateFormatRE.MatchString(f) {
			return "", "", fmt.Errorf("<tg-time> format %q does not match r|w?[dD]?[tT]?", f)
		}
		allowed["unix"], allowed["format"] = true, true
	case "code":
		if c, ok := attrs["class"]; ok && (parent != "pre" || !languageRE.MatchString(c)) {
			return "", "", fmt.Errorf("<code class> is only allowed as language-X directly inside <pre>")
		}
		allowed["class"] = true
	case "blockquote":
		if v, ok := attrs["expandable"]; ok && v != "" {
			return "", "", fmt.Errorf("<blockquote expandable> takes no value")
		}
		allowed["expandable"] = true
		entity = "blockquote"
		if _, ok := attrs["expandable"]; ok {
			entity = "expandable_blockquote"
		}
	}
	for a := range attrs {
		if !allowed[a] {
			return "", "", fmt.Errorf("unsupported attribute %q of <%s>", a, name)
		}
	}
	if entity != "" {
		return entity, url, nil
	}
	if e, ok := formatTags[name]; ok {
		return e, url, nil
	}
	if e, ok := otherTags[name]; ok {
		return e, url, nil
	}
	return "", "", fmt.Errorf("unsupported start tag %q", name)
}

// checkHref accepts the link targets Telegram opens.
func checkHref(href string) (string, error) {
	if href == "" {
		return "", fmt.Errorf("<a> needs an href")
	}
	u, err := url.Parse(href)
	if err != nil {
		return "", fmt.Errorf("bad href %q: %v", clip(href), err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return "", fmt.Errorf("href %q has no host", clip(href))
		}
	case "tg", "mailto":
	default:
		return "", fmt.Errorf("href scheme %q is not allowed", u.Scheme)
	}
	return href, nil
}

// checkNesting applies the rules for nested entities
// (https://core.telegram.org/bots/api#formatting-options).
func (p *htmlParser) checkNesting(name string) error {
	for i, t := range p.stack {
		switch {
		case t.name == "pre" && name == "code" && i == len(p.stack)-1:
		case t.name == "pre" || t.name == "code":
			return fmt.Errorf("<%s> inside <%s>: pre and code contain no other entities", name, t.name)
		case name == "blockquote" && t.name == "blockquote":
			return fmt.Errorf("blockquotes can't be nested")
		case otherTags[t.name] != "" && (otherTags[name] != "" || name == "blockquote"):
			return fmt.Errorf("<%s> inside <%s>: these entities can't contain each other", name, t.name)
		}
	}
	return nil
}

// CheckMessageText checks a message's text as sendMessage and
// editMessageText do: parsed in parse mode (only "" and "HTML" are known
// here), 1 to MaxMessageLength UTF-16 code units after parsing, not blank.
func CheckMessageText(text, parseMode string) (ParsedText, error) {
	var parsed ParsedText
	switch parseMode {
	case "":
		if !utf8.ValidString(text) {
			return parsed, fmt.Errorf("text must be encoded in UTF-8")
		}
		parsed = ParsedText{Text: text}
	case "HTML":
		var err error
		if parsed, err = ParseHTML(text); err != nil {
			return parsed, err
		}
	default:
		return parsed, fmt.Errorf("unsupported parse_mode %q in this fake", parseMode)
	}
	if strings.TrimSpace(parsed.Text) == "" {
		return parsed, fmt.Errorf("message text is empty")
	}
	if n := parsed.Length(); n > MaxMessageLength {
		return parsed, fmt.Errorf("message is too long: %d UTF-16 code units after entity parsing, the limit is %d", n, MaxMessageLength)
	}
	return parsed, nil
}

// Links returns the targets of the text's links, in order.
func (p ParsedText) Links() []string {
	var out []string
	for _, e := range p.Entities {
		if e.Type == "text_link" {
			out = append(out, e.URL)
		}
	}
	return out
}
