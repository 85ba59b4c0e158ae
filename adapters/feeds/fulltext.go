package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"

	"github.com/sitrepbot/sitrep/digest"
)

// Full-text limits: how long a page's text (or its failure) is remembered,
// how much text is kept, and how large a page readability is given.
const (
	pageTTL         = 24 * time.Hour
	maxPageText     = 32 << 10
	maxPageElements = 50000
)

var errNoText = errors.New("no article text found on the page")

// pageText is a cached extraction.
type pageText struct {
	text    string
	err     error
	expires time.Time
}

// addFullText replaces the text of articles whose source wants it by the
// main text of their pages, at most FullTextPerPoll page requests per call;
// a page that fails, or gives less than the feed, leaves the feed's text.
func (c *Collector) addFullText(ctx context.Context, f Feed, articles []digest.Article) {
	budget := c.opts.FullTextPerPoll
	for i := range articles {
		a := &articles[i]
		if budget <= 0 || ctx.Err() != nil {
			return
		}
		if !c.wantsFullText(f, *a) {
			continue
		}
		text, fetched, err := c.pageText(ctx, a.URL)
		if fetched {
			budget--
		}
		if err != nil {
			c.log.Debug("full text failed", "feed", f.Name, "url", a.URL, "error", err)
			continue
		}
		if wordCount(text) > articleWords(*a) {
			a.Content = text
		}
	}
}

// wantsFullText reports whether the page of a should be fetched.
func (c *Collector) wantsFullText(f Feed, a digest.Article) bool {
	if a.URL == "" || c.opts.FullTextPerPoll < 0 {
		return false
	}
	switch f.FullText {
	case FullTextNever:
		return false
	case FullTextAlways:
		return true
	}
	if _, local := localPath(f.URL); local || c.opts.FullTextMinWords < 0 {
		return false
	}
	return articleWords(a) < c.opts.FullTextMinWords
}

// pageText returns the main text of the page at pageURL, from the cache or
// fetched (then fetched is true). Feeds asking for the same page at once
// share one request.
func (c *Collector) pageText(ctx context.Context, pageURL string) (text string, fetched bool, err error) {
	now := c.opts.Now()
	if p, ok := c.pages.Get(pageURL); ok && now.Before(p.expires) {
		return p.text, false, p.err
	}
	v, err, shared := c.fetching.Do(pageURL, func() (any, error) {
		text, err := c.fetchPageText(ctx, pageURL)
		if ctx.Err() == nil {
			c.pages.Add(pageURL, pageText{text: text, err: err, expires: now.Add(pageTTL)})
		}
		return text, err
	})
	return v.(string), !shared, err
}

// fetchPageText fetches a page under the politeness limits and extracts its
// main text.
func (c *Collector) fetchPageText(ctx context.Context, pageURL string) (string, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", err
	}
	if u.Scheme == "http" || u.Scheme == "https" {
		if err := c.robotsAllow(ctx, u); err != nil {
			return "", err
		}
	}
	releaseHost, releaseAll, err := c.limits.acquire(ctx, u.Host)
	if err != nil {
		return "", err
	}
	defer releaseAll() // held while extracting: it bounds the CPU and memory in use
	ans, err := c.get(ctx, pageURL, validators{}, acceptPage)
	releaseHost()
	if err != nil {
		return "", err
	}
	return extractText(ans)
}

// extractText returns the main text of an HTML page, as readability finds it.
func extractText(ans answer) (text string, err error) {
	if mt, _, _ := mime.ParseMediaType(ans.contentType); mt != "" && mt != "text/html" && mt != "application/xhtml+xml" {
		return "", fmt.Errorf("not an HTML page (%s)", mt)
	}
	doc, err := html.Parse(bytes.NewReader(pageToUTF8(ans.body, ans.contentType)))
	if err != nil {
		return "", fmt.Errorf("extract: %w", err)
	}
	base, _ := url.Parse(ans.url)
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("extract: readability failed: %v", r)
		}
	}()
	p := readability.NewParser()
	p.MaxElemsToParse = maxPageElements
	art, err := p.ParseAndMutate(doc, base)
	if err != nil {
		return "", fmt.Errorf("extract: %w", err)
	}
	if art.Node == nil {
		return "", errNoText
	}
	var b strings.Builder
	if err := art.RenderText(&b); err != nil {
		return "", fmt.Errorf("extract: %w", err)
	}
	text = clip(tidyText(b.String()), maxPageText)
	if text == "" {
		return "", errNoText
	}
	return text, nil
}

// tidyText collapses the spaces within each line and drops empty lines.
func tidyText(s string) string {
	var lines []string
	for line := range strings.Lines(s) {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

// articleWords counts the words of the richer of an article's texts.
func articleWords(a digest.Article) int {
	return max(wordCount(digest.Text(a.Content)), wordCount(digest.Text(a.Summary)))
}

func wordCount(s string) int { return len(strings.Fields(s)) }
