package bot

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// Tick delivers every subscription's digest that is due. A subscription that
// missed several times (the bot was down) gets one digest, not a burst.
func (b *Bot) Tick(ctx context.Context) error {
	subs, err := b.store.ListSubscriptions(ctx)
	if err != nil {
		return err
	}
	now := b.now()
	var errs []error
	for _, s := range subs {
		if !s.Active || s.NextDue.IsZero() || s.NextDue.After(now) {
			continue
		}
		if err := b.sendDigest(ctx, s, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (b *Bot) sendDigest(ctx context.Context, s Subscription, now time.Time) error {
	slot := s.NextDue
	d := b.digestFor(s, now)
	d.ID = "s-" + slot.UTC().Format("20060102T1504Z")
	m := Message{Key: DeliveryKey{s.Platform, s.ChatID, d.ID}, ChatID: s.ChatID, ThreadID: s.ThreadID,
		Kind: KindDigest, Digest: &d, Lang: s.Lang}
	if len(d.Developments) == 0 {
		m.Text = "Nothing new since the last digest."
	}
	if err := b.deliver(ctx, m); err != nil {
		return err
	}
	cur, err := b.store.GetSubscription(ctx, s.Platform, m.Key.ChatID)
	if errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	cur.LastDigest, cur.NextDue = now, cur.Next(now)
	return b.store.PutSubscription(ctx, cur)
}

// digestFor builds what s gets now: developments new or updated since its last
// digest (else the last 24 hours), after its topic filters, best first.
func (b *Bot) digestFor(s Subscription, now time.Time) digest.Digest {
	since := s.LastDigest
	if since.IsZero() || now.Sub(since) > 24*time.Hour {
		since = now.Add(-24 * time.Hour)
	}
	b.mu.Lock()
	d := b.engine.Digest(now, since, 0)
	b.mu.Unlock()
	kept := d.Developments[:0]
	for _, dev := range d.Developments {
		if matchesTopics(dev, s.Topics) {
			kept = append(kept, dev)
		}
	}
	if len(kept) > b.opts.MaxItems {
		kept = kept[:b.opts.MaxItems]
	}
	d.Developments = kept
	return d
}

// matchesTopics reports whether a development mentions any of the topic
// filters (case-insensitive regular expressions); no filters match everything.
func matchesTopics(d digest.Development, topics []string) bool {
	if len(topics) == 0 {
		return true
	}
	text := d.Headline + "\n" + d.Summary
	for _, t := range topics {
		re, err := regexp.Compile("(?i)" + t)
		if err != nil {
			if strings.Contains(strings.ToLower(text), strings.ToLower(t)) {
				return true
			}
			continue
		}
		if re.MatchString(text) {
			return true
		}
	}
	return false
}
