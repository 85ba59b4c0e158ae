package telegram

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// Caps on what one feed-derived field may take of a message, in UTF-16 code
// units. They keep every block of a message well under maxMessage, so a
// message is only ever split between blocks.
const (
	maxHeadline     = 300
	maxSummary      = 1000
	maxStorySummary = 2500
	maxOutletName   = 64
	maxTitle        = 300
	digestOutlets   = 3 // outlets named in a digest item before "+N"
	alertOutlets    = 6
)

// labels are the words the renderer adds, in one language.
type labels struct {
	digest, outlets, newMark, updatedMark, breaking, timeline, firstSeen, untitled string
}

var labelsByLang = map[string]labels{
	"en": {digest: "sitrep digest · %d developments", outlets: "%d outlets", newMark: "new", updatedMark: "updated",
		breaking: "Breaking", timeline: "Timeline", firstSeen: "first seen", untitled: "(untitled)"},
	"uk": {digest: "Дайджест sitrep · подій: %d", outlets: "джерел: %d", newMark: "нове", updatedMark: "оновлено",
		breaking: "Терміново", timeline: "Хронологія", firstSeen: "вперше", untitled: "(без назви)"},
}

func labelsFor(lang string) labels {
	if l, ok := labelsByLang[lang]; ok {
		return l
	}
	return labelsByLang["en"]
}

// render turns m into the texts of one or more messages in HTML style, each
// at most maxMessage UTF-16 code units after entity parsing. Everything that
// came from a feed is escaped; link previews are turned off by the sender.
func render(m bot.Message) ([]string, error) {
	l := labelsFor(m.Lang)
	var parts []string
	switch {
	case m.Kind == bot.KindDigest && m.Digest != nil && len(m.Digest.Developments) > 0:
		parts = renderDigest(*m.Digest, l)
	case m.Kind == bot.KindAlert && m.Development != nil:
		parts = []string{renderAlert(*m.Development, l)}
	case m.Kind == bot.KindStory && m.Development != nil:
		parts = renderStory(*m.Development, l)
	default:
		parts = renderText(m.Text)
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("telegram: message %s has nothing to show", m.Key)
	}
	return parts, nil
}

// renderDigest writes a header and one block per development, split
// between developments.
func renderDigest(d digest.Digest, l labels) []string {
	head := &fragment{}
	head.text("📰 ")
	head.bold(func() { head.text(fmt.Sprintf(l.digest, len(d.Developments))) })
	blocks := []*fragment{head}
	for i, dev := range d.Developments {
		f := &fragment{}
		f.bold(func() {
			f.text(fmt.Sprintf("%d. ", i+1))
			headline(f, dev, l)
		})
		if s := truncate(clean(dev.Summary), maxSummary); s != "" {
			f.text("\n" + s)
		}
		f.text("\n— ")
		outlets(f, dev.Sources, digestOutlets)
		mark := l.updatedMark
		if dev.IsNew(d.Since) {
			mark = l.newMark
		}
		f.text(" · " + mark)
		stamp(f, " ", dev.Updated, "t")
		storyRef(f, dev.ID)
		blocks = append(blocks, f)
	}
	return pack(blocks, "\n\n", maxMessage)
}

// renderAlert writes a breaking alert: always one message.
func renderAlert(dev digest.Development, l labels) string {
	f := &fragment{}
	f.text("🚨 ")
	f.bold(func() { f.text(l.breaking) })
	f.text(" · " + fmt.Sprintf(l.outlets, len(dev.Sources)) + "\n")
	f.bold(func() { headline(f, dev, l) })
	if s := truncate(clean(dev.Summary), maxSummary); s != "" {
		f.text("\n" + s)
	}
	f.text("\n— ")
	outlets(f, dev.Sources, alertOutlets)
	stamp(f, " · ", dev.Updated, "t")
	storyRef(f, dev.ID)
	return f.String()
}

// renderStory writes one development in full: its summary, then every
// outlet's article in time order, split between articles.
func renderStory(dev digest.Development, l labels) []string {
	head := &fragment{}
	head.bold(func() { headline(head, dev, l) })
	if s := truncate(clean(dev.Summary), maxStorySummary); s != "" {
		head.text("\n" + s)
	}
	head.text("\n" + fmt.Sprintf(l.outlets, len(dev.Sources)))
	stamp(head, " · "+l.firstSeen+" ", dev.FirstSeen, "dt")
	stamp(head, " · "+l.updatedMark+" ", dev.Updated, "dt")
	title := &fragment{}
	title.text("\n")
	title.bold(func() { title.text(l.timeline) })
	blocks := []*fragment{head, title}
	articles := slices.Clone(dev.Articles)
	slices.SortStableFunc(articles, func(a, b digest.ArticleRef) int { return a.Published.Compare(b.Published) })
	for _, a := range articles {
		f := &fragment{}
		f.text("•")
		stamp(f, " ", a.Published, "dt")
		f.text(" ")
		f.link(a.URL, outletName(a.Source))
		if t := truncate(clean(a.Title), maxTitle); t != "" {
			f.text(": " + t)
		}
		blocks = append(blocks, f)
	}
	if len(articles) == 0 { // a development kept without its timeline: its outlets
		for _, s := range dev.Sources {
			f := &fragment{}
			f.text("• ")
			f.link(s.URL, outletName(s.Name))
			blocks = append(blocks, f)
		}
	}
	return pack(blocks, "\n", maxMessage)
}

// renderText writes plain text, split between lines (and inside a line too
// long for one message, between words).
func renderText(s string) []string {
	var blocks []*fragment
	for _, line := range cleanLines(s) {
		for _, piece := range splitWords(line, maxMessage) {
			f := &fragment{}
			f.text(piece)
			blocks = append(blocks, f)
		}
	}
	return pack(blocks, "\n", maxMessage)
}

// headline writes a development's headline, linked to its first outlet's article.
func headline(f *fragment, dev digest.Development, l labels) {
	h := truncate(clean(dev.Headline), maxHeadline)
	if h == "" {
		h = l.untitled
	}
	target := ""
	if len(dev.Sources) > 0 {
		target = dev.Sources[0].URL
	}
	f.link(target, h)
}

// outlets writes up to max outlets, each linked to its article, then "+N".
func outlets(f *fragment, sources []digest.Source, max int) {
	for i, s := range sources {
		if i == max {
			f.text(fmt.Sprintf(" +%d", len(sources)-max))
			return
		}
		if i > 0 {
			f.text(", ")
		}
		f.link(s.URL, outletName(s.Name))
	}
}

func outletName(name string) string {
	return cmp.Or(truncate(clean(name), maxOutletName), "?")
}

// stamp writes prefix and a time the reader sees in their own zone; the
// fallback text is UTC. A zero time writes nothing.
func stamp(f *fragment, prefix string, t time.Time, format string) {
	if t.IsZero() {
		return
	}
	layout := "15:04 UTC"
	if format == "dt" {
		layout = "2 Jan 15:04 UTC"
	}
	f.text(prefix)
	f.time(t.Unix(), format, t.UTC().Format(layout))
}

// commandID is an id that can follow "/story_" as one tappable command
// (command names are at most 32 letters, digits and underscores).
var commandID = regexp.MustCompile(`^[A-Za-z0-9]{1,26}$`)

// storyRef writes how to ask for the development in full: /story_ID, which
// Telegram shows as a command the reader can tap.
func storyRef(f *fragment, id string) {
	switch {
	case commandID.MatchString(id):
		f.text(" · /story_" + id)
	case id != "":
		f.text(" · /story ")
		f.wrap("code", truncate(clean(id), 64))
	}
}
