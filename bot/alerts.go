package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// alertHour is the window of the per-chat alert cap.
const alertHour = time.Hour

// checkAlerts sends breaking alerts for the developments that changed since
// the last check: to each chat with alerts on, once, when the development
// has reached the chat's threshold of outlets within the alert window (or
// mentions a priority term), outside the chat's quiet hours and within its
// hourly cap. A development already alerted is edited in place in every
// chat that got it when it gains outlets. Alerts that are not sent fold into
// the chat's next digest, which lists everything new or updated.
func (b *Bot) checkAlerts(ctx context.Context) error {
	if b.opts.Alerts.Off {
		return nil
	}
	now := b.now()
	devs := b.changedSince(now)
	if len(devs) == 0 {
		return nil
	}
	subs, err := b.store.ListSubscriptions(ctx)
	if err != nil {
		return err
	}
	var alerting []Subscription
	for _, s := range subs {
		if s.Active && s.Alerts {
			alerting = append(alerting, s)
		}
	}
	var errs []error
	for _, d := range devs {
		errs = append(errs, b.alertDevelopment(ctx, d, alerting, now))
	}
	return errors.Join(errs...)
}

// changedSince returns, with their timelines, the developments updated since
// the last check, and moves the mark to now.
func (b *Bot) changedSince(now time.Time) []digest.Development {
	b.mu.Lock()
	defer b.mu.Unlock()
	since := b.lastAlerts
	if since.IsZero() || now.Sub(since) > b.opts.Alerts.Window {
		since = now.Add(-b.opts.Alerts.Window)
	}
	b.lastAlerts = now
	return b.updatedLocked(now, since)
}

// updatedLocked returns, with their timelines, the engine's developments
// updated since since. b.mu is held.
func (b *Bot) updatedLocked(now, since time.Time) []digest.Development {
	var out []digest.Development
	for _, d := range b.engine.Digest(now, since, 0).Developments {
		if full, ok := b.engine.Development(d.ID); ok {
			full.Score = d.Score
			out = append(out, full)
		}
	}
	return out
}

func (b *Bot) alertDevelopment(ctx context.Context, d digest.Development, subs []Subscription, now time.Time) error {
	st, err := b.store.GetAlert(ctx, d.ID)
	if errors.Is(err, ErrNotFound) {
		st = AlertState{DevID: d.ID}
	} else if err != nil {
		return err
	}
	recent := outletsSince(d, now.Add(-b.opts.Alerts.Window))
	priority := mentionsAny(d, b.opts.Alerts.PriorityTerms)
	msg := d
	msg.Articles = nil
	var jobs []Job
	if len(d.Sources) > st.Outlets && len(st.Chats) > 0 {
		for _, c := range st.Chats {
			jobs = append(jobs, alertJob(c, msg, now, fmt.Sprintf("%s-%d", alertID(d.ID), len(d.Sources))))
		}
	}
	sent := map[ChatRef]bool{}
	for _, c := range st.Chats {
		sent[c] = true
	}
	for _, s := range subs {
		c := ChatRef{s.Platform, s.ChatID, s.ThreadID}
		if sent[c] || !b.wantsAlert(s, d, recent, priority, now) {
			continue
		}
		ok, err := b.store.TakeSlot(ctx, "alerts:"+s.Platform+":"+s.ChatID, now, alertHour, b.opts.Alerts.PerChatHour)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		j := alertJob(c, msg, now, "")
		j.ChatKind = s.ChatKind
		jobs = append(jobs, j)
		st.Chats = append(st.Chats, c)
	}
	if len(jobs) == 0 {
		return nil
	}
	if err := b.store.Enqueue(ctx, jobs...); err != nil { // before the state: a retry re-enqueues the same ids
		return err
	}
	st.Outlets, st.Sent = len(d.Sources), now
	b.log.Info("breaking alert", "development_id", d.ID, "outlets", len(d.Sources), "jobs", len(jobs))
	return b.store.PutAlert(ctx, st, b.opts.Engine.Window)
}

// wantsAlert reports whether chat s gets an alert for d now.
func (b *Bot) wantsAlert(s Subscription, d digest.Development, recent int, priority bool, now time.Time) bool {
	threshold := b.opts.Alerts.Outlets
	if s.AlertOutlets > 0 {
		threshold = s.AlertOutlets
	}
	return (priority || recent >= threshold) && !s.Quiet(now) && topicFilter(s.Topics)(d)
}

// alertJob is the alert for d to chat c; with editID, the edit of that
// chat's alert to show d as it is now.
func alertJob(c ChatRef, d digest.Development, now time.Time, editID string) Job {
	id := alertID(d.ID)
	m := Message{Key: DeliveryKey{c.Platform, c.ChatID, id}, ChatID: c.ChatID, ThreadID: c.ThreadID,
		Kind: KindAlert, Development: &d}
	if editID == "" {
		return NewJob(m, now)
	}
	m.Key.DigestID = editID
	j := NewJob(m, now)
	j.EditOf = id
	return j
}

// outletsSince counts the distinct outlets whose articles of d were
// published at or after t.
func outletsSince(d digest.Development, t time.Time) int {
	seen := map[string]bool{}
	for _, a := range d.Articles {
		if !a.Published.Before(t) {
			seen[a.Source] = true
		}
	}
	return len(seen)
}

// mentionsAny reports whether d's headline or summary contains one of the
// terms (case-insensitive, as words or regular expressions).
func mentionsAny(d digest.Development, terms []string) bool {
	if len(terms) == 0 {
		return false
	}
	text := strings.ToLower(d.Headline + "\n" + d.Summary)
	for _, t := range terms {
		if re, err := regexp.Compile("(?i)" + t); err == nil && re.MatchString(text) {
			return true
		}
	}
	return false
}
