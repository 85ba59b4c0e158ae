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
	"strconv"
	"strings"
	"time"
)

// ErrTooLarge is returned for a body over the size cap (Options.MaxBody).
var ErrTooLarge = errors.New("body larger than the limit")

// maxRetryAfter caps how far a server's Retry-After can push a feed's next poll.
const maxRetryAfter = 24 * time.Hour

// Accept headers of feed and page requests.
const (
	acceptFeed = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"
	acceptPage = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
)

// StatusError is an HTTP answer other than 200 or 304.
type StatusError struct {
	Code       int
	RetryAfter time.Duration // from Retry-After on 429 and 503, capped at 24h; 0 when absent
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// validators are what a conditional request sends back.
type validators struct{ etag, lastModified string }

// answer is one response to a request.
type answer struct {
	body        []byte
	contentType string
	validators  validators // of this answer, to send next time
	notModified bool
	url         string // where the body came from, after redirects
}

// get requests raw (http(s), file:// or a local path), conditionally when v
// is not zero, and reads at most Options.MaxBody bytes of the answer. Errors
// never name the URL: the caller logs it, with any password removed.
func (c *Collector) get(ctx context.Context, raw string, v validators, accept string) (answer, error) {
	if path, ok := localPath(raw); ok {
		return readLocal(path, v, c.opts.MaxBody)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return answer{}, fmt.Errorf("bad URL: %w", unwrapURLError(err))
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", accept)
	if v.etag != "" {
		req.Header.Set("If-None-Match", v.etag)
	}
	if v.lastModified != "" {
		req.Header.Set("If-Modified-Since", v.lastModified)
	}
	resp, err := c.opts.Client.Do(req)
	if err != nil {
		return answer{}, unwrapURLError(err)
	}
	defer resp.Body.Close()
	a := answer{contentType: resp.Header.Get("Content-Type"), url: resp.Request.URL.String()}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		a.notModified, a.validators = true, v
		return a, nil
	case resp.StatusCode != http.StatusOK:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		e := &StatusError{Code: resp.StatusCode}
		if e.Code == http.StatusTooManyRequests || e.Code == http.StatusServiceUnavailable {
			e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.opts.Now())
		}
		return a, e
	case resp.ContentLength > c.opts.MaxBody:
		return a, tooLarge(c.opts.MaxBody)
	}
	if a.body, err = readCapped(resp.Body, c.opts.MaxBody); err != nil {
		return a, unwrapURLError(err)
	}
	a.validators = validators{etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified")}
	return a, nil
}

// parseRetryAfter reads a Retry-After value, delay-seconds or an HTTP date,
// as a delay from now: 0 when absent, unreadable or past, at most maxRetryAfter.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		d = time.Duration(min(n, int64(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now).Round(time.Second)
	}
	return max(0, min(d, maxRetryAfter))
}

// unwrapURLError drops the "Get \"URL\":" of a *url.Error, which would put
// the feed's URL (and what its query may hold) into logs and stored states.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
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

// readLocal reads a local feed. Its size and modification time serve as an
// ETag, so an unchanged file costs no parsing.
func readLocal(path string, v validators, max int64) (answer, error) {
	f, err := os.Open(path)
	if err != nil {
		return answer{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return answer{}, err
	}
	a := answer{url: "file://" + filepath.ToSlash(path)}
	a.validators.etag = fmt.Sprintf(`"%x-%x"`, fi.Size(), fi.ModTime().UnixNano())
	if v.etag == a.validators.etag {
		a.notModified = true
		return a, nil
	}
	a.body, err = readCapped(f, max)
	return a, err
}

func readCapped(r io.Reader, max int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(body)) > max {
		return nil, tooLarge(max)
	}
	return body, nil
}

func tooLarge(max int64) error {
	if max%(1<<20) == 0 {
		return fmt.Errorf("%w of %d MiB", ErrTooLarge, max>>20)
	}
	return fmt.Errorf("%w of %d bytes", ErrTooLarge, max)
}
