package boltstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sitrepbot/sitrep/bot"
)

// putSub stores sub and moves it in the due index.
func putSub(tx *bolt.Tx, sub bot.Subscription) error {
	k := subKey(sub.Platform, sub.ChatID)
	if err := unindexSub(tx, k); err != nil {
		return err
	}
	if err := putJSON(tx.Bucket(bucketSubs), k, sub); err != nil {
		return err
	}
	if sub.Active && !sub.NextDue.IsZero() {
		return tx.Bucket(bucketDue).Put(timeKey(sub.NextDue, string(k)), nil)
	}
	return nil
}

// unindexSub takes the stored subscription under k out of the due index.
func unindexSub(tx *bolt.Tx, k []byte) error {
	v := tx.Bucket(bucketSubs).Get(k)
	if v == nil {
		return nil
	}
	var old bot.Subscription
	if err := json.Unmarshal(v, &old); err != nil {
		return fmt.Errorf("subscription %q: %w", k, err)
	}
	if old.NextDue.IsZero() {
		return nil
	}
	return tx.Bucket(bucketDue).Delete(timeKey(old.NextDue, string(k)))
}

// DueSubscriptions implements bot.ScheduleStore. The token is the stored JSON.
func (s *Store) DueSubscriptions(ctx context.Context, now time.Time, n int) ([]bot.Due, error) {
	var out []bot.Due
	err := s.db.View(func(tx *bolt.Tx) error {
		subs := tx.Bucket(bucketSubs)
		c := tx.Bucket(bucketDue).Cursor()
		end := timeKey(now, "\xff")
		for k, _ := c.First(); k != nil && bytes.Compare(k, end) <= 0 && len(out) < n; k, _ = c.Next() {
			v := subs.Get(k[8:])
			if v == nil {
				continue
			}
			var sub bot.Subscription
			if err := json.Unmarshal(v, &sub); err != nil {
				return fmt.Errorf("subscription %q: %w", k[8:], err)
			}
			out = append(out, bot.Due{Sub: sub, Token: string(v)})
		}
		return nil
	})
	return out, err
}

// CommitSchedule implements bot.ScheduleStore: all claims in one transaction,
// each applied only when the stored subscription is unchanged.
func (s *Store) CommitSchedule(ctx context.Context, claims []bot.Claim) ([]bool, error) {
	done := make([]bool, len(claims))
	err := s.update(func(tx *bolt.Tx) error {
		for i, c := range claims {
			cur := tx.Bucket(bucketSubs).Get(subKey(c.Sub.Platform, c.Sub.ChatID))
			if cur == nil || string(cur) != c.Token {
				continue
			}
			if err := putSub(tx, c.Sub); err != nil {
				return err
			}
			if err := enqueue(tx, c.Jobs); err != nil {
				return err
			}
			done[i] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return done, nil
}
