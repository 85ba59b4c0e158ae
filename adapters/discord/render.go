package discord

import (
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// Discord's message and embed limits, in characters:
// https://discord.com/developers/docs/resources/message#embed-object-embed-limits
const (
	maxContent     = 2000
	maxEmbeds      = 10
	maxEmbedTotal  = 6000
	maxTitle       = 256
	maxDescription = 4096
	maxFooter      = 2048
)

// What a rendered item may take of its embed.
const (
	maxOutletName  = 80
	maxLinkedItems = 12 // outlets or timeline articles listed before "+N"
	maxSummary     = 2400
	footerBudget   = 256 // so that one embed (256 + 4096 + 256) stays under 6000
)

// Embed colours: new, updated, breaking, a story in full.
const (
	colorNew     = 0x2e8b57
	colorUpdated = 0xd4a017
	colorAlert   = 0xc0392b
	colorStory   = 0x3b6ea5
)

// payload is one Discord message: text and embeds, within every limit.
type payload struct {
	Content string                    `json:"content,omitempty"`
	Embeds  []*discordgo.MessageEmbed `json:"embeds,omitempty"`
}

// render turns a message into Discord messages: a digest becomes one embed
// per development, split over as many messages as the limits require;
// everything that came from a feed is escaped.
func render(m bot.Message) []payload {
	l := labelsFor(m.Lang)
	switch {
	case m.Kind == bot.KindDigest && m.Digest != nil && len(m.Digest.Developments) > 0:
		return renderDigest(*m.Digest, l)
	case (m.Kind == bot.KindAlert || m.Kind == bot.KindStory) && m.Development != nil:
		d := *m.Development
		if m.Kind == bot.KindStory {
			return []payload{{Embeds: []*discordgo.MessageEmbed{storyEmbed(d, l)}}}
		}
		e := developmentEmbed(d, l, l.breaking)
		e.Color = colorAlert
		return []payload{{Content: fmt.Sprintf(l.alertHeader, len(d.Sources)), Embeds: []*discordgo.MessageEmbed{e}}}
	}
	text := m.Text
	if text == "" {
		text = l.nothing
	}
	return renderText(text)
}

func renderDigest(d digest.Digest, l labels) []payload {
	var out []payload
	cur := payload{Content: l.header(len(d.Developments), d.Since)}
	total := 0
	for _, dev := range d.Developments {
		mark, color := l.updated, colorUpdated
		if dev.IsNew(d.Since) {
			mark, color = l.new, colorNew
		}
		e := developmentEmbed(dev, l, mark)
		e.Color = color
		n := embedChars(e)
		if len(cur.Embeds) == maxEmbeds || total+n > maxEmbedTotal {
			out = append(out, cur)
			cur, total = payload{}, 0
		}
		cur.Embeds = append(cur.Embeds, e)
		total += n
	}
	return append(out, cur)
}

// developmentEmbed is one development: its headline linking to the first
// article, the summary, the outlets as links, and a footer saying whether it
// is new, how many outlets carry it and its /story id.
func developmentEmbed(d digest.Development, l labels, mark string) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Title: escape(d.Headline, maxTitle)}
	if len(d.Sources) > 0 {
		e.URL, _ = linkTarget(d.Sources[0].URL)
	}
	links := make([]string, 0, len(d.Sources))
	for _, s := range d.Sources {
		item := link(s.Name, s.URL, maxOutletName)
		if s.Label != "" {
			item += " *(" + escape(s.Label, maxOutletName) + ")*"
		}
		links = append(links, item)
	}
	outlets := listWithin(links, " · ", l.more, maxDescription-maxSummary-2)
	summary := escape(d.Summary, maxDescription-runes(outlets)-2)
	e.Description = strings.TrimSpace(summary + "\n\n" + outlets)
	e.Footer = &discordgo.MessageEmbedFooter{Text: plain(fmt.Sprintf(l.footer, mark, len(d.Sources), clip(d.ID, footerBudget)), footerBudget)}
	if !d.Updated.IsZero() {
		e.Timestamp = d.Updated.UTC().Format(time.RFC3339)
	}
	return e
}

// storyEmbed is one development in full: its summary and the timeline of
// every outlet's article.
func storyEmbed(d digest.Development, l labels) *discordgo.MessageEmbed {
	e := developmentEmbed(d, l, l.story)
	e.Color = colorStory
	if len(d.Articles) == 0 {
		return e
	}
	lines := make([]string, 0, len(d.Articles))
	for _, a := range d.Articles {
		lines = append(lines, fmt.Sprintf("`%s` %s: %s", a.Published.UTC().Format("02 Jan 15:04"),
			link(a.Source, a.URL, maxOutletName), escape(a.Title, 200)))
	}
	timeline := listWithin(lines, "\n", l.moreArticles, maxDescription-maxSummary-2)
	summary := escape(d.Summary, maxDescription-runes(timeline)-2)
	e.Description = strings.TrimSpace(summary + "\n\n" + timeline)
	e.Footer.Text = plain(fmt.Sprintf(l.storyFooter, len(d.Sources), len(d.Articles), clip(d.ID, footerBudget)), footerBudget)
	return e
}

// listWithin joins items with sep within max characters, ending with
// more (a format for the count) for the items left out.
func listWithin(items []string, separator, more string, max int) string {
	var b strings.Builder
	n := 0
	for i, it := range items {
		rest := fmt.Sprintf(more, len(items)-i)
		sep := ""
		if i > 0 {
			sep = separator
		}
		room := max - runes(sep) - runes(it)
		if i < len(items)-1 {
			room -= runes(separator) + runes(rest) // keep room to say what is left out
		}
		if i == maxLinkedItems || n > room {
			return b.String() + sep + rest
		}
		b.WriteString(sep + it)
		n += runes(sep) + runes(it)
	}
	return b.String()
}

// maxTextMessages bounds how many messages one text becomes.
const maxTextMessages = 5

// renderText splits escaped text into messages of at most 2000 characters,
// at line breaks where it can; text beyond five messages is cut.
func renderText(text string) []payload {
	var out []payload
	var cur strings.Builder
	if clipped := clip(text, maxTextMessages*maxContent/2); clipped != text {
		text = clipped + ellipsis
	}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		line = escape(line, maxContent)
		if cur.Len() > 0 && runes(cur.String())+1+runes(line) > maxContent {
			out = append(out, payload{Content: cur.String()})
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte('\n')
		}
		cur.WriteString(line)
	}
	if cur.Len() == 0 {
		cur.WriteString(ellipsis)
	}
	return append(out, payload{Content: cur.String()})
}

// embedChars counts the characters Discord adds up against the 6000 limit.
func embedChars(e *discordgo.MessageEmbed) int {
	n := runes(e.Title) + runes(e.Description)
	if e.Footer != nil {
		n += runes(e.Footer.Text)
	}
	if e.Author != nil {
		n += runes(e.Author.Name)
	}
	for _, f := range e.Fields {
		n += runes(f.Name) + runes(f.Value)
	}
	return n
}
