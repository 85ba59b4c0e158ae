package bot

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"
)

// OutboxInspector is implemented by a Store that keeps a delivery outbox, so
// that status and metrics can tell how much waits in it. A Store without an
// outbox does not implement it, and status shows "n/a".
type OutboxInspector interface {
	// OutboxStats counts the deliveries waiting and the dead letters.
	OutboxStats(ctx context.Context) (OutboxStats, error)
}

// OutboxStats is what an outbox holds.
type OutboxStats struct {
	Pending int `json:"pending"` // deliveries waiting to be sent or retried
	Dead    int `json:"dead"`    // deliveries parked after repeated failures
}

// LeaderInspector says which instance leads when several share a store
// (Redis): the one that polls and schedules.
type LeaderInspector interface {
	// Leader returns the id of the instance holding the leadership lease,
	// or "" when no instance holds it.
	Leader(ctx context.Context) (string, error)
}

// Status is an operator's view of sitrep's state, as `sitrep status` shows
// it. A nil pointer is a fact the store cannot tell ("n/a").
type Status struct {
	Leader        *string                      `json:"leader"`
	Outbox        *OutboxStats                 `json:"outbox"`
	Feeds         int                          `json:"feeds"` // configured
	FailingFeeds  []FeedHealth                 `json:"failing_feeds"`
	Subscriptions map[string]SubscriptionCount `json:"subscriptions"` // by platform
	LatestDigest  *DigestInfo                  `json:"latest_digest"`
}

// FeedHealth is one feed whose last polls failed.
type FeedHealth struct {
	Name        string    `json:"name"`
	URL         string    `json:"url"` // without a password
	Failures    int       `json:"failures"`
	Failing     bool      `json:"failing"` // marked failing by the collector
	LastError   string    `json:"last_error"`
	LastPoll    time.Time `json:"last_poll,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"` // zero: never read; failing since this
}

// SubscriptionCount counts one platform's subscriptions.
type SubscriptionCount struct {
	Active   int `json:"active"`
	Inactive int `json:"inactive"`
}

// DigestInfo identifies the newest stored digest.
type DigestInfo struct {
	ID           string    `json:"id"`
	Generated    time.Time `json:"generated"`
	Developments int       `json:"developments"`
}

// StatusOptions say what ReadStatus cannot learn from the store.
type StatusOptions struct {
	// Sources are the configured feeds: they name the failing ones, and feed
	// states of feeds no longer configured are left out. None: every state counts.
	Sources []SourceInfo
	// Leader tells the leader; default: the store, when it implements LeaderInspector.
	Leader LeaderInspector
}

// ReadStatus gathers the Status from store. It fails when the store cannot
// be reached or read.
func ReadStatus(ctx context.Context, store Store, opts StatusOptions) (Status, error) {
	if err := store.Ping(ctx); err != nil {
		return Status{}, fmt.Errorf("status: store unreachable: %w", err)
	}
	var st Status
	var err error
	if st.Subscriptions, err = countSubscriptions(ctx, store); err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	if st.Feeds, st.FailingFeeds, err = failingFeeds(ctx, store, opts.Sources); err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	digests, err := store.LatestDigests(ctx, 1)
	if err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	if len(digests) > 0 {
		d := digests[0]
		st.LatestDigest = &DigestInfo{ID: d.ID, Generated: d.Generated.UTC(), Developments: len(d.Developments)}
	}
	if ob, ok := store.(OutboxInspector); ok {
		stats, err := ob.OutboxStats(ctx)
		if err != nil {
			return Status{}, fmt.Errorf("status: outbox: %w", err)
		}
		st.Outbox = &stats
	}
	leader := opts.Leader
	if leader == nil {
		leader, _ = store.(LeaderInspector)
	}
	if leader != nil {
		id, err := leader.Leader(ctx)
		if err != nil {
			return Status{}, fmt.Errorf("status: leader: %w", err)
		}
		st.Leader = &id
	}
	return st, nil
}

func countSubscriptions(ctx context.Context, store Store) (map[string]SubscriptionCount, error) {
	subs, err := store.ListSubscriptions(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]SubscriptionCount{}
	for _, s := range subs {
		c := out[s.Platform]
		if s.Active {
			c.Active++
		} else {
			c.Inactive++
		}
		out[s.Platform] = c
	}
	return out, nil
}

// failingFeeds returns how many feeds there are and those whose last poll
// failed, most failures first.
func failingFeeds(ctx context.Context, store Store, sources []SourceInfo) (int, []FeedHealth, error) {
	states, err := store.ListFeedStates(ctx)
	if err != nil {
		return 0, nil, err
	}
	names := make(map[string]string, len(sources))
	for _, s := range sources {
		names[s.URL] = s.Name
	}
	total := len(sources)
	if len(sources) == 0 {
		total = len(states)
	}
	failing := []FeedHealth{}
	for u, fs := range states {
		name, configured := names[u]
		if (len(sources) > 0 && !configured) || (fs.Failures == 0 && !fs.Failing) {
			continue
		}
		failing = append(failing, FeedHealth{Name: name, URL: redactURL(u), Failures: fs.Failures, Failing: fs.Failing,
			LastError: fs.LastError, LastPoll: fs.LastPoll.UTC(), LastSuccess: fs.LastSuccess.UTC()})
	}
	slices.SortFunc(failing, func(a, b FeedHealth) int {
		return cmp.Or(cmp.Compare(b.Failures, a.Failures), cmp.Compare(a.URL, b.URL))
	})
	return total, failing, nil
}

// redactURL hides a password a feed URL may carry.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
