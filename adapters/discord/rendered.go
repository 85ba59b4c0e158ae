package discord

import (
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
	"github.com/sitrepbot/sitrep/internal/memo"
)

// renderKey is everything render reads of a Message. The digest and
// development are told apart by address: the deliveries of one slot share
// theirs (redisstore decodes each once), and nothing changes one once made.
type renderKey struct {
	kind       bot.Kind
	digest     *digest.Digest
	dev        *digest.Development
	lang, text string
}

// keptRenders bounds the renders a Client keeps.
const keptRenders = 256

func newRenders() *memo.Cache[renderKey, []payload] {
	return memo.New[renderKey, []payload](keptRenders)
}

// rendered is render(m), kept for the sends that follow: Parts and Send of
// one delivery, and every delivery of the same digest. What it returns is
// shared: read it, do not change it.
func (c *Client) rendered(m bot.Message) []payload {
	k := renderKey{kind: m.Kind, digest: m.Digest, dev: m.Development, lang: m.Lang, text: m.Text}
	if parts, ok := c.renders.Get(k); ok {
		return parts
	}
	parts := render(m)
	c.renders.Put(k, parts)
	return parts
}
