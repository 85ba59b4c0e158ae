package feeds

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/temoto/robotstxt"
)

// Article pages are fetched for their text only where the site's robots.txt
// lets sitrep in (RFC 9309). Feeds themselves are meant for programs to read
// and are fetched regardless, as every feed reader does.

// robotsAgent is the product token sitrep's robots.txt rules are matched
// against; the full User-Agent begins with it.
const robotsAgent = "sitrep"

// robotsUnreachable is how long a site whose robots.txt could not be read
// (a network error, a 5xx: everything disallowed, as RFC 9309 asks) waits
// before it is asked again; readable rules are kept for pageTTL.
const robotsUnreachable = time.Hour

// robotsSites is how many sites' rules are kept in memory.
const robotsSites = 1000

var errRobots = errors.New("robots.txt disallows it")

// robotsRules is a cached robots.txt.
type robotsRules struct {
	data    *robotstxt.RobotsData
	expires time.Time
}

// robotsAllow reports nil when the site of page lets sitrep fetch it, else
// why not. The site's robots.txt is fetched under the politeness limits, at
// most once per pageTTL.
func (c *Collector) robotsAllow(ctx context.Context, page *url.URL) error {
	site := page.Scheme + "://" + page.Host
	now := c.opts.Now()
	r, ok := c.robots.Get(site)
	if !ok || !now.Before(r.expires) {
		v, _, _ := c.fetching.Do("robots "+site, func() (any, error) {
			r := c.fetchRobots(ctx, site, now)
			if ctx.Err() == nil {
				c.robots.Add(site, r)
			}
			return r, nil
		})
		r = v.(robotsRules)
	}
	if !r.data.TestAgent(page.RequestURI(), robotsAgent) {
		return errRobots
	}
	return nil
}

// fetchRobots reads site's robots.txt. As RFC 9309 asks, a 4xx means no
// rules, and a 5xx or a failure to read it means everything is disallowed
// (for robotsUnreachable).
func (c *Collector) fetchRobots(ctx context.Context, site string, now time.Time) robotsRules {
	denied := robotsRules{data: disallowAll, expires: now.Add(robotsUnreachable)}
	u, err := url.Parse(site)
	if err != nil {
		return denied
	}
	releaseHost, releaseAll, err := c.limits.acquire(ctx, u.Host)
	if err != nil {
		return denied
	}
	defer releaseAll()
	ans, err := c.get(ctx, site+"/robots.txt", validators{}, "text/plain")
	releaseHost()
	status := 200
	if se := (*StatusError)(nil); errors.As(err, &se) {
		status, err = se.Code, nil
	}
	if err != nil || status >= 500 {
		return denied
	}
	data, err := robotstxt.FromStatusAndBytes(status, ans.body)
	if err != nil { // a status no rule covers: as if there were no robots.txt
		data = allowAll
	}
	return robotsRules{data: data, expires: now.Add(pageTTL)}
}

var (
	allowAll, _    = robotstxt.FromStatusAndBytes(404, nil)
	disallowAll, _ = robotstxt.FromStatusAndBytes(503, nil)
)
