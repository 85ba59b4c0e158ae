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
	Platform   string    `json:"platform"`
	ChatID     string    `json:"chat_id"`
	ThreadID   string    `json:"thread_id,omitempty"` // forum topic or thread to post in
	ChatKind   ChatKind  `json:"chat_kind,omitempty"`
	Title      string    `json:"title,omitempty"`
	Times      []string  `json:"times"`    // daily digest times, HH:MM in Timezone
	Timezone   string    `json:"timezone"` // IANA name
	Alerts     bool      `json:"alerts"`
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
// subscription's zone; on a day a time does not exist (clocks spring forward
// over it) the digest comes at the same distance after the jump.
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
			at := time.Date(y, m, d, min/60, min%60, 0, 0, loc)
			if at.After(t) && (best.IsZero() || at.Before(best)) {
				best = at
			}
		}
	}
	return best
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
