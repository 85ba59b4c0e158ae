package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// ErrNotAFeed is returned for a document that is not RSS, Atom, RDF or JSON Feed.
var ErrNotAFeed = errors.New("not a feed")

// Parse parses a feed document: RSS 0.9x/1/2, RDF, Atom or JSON Feed, in
// any encoding. The encoding is read from a byte order mark, contentType (the
// HTTP Content-Type; may be "") or the XML declaration, and corrected where
// the bytes prove the declaration wrong; all text comes out as valid UTF-8.
// A document that is not a feed yields ErrNotAFeed saying what it is
// instead; other failures are errors starting "parse: ".
func Parse(body []byte, contentType string) (feed *gofeed.Feed, err error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("%w: the document is empty", ErrNotAFeed)
	}
	doc := feedToUTF8(body, contentType)
	defer func() {
		if r := recover(); r != nil {
			feed, err = nil, fmt.Errorf("parse: parser failed: %v", r)
		}
	}()
	feed, err = gofeed.NewParser().Parse(bytes.NewReader(doc))
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		return nil, fmt.Errorf("%w: %s", ErrNotAFeed, describe(doc, contentType))
	case err != nil:
		return nil, fmt.Errorf("parse: %w", err)
	}
	return feed, nil
}

// describe says what a document that is not a feed looks like.
func describe(doc []byte, contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	root := rootElement(doc)
	switch {
	case mt == "text/html" || strings.EqualFold(root, "html"):
		return "got an HTML page (the feed may have moved; look for its RSS or Atom link)"
	case root != "":
		return "the root element is <" + root + ">, not RSS, Atom, RDF or JSON Feed"
	case mt != "":
		return "got " + mt + ", which is not RSS, Atom, RDF or JSON Feed"
	}
	return "the document is not RSS, Atom, RDF or JSON Feed"
}

// elementNameRE matches the name of an element at the start of a document.
var elementNameRE = regexp.MustCompile(`^<([A-Za-z_][\w:.-]*)`)

// rootElement returns the name of the first element of an XML or HTML
// document, after its declaration, comments and doctype; "" when there is none.
func rootElement(doc []byte) string {
	doc = head(doc, 64<<10)
	for {
		doc = bytes.TrimSpace(doc)
		var end string
		switch {
		case bytes.HasPrefix(doc, []byte("<?")):
			end = "?>"
		case bytes.HasPrefix(doc, []byte("<!--")):
			end = "-->"
		case bytes.HasPrefix(doc, []byte("<!")):
			end = ">"
		default:
			if m := elementNameRE.FindSubmatch(doc); m != nil {
				return string(m[1])
			}
			return ""
		}
		_, rest, ok := bytes.Cut(doc, []byte(end))
		if !ok {
			return ""
		}
		doc = rest
	}
}

// newest returns up to n of items, in their order: those dated latest, with
// undated items counted as newest (feeds list newest first).
func newest(items []*gofeed.Item, n int) []*gofeed.Item {
	if len(items) <= n {
		return items
	}
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return itemTime(items[b]).Compare(itemTime(items[a])) })
	keep := order[:n]
	slices.Sort(keep)
	out := make([]*gofeed.Item, n)
	for i, k := range keep {
		out[i] = items[k]
	}
	return out
}

// farFuture sorts undated items first.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func itemTime(it *gofeed.Item) time.Time {
	switch {
	case it == nil:
		return time.Time{}
	case it.PublishedParsed != nil:
		return *it.PublishedParsed
	case it.UpdatedParsed != nil:
		return *it.UpdatedParsed
	}
	return farFuture
}
