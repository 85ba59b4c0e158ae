package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// transport sends discordgo's requests for https://discord.com to the
// configured API URL (discordgo's endpoints are fixed when it loads), and
// notes each answer's status, headers and, for a 429, body for the caller.
type transport struct {
	api  *url.URL
	next http.RoundTripper
}

// answer is what transport saw of one response.
type answer struct {
	status int
	header http.Header
	body   []byte // kept for 429s only
}

type answerKey struct{}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == "discord.com" {
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host = t.api.Scheme, t.api.Host
		req.URL.Path = strings.TrimSuffix(t.api.Path, "/") + req.URL.Path
		req.URL.RawPath = ""
		req.Host = ""
	}
	resp, err := t.next.RoundTrip(req)
	a, ok := req.Context().Value(answerKey{}).(*answer)
	if err != nil || !ok {
		return resp, err
	}
	a.status, a.header = resp.StatusCode, resp.Header.Clone()
	if resp.StatusCode == http.StatusTooManyRequests {
		a.body, _ = io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(a.body))
	}
	return resp, nil
}

// do makes one REST request through the session's raw request method and
// returns the response body, or an error mapped to the bot's sentinels
// (see mapError). route names the request in errors; URLs are never shown,
// as interaction webhooks carry a token in theirs.
//
// Each request gets a rate-limit bucket of its own: discordgo's shared
// buckets would sleep, ignoring ctx, before a request to an exhausted bucket
// or after a global 429, and the bot's limiter decides when to send.
func (c *Client) do(ctx context.Context, route, method, endpoint string, body any) ([]byte, error) {
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	a := &answer{}
	ctx = context.WithValue(ctx, answerKey{}, a)
	bucket := discordgo.NewRatelimiter().LockBucket(route)
	resp, err := c.session.RequestWithLockedBucket(method, endpoint, "application/json", data, bucket, 0,
		discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0))
	if err != nil {
		return nil, c.mapError(ctx, route, a, err)
	}
	return resp, nil
}
