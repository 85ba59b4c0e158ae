package bot

import (
	"context"
	"fmt"
	"strings"
)

// cmdQuiet sets or clears the chat's quiet hours: "/quiet 23:00-07:00" or "/quiet off".
func (b *Bot) cmdQuiet(ctx context.Context, r Request) Response {
	return b.withSubscription(ctx, r, func(s *Subscription) (string, error) {
		if len(r.Args) != 1 {
			return "", fmt.Errorf("say a range of hours or off")
		}
		arg := strings.ToLower(r.Args[0])
		if arg == "off" || arg == "вимкнути" {
			s.QuietFrom, s.QuietTo = "", ""
			return "No quiet hours: alerts come at any time.", nil
		}
		from, to, ok := strings.Cut(arg, "-")
		f, err1 := ParseClock(from)
		t, err2 := ParseClock(to)
		if !ok || err1 != nil || err2 != nil || f == t {
			return "", fmt.Errorf("%q is not a range of hours like 23:00-07:00", r.Args[0])
		}
		s.QuietFrom, s.QuietTo = FormatClock(f), FormatClock(t)
		return fmt.Sprintf("Quiet hours %s-%s (%s): alerts then wait for the next digest.", s.QuietFrom, s.QuietTo, s.Timezone), nil
	}, "quiet", "/quiet 23:00-07:00")
}
