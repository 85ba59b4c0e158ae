package feeds

import (
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"time"
)

// maxRedirects is how many redirects one request follows.
const maxRedirects = 5

var errTooManyRedirects = fmt.Errorf("stopped after %d redirects", maxRedirects)

// NewClient returns the HTTP client feeds and article pages are fetched
// with, with a timeout of 30 s per request (see NewClientTimeout).
func NewClient() *http.Client { return NewClientTimeout(30 * time.Second) }

// NewClientTimeout returns the HTTP client feeds and article pages are
// fetched with: timeout bounds one request from dialling to the last byte of
// the body; connecting (with TLS) and waiting for the response headers are
// bounded more tightly (10 s and 15 s, or timeout if shorter); at most 5
// redirects are followed. Responses are asked for gzipped and inflated
// transparently.
func NewClientTimeout(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: min(10*time.Second, timeout), KeepAlive: 30 * time.Second}
	t := &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    min(10*time.Second, timeout),
		ResponseHeaderTimeout:  min(15*time.Second, timeout),
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{
		Transport: t,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return errTooManyRedirects
			}
			return nil
		},
	}
}

// UserAgent returns the User-Agent sitrep sends: its name, the version
// (the module version the binary was built from, or "dev") and where to
// learn about it.
func UserAgent(version string) string {
	if version == "" {
		version = "dev"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = bi.Main.Version
		}
	}
	return "sitrep/" + version + " (+https://github.com/sitrepbot/sitrep)"
}
