package telegram

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

var t0 = time.Date(2025, 12, 16, 6, 0, 0, 0, time.UTC)

// sampleDigest has what feeds throw at a renderer: markup, entities,
// quotes in URLs, many outlets, an updated development.
func sampleDigest() digest.Digest {
	return digest.Digest{ID: "s-20251216T0600Z", Generated: t0, Since: t0.Add(-24 * time.Hour), Developments: []digest.Development{
		{ID: "k3x9qa", Headline: `Zelensky offers to drop NATO bid for "Article 5-like" guarantees <script>alert(1)</script>`,
			Summary: "He called the offer \"a compromise\" before five hours of talks with US envoys Witkoff & Kushner. </b><i>",
			Sources: []digest.Source{
				{Name: "Kyiv Ledger", URL: `https://kyivledger.example/a?x=1&y="2"`},
				{Name: "Atlantic <Wire>", URL: "https://atlanticwire.example/b"},
				{Name: "Baltic Herald", URL: "javascript:alert(1)"},
				{Name: "Danube Post", URL: "https://danube.example/c"},
				{Name: "Eastern Courier", URL: "https://eastern.example/d"},
			},
			FirstSeen: t0.Add(-3 * time.Hour), Updated: t0.Add(-2 * time.Hour)},
		{ID: "m2p8zr", Headline: "IAEA: Zaporizhzhia plant lost its last power line for 6 hours", Summary: "",
			Sources:   []digest.Source{{Name: "Reactor Watch", URL: "http://reactor.example/e"}},
			FirstSeen: t0.Add(-48 * time.Hour), Updated: t0.Add(-1 * time.Hour)},
	}}
}

func sampleStory() digest.Development {
	d := sampleDigest().Developments[0]
	d.Articles = []digest.ArticleRef{
		{Source: "Atlantic <Wire>", URL: "https://atlanticwire.example/b", Title: "Zelensky: NATO & guarantees", Published: t0.Add(-2 * time.Hour)},
		{Source: "Kyiv Ledger", URL: "https://kyivledger.example/a", Title: "Offer made before Berlin talks", Published: t0.Add(-3 * time.Hour)},
	}
	return d
}

func TestRenderGolden(t *testing.T) {
	d := sampleDigest()
	story := sampleStory()
	alert := d.Developments[0]
	tests := []struct {
		name string
		msg  bot.Message
	}{
		{"digest", bot.Message{Kind: bot.KindDigest, Digest: &d}},
		{"digest-uk", bot.Message{Kind: bot.KindDigest, Digest: &d, Lang: "uk"}},
		{"empty-digest", bot.Message{Kind: bot.KindDigest, Digest: &digest.Digest{}, Text: "Nothing new since the last digest."}},
		{"story", bot.Message{Kind: bot.KindStory, Development: &story}},
		{"alert", bot.Message{Kind: bot.KindAlert, Development: &alert}},
		{"text", bot.Message{Kind: bot.KindText, Text: "Usage: /subscribe [HH:MM] [Area/City]\nExample: /subscribe 08:00 Europe/Kyiv\n\n<b>not bold</b> & co"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts, err := render(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			mustValid(t, parts)
			golden(t, tt.name, strings.Join(parts, "\n----- next message -----\n"))
		})
	}
}

// mustValid checks parts as the fake Bot API does.
func mustValid(tb testing.TB, parts []string) []telegramtest.ParsedText {
	tb.Helper()
	var out []telegramtest.ParsedText
	for i, p := range parts {
		parsed, err := telegramtest.CheckMessageText(p, "HTML")
		if err != nil {
			tb.Fatalf("message %d of %d is refused: %v\n%s", i+1, len(parts), err, p)
		}
		out = append(out, parsed)
	}
	return out
}

func golden(tb testing.TB, name, got string) {
	tb.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		tb.Errorf("%s differs from %s (run go test -update if the change is right):\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

func TestRenderEscapes(t *testing.T) {
	parts, err := render(bot.Message{Kind: bot.KindDigest, Digest: ptr(sampleDigest())})
	if err != nil {
		t.Fatal(err)
	}
	parsed := mustValid(t, parts)[0]
	for _, want := range []string{`"Article 5-like" guarantees <script>alert(1)</script>`, "Witkoff & Kushner. </b><i>", "Atlantic <Wire>", "/story_k3x9qa", "· new", "· updated"} {
		if !strings.Contains(parsed.Text, want) {
			t.Errorf("visible text lacks %q:\n%s", want, parsed.Text)
		}
	}
	links := parsed.Links()
	for _, l := range links {
		if strings.HasPrefix(l, "javascript:") {
			t.Errorf("a javascript: link survived: %q", links)
		}
	}
	if links[0] != `https://kyivledger.example/a?x=1&y="2"` {
		t.Errorf("headline link = %q, want the first outlet's URL unchanged", links[0])
	}
	if strings.Contains(parsed.Text, "Eastern Courier") || !strings.Contains(parsed.Text, "+2") {
		t.Errorf("outlets after the third should be counted, not named:\n%s", parsed.Text)
	}
}

func ptr[T any](v T) *T { return &v }

// manyDevelopments returns a digest of n developments with long summaries.
func manyDevelopments(n int) digest.Digest {
	d := digest.Digest{Generated: t0, Since: t0.Add(-24 * time.Hour)}
	for i := range n {
		d.Developments = append(d.Developments, digest.Development{
			ID: fmt.Sprintf("dev%03d", i), Headline: fmt.Sprintf("Development number %d & more", i),
			Summary: strings.Repeat("Отримано дані про обстріл 😀 ", 30), FirstSeen: t0.Add(-time.Hour), Updated: t0,
			Sources: []digest.Source{{Name: "Kyiv Ledger", URL: fmt.Sprintf("https://kyivledger.example/%d", i)}}})
	}
	return d
}

func TestRenderSplitsBetweenDevelopments(t *testing.T) {
	d := manyDevelopments(20)
	parts, err := render(bot.Message{Kind: bot.KindDigest, Digest: &d})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) < 2 {
		t.Fatalf("%d message(s), want the digest split", len(parts))
	}
	parsed := mustValid(t, parts)
	seen := 0
	for i, p := range parsed {
		if p.Length() > maxMessage {
			t.Errorf("message %d has %d UTF-16 code units", i, p.Length())
		}
		for _, dev := range d.Developments {
			head, ref := strings.Contains(p.Text, dev.Headline), strings.Contains(p.Text, "/story_"+dev.ID)
			if head != ref {
				t.Errorf("development %s is split across messages", dev.ID)
			}
			if head {
				seen++
			}
		}
	}
	if seen != len(d.Developments) {
		t.Errorf("%d developments shown, want %d", seen, len(d.Developments))
	}
}

func TestRenderTrimsHugeFields(t *testing.T) {
	huge := strings.Repeat("word ", 4000) // 20,000 characters
	d := digest.Digest{Developments: []digest.Development{{ID: "x1", Headline: huge, Summary: huge,
		Sources: []digest.Source{{Name: huge, URL: "https://a.example/" + strings.Repeat("p", 5000)}}}}}
	for _, kind := range []bot.Kind{bot.KindDigest, bot.KindAlert, bot.KindStory} {
		m := bot.Message{Kind: kind, Digest: &d, Development: &d.Developments[0]}
		parts, err := render(m)
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != 1 {
			t.Errorf("kind %d: %d messages, want one", kind, len(parts))
		}
		p := mustValid(t, parts)[0]
		if !strings.Contains(p.Text, "word…") || strings.Contains(p.Text, "wor…") {
			t.Errorf("kind %d: not trimmed at a word boundary:\n%.200s", kind, p.Text)
		}
		if kind != bot.KindStory && !strings.Contains(p.Text, "/story_x1") {
			t.Errorf("kind %d: the story reference was trimmed away", kind)
		}
	}
}

func TestRenderText(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		parts int
	}{
		{"short", "hello", 1},
		{"long lines", strings.Repeat("line of text\n", 700), 3},
		{"one huge word", strings.Repeat("ж", 9000), 3},
		{"huge line of words", strings.Repeat("слово ", 2000), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts, err := render(bot.Message{Text: tt.text})
			if err != nil {
				t.Fatal(err)
			}
			mustValid(t, parts)
			if len(parts) != tt.parts {
				t.Errorf("%d messages, want %d", len(parts), tt.parts)
			}
		})
	}
	if _, err := render(bot.Message{Text: " \n\u202e "}); err == nil {
		t.Error("a blank message rendered, want an error")
	}
}
