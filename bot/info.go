package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Answers to a /latest repeated within the cooldown.
const justSent = "Just sent above ↑ — ask again in a minute."

func (b *Bot) cmdLatest(ctx context.Context, r Request) Response {
	if resp, repeated := b.latestCooldown(ctx, r); repeated {
		return resp
	}
	n := b.opts.MaxItems
	if len(r.Args) > 0 {
		v, err := strconv.Atoi(strings.TrimSpace(r.Args[0]))
		if err != nil || v < 1 {
			return withUsage(fmt.Errorf("%q is not a number of developments", r.Args[0]), "latest", "/latest 5")
		}
		n = min(v, 3*b.opts.MaxItems)
	}
	d := b.Latest(n)
	if len(d.Developments) == 0 {
		return Response{Text: "No developments in the last 24 hours yet."}
	}
	return Response{Digest: &d}
}

// latestCooldown lets a chat have one /latest per LatestCooldown: the
// first repeat gets a short note, later ones an empty Response (nothing is
// sent). A failing store lets the request through.
func (b *Bot) latestCooldown(ctx context.Context, r Request) (Response, bool) {
	cd, now := b.opts.Delivery.LatestCooldown, b.now()
	chat := r.Platform + ":" + r.ChatID
	first, err := b.store.TakeSlot(ctx, "latest:"+chat, now, cd, 1)
	if err != nil {
		b.log.Warn("latest cooldown unavailable", "platform", r.Platform, "chat_id", r.ChatID, "error", err)
		return Response{}, false
	}
	if first {
		return Response{}, false
	}
	if note, err := b.store.TakeSlot(ctx, "latest-note:"+chat, now, cd, 1); err == nil && note {
		return Response{Text: justSent, Ephemeral: true}, true
	}
	return Response{}, true
}

func (b *Bot) cmdStory(ctx context.Context, r Request) Response {
	if len(r.Args) != 1 {
		return usage("story", "/story 4kq7zp")
	}
	id := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(r.Args[0]), "#"))
	d, err := b.Story(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Response{Text: fmt.Sprintf("No development %q: ids are shown under each item of a digest, and expire after a few days.", id), Ephemeral: true}
	} else if err != nil {
		return b.internalError(r, err)
	}
	return Response{Development: &d}
}

func (b *Bot) cmdStatus(ctx context.Context, r Request) Response {
	var lines []string
	s, err := b.store.GetSubscription(ctx, r.Platform, r.ChatID)
	switch {
	case errors.Is(err, ErrNotFound):
		lines = append(lines, "This chat has no subscription: /subscribe starts one.")
	case err != nil:
		return b.internalError(r, err)
	case !s.Active:
		lines = append(lines, "This chat's subscription is paused ("+s.Reason+"): /subscribe resumes it.")
	default:
		lines = append(lines, scheduleText(s), alertsText(s.Alerts), topicsText(s.Topics))
	}
	b.mu.Lock()
	st := b.engine.Stats()
	b.mu.Unlock()
	lines = append(lines, fmt.Sprintf("Reading %d sources; %d articles kept, %d dropped since start.",
		len(b.opts.Sources), st.Kept, st.Added-st.Kept))
	return Response{Text: strings.Join(lines, "\n"), Ephemeral: true}
}

func welcomeText(o Options) string {
	return fmt.Sprintf(`Hello! I am sitrep. I read %d outlets that cover the war in Ukraine, group the articles that report the same development, and tell you each development once, in a sentence or two, with the outlets that carry it.

/latest — the top developments now
/subscribe 08:00 Europe/Kyiv — a daily digest here at that time
/alerts on — breaking news once several outlets confirm it
/help — everything else`, len(o.Sources))
}

func helpText() string {
	var b strings.Builder
	b.WriteString("Commands:\n")
	for _, c := range Commands() {
		fmt.Fprintf(&b, "/%s %s — %s\n", c.Name, c.Args, c.Description["en"])
	}
	b.WriteString("\nIn groups and channels only administrators can change the subscription; anyone can use /latest.")
	return strings.ReplaceAll(b.String(), "  —", " —")
}

func sourcesText(sources []SourceInfo) string {
	if len(sources) == 0 {
		return "No sources are configured."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "I read %d sources:\n", len(sources))
	for _, s := range sources {
		b.WriteString("• " + s.Name)
		var tags []string
		if s.Lang != "" {
			tags = append(tags, s.Lang)
		}
		if s.Label != "" {
			tags = append(tags, s.Label)
		}
		if len(tags) > 0 {
			b.WriteString(" (" + strings.Join(tags, ", ") + ")")
		}
		b.WriteString("\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}
