package discord

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// TestRenderedOncePerDigest: the deliveries of one digest to several
// channels render it once, and another digest is rendered anew.
func TestRenderedOncePerDigest(t *testing.T) {
	c, err := New(Options{Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 12, 16, 18, 0, 0, 0, time.UTC)
	mk := func(n int) *digest.Digest {
		d := &digest.Digest{Generated: at, Since: at.Add(-24 * time.Hour)}
		for i := range n {
			d.Developments = append(d.Developments, digest.Development{ID: fmt.Sprintf("dev%03d", i),
				Headline: fmt.Sprintf("Development %d", i), Summary: strings.Repeat("Something happened. ", 60),
				FirstSeen: at.Add(-time.Hour), Updated: at})
		}
		return d
	}
	a, b := mk(14), mk(1)
	msg := func(chat string, d *digest.Digest) bot.Message {
		return bot.Message{Key: bot.DeliveryKey{Platform: bot.Discord, ChatID: chat, DigestID: "s-1"}, ChatID: chat, Kind: bot.KindDigest, Digest: d}
	}
	for _, chat := range []string{"1", "2", "3"} {
		if got, want := c.rendered(msg(chat, a)), render(msg(chat, a)); !reflect.DeepEqual(got, want) {
			t.Fatalf("rendered for channel %s differs from render", chat)
		}
	}
	if got := c.renders.Len(); got != 1 {
		t.Errorf("%d renders kept after three deliveries of one digest, want 1", got)
	}
	if got, want := c.Parts(msg("1", b)), len(render(msg("1", b))); got != want || got == c.Parts(msg("1", a)) {
		t.Errorf("Parts of a one-development digest = %d, want %d (and not the 14-development digest's)", got, want)
	}
	if got := c.renders.Len(); got != 2 {
		t.Errorf("%d renders kept after a second digest, want 2", got)
	}
}
