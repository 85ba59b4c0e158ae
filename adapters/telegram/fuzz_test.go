package telegram

import (
	"strings"
	"testing"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// FuzzRender: whatever feeds put in titles, summaries, outlet names, links
// and ids, every kind of message renders into messages the fake Bot API
// accepts: valid HTML, allowed tags only, at most 4096 UTF-16 code units.
func FuzzRender(f *testing.F) {
	f.Add("Title <b>bold</b> & </b>", "Summary &amp; <i>", "Outlet", `https://x.example/?a="b"&c=<d>`, "k3x9qa", uint8(3))
	f.Add(strings.Repeat("Заголовок ", 1000), strings.Repeat("x", 10000), strings.Repeat("O", 300), "javascript:alert(1)", "d0001", uint8(20))
	f.Add("\u200b\u200f\u202eRTL\u202c\u2066x\u2069 zero\u200dwidth", "\u202e reversed", "\u200f", "https://x.example", "", uint8(1))
	f.Add("bad \xff\xfe utf-8", "\xc3\x28", "\xe2\x82", "https://x.example/\xff", "a b<c>", uint8(0))
	f.Add("😀😀😀", strings.Repeat("😀", 5000), "🙂", "http://[::1]:80/", "ID_with_underscore", uint8(255))
	f.Fuzz(func(t *testing.T, title, summary, outlet, link, id string, n uint8) {
		var sources []digest.Source
		for range int(n%10) + 1 {
			sources = append(sources, digest.Source{Name: outlet, URL: link})
		}
		dev := digest.Development{ID: id, Headline: title, Summary: summary, Sources: sources, FirstSeen: t0, Updated: t0,
			Articles: []digest.ArticleRef{{Source: outlet, URL: link, Title: title, Published: t0}, {Source: outlet, URL: link, Title: summary}}}
		d := digest.Digest{Generated: t0, Since: t0}
		for range int(n%16) + 1 {
			d.Developments = append(d.Developments, dev)
		}
		for _, m := range []bot.Message{
			{Kind: bot.KindDigest, Digest: &d},
			{Kind: bot.KindAlert, Development: &dev},
			{Kind: bot.KindStory, Development: &dev},
		} {
			parts, err := render(m)
			if err != nil {
				t.Fatalf("kind %d: %v", m.Kind, err)
			}
			mustValid(t, parts)
			if m.Kind == bot.KindAlert && len(parts) != 1 {
				t.Fatalf("an alert became %d messages", len(parts))
			}
		}
		if parts, err := render(bot.Message{Text: title + "\n" + summary}); err == nil {
			mustValid(t, parts)
		} else if clean(title) != "" || clean(summary) != "" {
			t.Fatalf("text %q: %v", title+"\n"+summary, err)
		}
	})
}
