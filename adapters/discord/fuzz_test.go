package discord

import (
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// FuzzRender: whatever a feed says, every message is within Discord's
// limits and holds no live mention.
func FuzzRender(f *testing.F) {
	f.Add("Drones hit Odesa port", "Two ships damaged.", "Kyiv Ledger", "https://kyivledger.example/a", "independent", "k3x9qa", 3)
	f.Add("@everyone <@123> <@!1> <@&2> <#3> </x:4> <a:e:5> @here", "> # [x](y) ||s|| `c` ~~d~~ *e* _f_ \\", "<@1>](x)", "https://a.example/(@everyone)", "@here", "<#1>", 12)
	f.Add(strings.Repeat("ж", 300), strings.Repeat("@", 5000), strings.Repeat("]", 200), "http://"+strings.Repeat("a", 3000), "", strings.Repeat("x", 3000), 30)
	f.Add("\x00\r\n\t\u200b@\u200beveryone", "<\u200b@1>", "", "javascript:alert(1)", "\xff\xfe", "", 0)
	f.Fuzz(func(t *testing.T, headline, summary, outlet, url, label, id string, n int) {
		n = min(max(n, 0), 16)
		now := time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC)
		d := digest.Development{ID: id, Headline: headline, Summary: summary, FirstSeen: now, Updated: now}
		for i := range n {
			d.Sources = append(d.Sources, digest.Source{Name: outlet, URL: url, Label: label})
			d.Articles = append(d.Articles, digest.ArticleRef{Source: outlet, URL: url, Title: headline, Published: now.Add(time.Duration(i) * time.Minute)})
		}
		dg := &digest.Digest{Generated: now, Since: now.Add(-time.Hour)}
		for range n%12 + 1 {
			dg.Developments = append(dg.Developments, d)
		}
		for _, lang := range []string{"", "uk"} {
			for _, m := range []bot.Message{
				{Kind: bot.KindDigest, Digest: dg, Lang: lang},
				{Kind: bot.KindAlert, Development: &d, Lang: lang},
				{Kind: bot.KindStory, Development: &d, Lang: lang},
				{Kind: bot.KindText, Text: headline + "\n" + summary, Lang: lang},
			} {
				checkLimits(t, render(m))
			}
		}
	})
}
