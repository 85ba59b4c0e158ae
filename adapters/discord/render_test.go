package discord

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var at = time.Date(2025, 12, 16, 18, 0, 0, 0, time.UTC)

func dev(id, headline, summary string, outlets int, first time.Time) digest.Development {
	d := digest.Development{ID: id, Headline: headline, Summary: summary, FirstSeen: first, Updated: first.Add(time.Hour)}
	names := []string{"Kyiv Ledger", "Atlantic Wire", "Harbour Times", "Steppe Observer", "Nordlys Post", "Dnipro Daily",
		"Baltic Herald", "Continental Wire", "Danube Courier", "Vistula Review", "Carpathian Echo", "Black Sea Monitor", "Polesia Voice"}
	for i := range outlets {
		n := names[i%len(names)]
		d.Sources = append(d.Sources, digest.Source{Name: n, URL: "https://" + strings.ToLower(strings.ReplaceAll(n, " ", "")) + ".example/2025/12/16/" + id})
		d.Articles = append(d.Articles, digest.ArticleRef{ID: fmt.Sprint(i), Source: n, URL: d.Sources[i].URL,
			Title: headline + " (" + n + ")", Published: first.Add(time.Duration(i) * 10 * time.Minute)})
	}
	return d
}

func sampleDigest() *digest.Digest {
	since := at.Add(-24 * time.Hour)
	return &digest.Digest{ID: "s-20251216T1800Z", Generated: at, Since: since, Developments: []digest.Development{
		dev("k3x9qa", "Drones hit Mykolaiv grain terminal overnight, two workers injured",
			"Russian drones struck a grain terminal in Mykolaiv overnight, injuring two workers and setting fire to a warehouse, the regional governor said.", 4, at.Add(-12*time.Hour)),
		dev("p2m7tw", "Germany pledges two more air defence systems for Ukraine",
			"Germany will deliver two more IRIS-T air defence systems early next year, Defence Minister Karl Brandt said.", 3, since.Add(-2*time.Hour)),
	}}
}

func hostileDigest() *digest.Digest {
	d := dev("x1", "@everyone **BREAKING** <@123456789012345678> [click](https://evil.example) ||spoiler|| `code` # h1",
		"> quoted <#123> <@&987> </subscribe:42> @here ~~strike~~ _under_ \\ back\nslash\r\n- list item <:emoji:1> <t:0:R>", 2, at.Add(-time.Hour))
	d.Sources[0].Name = "Evil](https://evil.example) @everyone"
	d.Sources[0].URL = "https://user:pw@evil.example/a(b)c @everyone"
	d.Sources[1].URL = "javascript:alert(1)"
	d.Sources[1].Label = "state-affiliated (Russia)"
	return &digest.Digest{Generated: at, Since: at.Add(-24 * time.Hour), Developments: []digest.Development{d}}
}

func bigDigest() *digest.Digest {
	d := &digest.Digest{Generated: at, Since: at.Add(-24 * time.Hour)}
	for i := range 14 {
		d.Developments = append(d.Developments, dev(fmt.Sprintf("b%04d", i), strings.Repeat("Long headline ", 30),
			strings.Repeat("A summary sentence that goes on. ", 40), 13, at.Add(-time.Duration(i)*time.Hour)))
	}
	return d
}

func TestRenderGolden(t *testing.T) {
	story := dev("k3x9qa", "Drones hit Mykolaiv grain terminal", "Two workers were injured.", 3, at.Add(-3*time.Hour))
	alert := dev("a7c2", "Explosions reported in Kharkiv", "Several outlets report explosions in Kharkiv.", 5, at.Add(-time.Hour))
	for _, tc := range []struct {
		name string
		m    bot.Message
	}{
		{"digest", bot.Message{Kind: bot.KindDigest, Digest: sampleDigest()}},
		{"digest-uk", bot.Message{Kind: bot.KindDigest, Digest: sampleDigest(), Lang: "uk"}},
		{"digest-hostile", bot.Message{Kind: bot.KindDigest, Digest: hostileDigest()}},
		{"digest-big", bot.Message{Kind: bot.KindDigest, Digest: bigDigest()}},
		{"digest-empty", bot.Message{Kind: bot.KindDigest, Digest: &digest.Digest{}, Text: "Nothing new since the last digest."}},
		{"alert", bot.Message{Kind: bot.KindAlert, Development: &alert}},
		{"story", bot.Message{Kind: bot.KindStory, Development: &story}},
		{"text", bot.Message{Kind: bot.KindText, Text: "Usage: /topics [list|add X|remove X]\nExample: /topics add *Zaporizhzhia*"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := render(tc.m)
			checkLimits(t, parts)
			got, err := json.MarshalIndent(parts, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", tc.name+".golden.json"), got)
		})
	}
}

// TestCommandsGolden pins the slash commands as registered.
func TestCommandsGolden(t *testing.T) {
	got, err := json.MarshalIndent(commandList(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "commands.golden.json"), got)
}

func TestDigestSplitsWithinLimits(t *testing.T) {
	parts := render(bot.Message{Kind: bot.KindDigest, Digest: bigDigest()})
	if len(parts) < 2 {
		t.Fatalf("14 long developments in %d message(s), want them split", len(parts))
	}
	n := 0
	for _, p := range parts {
		n += len(p.Embeds)
	}
	if n != 14 {
		t.Errorf("%d embeds in all, want 14 (one per development)", n)
	}
}

func TestNewAndUpdatedMarked(t *testing.T) {
	parts := render(bot.Message{Kind: bot.KindDigest, Digest: sampleDigest()})
	embeds := parts[0].Embeds
	if got := embeds[0].Footer.Text; !strings.HasPrefix(got, "New ·") {
		t.Errorf("first seen after Since: footer %q, want it marked New", got)
	}
	if got := embeds[1].Footer.Text; !strings.HasPrefix(got, "Updated ·") {
		t.Errorf("first seen before Since: footer %q, want it marked Updated", got)
	}
	if embeds[0].Color == embeds[1].Color {
		t.Errorf("new and updated have the same colour")
	}
}

// liveMention matches what Discord would turn into a mention, a channel or
// role link, a slash-command link or a custom emoji.
var liveMention = regexp.MustCompile(`@(everyone|here)|<(@|#|/|a?:)`)

// checkLimits fails tb unless every message is within Discord's limits and
// holds no live mention.
func checkLimits(tb testing.TB, parts []payload) {
	tb.Helper()
	if len(parts) == 0 {
		tb.Fatal("no message")
	}
	for i, p := range parts {
		if p.Content == "" && len(p.Embeds) == 0 {
			tb.Errorf("message %d is empty", i)
		}
		if n := runes(p.Content); n > maxContent {
			tb.Errorf("message %d: content of %d characters", i, n)
		}
		if len(p.Embeds) > maxEmbeds {
			tb.Errorf("message %d: %d embeds", i, len(p.Embeds))
		}
		total := 0
		texts := []string{p.Content}
		for j, e := range p.Embeds {
			total += embedChars(e)
			if runes(e.Title) > maxTitle || runes(e.Description) > maxDescription || e.Footer != nil && runes(e.Footer.Text) > maxFooter {
				tb.Errorf("message %d embed %d: title %d, description %d characters", i, j, runes(e.Title), runes(e.Description))
			}
			if e.URL != "" && !strings.HasPrefix(e.URL, "http") {
				tb.Errorf("message %d embed %d: URL %q", i, j, e.URL)
			}
			texts = append(texts, e.Title, e.Description, e.URL)
			if e.Footer != nil {
				texts = append(texts, e.Footer.Text)
			}
		}
		if total > maxEmbedTotal {
			tb.Errorf("message %d: %d embed characters", i, total)
		}
		for _, s := range texts {
			if m := liveMention.FindString(s); m != "" {
				tb.Errorf("message %d: live mention %q in %q", i, m, s)
			}
		}
	}
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(tb testing.TB, path string, got []byte) {
	tb.Helper()
	got = append(bytes.TrimSpace(got), '\n')
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test ./adapters/discord -run %s -update)", err, tb.Name())
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the rendering (go test -update rewrites it):\ngot:\n%s", path, got)
	}
}

func testKey(chat, id string) bot.DeliveryKey {
	return bot.DeliveryKey{Platform: bot.Discord, ChatID: chat, DigestID: id}
}
