package redisstore_test

import (
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/bot/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) bot.Store {
		rdb, prefix := redistest.Client(t)
		return redisstore.New(rdb, redisstore.Options{Prefix: prefix})
	})
}

func TestOpenRedactsPassword(t *testing.T) {
	_, err := redisstore.Open("redis://user:hunter2@host:notaport/0", redisstore.Options{})
	if err == nil {
		t.Fatal("Open(bad port) succeeded, want an error")
	}
	if got := err.Error(); contains(got, "hunter2") {
		t.Errorf("error %q contains the password", got)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestRoundTrips: a command is one round trip, and so is a pipeline or a
// script, whatever it holds.
func TestRoundTrips(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	s := redisstore.New(rdb, redisstore.Options{Prefix: prefix})
	defer s.Close()
	ctx := t.Context()
	job := func(chat string) bot.Job {
		m := bot.Message{Key: bot.DeliveryKey{Platform: bot.Telegram, ChatID: chat, DigestID: "s-1"}, ChatID: chat, Text: "hi"}
		return bot.NewJob(m, time.Now())
	}
	// Warm up: connections' handshakes and the script's first load are round trips too.
	if err := s.Enqueue(ctx, job("0")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OutboxStats(ctx); err != nil {
		t.Fatal(err)
	}
	before := s.RoundTrips()
	if err := s.Ping(ctx); err != nil { // one command
		t.Fatal(err)
	}
	if _, err := s.OutboxStats(ctx); err != nil { // one pipeline of two
		t.Fatal(err)
	}
	if err := s.Enqueue(ctx, job("1"), job("2")); err != nil { // one script
		t.Fatal(err)
	}
	if got, want := s.RoundTrips()-before, int64(3); got != want {
		t.Errorf("RoundTrips went up by %d, want %d", got, want)
	}
}

// TestAckAllAfterScriptFlush: AckAll completes its jobs when Redis lost its
// scripts (a restart without persistence of them).
func TestAckAllAfterScriptFlush(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	s := redisstore.New(rdb, redisstore.Options{Prefix: prefix})
	defer s.Close()
	ctx := t.Context()
	var jobs []bot.Job
	for _, chat := range []string{"1", "2"} {
		m := bot.Message{Key: bot.DeliveryKey{Platform: bot.Telegram, ChatID: chat, DigestID: "s-1"}, ChatID: chat, Text: "hi"}
		jobs = append(jobs, bot.NewJob(m, time.Now()))
	}
	if err := s.Enqueue(ctx, jobs...); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.Claim(ctx, "w", time.Now(), 10, time.Minute)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim = %d jobs, %v; want 2", len(claimed), err)
	}
	if err := rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	var done []bot.Completion
	for _, j := range claimed {
		done = append(done, bot.Completion{Job: j, Rec: &bot.DeliveryRecord{Key: j.Key(), MessageIDs: []string{"1"}}})
	}
	if err := s.AckAll(ctx, done, time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, j := range claimed {
		if _, err := s.GetDelivery(ctx, j.Key()); err != nil {
			t.Errorf("%s: %v", j.ID, err)
		}
	}
	if st, err := s.OutboxStats(ctx); err != nil || st.Pending != 0 {
		t.Errorf("outbox = %+v, %v; want nothing pending", st, err)
	}
}
