package telegram

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
	"github.com/sitrepbot/sitrep/bot"
)

func BenchmarkRenderDigest(b *testing.B) {
	d := manyDevelopments(8)
	m := bot.Message{Kind: bot.KindDigest, Digest: &d}
	for b.Loop() {
		if _, err := render(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSendDigest sends an 8-development digest to 2,000 chats in
// parallel through the fake Bot API, flood limits off: the adapter's and
// the fake's cost per delivery.
func BenchmarkSendDigest(b *testing.B) {
	s := telegramtest.New(b, telegramtest.Options{Limits: telegramtest.NoLimits()})
	c := mustClient(b, s, Options{})
	const chats = 2000
	for i := range chats {
		s.AddChat(telegramtest.Chat{ID: int64(10000 + i), Type: "private"})
	}
	d := manyDevelopments(8)
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			chat := strconv.FormatInt(10000+next.Add(1)%chats, 10)
			if _, err := c.Send(context.Background(), bot.Message{ChatID: chat, Kind: bot.KindDigest, Digest: &d}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
