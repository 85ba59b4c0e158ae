package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/sitrepbot/sitrep/digest"
)

// Caps on what one item may bring, in bytes; longer text is cut at a
// character boundary. They keep a hostile feed from filling the store.
const (
	maxTitle   = 1 << 10
	maxSummary = 16 << 10
	maxContent = 128 << 10
	maxID      = 256
)

// oldest is the earliest publication date believed; earlier ones (often the
// zero time or the Unix epoch of a broken feed) count as missing.
var oldest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// trackingParams are query parameters that identify a campaign, not a page.
var trackingParams = []string{"utm_", "fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "ocid"}

// ToArticle converts one item of feed (as parsed from source f) into an
// article. It reports false for an item with neither a title nor a link.
//
//   - ID: the item's GUID (or Atom id, JSON Feed id), else its canonical
//     link, else its title; ids longer than 256 bytes are replaced by a hash.
//   - URL: the link, resolved against the feed's address, only if http(s),
//     with the fragment and tracking parameters (utm_*, fbclid, …) removed.
//   - Summary: the description; Content: the richest body (content:encoded,
//     Atom content, JSON content_html/content_text).
//   - Published: the publication date, else the update date, else now (the
//     first sighting); dates in the future become now.
//   - Lang: the item's dc:language, else the feed's language, else the
//     source's, else "" (the engine detects it); two letters, lower case.
//
// Text is made valid UTF-8 and capped in length; markup is left for the
// engine to strip.
func ToArticle(f Feed, feed *gofeed.Feed, it *gofeed.Item, now time.Time) (digest.Article, bool) {
	if it == nil {
		return digest.Article{}, false
	}
	link := canonicalURL(it.Link, baseURL(f, feed))
	title := clip(it.Title, maxTitle)
	if title == "" && link == "" {
		return digest.Article{}, false
	}
	return digest.Article{
		ID:        itemID(it.GUID, link, title),
		Source:    f.Name,
		Label:     f.Label,
		URL:       link,
		Title:     title,
		Summary:   clip(it.Description, maxSummary),
		Content:   clip(it.Content, maxContent),
		Published: published(it, now),
		Lang:      language(f, feed, it),
	}, true
}

// itemID is the item's stable id: its GUID, else its link, else its title.
func itemID(guid, link, title string) string {
	id := clip(guid, 4*maxID)
	if id == "" {
		id = link
	}
	if id == "" {
		id = title
	}
	if len(id) > maxID {
		sum := sha256.Sum256([]byte(id))
		id = "sha256:" + hex.EncodeToString(sum[:16])
	}
	return id
}

// baseURL is what relative item links are resolved against: the feed's own
// address when it is on the web, else the site it names.
func baseURL(f Feed, feed *gofeed.Feed) *url.URL {
	for _, raw := range []string{f.URL, feedLink(feed)} {
		if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			return u
		}
	}
	return nil
}

func feedLink(feed *gofeed.Feed) string {
	if feed == nil {
		return ""
	}
	return feed.Link
}

// canonicalURL resolves raw against base and returns it without fragment,
// default port or tracking parameters, with scheme and host in lower case;
// "" unless the result is an http(s) URL with a host.
func canonicalURL(raw string, base *url.URL) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || raw == "" {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return ""
	}
	if p := u.Port(); (p == "80" && u.Scheme == "http") || (p == "443" && u.Scheme == "https") {
		u.Host = u.Hostname()
	}
	u.Fragment, u.RawFragment, u.User = "", "", nil
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			for _, t := range trackingParams {
				if strings.HasPrefix(strings.ToLower(k), t) {
					q.Del(k)
				}
			}
		}
		u.RawQuery = q.Encode()
	}
	return clip(u.String(), 2048)
}

// published is when the item was published, clamped to [oldest, now].
func published(it *gofeed.Item, now time.Time) time.Time {
	t := now
	switch {
	case it.PublishedParsed != nil && !it.PublishedParsed.Before(oldest):
		t = *it.PublishedParsed
	case it.UpdatedParsed != nil && !it.UpdatedParsed.Before(oldest):
		t = *it.UpdatedParsed
	}
	if t.After(now) {
		t = now
	}
	return t.UTC()
}

// language is the item's, else the feed's, else the source's language code.
func language(f Feed, feed *gofeed.Feed, it *gofeed.Item) string {
	var candidates []string
	if it.DublinCoreExt != nil {
		candidates = append(candidates, it.DublinCoreExt.Language...)
	}
	if feed != nil {
		candidates = append(candidates, feed.Language)
	}
	candidates = append(candidates, f.Lang)
	for _, c := range candidates {
		if code := langCode(c); code != "" {
			return code
		}
	}
	return ""
}

// langCode returns the two-letter primary subtag of a language tag such as
// "en-US" or "uk_UA", or "" when there is none.
func langCode(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) != 2 || tag[0] < 'a' || tag[0] > 'z' || tag[1] < 'a' || tag[1] > 'z' {
		return ""
	}
	return tag
}

// clip returns s trimmed, as valid UTF-8, at most max bytes long, cut at a
// character boundary.
func clip(s string, max int) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
