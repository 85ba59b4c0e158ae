package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
	"github.com/sitrepbot/sitrep/bot"
)

// audience is the chats a scenario delivers to: Telegram private chats the
// fake knows, and Discord channels (every channel id exists on the fake).
type audience struct {
	telegram []int64
	discord  []string
}

// First ids of the audience's chats.
const (
	firstTelegramChat   = 7_000_000_001
	firstDiscordChannel = 1_400_000_000_000_000_001
)

// newAudience makes nTelegram private chats known to the fake Telegram and
// names nDiscord channels.
func newAudience(w *world, nTelegram, nDiscord int) audience {
	var a audience
	for i := range nTelegram {
		id := int64(firstTelegramChat + i)
		w.tg.AddChat(telegramtest.PrivateChat(telegramtest.User{ID: id, FirstName: "Reader " + strconv.Itoa(i)}))
		a.telegram = append(a.telegram, id)
	}
	for i := range nDiscord {
		a.discord = append(a.discord, strconv.FormatUint(firstDiscordChannel+uint64(i), 10))
	}
	return a
}

// size is how many chats the audience has.
func (a audience) size() int { return len(a.telegram) + len(a.discord) }

// subscriptions are the audience's daily digests, all due at due (in UTC),
// without breaking alerts: every message a chat gets is a scheduled digest.
func (a audience) subscriptions(due time.Time) []bot.Subscription {
	due = due.UTC()
	sub := func(platform, chat string, kind bot.ChatKind) bot.Subscription {
		return bot.Subscription{Platform: platform, ChatID: chat, ChatKind: kind, Times: []string{due.Format("15:04")},
			Timezone: "UTC", Active: true, Created: due.Add(-time.Hour), Updated: due.Add(-time.Hour), NextDue: due}
	}
	var out []bot.Subscription
	for _, id := range a.telegram {
		out = append(out, sub(bot.Telegram, strconv.FormatInt(id, 10), bot.ChatPrivate))
	}
	for _, id := range a.discord {
		out = append(out, sub(bot.Discord, id, bot.ChatGroup))
	}
	return out
}

// subscribe stores the audience's subscriptions, due at due, through the store API.
func (a audience) subscribe(tb testing.TB, store bot.SubscriptionStore, due time.Time) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	subs := a.subscriptions(due)
	errs := make(chan error, len(subs))
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for _, s := range subs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := store.PutSubscription(ctx, s); err != nil {
				errs <- fmt.Errorf("subscription %s:%s: %w", s.Platform, s.ChatID, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
}

// tally is what the audience received: digests per chat (a digest split
// into several messages counts once, by its first message) and messages in all.
type tally struct {
	telegram map[int64]int
	discord  map[string]int
	messages int
	empty    int // digests that said nothing new
}

// received counts what the fakes got for the audience.
func (a audience) received(w *world) tally {
	t := tally{telegram: map[int64]int{}, discord: map[string]int{}}
	mine := make(map[int64]bool, len(a.telegram))
	for _, id := range a.telegram {
		mine[id] = true
	}
	for _, m := range w.tg.AllMessages() {
		if !mine[m.ChatID] || m.Method != "sendMessage" {
			continue
		}
		t.messages++
		switch {
		case strings.HasPrefix(m.Parsed.Text, "📰"):
			t.telegram[m.ChatID]++
		case strings.HasPrefix(m.Parsed.Text, nothingNew):
			t.telegram[m.ChatID]++
			t.empty++
		}
	}
	for _, id := range a.discord {
		for _, m := range w.dc.Messages(id) {
			t.messages++
			if m.Content != "" { // the header: a digest's first message
				t.discord[id]++
				if strings.HasPrefix(m.Content, nothingNew) {
					t.empty++
				}
			}
		}
	}
	return t
}

// nothingNew starts the digest of a chat for which nothing happened.
const nothingNew = "Nothing new"

// digests is how many digests arrived in all.
func (t tally) digests() int {
	n := 0
	for _, c := range t.telegram {
		n += c
	}
	for _, c := range t.discord {
		n += c
	}
	return n
}

// check compares t with one digest per chat: it returns the chats that got
// none, and the extra copies on each platform.
func (t tally) check(a audience) (missing []string, extraTelegram, extraDiscord int) {
	for _, id := range a.telegram {
		switch n := t.telegram[id]; {
		case n == 0:
			missing = append(missing, "telegram:"+strconv.FormatInt(id, 10))
		case n > 1:
			extraTelegram += n - 1
		}
	}
	for _, id := range a.discord {
		switch n := t.discord[id]; {
		case n == 0:
			missing = append(missing, "discord:"+id)
		case n > 1:
			extraDiscord += n - 1
		}
	}
	return missing, extraTelegram, extraDiscord
}
