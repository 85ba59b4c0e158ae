// Package storetest is the contract every bot.Store implementation passes:
// one suite, run against the embedded and the Redis store alike.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// Open returns a new, empty store for one test; the suite closes it.
type Open func(t *testing.T) bot.Store

// Run runs every case of the contract, each on a store of its own.
func Run(t *testing.T, open Open) {
	cases := []struct {
		name string
		fn   func(*testing.T, bot.Store)
	}{
		{"Subscriptions", testSubscriptions},
		{"Seen", testSeen},
		{"SeenExpires", testSeenExpires},
		{"FeedStates", testFeedStates},
		{"Articles", testArticles},
		{"Developments", testDevelopments},
		{"Digests", testDigests},
		{"Deliveries", testDeliveries},
		{"ConcurrentDeliveries", testConcurrentDeliveries},
		{"DueIndex", testDueIndex},
		{"CommitSchedule", testCommitSchedule},
		{"Outbox", testOutbox},
		{"OutboxReclaim", testOutboxReclaim},
		{"AckAll", testAckAll},
		{"ConcurrentConsumers", testConcurrentConsumers},
		{"PaceSlots", testPaceSlots},
		{"AlertsAndSnapshot", testAlertsAndSnapshot},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			if err := s.Ping(context.Background()); err != nil {
				t.Fatalf("Ping: %v", err)
			}
			c.fn(t, s)
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var t0 = time.Date(2025, 12, 15, 8, 0, 0, 0, time.UTC)

func testSubscriptions(t *testing.T, s bot.Store) {
	ctx := context.Background()
	if _, err := s.GetSubscription(ctx, bot.Telegram, "1"); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("GetSubscription(missing) error = %v, want ErrNotFound", err)
	}
	subs := []bot.Subscription{
		{Platform: bot.Telegram, ChatID: "-100200", ChatKind: bot.ChatGroup, Times: []string{"08:00", "20:00"}, Timezone: "Europe/Kyiv",
			Alerts: true, Topics: []string{"Odesa"}, Active: true, Created: t0, Updated: t0, NextDue: t0.Add(time.Hour)},
		{Platform: bot.Discord, ChatID: "99", ThreadID: "7", Times: []string{"09:30"}, Timezone: "UTC", Active: true, Created: t0, Updated: t0},
		{Platform: bot.Telegram, ChatID: "42", ChatKind: bot.ChatPrivate, Times: []string{"07:00"}, Timezone: "Europe/Berlin", Created: t0, Updated: t0},
	}
	for _, sub := range subs {
		must(t, s.PutSubscription(ctx, sub))
	}
	got, err := s.GetSubscription(ctx, bot.Telegram, "-100200")
	must(t, err)
	if !equalJSON(got, subs[0]) {
		t.Errorf("GetSubscription = %+v, want %+v", got, subs[0])
	}
	// Replace, not duplicate.
	subs[2].Active, subs[2].Reason = false, "blocked by the user"
	must(t, s.PutSubscription(ctx, subs[2]))
	list, err := s.ListSubscriptions(ctx)
	must(t, err)
	want := []bot.Subscription{subs[1], subs[0], subs[2]} // discord < telegram; "-100200" < "42"
	if !equalJSON(list, want) {
		t.Errorf("ListSubscriptions = %+v, want %+v", list, want)
	}
	must(t, s.DeleteSubscription(ctx, bot.Telegram, "42"))
	must(t, s.DeleteSubscription(ctx, bot.Telegram, "42")) // missing: not an error
	if _, err := s.GetSubscription(ctx, bot.Telegram, "42"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("after delete: error = %v, want ErrNotFound", err)
	}
	if list, _ := s.ListSubscriptions(ctx); len(list) != 2 {
		t.Errorf("after delete: %d subscriptions, want 2", len(list))
	}
}

func testSeen(t *testing.T, s bot.Store) {
	ctx := context.Background()
	keys := []string{"Kyiv Ledger|a1", "Kyiv Ledger|a2", "Atlantic|a1"}
	got, err := s.Unseen(ctx, keys)
	must(t, err)
	if !slices.Equal(got, keys) {
		t.Fatalf("Unseen(fresh) = %q, want all %q", got, keys)
	}
	must(t, s.MarkSeen(ctx, keys[:2], time.Hour))
	got, err = s.Unseen(ctx, keys)
	must(t, err)
	if want := keys[2:]; !slices.Equal(got, want) {
		t.Errorf("Unseen after MarkSeen = %q, want %q", got, want)
	}
	if got, err := s.Unseen(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("Unseen(nil) = %q, %v; want none", got, err)
	}
}

func testSeenExpires(t *testing.T, s bot.Store) {
	ctx := context.Background()
	must(t, s.MarkSeen(ctx, []string{"short"}, 50*time.Millisecond))
	must(t, s.MarkSeen(ctx, []string{"long"}, time.Hour))
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err := s.Unseen(ctx, []string{"short", "long"})
		must(t, err)
		if slices.Equal(got, []string{"short"}) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Unseen = %q 5s after a 50ms expiry, want [short]", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func testFeedStates(t *testing.T, s bot.Store) {
	ctx := context.Background()
	got, err := s.GetFeedState(ctx, "https://a.example/rss")
	must(t, err)
	if got != (bot.FeedState{}) {
		t.Errorf("GetFeedState(unknown) = %+v, want zero", got)
	}
	st := bot.FeedState{ETag: `W/"abc"`, LastModified: "Mon, 15 Dec 2025 08:00:00 GMT", LastPoll: t0, LastSuccess: t0,
		NextPoll: t0.Add(5 * time.Minute), Failures: 2, LastError: "timeout", Failing: true}
	must(t, s.PutFeedState(ctx, "https://a.example/rss", st))
	must(t, s.PutFeedState(ctx, "file:///tmp/b.xml", bot.FeedState{ETag: "b"}))
	got, err = s.GetFeedState(ctx, "https://a.example/rss")
	must(t, err)
	if !equalJSON(got, st) {
		t.Errorf("GetFeedState = %+v, want %+v", got, st)
	}
	all, err := s.ListFeedStates(ctx)
	must(t, err)
	if len(all) != 2 || all["file:///tmp/b.xml"].ETag != "b" {
		t.Errorf("ListFeedStates = %+v, want both feeds", all)
	}
}

func article(source, id string, published time.Time) digest.Article {
	return digest.Article{ID: id, Source: source, URL: "https://" + source + ".example/" + id,
		Title: "Title " + id, Content: "Body of " + id, Published: published, Lang: "en"}
}

func testArticles(t *testing.T, s bot.Store) {
	ctx := context.Background()
	a := []digest.Article{
		article("b", "2", t0.Add(2*time.Hour)),
		article("a", "1", t0),
		article("a", "3", t0.Add(2*time.Hour)), // same time as b|2: ordered by source|id
		article("c", "old", t0.Add(-48*time.Hour)),
	}
	must(t, s.PutArticles(ctx, a, 72*time.Hour))
	got, err := s.ListArticles(ctx, t0.Add(-time.Hour))
	must(t, err)
	if want := []digest.Article{a[1], a[2], a[0]}; !equalJSON(got, want) {
		t.Errorf("ListArticles = %s, want %s", ids(got), ids(want))
	}
	// Putting an article again replaces it.
	edited := a[1]
	edited.Title = "Title 1, corrected"
	must(t, s.PutArticles(ctx, []digest.Article{edited}, 72*time.Hour))
	got, err = s.ListArticles(ctx, t0.Add(-72*time.Hour))
	must(t, err)
	if len(got) != 4 || got[1].Title != edited.Title {
		t.Errorf("after replace: %s (second title %q), want 4 articles and the corrected title", ids(got), got[1].Title)
	}
}

func ids(as []digest.Article) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Source+"|"+a.ID)
	}
	return fmt.Sprint(out)
}

func testDevelopments(t *testing.T, s bot.Store) {
	ctx := context.Background()
	if _, err := s.GetDevelopment(ctx, "nope"); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("GetDevelopment(missing) error = %v, want ErrNotFound", err)
	}
	d := digest.Development{ID: "k3x9qa", Version: 2, Headline: "Drones hit Odesa port", Summary: "Two ships were damaged.",
		Sources: []digest.Source{{Name: "Kyiv Ledger", URL: "https://kl.example/1"}}, ArticleCount: 3, FirstSeen: t0, Updated: t0.Add(time.Hour),
		Score: 2.5, Articles: []digest.ArticleRef{{ID: "1", Source: "Kyiv Ledger", URL: "https://kl.example/1", Title: "Drones hit Odesa port", Published: t0}}}
	must(t, s.PutDevelopments(ctx, []digest.Development{d}, time.Hour))
	got, err := s.GetDevelopment(ctx, d.ID)
	must(t, err)
	if !equalJSON(got, d) {
		t.Errorf("GetDevelopment = %+v, want %+v", got, d)
	}
}

func testDigests(t *testing.T, s bot.Store) {
	ctx := context.Background()
	if got, err := s.LatestDigests(ctx, 5); err != nil || len(got) != 0 {
		t.Fatalf("LatestDigests(empty) = %v, %v", got, err)
	}
	for i := range 5 {
		d := digest.Digest{ID: fmt.Sprintf("e-%d", i), Generated: t0.Add(time.Duration(i) * time.Hour), Since: t0,
			Developments: []digest.Development{{ID: "d", Headline: fmt.Sprint(i)}}}
		must(t, s.PutDigest(ctx, d, 3))
	}
	got, err := s.LatestDigests(ctx, 10)
	must(t, err)
	var gotIDs []string
	for _, d := range got {
		gotIDs = append(gotIDs, d.ID)
	}
	if want := []string{"e-4", "e-3", "e-2"}; !slices.Equal(gotIDs, want) {
		t.Errorf("LatestDigests = %q, want %q (newest first, 3 kept)", gotIDs, want)
	}
	if got[0].Developments[0].Headline != "4" {
		t.Errorf("digest payload = %+v, want headline 4", got[0])
	}
}

func testDeliveries(t *testing.T, s bot.Store) {
	ctx := context.Background()
	key := bot.DeliveryKey{Platform: bot.Telegram, ChatID: "-100200", DigestID: "s-20251215T0600Z"}
	if _, err := s.GetDelivery(ctx, key); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("GetDelivery(missing) error = %v, want ErrNotFound", err)
	}
	r := bot.DeliveryRecord{Key: key, MessageIDs: []string{"11", "12"}, SentAt: t0}
	fresh, err := s.RecordDelivery(ctx, r, time.Hour)
	must(t, err)
	if !fresh {
		t.Fatal("first RecordDelivery = false, want true")
	}
	again := r
	again.MessageIDs = []string{"99"}
	fresh, err = s.RecordDelivery(ctx, again, time.Hour)
	must(t, err)
	if fresh {
		t.Error("second RecordDelivery = true, want false")
	}
	got, err := s.GetDelivery(ctx, key)
	must(t, err)
	if !equalJSON(got, r) {
		t.Errorf("GetDelivery = %+v, want the first record %+v", got, r)
	}
	other := key
	other.ChatID = "-100201"
	if _, err := s.GetDelivery(ctx, other); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("GetDelivery(other chat) error = %v, want ErrNotFound", err)
	}
}

// testConcurrentDeliveries: of many racing recorders of one key, exactly one wins.
func testConcurrentDeliveries(t *testing.T, s bot.Store) {
	ctx := context.Background()
	key := bot.DeliveryKey{Platform: bot.Discord, ChatID: "5", DigestID: "race"}
	const n = 16
	wins := make(chan bool, n)
	for i := range n {
		go func() {
			fresh, err := s.RecordDelivery(ctx, bot.DeliveryRecord{Key: key, MessageIDs: []string{fmt.Sprint(i)}, SentAt: t0}, time.Hour)
			if err != nil {
				t.Error(err)
			}
			wins <- fresh
		}()
	}
	won := 0
	for range n {
		if <-wins {
			won++
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent RecordDelivery calls won, want exactly 1", won, n)
	}
}
