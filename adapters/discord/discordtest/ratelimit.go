package discordtest

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"time"
)

// window is a fixed-window rate-limit bucket.
type window struct {
	count int
	reset time.Time
}

// limiter holds the fake's buckets: one per channel for creating messages,
// and the bot's global limit. Interaction callbacks and webhooks are exempt
// from the global limit, as on Discord:
// https://discord.com/developers/docs/topics/rate-limits
type limiter struct {
	perChannel, global        int
	channelWindow, globalSpan time.Duration
	buckets                   map[string]*window
}

// verdict is what the limiter says about one request.
type verdict struct {
	ok      bool
	global  bool
	limit   int
	left    int
	reset   time.Time
	after   time.Duration
	bucket  string
	limited bool // the route has a bucket at all
}

// take counts one request at now: key is the route's bucket ("" = none),
// global says whether the global limit applies.
func (l *limiter) take(now time.Time, key string, global bool) verdict {
	if global && l.global > 0 {
		g := l.window("global", now, l.globalSpan)
		if g.count >= l.global {
			return verdict{global: true, limit: l.global, reset: g.reset, after: g.reset.Sub(now), bucket: "global", limited: true}
		}
		g.count++
	}
	if key == "" || l.perChannel <= 0 {
		return verdict{ok: true}
	}
	w := l.window(key, now, l.channelWindow)
	v := verdict{limit: l.perChannel, reset: w.reset, after: w.reset.Sub(now), bucket: bucketHash(key), limited: true}
	if w.count >= l.perChannel {
		return v
	}
	w.count++
	v.ok, v.left = true, l.perChannel-w.count
	return v
}

func (l *limiter) window(key string, now time.Time, span time.Duration) *window {
	w := l.buckets[key]
	if w == nil {
		w = &window{}
		l.buckets[key] = w
	}
	if !now.Before(w.reset) {
		w.count, w.reset = 0, now.Add(span)
	}
	return w
}

// bucketHash is an opaque bucket id like Discord's.
func bucketHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:8])
}

// headers writes the X-RateLimit-* headers of v.
func (v verdict) headers(h http.Header) {
	if !v.limited {
		return
	}
	secs := func(d time.Duration) string { return strconv.FormatFloat(math.Max(d.Seconds(), 0), 'f', 3, 64) }
	h.Set("X-RateLimit-Bucket", v.bucket)
	h.Set("X-RateLimit-Limit", strconv.Itoa(v.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(v.left))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(v.reset.UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", secs(v.after))
	if !v.ok {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(v.after.Seconds()))))
		scope := "user"
		if v.global {
			scope = "global"
			h.Set("X-RateLimit-Global", "true")
		}
		h.Set("X-RateLimit-Scope", scope)
	}
}

// body is the JSON of a 429 answer.
func (v verdict) body() map[string]any {
	return map[string]any{"message": "You are being rate limited.", "retry_after": math.Round(v.after.Seconds()*1000) / 1000,
		"global": v.global}
}
