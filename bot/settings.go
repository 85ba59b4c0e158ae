package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits on what a chat may set.
const (
	maxTimes       = 4
	maxTopics      = 20
	maxTopicLength = 100
)

// parseSchedule reads "[HH:MM ...] [Area/City]" in any order.
func parseSchedule(args []string) (times []string, zone string, err error) {
	for _, a := range args {
		if m, err := ParseClock(a); err == nil {
			if t := FormatClock(m); !slices.Contains(times, t) {
				times = append(times, t)
			}
			continue
		}
		if zone != "" {
			return nil, "", fmt.Errorf("%q is neither a time like 08:00 nor a time zone", a)
		}
		z, err := ResolveZone(a)
		if err != nil {
			return nil, "", err
		}
		zone = z
	}
	if len(times) > maxTimes {
		return nil, "", fmt.Errorf("at most %d digest times a day", maxTimes)
	}
	slices.Sort(times)
	return times, zone, nil
}

func usage(name, example string) Response {
	info, _ := commandInfo(name)
	return Response{Text: fmt.Sprintf("Usage: /%s %s\nExample: %s", name, info.Args, example), Ephemeral: true}
}

func (b *Bot) cmdSubscribe(ctx context.Context, r Request) Response {
	times, zone, err := parseSchedule(r.Args)
	if err != nil {
		return withUsage(err, "subscribe", "/subscribe 08:00 Europe/Kyiv")
	}
	s, err := b.store.GetSubscription(ctx, r.Platform, r.ChatID)
	if errors.Is(err, ErrNotFound) {
		s = Subscription{Platform: r.Platform, ChatID: r.ChatID, Created: b.now(), Alerts: !b.opts.Alerts.Off,
			Times: []string{b.opts.DefaultTime}, Timezone: b.opts.DefaultTimezone,
			QuietFrom: b.opts.Alerts.QuietFrom, QuietTo: b.opts.Alerts.QuietTo}
	} else if err != nil {
		return b.internalError(r, err)
	}
	if len(times) > 0 {
		s.Times = times
	}
	if zone != "" {
		s.Timezone = zone
	}
	s.ThreadID, s.ChatKind, s.Title, s.Lang = r.ThreadID, r.ChatKind, r.ChatTitle, r.Lang
	s.Active, s.Reason = true, ""
	if err := b.saveSchedule(ctx, &s); err != nil {
		return b.internalError(r, err)
	}
	return Response{Text: "Subscribed. " + scheduleText(s) + "\n" + alertsText(s.Alerts), Ephemeral: true, Changed: true}
}

func withUsage(err error, name, example string) Response {
	resp := usage(name, example)
	resp.Text = upperFirst(err.Error()) + ".\n" + resp.Text
	return resp
}

// saveSchedule stores s. Its next due time is computed again unless a slot
// of the unchanged schedule is still due: that digest is not skipped.
func (b *Bot) saveSchedule(ctx context.Context, s *Subscription) error {
	now := b.now()
	s.Updated = now
	if s.NextDue.IsZero() || s.NextDue.After(now) || now.Sub(s.NextDue) > 24*time.Hour || !s.scheduleIs(s.NextDue) {
		s.NextDue = s.Next(now)
	}
	return b.store.PutSubscription(ctx, *s)
}

func (b *Bot) cmdUnsubscribe(ctx context.Context, r Request) Response {
	if _, err := b.store.GetSubscription(ctx, r.Platform, r.ChatID); errors.Is(err, ErrNotFound) {
		return Response{Text: "This chat has no subscription. /subscribe starts one.", Ephemeral: true}
	} else if err != nil {
		return b.internalError(r, err)
	}
	if err := b.store.DeleteSubscription(ctx, r.Platform, r.ChatID); err != nil {
		return b.internalError(r, err)
	}
	return Response{Text: "Unsubscribed: no more digests or alerts here. /subscribe to start again.", Ephemeral: true, Changed: true}
}

// withSubscription loads the chat's subscription, applies change and saves it.
func (b *Bot) withSubscription(ctx context.Context, r Request, change func(*Subscription) (string, error), name, example string) Response {
	s, err := b.store.GetSubscription(ctx, r.Platform, r.ChatID)
	if errors.Is(err, ErrNotFound) {
		return Response{Text: "This chat has no subscription yet: /subscribe first.", Ephemeral: true}
	} else if err != nil {
		return b.internalError(r, err)
	}
	text, err := change(&s)
	if err != nil {
		return withUsage(err, name, example)
	}
	if text == "" { // a read-only answer
		return Response{Text: text, Ephemeral: true}
	}
	if err := b.saveSchedule(ctx, &s); err != nil {
		return b.internalError(r, err)
	}
	return Response{Text: text, Ephemeral: true, Changed: true}
}

func (b *Bot) cmdSchedule(ctx context.Context, r Request) Response {
	return b.withSubscription(ctx, r, func(s *Subscription) (string, error) {
		times, zone, err := parseSchedule(r.Args)
		if err != nil {
			return "", err
		}
		if len(times) == 0 {
			return "", fmt.Errorf("no time given")
		}
		s.Times = times
		if zone != "" {
			s.Timezone = zone
		}
		return "Schedule changed. " + scheduleText(*s), nil
	}, "schedule", "/schedule 07:30 Europe/Kyiv")
}

func (b *Bot) cmdAlerts(ctx context.Context, r Request) Response {
	return b.withSubscription(ctx, r, func(s *Subscription) (string, error) {
		if len(r.Args) < 1 || len(r.Args) > 2 {
			return "", fmt.Errorf("say on or off")
		}
		switch strings.ToLower(r.Args[0]) {
		case "on", "yes", "1", "true", "увімкнути", "так":
			s.Alerts = true
		case "off", "no", "0", "false", "вимкнути", "ні":
			s.Alerts = false
		default:
			return "", fmt.Errorf("%q is neither on nor off", r.Args[0])
		}
		if len(r.Args) == 2 {
			n, err := strconv.Atoi(r.Args[1])
			if err != nil || n < 1 || n > 50 {
				return "", fmt.Errorf("%q is not a number of outlets from 1 to 50", r.Args[1])
			}
			s.AlertOutlets = n
		}
		return alertsText(s.Alerts), nil
	}, "alerts", "/alerts on 4")
}

func (b *Bot) cmdTopics(ctx context.Context, r Request) Response {
	if len(r.Args) == 0 || strings.EqualFold(r.Args[0], "list") {
		s, err := b.store.GetSubscription(ctx, r.Platform, r.ChatID)
		if errors.Is(err, ErrNotFound) {
			return Response{Text: "This chat has no subscription yet: /subscribe first.", Ephemeral: true}
		} else if err != nil {
			return b.internalError(r, err)
		}
		return Response{Text: topicsText(s.Topics), Ephemeral: true}
	}
	return b.withSubscription(ctx, r, func(s *Subscription) (string, error) {
		op, topic := strings.ToLower(r.Args[0]), strings.TrimSpace(strings.Join(r.Args[1:], " "))
		if topic == "" || (op != "add" && op != "remove") {
			return "", fmt.Errorf("say list, add or remove and a topic")
		}
		switch op {
		case "add":
			if err := checkTopic(topic); err != nil {
				return "", err
			}
			if len(s.Topics) >= maxTopics {
				return "", fmt.Errorf("at most %d topics", maxTopics)
			}
			if !slices.ContainsFunc(s.Topics, func(t string) bool { return strings.EqualFold(t, topic) }) {
				s.Topics = append(s.Topics, topic)
			}
		case "remove":
			i := slices.IndexFunc(s.Topics, func(t string) bool { return strings.EqualFold(t, topic) })
			if i < 0 {
				return "", fmt.Errorf("%q is not one of this chat's topics", topic)
			}
			s.Topics = slices.Delete(s.Topics, i, i+1)
		}
		return topicsText(s.Topics), nil
	}, "topics", "/topics add Zaporizhzhia")
}

// checkTopic accepts a keyword or a Go regular expression of bounded size
// (RE2 runs in linear time, so a user's pattern cannot stall the bot).
func checkTopic(t string) error {
	if len(t) > maxTopicLength {
		return fmt.Errorf("a topic may be at most %d characters", maxTopicLength)
	}
	if _, err := regexp.Compile("(?i)" + t); err != nil {
		return fmt.Errorf("%q is not a valid pattern", t)
	}
	return nil
}

func (b *Bot) internalError(r Request, err error) Response {
	b.log.Error("command failed", "platform", r.Platform, "chat_id", r.ChatID, "command", r.Command, "error", err)
	return Response{Text: "Something went wrong on my side; please try again in a minute.", Ephemeral: true}
}

func scheduleText(s Subscription) string {
	text := fmt.Sprintf("Daily digest at %s (%s).", strings.Join(s.Times, ", "), s.Timezone)
	if loc, err := time.LoadLocation(s.Timezone); err == nil && !s.NextDue.IsZero() {
		text += " Next: " + s.NextDue.In(loc).Format("Mon 2 Jan 15:04") + "."
	}
	return text
}

func alertsText(on bool) string {
	if on {
		return "Breaking alerts are on: /alerts off to stop them."
	}
	return "Breaking alerts are off: /alerts on to get them."
}

func topicsText(topics []string) string {
	if len(topics) == 0 {
		return "No topic filters: every development is included. /topics add X to narrow it."
	}
	return "Only developments that mention: " + strings.Join(topics, ", ") + ".\n/topics remove X to drop one."
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
