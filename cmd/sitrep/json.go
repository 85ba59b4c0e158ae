package main

import (
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// publicDigest is the JSON `sitrep digest --format json` prints: the shape
// the web archive serves at /digest.json too.
func publicDigest(d digest.Digest) bot.PublicDigest { return bot.NewPublicDigest(d) }
