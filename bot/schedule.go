package bot

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// scheduleBatch is how many due subscriptions one store round handles.
const scheduleBatch = 256

// Tick claims the digests that are due (on the leader), enqueues them, and
// delivers every outbox job that is ready before it returns. A subscription
// that missed several slots (the bot was down) gets one digest, not a burst;
// one whose digest is more than a day late skips to its next slot.
func (b *Bot) Tick(ctx context.Context) error {
	var errs []error
	if b.IsLeader() {
		errs = append(errs, b.schedule(ctx))
	}
	errs = append(errs, b.drain(ctx), b.updateGauges(ctx))
	return errors.Join(errs...)
}

// schedule enqueues the digests of every subscription due now.
func (b *Bot) schedule(ctx context.Context) error {
	now := b.now()
	cache := digestCache{all: map[int64]digest.Digest{}, built: map[builtKey]*digest.Digest{}}
	for ctx.Err() == nil {
		due, err := b.store.DueSubscriptions(ctx, now, scheduleBatch)
		if err != nil || len(due) == 0 {
			return err
		}
		claims := make([]Claim, len(due))
		for i, d := range due {
			claims[i] = b.claim(d, now, cache)
		}
		done, err := b.store.CommitSchedule(ctx, claims)
		if err != nil {
			return err
		}
		committed := 0
		for i, ok := range done {
			if ok {
				committed++
				b.logClaim(claims[i], due[i].Sub.NextDue)
			}
		}
		if committed == 0 || len(due) < scheduleBatch {
			return nil
		}
	}
	return ctx.Err()
}

// claim builds what a due subscription gets: one digest for its slot, built
// now and kept in the job, and its next slot after now.
func (b *Bot) claim(d Due, now time.Time, cache digestCache) Claim {
	s := d.Sub
	slot := s.NextDue
	c := Claim{Token: d.Token, Sub: s}
	c.Sub.NextDue = s.Next(now)
	if now.Sub(slot) > 24*time.Hour {
		return c // logged by logClaim
	}
	dg := b.slotDigest(s, slot, now, cache)
	m := Message{Key: DeliveryKey{s.Platform, s.ChatID, dg.ID}, ChatID: s.ChatID, ThreadID: s.ThreadID,
		Kind: KindDigest, Digest: dg, Lang: s.Lang}
	if len(dg.Developments) == 0 {
		m.Text = "Nothing new since the last digest."
	}
	j := NewJob(m, slot)
	j.ChatKind = s.ChatKind
	c.Jobs = []Job{j}
	c.Sub.LastDigest = now
	return c
}

func (b *Bot) logClaim(c Claim, slot time.Time) {
	log := b.log.With("platform", c.Sub.Platform, "chat_id", c.Sub.ChatID)
	if len(c.Jobs) == 0 {
		log.Warn("digest missed by more than a day; skipped to the next slot", "slot", slot, "next_due", c.Sub.NextDue)
		return
	}
	log.Debug("digest enqueued", "digest_id", c.Jobs[0].Key().DigestID, "next_due", c.Sub.NextDue)
}

// digestCache holds the digests one schedule pass built: the engine's for
// each since, and what each kind of subscriber gets of it.
type digestCache struct {
	all   map[int64]digest.Digest
	built map[builtKey]*digest.Digest
}

// builtKey is what decides a subscriber's digest besides the engine's state.
type builtKey struct {
	since, slot int64
	topics      string
}

// slotDigest is s's digest for slot, built now. The subscribers whose
// digest is the same (same slot, since and topics) share one, which nothing
// changes: the store then encodes it once for all of them.
func (b *Bot) slotDigest(s Subscription, slot, now time.Time, cache digestCache) *digest.Digest {
	k := builtKey{since: s.LastDigest.UnixNano(), slot: slot.UnixNano(), topics: strings.Join(s.Topics, "\x00")}
	if s.LastDigest.IsZero() || now.Sub(s.LastDigest) > 24*time.Hour {
		k.since = 0 // digestFor gives every such subscriber the last 24 hours
	}
	if d, ok := cache.built[k]; ok {
		return d
	}
	d := b.digestFor(s, now, cache.all)
	d.ID = slotID(slot)
	cache.built[k] = &d
	return &d
}

// digestFor builds what s gets now: developments new or updated since its last
// digest (else the last 24 hours), after its topic filters, best first. The
// engine's digest for each since is built once per pass (in cache): the
// subscribers of one slot share it.
func (b *Bot) digestFor(s Subscription, now time.Time, cache map[int64]digest.Digest) digest.Digest {
	since := s.LastDigest
	if since.IsZero() || now.Sub(since) > 24*time.Hour {
		since = now.Add(-24 * time.Hour)
	}
	all, ok := cache[since.UnixNano()]
	if !ok {
		b.mu.Lock()
		all = b.engine.Digest(now, since, 0)
		b.mu.Unlock()
		cache[since.UnixNano()] = all
	}
	d := all
	d.Developments = make([]digest.Development, 0, b.opts.MaxItems)
	match := topicFilter(s.Topics)
	for _, dev := range all.Developments {
		if len(d.Developments) == b.opts.MaxItems {
			break
		}
		if match(dev) {
			d.Developments = append(d.Developments, dev)
		}
	}
	return d
}

// topicFilter returns whether a development mentions any of the topics
// (case-insensitive regular expressions, or words when one does not
// compile); no topics match everything.
func topicFilter(topics []string) func(digest.Development) bool {
	if len(topics) == 0 {
		return func(digest.Development) bool { return true }
	}
	res := make([]*regexp.Regexp, 0, len(topics))
	for _, t := range topics {
		re, err := regexp.Compile("(?i)" + t)
		if err != nil {
			re = regexp.MustCompile("(?i)" + regexp.QuoteMeta(t))
		}
		res = append(res, re)
	}
	return func(d digest.Development) bool {
		text := d.Headline + "\n" + d.Summary
		for _, re := range res {
			if re.MatchString(text) {
				return true
			}
		}
		return false
	}
}
