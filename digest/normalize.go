package digest

import (
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// titleSeparators divide a title from an outlet's name appended to it.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " « ", " · "}

// CleanTitle normalizes a title (see Text) and strips an outlet suffix such
// as " | Kyiv Ledger". Without knowing the outlet it only strips suffixes
// after " | ", " :: ", " « " or " · " that are short (at most five words) and
// title-cased, since " - Defence Ministry" is as often an attribution as an
// outlet; the engine also strips any suffix that names the article's outlet.
func CleanTitle(s string) string {
	return cleanTitle(s, "", "")
}

// cleanTitle is CleanTitle knowing the article's outlet name and URL: a
// suffix after any separator is stripped when it names the outlet or the
// site's host.
func cleanTitle(s, source, rawURL string) string {
	s = Text(s)
	for range 2 { // "Title | Section | Outlet"
		i, sep := lastSeparator(s)
		if i <= 0 {
			break
		}
		suffix := s[i+len(sep):]
		if !namesOutlet(suffix, source, rawURL) && !(strongSeparator(sep) && looksLikeName(suffix)) {
			break
		}
		s = strings.TrimSpace(s[:i])
	}
	return s
}

func lastSeparator(s string) (int, string) {
	best, bestSep := -1, ""
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(s, sep); i > best {
			best, bestSep = i, sep
		}
	}
	return best, bestSep
}

func strongSeparator(sep string) bool {
	return sep == " | " || sep == " :: " || sep == " « " || sep == " · "
}

// looksLikeName reports whether s is short and title-cased, as outlet names are.
func looksLikeName(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 5 || utf8.RuneCountInString(s) > 40 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLower(r) && len(w) > 3 {
			return false
		}
	}
	return true
}

// namesOutlet reports whether suffix is the outlet's name or its site.
func namesOutlet(suffix, source, rawURL string) bool {
	k := squash(suffix)
	if k == "" {
		return false
	}
	if src := squash(source); src != "" && (k == src || strings.HasPrefix(src, k) && len(k) >= 4 || strings.HasPrefix(k, src)) {
		return true
	}
	if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		if squash(host) == k || strings.HasPrefix(squash(host), k) && len(k) >= 4 {
			return true
		}
	}
	return false
}

// squash keeps only the letters and digits of s, lower-cased.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// trackingParams are query parameters that identify a campaign or a click,
// not a page. Keys ending in a '_' match by prefix.
var trackingParams = []string{
	"utm_", "at_", "ns_", "mc_", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
	"igshid", "ocid", "cmpid", "smid", "ref", "ref_src", "ref_url", "xtor", "ito", "spm", "_ga", "_gl",
	"guccounter", "soc_src", "soc_trk", "feature", "rss", "mkt_tok", "oly_enc_id", "oly_anon_id", "vero_id",
}

func isTracking(key string) bool {
	key = strings.ToLower(key)
	for _, p := range trackingParams {
		if key == p || strings.HasSuffix(p, "_") && strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// CanonicalURL returns raw without tracking parameters (utm_*, fbclid, …) or
// fragment, with a lower-case scheme and host, no default port, and the
// remaining query parameters sorted. A string that is not an absolute http(s)
// URL is returned trimmed (and with invalid UTF-8 replaced) but otherwise
// unchanged.
func CanonicalURL(raw string) string {
	raw = strings.ToValidUTF8(strings.TrimSpace(raw), "\uFFFD")
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "HTTP" && u.Scheme != "HTTPS") {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if port := u.Port(); port != "" && !(port == "80" && u.Scheme == "http") && !(port == "443" && u.Scheme == "https") {
		host += ":" + port
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	u.User = nil
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		if !isTracking(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			if v != "" {
				b.WriteByte('=')
				b.WriteString(url.QueryEscape(v))
			}
		}
	}
	u.RawQuery = b.String()
	u.ForceQuery = false
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// urlKey is the identity of a canonical URL for duplicate detection: the
// scheme and a leading "www." do not matter, nor does a trailing slash.
func urlKey(canonical string) string {
	u, err := url.Parse(canonical)
	if err != nil || u.Host == "" {
		return canonical
	}
	host := strings.TrimPrefix(u.Host, "www.")
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	k := host + path
	if u.RawQuery != "" {
		k += "?" + u.RawQuery
	}
	return k
}
