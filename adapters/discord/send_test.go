package discord_test

import (
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

func testDigest(n int) *digest.Digest {
	at := time.Date(2025, 12, 16, 18, 0, 0, 0, time.UTC)
	d := &digest.Digest{ID: "s-20251216T1800Z", Generated: at, Since: at.Add(-24 * time.Hour)}
	for i := range n {
		d.Developments = append(d.Developments, digest.Development{ID: fmt.Sprintf("dev%03d", i),
			Headline: fmt.Sprintf("Development %d <@123> @everyone", i), Summary: strings.Repeat("Something happened. ", 60),
			Sources:   []digest.Source{{Name: "Kyiv Ledger", URL: fmt.Sprintf("https://kyivledger.example/%d", i)}},
			FirstSeen: at.Add(-time.Hour), Updated: at})
	}
	return d
}

func digestMessage(chat, id string, d *digest.Digest) bot.Message {
	return bot.Message{Key: bot.DeliveryKey{Platform: bot.Discord, ChatID: chat, DigestID: id}, ChatID: chat, Kind: bot.KindDigest, Digest: d}
}

func TestSendDigestWithNonceAndNoMentions(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	c, _ := newClient(t, fake, discord.Options{})
	ctx := ctxFor(t, 10*time.Second)
	sent, err := c.Send(ctx, digestMessage("500", "s-1", testDigest(14)))
	if err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages("500")
	if len(msgs) < 2 || len(msgs) != len(sent.MessageIDs) {
		t.Fatalf("%d messages posted, %d ids returned; want the 14 developments split over several", len(msgs), len(sent.MessageIDs))
	}
	embeds, nonces := 0, map[string]bool{}
	for i, m := range msgs {
		embeds += len(m.Embeds)
		if m.ID != sent.MessageIDs[i] {
			t.Errorf("message %d: id %s, returned %s", i, m.ID, sent.MessageIDs[i])
		}
		if n := len(m.Nonce); n == 0 || n > 25 || nonces[m.Nonce] {
			t.Errorf("message %d: nonce %q, want a distinct one of 1-25 characters", i, m.Nonce)
		}
		nonces[m.Nonce] = true
		if got := string(m.Mentions); got != `{"parse":[]}` {
			t.Errorf("message %d: allowed_mentions %s, want an empty parse list", i, got)
		}
	}
	if embeds != 14 {
		t.Errorf("%d embeds, want 14", embeds)
	}
}

func TestRetriedSendPostsOnce(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	// The withheld answer lasts until the client gives up, so the timeout
	// only bounds the first send; it is generous for a loaded machine.
	c, _ := newClient(t, fake, discord.Options{Timeout: 2 * time.Second})
	ctx := ctxFor(t, 20*time.Second)
	m := digestMessage("501", "s-2", testDigest(3))
	fake.HangAfterAccept("501", 1)
	if _, err := c.Send(ctx, m); !errors.Is(err, bot.ErrTemporary) {
		t.Fatalf("send with its answer lost: error %v, want ErrTemporary", err)
	}
	sent, err := c.Send(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages("501")
	if len(msgs) != 1 || sent.MessageIDs[0] != msgs[0].ID {
		t.Errorf("after a retry: %d messages (ids %v, returned %v), want the first one only", len(msgs), ids(msgs), sent.MessageIDs)
	}
}

func ids(msgs []discordtest.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.ID)
	}
	return out
}

func TestSendErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script func(*discordtest.Server, string)
		want   error
		reason string
	}{
		{"deleted channel", (*discordtest.Server).DeleteChannel, bot.ErrChatGone, "Unknown Channel (10003)"},
		{"missing access", (*discordtest.Server).RemoveAccess, bot.ErrChatGone, "Missing Access (50001)"},
		{"missing permissions", (*discordtest.Server).RemovePermissions, bot.ErrChatGone, "Missing Permissions (50013)"},
		{"server error", func(s *discordtest.Server, _ string) { s.FailNext(1, http.StatusInternalServerError) }, bot.ErrTemporary, ""},
		{"bad gateway", func(s *discordtest.Server, _ string) { s.FailNext(1, http.StatusBadGateway) }, bot.ErrTemporary, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := discordtest.New(t, discordtest.Options{})
			c, _ := newClient(t, fake, discord.Options{})
			tc.script(fake, "600")
			_, err := c.Send(ctxFor(t, 5*time.Second), digestMessage("600", "s-3", testDigest(1)))
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			var gone *bot.ChatGoneError
			if tc.reason != "" && (!errors.As(err, &gone) || gone.Reason != tc.reason) {
				t.Errorf("error %v, want a ChatGoneError with reason %q", err, tc.reason)
			}
			if n := len(fake.Messages("600")); n != 0 {
				t.Errorf("%d messages posted, want 0", n)
			}
		})
	}
}

func TestRateLimited(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{ChannelLimit: 2, ChannelWindow: time.Minute})
	c, _ := newClient(t, fake, discord.Options{})
	ctx := ctxFor(t, 5*time.Second)
	for i := range 2 {
		if _, err := c.Send(ctx, digestMessage("700", fmt.Sprint("r", i), testDigest(1))); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	_, err := c.Send(ctx, digestMessage("700", "r2", testDigest(1)))
	var rl *bot.RateLimitError
	if !errors.As(err, &rl) || rl.Global || rl.RetryAfter < 50*time.Second || rl.RetryAfter > time.Minute {
		t.Fatalf("third send in the window: error %v, want a RateLimitError of about a minute, not global", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the rate-limited send took %s: the client must not wait on its own", d)
	}
	if fake.RateLimited() != 1 {
		t.Errorf("fake gave %d 429s, want 1", fake.RateLimited())
	}

	global := discordtest.New(t, discordtest.Options{GlobalLimit: 1})
	c2, _ := newClient(t, global, discord.Options{})
	c2.Send(ctx, digestMessage("701", "g0", testDigest(1)))
	_, err = c2.Send(ctx, digestMessage("702", "g1", testDigest(1)))
	if !errors.As(err, &rl) || !rl.Global {
		t.Errorf("over the global limit: error %v, want a global RateLimitError", err)
	}
}

func TestEditAlertInPlace(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	c, _ := newClient(t, fake, discord.Options{})
	ctx := ctxFor(t, 5*time.Second)
	dev := testDigest(1).Developments[0]
	m := bot.Message{Key: bot.DeliveryKey{Platform: bot.Discord, ChatID: "800", DigestID: "alert-1"}, ChatID: "800", Kind: bot.KindAlert, Development: &dev}
	sent, err := c.Send(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	dev.Sources = append(dev.Sources, digest.Source{Name: "Atlantic Wire", URL: "https://atlanticwire.example/1"},
		digest.Source{Name: "Harbour Times", URL: "https://harbourtimes.example/1"})
	if err := c.Edit(ctx, sent, m); err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages("800")
	if len(msgs) != 1 || msgs[0].Edits != 1 {
		t.Fatalf("%d messages, edits %v; want one message edited once", len(msgs), msgs)
	}
	if !strings.Contains(msgs[0].Content, "3 outlets") || !strings.Contains(msgs[0].Embeds[0].Description, "Harbour Times") {
		t.Errorf("edited alert = %q / %q, want it to count 3 outlets and name the new one", msgs[0].Content, msgs[0].Embeds[0].Description)
	}
}

// TestRetryAfterNonceExpiredSkipsPostedParts: a two-message delivery cut
// short and retried after Discord forgot the nonces posts only the missing
// part when a parts log is kept, and repeats the first part without one.
func TestRetryAfterNonceExpiredSkipsPostedParts(t *testing.T) {
	for _, tc := range []struct {
		name         string
		withParts    bool
		firstPostedN int
	}{{"parts log", true, 1}, {"no parts log", false, 2}} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &clock{t: time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC)}
			fake := discordtest.New(t, discordtest.Options{Now: clk.Now, ChannelLimit: 1, ChannelWindow: time.Minute})
			opts := discord.Options{Now: clk.Now}
			if tc.withParts {
				store, err := boltstore.Open(filepath.Join(t.TempDir(), "s.db"), boltstore.Options{Now: clk.Now})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { store.Close() })
				opts.Parts = store
			}
			c, _ := newClient(t, fake, opts)
			ctx := ctxFor(t, 5*time.Second)
			m := digestMessage("950", "s-9", testDigest(6)) // two messages
			if _, err := c.Send(ctx, m); !errors.Is(err, bot.ErrRateLimited) {
				t.Fatalf("second part over the channel's limit: error %v, want ErrRateLimited", err)
			}
			first := fake.Messages("950")[0]
			clk.Set(clk.Now().Add(10 * time.Minute)) // past the nonce window and the rate limit
			sent, err := c.Send(ctx, m)
			if tc.withParts && (err != nil || len(sent.MessageIDs) != 2 || sent.MessageIDs[0] != first.ID) {
				t.Errorf("retry: ids %v, error %v; want the first part's id and a new one", sent.MessageIDs, err)
			}
			n := 0
			for _, msg := range fake.Messages("950") {
				if msg.Nonce == first.Nonce {
					n++
				}
			}
			if n != tc.firstPostedN {
				t.Errorf("the first part was posted %d times, want %d", n, tc.firstPostedN)
			}
		})
	}
}

// TestPartsCountsWhatSendPosts: the bot paces every message a delivery
// becomes, so Parts must say how many Send posts.
func TestPartsCountsWhatSendPosts(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{ChannelLimit: -1})
	c, _ := newClient(t, fake, discord.Options{})
	ctx := ctxFor(t, 10*time.Second)
	text := bot.Message{Key: bot.DeliveryKey{Platform: bot.Discord, ChatID: "601", DigestID: "reply-1"}, ChatID: "601", Text: "Subscribed."}
	most := 0
	for i, m := range []bot.Message{text, digestMessage("602", "s-1", testDigest(1)), digestMessage("603", "s-1", testDigest(6)), digestMessage("604", "s-1", testDigest(14))} {
		sent, err := c.Send(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		most = max(most, len(sent.MessageIDs))
		if got, want := c.Parts(m), len(sent.MessageIDs); got != want {
			t.Errorf("message %d: Parts = %d, Send posted %d", i, got, want)
		}
	}
	if most < 2 {
		t.Errorf("no message was split: %d parts at most", most)
	}
}
