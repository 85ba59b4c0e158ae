package feeds

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/sitrepbot/sitrep/bot"
)

// maxLastError caps the error kept in a feed's state.
const maxLastError = 512

// succeeded records a good poll (200 or 304) in st and logs a recovery.
func (c *Collector) succeeded(f Feed, st *bot.FeedState, now time.Time) {
	if st.Failures > 0 {
		c.log.Info("feed recovered", "feed", f.Name, "feed_url", redactURL(f.URL), "failures", st.Failures)
	}
	st.Failures, st.LastError, st.Failing, st.NextPoll = 0, "", false, time.Time{}
	st.LastSuccess = now
}

// failed records a failed poll in st: the next poll waits for the backoff,
// or for the server's Retry-After when that is later; after FailingAfter
// failures in a row the feed is failing. It logs the first failure, the
// change to failing, and nothing else at more than debug level, so a feed
// that stays down does not flood the log.
func (c *Collector) failed(f Feed, st *bot.FeedState, err error, now time.Time) {
	st.Failures++
	st.LastError = clip(err.Error(), maxLastError)
	wait := c.backoff(st.Failures)
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > wait {
		wait = se.RetryAfter
	}
	st.NextPoll = now.Add(wait)
	args := []any{"feed", f.Name, "feed_url", redactURL(f.URL), "error", err, "failures", st.Failures, "next_poll", st.NextPoll}
	switch {
	case st.Failures >= c.opts.FailingAfter && !st.Failing:
		st.Failing = true
		c.log.Error("feed failing", args...)
	case st.Failures == 1:
		c.log.Warn("feed failed", args...)
	default:
		c.log.Debug("feed still down", args...)
	}
}

// backoff is the wait after the nth failure in a row: BackoffMin doubled
// n-1 times, at most BackoffMax, with "equal jitter" (between half and all
// of it) so that feeds that failed together do not retry together.
func (c *Collector) backoff(n int) time.Duration {
	d := c.opts.BackoffMin
	for i := 1; i < n && d < c.opts.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, c.opts.BackoffMax)
	return d/2 + time.Duration(c.opts.Rand()*float64(d/2))
}

// secretParamRE matches query parameters that commonly carry credentials.
var secretParamRE = regexp.MustCompile(`(?i)key|token|secret|sig|pass|auth|session`)

// redactURL hides the password and credential-like query values of a feed
// URL, for logs.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil && strings.ContainsAny(raw, "@?"):
		return "(unparseable URL)"
	case err != nil:
		return raw
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if secretParamRE.MatchString(k) {
				q[k] = []string{"xxxxx"}
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
