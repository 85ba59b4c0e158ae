package discord_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
)

// BenchmarkSendDigest posts a 5-development digest to a new channel per
// iteration, through the fake with its rate limits off.
func BenchmarkSendDigest(b *testing.B) {
	fake := discordtest.New(b, discordtest.Options{ChannelLimit: -1, GlobalLimit: -1})
	c, _ := newClient(b, fake, discord.Options{})
	ctx := ctxFor(b, time.Hour)
	d := testDigest(5)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := c.Send(ctx, digestMessage(fmt.Sprint(100000+i), "s-1", d)); err != nil {
			b.Fatal(err)
		}
	}
}
