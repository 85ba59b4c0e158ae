package boltstore

import (
	"context"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// TakeSlot implements bot.PaceStore: the events of a key are a list of
// Unix-nanosecond times that expires with the newest event's window.
func (s *Store) TakeSlot(ctx context.Context, key string, at time.Time, window time.Duration, max int) (bool, error) {
	taken := false
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSlots)
		var events []int64
		if data, ok := unwrap(b.Get([]byte(key)), at); ok {
			if err := json.Unmarshal(data, &events); err != nil {
				return err
			}
		}
		kept := events[:0]
		for _, e := range events {
			if e > at.Add(-window).UnixNano() {
				kept = append(kept, e)
			}
		}
		if taken = len(kept) < max; !taken {
			return nil
		}
		data, err := json.Marshal(append(kept, at.UnixNano()))
		if err != nil {
			return err
		}
		return b.Put([]byte(key), wrap(data, at.Add(window)))
	})
	return taken, err
}

// GetAlert implements bot.AlertStore.
func (s *Store) GetAlert(ctx context.Context, devID string) (bot.AlertState, error) {
	var st bot.AlertState
	err := s.db.View(func(tx *bolt.Tx) error {
		data, ok := unwrap(tx.Bucket(bucketAlerts).Get([]byte(devID)), s.now())
		if !ok {
			return bot.ErrNotFound
		}
		return json.Unmarshal(data, &st)
	})
	return st, err
}

// PutAlert implements bot.AlertStore.
func (s *Store) PutAlert(ctx context.Context, st bot.AlertState, ttl time.Duration) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAlerts).Put([]byte(st.DevID), wrap(data, s.now().Add(ttl)))
	})
}

var latestKey = []byte("latest")

// PutLatest implements bot.SnapshotStore.
func (s *Store) PutLatest(ctx context.Context, d digest.Digest) error {
	return s.update(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bucketSnapshot), latestKey, d) })
}

// GetLatest implements bot.SnapshotStore.
func (s *Store) GetLatest(ctx context.Context) (digest.Digest, error) {
	var d digest.Digest
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSnapshot).Get(latestKey)
		if v == nil {
			return bot.ErrNotFound
		}
		return json.Unmarshal(v, &d)
	})
	return d, err
}
