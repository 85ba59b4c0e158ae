package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

func job(chat, digestID string, due time.Time) bot.Job {
	d := digest.Digest{ID: digestID, Generated: due, Developments: []digest.Development{{ID: "k3x9qa", Headline: "Drones hit Odesa port"}}}
	m := bot.Message{Key: bot.DeliveryKey{Platform: bot.Telegram, ChatID: chat, DigestID: digestID}, ChatID: chat,
		Kind: bot.KindDigest, Digest: &d}
	return bot.NewJob(m, due)
}

func jobIDs(jobs []bot.Job) []string {
	var out []string
	for _, j := range jobs {
		out = append(out, j.ID)
	}
	return out
}

func stats(t *testing.T, s bot.Store) bot.OutboxStats {
	t.Helper()
	st, err := s.OutboxStats(context.Background())
	must(t, err)
	return st
}

const hour = time.Hour

// testAckAll: the store completes several jobs in one step (every store
// of sitrep is a bot.BatchAcker), each as Ack does: the job leaves the outbox, and its delivery is recorded
// when it has a record. Completing a job twice changes nothing.
func testAckAll(t *testing.T, s bot.Store) {
	ba, ok := s.(bot.BatchAcker)
	if !ok {
		t.Fatalf("%T is not a bot.BatchAcker", s)
	}
	ctx := context.Background()
	jobs := []bot.Job{job("1", "s-a", t0), job("2", "s-a", t0), job("3", "s-a", t0)}
	must(t, s.Enqueue(ctx, jobs...))
	now := t0.Add(hour)
	got, err := s.Claim(ctx, "w1", now, 10, hour)
	must(t, err)
	if len(got) != 3 {
		t.Fatalf("claimed %q, want all 3", jobIDs(got))
	}
	recs := make([]bot.DeliveryRecord, 2)
	var done []bot.Completion
	for i, j := range got[:2] {
		recs[i] = bot.DeliveryRecord{Key: j.Key(), MessageIDs: []string{fmt.Sprint(i + 10)}, SentAt: now}
		done = append(done, bot.Completion{Job: j, Rec: &recs[i]})
	}
	done = append(done, bot.Completion{Job: got[2]}) // a chat that is gone: no record
	must(t, ba.AckAll(ctx, done, hour))
	must(t, ba.AckAll(ctx, done[:1], hour))
	if st := stats(t, s); st.Pending != 0 {
		t.Errorf("after AckAll: %d jobs pending, want 0", st.Pending)
	}
	for i, j := range got[:2] {
		if r, err := s.GetDelivery(ctx, j.Key()); err != nil || !equalJSON(r, recs[i]) {
			t.Errorf("delivery record of %s = %+v, %v; want %+v", j.ID, r, err, recs[i])
		}
	}
	if _, err := s.GetDelivery(ctx, got[2].Key()); err != bot.ErrNotFound {
		t.Errorf("delivery record of %s (completed without one): %v, want ErrNotFound", got[2].ID, err)
	}
	if again, err := s.Claim(ctx, "w2", now.Add(2*hour), 10, hour); err != nil || len(again) != 0 {
		t.Errorf("claim after AckAll, past the lease = %q, %v; want none", jobIDs(again), err)
	}
}

// testOutbox: enqueue is idempotent, claims are exclusive within the lease,
// oldest first, and ack, retry and bury settle a job.
func testOutbox(t *testing.T, s bot.Store) {
	ctx := context.Background()
	a, b, c := job("1", "s-a", t0), job("2", "s-b", t0.Add(time.Minute)), job("3", "s-c", t0.Add(2*time.Minute))
	must(t, s.Enqueue(ctx, a, b))
	must(t, s.Enqueue(ctx, a, c)) // a again: not a second job
	if got := stats(t, s); got.Pending != 3 {
		t.Fatalf("depth after enqueueing a, b, a, c = %d, want 3", got.Pending)
	}
	now := t0.Add(hour)
	got, err := s.Claim(ctx, "w1", now, 2, hour)
	must(t, err)
	if ids := jobIDs(got); !slices.Equal(ids, []string{a.ID, b.ID}) {
		t.Fatalf("first claim = %q, want the two oldest", ids)
	}
	if !equalJSON(got[0].Message, a.Message) || !got[0].Due.Equal(a.Due) {
		t.Errorf("claimed job = %+v, want %+v", got[0], a)
	}
	rest, err := s.Claim(ctx, "w2", now, 10, hour)
	must(t, err)
	if ids := jobIDs(rest); !slices.Equal(ids, []string{c.ID}) {
		t.Fatalf("second consumer's claim = %q, want only %s (the others are leased)", ids, c.ID)
	}

	rec := bot.DeliveryRecord{Key: a.Key(), MessageIDs: []string{"7"}, SentAt: now}
	must(t, s.Ack(ctx, got[0], &rec, hour))
	if r, err := s.GetDelivery(ctx, a.Key()); err != nil || !equalJSON(r, rec) {
		t.Errorf("after ack: delivery record = %+v, %v; want %+v", r, err, rec)
	}

	retry := got[1]
	retry.Attempts, retry.LastError = 1, "502 Bad Gateway"
	must(t, s.Retry(ctx, retry, now.Add(time.Minute)))
	if early, err := s.Claim(ctx, "w1", now, 10, hour); err != nil || len(early) != 0 {
		t.Errorf("claim before the retry is due = %q, %v; want none", jobIDs(early), err)
	}
	again, err := s.Claim(ctx, "w1", now.Add(2*time.Minute), 10, hour)
	must(t, err)
	if len(again) != 1 || again[0].ID != b.ID || again[0].Attempts != 1 || again[0].LastError != "502 Bad Gateway" {
		t.Fatalf("claim after the retry is due = %+v, want %s with its attempt recorded", again, b.ID)
	}

	dead := rest[0]
	dead.Attempts, dead.LastError, dead.Failed = 10, "chat not found", now
	must(t, s.Bury(ctx, dead))
	must(t, s.Ack(ctx, again[0], nil, 0))
	if got := stats(t, s); got != (bot.OutboxStats{Pending: 0, Dead: 1}) {
		t.Errorf("stats = %+v, want depth 0, dead 1", got)
	}
	letters, err := s.DeadLetters(ctx, 10)
	must(t, err)
	if len(letters) != 1 || letters[0].ID != c.ID || letters[0].LastError != "chat not found" {
		t.Fatalf("dead letters = %+v, want %s with its error", letters, c.ID)
	}
	n, err := s.Requeue(ctx, c.ID, "unknown")
	must(t, err)
	back, err := s.Claim(ctx, "w3", now.Add(hour), 10, hour)
	must(t, err)
	if n != 1 || len(back) != 1 || back[0].ID != c.ID || back[0].Attempts != 0 {
		t.Errorf("requeue moved %d; claim = %+v; want %s back with attempts reset", n, back, c.ID)
	}
	if got := stats(t, s); got != (bot.OutboxStats{Pending: 1, Dead: 0}) {
		t.Errorf("stats after requeue = %+v, want depth 1, dead 0", got)
	}
}

// testOutboxReclaim: a job whose consumer died is claimed again once its
// lease ran out, and a job already in the delivery log is completed, not
// claimed.
func testOutboxReclaim(t *testing.T, s bot.Store) {
	ctx := context.Background()
	a, done := job("1", "s-a", t0), job("2", "s-done", t0)
	must(t, s.Enqueue(ctx, a, done))
	_, err := s.RecordDelivery(ctx, bot.DeliveryRecord{Key: done.Key(), SentAt: t0}, hour)
	must(t, err)
	const lease = 100 * time.Millisecond
	first, err := s.Claim(ctx, "dead-consumer", time.Now(), 10, lease)
	must(t, err)
	if ids := jobIDs(first); !slices.Equal(ids, []string{a.ID}) {
		t.Fatalf("claim = %q, want only %s (the other is delivered already)", ids, a.ID)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err := s.Claim(ctx, "heir", time.Now().Add(lease), 10, lease)
		must(t, err)
		if len(got) == 1 && got[0].ID == a.ID {
			break
		}
		if len(got) != 0 || time.Now().After(deadline) {
			t.Fatalf("claim after the lease = %q, want %s once the lease ran out", jobIDs(got), a.ID)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := stats(t, s); got.Pending != 1 {
		t.Errorf("depth = %d, want 1 (the delivered job completed)", got.Pending)
	}
}

// testConcurrentConsumers: consumers racing for many jobs never get one job
// twice and leave none behind.
func testConcurrentConsumers(t *testing.T, s bot.Store) {
	ctx := context.Background()
	const jobs, consumers = 200, 8
	for i := range jobs {
		must(t, s.Enqueue(ctx, job(fmt.Sprint(i), "s-race", t0.Add(time.Duration(i)*time.Second))))
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := range consumers {
		wg.Go(func() {
			for {
				got, err := s.Claim(ctx, fmt.Sprint("w", w), t0.Add(hour), 7, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				for _, j := range got {
					mu.Lock()
					seen[j.ID]++
					mu.Unlock()
					rec := bot.DeliveryRecord{Key: j.Key(), SentAt: t0}
					if err := s.Ack(ctx, j, &rec, time.Hour); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != jobs {
		t.Errorf("%d distinct jobs delivered, want %d", len(seen), jobs)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("job %s claimed %d times, want 1", id, n)
		}
	}
	if got := stats(t, s); got.Pending != 0 {
		t.Errorf("depth after all acks = %d, want 0", got.Pending)
	}
}
