package redisstore

import (
	"cmp"
	"slices"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

func sortSubscriptions(subs []bot.Subscription) {
	slices.SortFunc(subs, func(a, b bot.Subscription) int {
		return cmp.Or(cmp.Compare(a.Platform, b.Platform), cmp.Compare(a.ChatID, b.ChatID))
	})
}

func sortArticles(as []digest.Article) {
	slices.SortFunc(as, func(a, b digest.Article) int {
		return cmp.Or(a.Published.Compare(b.Published), cmp.Compare(bot.SeenKey(a), bot.SeenKey(b)))
	})
}
