package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// openStatusTestStore returns an empty embedded store, closed when tb ends.
func openStatusTestStore(tb testing.TB) *boltstore.Store {
	tb.Helper()
	s, err := boltstore.Open(filepath.Join(tb.TempDir(), "sitrep.db"), boltstore.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// inspectingStore adds an outbox and a leader to a store.
type inspectingStore struct {
	bot.Store
	outbox bot.OutboxStats
	leader string
}

func (s inspectingStore) OutboxStats(context.Context) (bot.OutboxStats, error) { return s.outbox, nil }
func (s inspectingStore) Leader(context.Context) (string, error)               { return s.leader, nil }

// downStore is a store that cannot be reached.
type downStore struct{ bot.Store }

func (downStore) Ping(context.Context) error { return errors.New("connection refused") }

func TestReadStatus(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2025, 12, 16, 18, 0, 0, 0, time.UTC)
	s := openStatusTestStore(t)
	for _, sub := range []bot.Subscription{
		{Platform: bot.Telegram, ChatID: "1", Active: true}, {Platform: bot.Telegram, ChatID: "2", Active: true},
		{Platform: bot.Telegram, ChatID: "3"}, {Platform: bot.Discord, ChatID: "9", Active: true},
	} {
		if err := s.PutSubscription(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	states := map[string]bot.FeedState{
		"https://ok.example/rss":                {LastSuccess: at},
		"https://user:hunter2@down.example/rss": {Failures: 5, Failing: true, LastError: "503", LastSuccess: at.Add(-time.Hour)},
		"https://flaky.example/rss":             {Failures: 1, LastError: "timeout"},
		"https://removed.example/rss":           {Failures: 9},
	}
	for u, st := range states {
		if err := s.PutFeedState(ctx, u, st); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutDigest(ctx, digest.Digest{ID: "e-1", Generated: at, Developments: make([]digest.Development, 2)}, 10); err != nil {
		t.Fatal(err)
	}
	sources := []bot.SourceInfo{{Name: "OK", URL: "https://ok.example/rss"},
		{Name: "Down", URL: "https://user:hunter2@down.example/rss"}, {Name: "Flaky", URL: "https://flaky.example/rss"}}

	t.Run("embedded", func(t *testing.T) {
		st, err := bot.ReadStatus(ctx, s, bot.StatusOptions{Sources: sources})
		if err != nil {
			t.Fatal(err)
		}
		if st.Leader != nil || st.Outbox == nil || *st.Outbox != (bot.OutboxStats{}) {
			t.Errorf("leader %v, outbox %v: want no leader (one process) and an empty outbox", st.Leader, st.Outbox)
		}
		if got, want := st.Subscriptions[bot.Telegram], (bot.SubscriptionCount{Active: 2, Inactive: 1}); got != want {
			t.Errorf("telegram subscriptions = %+v, want %+v", got, want)
		}
		if got, want := st.Subscriptions[bot.Discord], (bot.SubscriptionCount{Active: 1}); got != want {
			t.Errorf("discord subscriptions = %+v, want %+v", got, want)
		}
		if st.Feeds != 3 || len(st.FailingFeeds) != 2 {
			t.Fatalf("feeds %d, failing %+v: want 3 and Down, Flaky", st.Feeds, st.FailingFeeds)
		}
		down := st.FailingFeeds[0]
		if down.Name != "Down" || down.Failures != 5 || !down.Failing || down.LastError != "503" || !down.LastSuccess.Equal(at.Add(-time.Hour)) {
			t.Errorf("first failing feed = %+v", down)
		}
		if down.URL != "https://user:xxxxx@down.example/rss" {
			t.Errorf("url = %q, want the password hidden", down.URL)
		}
		if st.LatestDigest == nil || st.LatestDigest.ID != "e-1" || st.LatestDigest.Developments != 2 {
			t.Errorf("latest digest = %+v", st.LatestDigest)
		}
	})
	t.Run("with outbox and leader", func(t *testing.T) {
		st, err := bot.ReadStatus(ctx, inspectingStore{s, bot.OutboxStats{Pending: 4, Dead: 1}, "host-a"}, bot.StatusOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if st.Leader == nil || *st.Leader != "host-a" || st.Outbox == nil || *st.Outbox != (bot.OutboxStats{Pending: 4, Dead: 1}) {
			t.Errorf("leader %v, outbox %v", st.Leader, st.Outbox)
		}
		if st.Feeds != 4 || len(st.FailingFeeds) != 3 {
			t.Errorf("without sources every state counts: feeds %d, failing %d; want 4, 3", st.Feeds, len(st.FailingFeeds))
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		if _, err := bot.ReadStatus(ctx, downStore{s}, bot.StatusOptions{}); err == nil {
			t.Error("ReadStatus on an unreachable store succeeded")
		}
	})
}
