package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Platforms sitrep delivers to.
const (
	Telegram = "telegram"
	Discord  = "discord"
	Console  = "console"
)

// ChatKind says who is in a chat, which decides who may change its subscription.
type ChatKind string

// Chat kinds.
const (
	ChatPrivate ChatKind = "private" // one person and the bot: that person decides
	ChatGroup   ChatKind = "group"   // groups, supergroups, Discord guild channels: admins decide
	ChatChannel ChatKind = "channel" // broadcast channels: admins decide
)

// Subscription is one chat's standing order for digests.
type Subscription struct {
	Platform string   `json:"platform"`
	ChatID   string   `json:"chat_id"`
	ThreadID string   `json:"thread_id,omitempty"` // forum topic or thread to post in
	ChatKind ChatKind `json:"chat_kind,omitempty"`
	Title    string   `json:"title,omitempty"`
	Times    []string `json:"times"`    // daily digest times, HH:MM in Timezone
	Timezone string   `json:"timezone"` // IANA name
	Alerts   bool     `json:"alerts"`
	// AlertOutlets is how many outlets a development needs for this chat's
	// alert; 0 = the bot's threshold. A higher number means fewer alerts.
	AlertOutlets int `json:"alert_outlets,omitempty"`
	// QuietFrom and QuietTo (HH:MM in Timezone) bound the quiet hours, when
	// no alert is sent (they fold into the next digest); empty = none.
	QuietFrom  string    `json:"quiet_from,omitempty"`
	QuietTo    string    `json:"quiet_to,omitempty"`
	Topics     []string  `json:"topics,omitempty"` // keyword filters; none = everything
	Lang       string    `json:"lang,omitempty"`
	Active     bool      `json:"active"`
	Reason     string    `json:"reason,omitempty"` // why it was deactivated
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
	LastDigest time.Time `json:"last_digest,omitzero"` // when the last digest was built
	NextDue    time.Time `json:"next_due,omitzero"`    // when the next digest is due
}

// Next returns the first scheduled time strictly after t, or the zero time when
// the subscription has no valid times or zone. Times are wall-clock times in the
// subscription's zone (see WallTime for the days clocks change).
func (s Subscription) Next(t time.Time) time.Time {
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil || len(s.Times) == 0 {
		return time.Time{}
	}
	local := t.In(loc)
	var best time.Time
	for day := -1; day <= 2; day++ {
		y, m, d := local.AddDate(0, 0, day).Date()
		for _, hm := range s.Times {
			min, err := ParseClock(hm)
			if err != nil {
				continue
			}
			at := WallTime(y, m, d, min, loc)
			if at.After(t) && (best.IsZero() || at.Before(best)) {
				best = at
			}
		}
	}
	return best
}

// Quiet reports whether t falls in the subscription's quiet hours.
func (s Subscription) Quiet(t time.Time) bool {
	from, err1 := ParseClock(s.QuietFrom)
	to, err2 := ParseClock(s.QuietTo)
	loc, err3 := time.LoadLocation(s.Timezone)
	if err1 != nil || err2 != nil || err3 != nil || from == to {
		return false
	}
	local := t.In(loc)
	min := local.Hour()*60 + local.Minute()
	if from < to {
		return min >= from && min < to
	}
	return min >= from || min < to // over midnight, e.g. 22:00-07:00
}

// WallTime returns the instant a clock in loc shows min minutes after
// midnight on the given day. When clocks fall back and the time happens
// twice it is the first; when they spring forward over it, it is the same
// distance after the jump (03:30 on a day that skips 03:00-04:00 is 04:30).
func WallTime(y int, mo time.Month, d, min int, loc *time.Location) time.Time {
	naive := time.Date(y, mo, d, min/60, min%60, 0, 0, time.UTC)
	var first time.Time
	for _, probe := range []time.Duration{-24 * time.Hour, 24 * time.Hour} { // the offsets around the day
		_, off := naive.Add(probe).In(loc).Zone()
		at := naive.Add(-time.Duration(off) * time.Second)
		if l := at.In(loc); l.Hour()*60+l.Minute() == min && l.Day() == d && (first.IsZero() || at.Before(first)) {
			first = at
		}
	}
	if !first.IsZero() {
		return first
	}
	_, before := naive.Add(-24 * time.Hour).In(loc).Zone() // in the gap: read it with the offset before the jump
	return naive.Add(-time.Duration(before) * time.Second)
}

var clockRE = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[:.h]?([0-5][0-9])$`)

// ParseClock parses a time of day such as 08:00, 8:00, 0800 or 8.00 and
// returns minutes since midnight.
func ParseClock(s string) (int, error) {
	m := clockRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("%q is not a time of day like 08:00", s)
	}
	h, _ := strconv.Atoi(m[1])
	min, _ := strconv.Atoi(m[2])
	return h*60 + min, nil
}

// FormatClock writes minutes since midnight as HH:MM.
func FormatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// scheduleIs reports whether t is one of the subscription's slots: one of
// its times, in its zone, on t's day there.
func (s Subscription) scheduleIs(t time.Time) bool {
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return false
	}
	y, m, d := t.In(loc).Date()
	for _, hm := range s.Times {
		if min, err := ParseClock(hm); err == nil && WallTime(y, m, d, min, loc).Equal(t) {
			return true
		}
	}
	return false
}
