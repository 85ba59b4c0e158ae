package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"

	"github.com/sitrepbot/sitrep/bot"
)

var (
	errTooManyRedirects = errors.New("too many redirects")
	// ErrTooLarge is returned for a body over the size cap.
	ErrTooLarge = errors.New("body larger than the limit")
)

// fetch reads a feed. A nil body with a nil error means not modified (304).
// next carries the validators to keep for the next conditional request.
func (c *Collector) fetch(ctx context.Context, raw string, prev bot.FeedState) (body []byte, next bot.FeedState, err error) {
	if path, ok := localPath(raw); ok {
		body, err := readLocal(path, c.opts.MaxBody)
		return body, next, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, next, fmt.Errorf("bad feed URL: %w", err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
	if prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	resp, err := c.opts.Client.Do(req)
	if err != nil {
		return nil, next, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return nil, prev, nil
	case resp.StatusCode != http.StatusOK:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, next, fmt.Errorf("HTTP %s", resp.Status)
	}
	body, err = readCapped(resp.Body, c.opts.MaxBody)
	if err != nil {
		return nil, next, err
	}
	next.ETag, next.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	return body, next, nil
}

// localPath reports whether raw names a local file (file:// or a path).
func localPath(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err == nil && u.Scheme == "file" {
		if u.Host != "" && u.Host != "localhost" {
			return filepath.Join(u.Host, u.Path), true // file://relative/path
		}
		return u.Path, true
	}
	if err != nil || u.Scheme == "" || len(u.Scheme) == 1 {
		return raw, true
	}
	return "", false
}

func readLocal(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readCapped(f, max)
}

func readCapped(r io.Reader, max int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, max)
	}
	return body, nil
}
