package feeds

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wlynxg/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// xmlEncodingRE finds the encoding of an XML declaration.
var xmlEncodingRE = regexp.MustCompile(`^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']`)

// feedToUTF8 returns a feed document as UTF-8 with its XML declaration (if
// any) saying so, and without the control characters XML forbids, which
// real feeds carry and which would fail the whole document. The encoding is
// taken from a byte order mark, else the layout of "<" in UTF-16/32, else
// the charset of contentType, else the XML declaration, else UTF-8, and is
// then corrected where the bytes prove it wrong (see fixEncoding).
func feedToUTF8(body []byte, contentType string) []byte {
	enc := sniffUnicode(body)
	if enc == nil {
		label := contentTypeCharset(contentType)
		if label == "" {
			if m := xmlEncodingRE.FindSubmatch(head(body, 512)); m != nil {
				label = string(m[1])
			}
		}
		enc = fixEncoding(body, label)
	}
	out := decode(body, enc)
	if loc := xmlEncodingRE.FindSubmatchIndex(head(out, 512)); loc != nil {
		out = append(append(append([]byte{}, out[:loc[2]]...), "utf-8"...), out[loc[3]:]...)
	}
	return dropXMLControls(out)
}

// pageToUTF8 returns an HTML page as UTF-8, its encoding taken as browsers
// do (byte order mark, Content-Type, <meta>) and then corrected where the
// bytes prove it wrong.
func pageToUTF8(body []byte, contentType string) []byte {
	if enc := sniffUnicode(body); enc != nil {
		return decode(body, enc)
	}
	_, label, certain := charset.DetermineEncoding(head(body, 1024), contentType)
	if !certain {
		label = ""
	}
	return decode(body, fixEncoding(body, label))
}

// sniffUnicode recognizes UTF-8, UTF-16 and UTF-32 by a byte order mark or by
// how "<" is laid out in the first bytes; nil when neither says.
func sniffUnicode(b []byte) encoding.Encoding {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8BOM
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}), bytes.HasPrefix(b, []byte{0, 0, 0, '<'}):
		return utf32.UTF32(utf32.BigEndian, utf32.UseBOM)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}), bytes.HasPrefix(b, []byte{'<', 0, 0, 0}):
		return utf32.UTF32(utf32.LittleEndian, utf32.UseBOM)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}), bytes.HasPrefix(b, []byte{0, '<'}):
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{'<', 0}):
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	}
	return nil
}

// fixEncoding returns the encoding to read body in, given the label it was
// declared with ("" for none; UTF-8 is the default), corrected against the
// bytes. Text declared in a legacy encoding that is valid UTF-8 with
// multi-byte sequences (or overwhelmingly so) is UTF-8: legacy text is almost
// never valid UTF-8 by chance. Text declared (or taken as) UTF-8 with more
// invalid bytes than valid multi-byte sequences is in a legacy encoding,
// guessed from its statistics; with fewer, it stays UTF-8 and the stray bytes
// become U+FFFD. nil means UTF-8.
func fixEncoding(body []byte, label string) encoding.Encoding {
	declared, name := lookup(label)
	multi, invalid := utf8Stats(body)
	legacy := declared != nil && !strings.HasPrefix(name, "utf-") && name != "replacement"
	switch {
	case invalid == 0 && (multi > 0 || !legacy):
		return nil
	case legacy && multi >= 8 && multi >= 4*invalid:
		return nil
	case legacy:
		return declared
	case multi >= invalid:
		return nil
	}
	return guessLegacy(body)
}

// guessLegacy names the legacy encoding the bytes are most likely in, or
// returns nil (UTF-8, with replacement characters) when unsure.
func guessLegacy(body []byte) encoding.Encoding {
	r := chardet.Detect(head(body, 256<<10))
	if r.Confidence < 0.3 {
		return nil
	}
	enc, name := lookup(r.Charset)
	if strings.HasPrefix(name, "utf-") {
		return nil
	}
	return enc
}

// utf8Stats counts the valid multi-byte sequences and the invalid bytes of b.
func utf8Stats(b []byte) (multi, invalid int) {
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			multi++
		}
		b = b[size:]
	}
	return multi, invalid
}

// decode converts b from enc (nil: UTF-8) to valid UTF-8.
func decode(b []byte, enc encoding.Encoding) []byte {
	if enc != nil {
		if out, err := enc.NewDecoder().Bytes(b); err == nil {
			b = out
		}
	}
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

// dropXMLControls removes the C0 control characters XML 1.0 does not allow.
func dropXMLControls(b []byte) []byte {
	if bytes.IndexFunc(b, isXMLControl) < 0 {
		return b
	}
	return bytes.Map(func(r rune) rune {
		if isXMLControl(r) {
			return -1
		}
		return r
	}, b)
}

func isXMLControl(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }

// contentTypeCharset returns the charset parameter of a Content-Type, or "".
func contentTypeCharset(ct string) string {
	if _, params, err := mime.ParseMediaType(ct); err == nil {
		return strings.Trim(params["charset"], `"' `)
	}
	return ""
}

// lookup returns the encoding a label names (WHATWG labels) and its
// canonical name; nil and "" when the label is empty or unknown.
func lookup(label string) (encoding.Encoding, string) {
	if label == "" {
		return nil, ""
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, ""
	}
	name, _ := htmlindex.Name(enc)
	return enc, name
}

func head(b []byte, n int) []byte { return b[:min(len(b), n)] }
