package boltstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sitrepbot/sitrep/bot"
)

// outboxRecord is a job in the outbox with its place in the ready index:
// Ready is when it may be claimed (the end of its lease while Consumer holds it).
type outboxRecord struct {
	Job      bot.Job   `json:"job"`
	Ready    time.Time `json:"ready"`
	Consumer string    `json:"consumer,omitempty"`
}

func getRecord(tx *bolt.Tx, id string) (outboxRecord, bool, error) {
	var r outboxRecord
	v := tx.Bucket(bucketJobs).Get([]byte(id))
	if v == nil {
		return r, false, nil
	}
	if err := json.Unmarshal(v, &r); err != nil {
		return r, false, fmt.Errorf("job %q: %w", id, err)
	}
	return r, true, nil
}

// putRecord stores r and moves it in the ready index from where old had it.
func putRecord(tx *bolt.Tx, r outboxRecord, old *outboxRecord) error {
	idx := tx.Bucket(bucketReady)
	if old != nil {
		if err := idx.Delete(timeKey(old.Ready, old.Job.ID)); err != nil {
			return err
		}
	}
	if err := putJSON(tx.Bucket(bucketJobs), []byte(r.Job.ID), r); err != nil {
		return err
	}
	return idx.Put(timeKey(r.Ready, r.Job.ID), nil)
}

func deleteRecord(tx *bolt.Tx, r outboxRecord) error {
	if err := tx.Bucket(bucketReady).Delete(timeKey(r.Ready, r.Job.ID)); err != nil {
		return err
	}
	return tx.Bucket(bucketJobs).Delete([]byte(r.Job.ID))
}

func enqueue(tx *bolt.Tx, jobs []bot.Job) error {
	for _, j := range jobs {
		if _, ok, err := getRecord(tx, j.ID); err != nil {
			return err
		} else if ok {
			continue
		}
		ready := j.Due
		if ready.IsZero() {
			ready = time.Now()
		}
		if err := putRecord(tx, outboxRecord{Job: j, Ready: ready}, nil); err != nil {
			return err
		}
	}
	return nil
}

// Enqueue implements bot.Outbox.
func (s *Store) Enqueue(ctx context.Context, jobs ...bot.Job) error {
	return s.update(func(tx *bolt.Tx) error { return enqueue(tx, jobs) })
}

// Claim implements bot.Outbox. An idle outbox costs a read, not a write.
func (s *Store) Claim(ctx context.Context, consumer string, now time.Time, n int, lease time.Duration) ([]bot.Job, error) {
	var out []bot.Job
	if !s.anyReady(now) {
		return nil, nil
	}
	err := s.update(func(tx *bolt.Tx) error {
		out = out[:0]
		end := timeKey(now, "\xff")
		var ids []string
		c := tx.Bucket(bucketReady).Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k, end) <= 0 && len(ids) < n; k, _ = c.Next() {
			ids = append(ids, string(k[8:]))
		}
		deliveries := tx.Bucket(bucketDeliveries)
		for _, id := range ids {
			r, ok, err := getRecord(tx, id)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if _, done := unwrap(deliveries.Get([]byte(id)), now); done {
				if err := deleteRecord(tx, r); err != nil {
					return err
				}
				continue
			}
			old := r
			r.Consumer, r.Ready = consumer, now.Add(lease)
			if err := putRecord(tx, r, &old); err != nil {
				return err
			}
			r.Job.Handle = consumer
			out = append(out, r.Job)
		}
		return nil
	})
	return out, err
}

// anyReady reports whether some job may be claimed at now.
func (s *Store) anyReady(now time.Time) bool {
	ready := false
	s.db.View(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bucketReady).Cursor().First()
		ready = k != nil && bytes.Compare(k, timeKey(now, "\xff")) <= 0
		return nil
	})
	return ready
}

// Ack implements bot.Outbox.
func (s *Store) Ack(ctx context.Context, job bot.Job, rec *bot.DeliveryRecord, ttl time.Duration) error {
	return s.update(func(tx *bolt.Tx) error { return ack(tx, job, rec, s.now(), ttl) })
}

// AckAll implements bot.BatchAcker: every completion in one transaction.
func (s *Store) AckAll(ctx context.Context, done []bot.Completion, ttl time.Duration) error {
	return s.update(func(tx *bolt.Tx) error {
		for _, c := range done {
			if err := ack(tx, c.Job, c.Rec, s.now(), ttl); err != nil {
				return err
			}
		}
		return nil
	})
}

// ack completes job in tx, recording rec when there is one.
func ack(tx *bolt.Tx, job bot.Job, rec *bot.DeliveryRecord, now time.Time, ttl time.Duration) error {
	if rec != nil {
		if _, err := recordDelivery(tx, *rec, now, ttl); err != nil {
			return err
		}
	}
	r, ok, err := getRecord(tx, job.ID)
	if err != nil || !ok {
		return err
	}
	return deleteRecord(tx, r)
}

// Retry implements bot.Outbox.
func (s *Store) Retry(ctx context.Context, job bot.Job, at time.Time) error {
	return s.update(func(tx *bolt.Tx) error {
		r, ok, err := getRecord(tx, job.ID)
		if err != nil || !ok {
			return err
		}
		job.Handle = ""
		return putRecord(tx, outboxRecord{Job: job, Ready: at}, &r)
	})
}

// Bury implements bot.Outbox.
func (s *Store) Bury(ctx context.Context, job bot.Job) error {
	return s.update(func(tx *bolt.Tx) error {
		if r, ok, err := getRecord(tx, job.ID); err != nil {
			return err
		} else if ok {
			if err := deleteRecord(tx, r); err != nil {
				return err
			}
		}
		job.Handle = ""
		return putJSON(tx.Bucket(bucketDead), []byte(job.ID), job)
	})
}

// OutboxStats implements bot.Outbox.
func (s *Store) OutboxStats(ctx context.Context) (bot.OutboxStats, error) {
	var st bot.OutboxStats
	err := s.db.View(func(tx *bolt.Tx) error {
		st.Pending = tx.Bucket(bucketJobs).Stats().KeyN
		st.Dead = tx.Bucket(bucketDead).Stats().KeyN
		return nil
	})
	return st, err
}

// DeadLetters implements bot.Outbox.
func (s *Store) DeadLetters(ctx context.Context, n int) ([]bot.Job, error) {
	var out []bot.Job
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDead).ForEach(func(k, v []byte) error {
			var j bot.Job
			if err := json.Unmarshal(v, &j); err != nil {
				return fmt.Errorf("dead letter %q: %w", k, err)
			}
			out = append(out, j)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b bot.Job) int { return cmp.Or(a.Failed.Compare(b.Failed), cmp.Compare(a.ID, b.ID)) })
	if len(out) > n {
		out = out[:n]
	}
	return out, err
}

// Requeue implements bot.Outbox.
func (s *Store) Requeue(ctx context.Context, ids ...string) (int, error) {
	moved := 0
	err := s.update(func(tx *bolt.Tx) error {
		moved = 0
		dead := tx.Bucket(bucketDead)
		for _, id := range ids {
			v := dead.Get([]byte(id))
			if v == nil {
				continue
			}
			var j bot.Job
			if err := json.Unmarshal(v, &j); err != nil {
				return fmt.Errorf("dead letter %q: %w", id, err)
			}
			if err := dead.Delete([]byte(id)); err != nil {
				return err
			}
			j.Attempts = 0
			if err := enqueue(tx, []bot.Job{j}); err != nil {
				return err
			}
			moved++
		}
		return nil
	})
	return moved, err
}

// releaseLeases makes every leased job ready at now: the file is held by one
// process, so a lease found on opening belonged to a process that stopped.
func releaseLeases(tx *bolt.Tx, now time.Time) error {
	var leased []outboxRecord
	err := tx.Bucket(bucketJobs).ForEach(func(k, v []byte) error {
		var r outboxRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("job %q: %w", k, err)
		}
		if r.Consumer != "" {
			leased = append(leased, r)
		}
		return nil
	})
	for _, r := range leased {
		old := r
		r.Consumer, r.Ready = "", now
		if err := putRecord(tx, r, &old); err != nil {
			return err
		}
	}
	return err
}
