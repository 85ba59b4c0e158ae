package boltstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

func subKey(platform, chatID string) []byte { return []byte(platform + "\x00" + chatID) }

// PutSubscription implements bot.SubscriptionStore. It keeps the due index
// in step: an active subscription with a NextDue is in it.
func (s *Store) PutSubscription(ctx context.Context, sub bot.Subscription) error {
	return s.update(func(tx *bolt.Tx) error { return putSub(tx, sub) })
}

// GetSubscription implements bot.SubscriptionStore.
func (s *Store) GetSubscription(ctx context.Context, platform, chatID string) (bot.Subscription, error) {
	var sub bot.Subscription
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSubs).Get(subKey(platform, chatID))
		if v == nil {
			return bot.ErrNotFound
		}
		return json.Unmarshal(v, &sub)
	})
	return sub, err
}

// DeleteSubscription implements bot.SubscriptionStore.
func (s *Store) DeleteSubscription(ctx context.Context, platform, chatID string) error {
	return s.update(func(tx *bolt.Tx) error {
		k := subKey(platform, chatID)
		if err := unindexSub(tx, k); err != nil {
			return err
		}
		return tx.Bucket(bucketSubs).Delete(k)
	})
}

// ListSubscriptions implements bot.SubscriptionStore.
func (s *Store) ListSubscriptions(ctx context.Context) ([]bot.Subscription, error) {
	var out []bot.Subscription
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSubs).ForEach(func(k, v []byte) error {
			var sub bot.Subscription
			if err := json.Unmarshal(v, &sub); err != nil {
				return fmt.Errorf("subscription %q: %w", k, err)
			}
			out = append(out, sub)
			return nil
		})
	})
	return out, err
}

// Unseen implements bot.SeenStore.
func (s *Store) Unseen(ctx context.Context, keys []string) ([]string, error) {
	var out []string
	now := s.now()
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSeen)
		for _, k := range keys {
			if _, ok := unwrap(b.Get([]byte(k)), now); !ok {
				out = append(out, k)
			}
		}
		return nil
	})
	return out, err
}

// MarkSeen implements bot.SeenStore.
func (s *Store) MarkSeen(ctx context.Context, keys []string, ttl time.Duration) error {
	exp := wrap(nil, s.now().Add(ttl))
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSeen)
		for _, k := range keys {
			if err := b.Put([]byte(k), exp); err != nil {
				return err
			}
		}
		return nil
	})
}

// GetFeedState implements bot.FeedStateStore.
func (s *Store) GetFeedState(ctx context.Context, feedURL string) (bot.FeedState, error) {
	var st bot.FeedState
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketFeeds).Get([]byte(feedURL)); v != nil {
			return json.Unmarshal(v, &st)
		}
		return nil
	})
	return st, err
}

// PutFeedState implements bot.FeedStateStore.
func (s *Store) PutFeedState(ctx context.Context, feedURL string, st bot.FeedState) error {
	return s.update(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bucketFeeds), []byte(feedURL), st) })
}

// ListFeedStates implements bot.FeedStateStore.
func (s *Store) ListFeedStates(ctx context.Context) (map[string]bot.FeedState, error) {
	out := map[string]bot.FeedState{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFeeds).ForEach(func(k, v []byte) error {
			var st bot.FeedState
			if err := json.Unmarshal(v, &st); err != nil {
				return fmt.Errorf("feed state %q: %w", k, err)
			}
			out[string(k)] = st
			return nil
		})
	})
	return out, err
}

// PutArticles implements bot.ArticleStore.
func (s *Store) PutArticles(ctx context.Context, articles []digest.Article, ttl time.Duration) error {
	exp := s.now().Add(ttl)
	return s.update(func(tx *bolt.Tx) error {
		arts, idx := tx.Bucket(bucketArticles), tx.Bucket(bucketArticleIdx)
		for _, a := range articles {
			id := []byte(bot.SeenKey(a))
			if old := idx.Get(id); old != nil {
				if err := arts.Delete(old); err != nil {
					return err
				}
			}
			data, err := json.Marshal(a)
			if err != nil {
				return err
			}
			k := timeKey(a.Published, string(id))
			if err := arts.Put(k, wrap(data, exp)); err != nil {
				return err
			}
			if err := idx.Put(id, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListArticles implements bot.ArticleStore.
func (s *Store) ListArticles(ctx context.Context, since time.Time) ([]digest.Article, error) {
	var out []digest.Article
	now := s.now()
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketArticles).Cursor()
		for k, v := c.Seek(timeKey(since, "")); k != nil; k, v = c.Next() {
			data, ok := unwrap(v, now)
			if !ok {
				continue
			}
			var a digest.Article
			if err := json.Unmarshal(data, &a); err != nil {
				return fmt.Errorf("article %q: %w", k[8:], err)
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// PutDevelopments implements bot.DevelopmentStore.
func (s *Store) PutDevelopments(ctx context.Context, devs []digest.Development, ttl time.Duration) error {
	exp := s.now().Add(ttl)
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDevs)
		for _, d := range devs {
			data, err := json.Marshal(d)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(d.ID), wrap(data, exp)); err != nil {
				return err
			}
		}
		return nil
	})
}

// GetDevelopment implements bot.DevelopmentStore.
func (s *Store) GetDevelopment(ctx context.Context, id string) (digest.Development, error) {
	var d digest.Development
	err := s.db.View(func(tx *bolt.Tx) error {
		data, ok := unwrap(tx.Bucket(bucketDevs).Get([]byte(id)), s.now())
		if !ok {
			return bot.ErrNotFound
		}
		return json.Unmarshal(data, &d)
	})
	return d, err
}

// PutDigest implements bot.DevelopmentStore.
func (s *Store) PutDigest(ctx context.Context, d digest.Digest, keep int) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDigests)
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() { // replace a digest with the same id
			if string(k[8:]) == d.ID {
				if err := c.Delete(); err != nil {
					return err
				}
			}
		}
		if err := putJSON(b, timeKey(d.Generated, d.ID), d); err != nil {
			return err
		}
		n := 0
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			n++
		}
		for k, _ := c.First(); k != nil && n > keep; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
			n--
		}
		return nil
	})
}

// LatestDigests implements bot.DevelopmentStore.
func (s *Store) LatestDigests(ctx context.Context, n int) ([]digest.Digest, error) {
	var out []digest.Digest
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDigests).Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			var d digest.Digest
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("digest %q: %w", k[8:], err)
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// RecordDelivery implements bot.DeliveryLog.
func (s *Store) RecordDelivery(ctx context.Context, r bot.DeliveryRecord, ttl time.Duration) (bool, error) {
	fresh := false
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		fresh, err = recordDelivery(tx, r, s.now(), ttl)
		return err
	})
	return fresh, err
}

// recordDelivery records r unless its key is recorded and not expired at now.
func recordDelivery(tx *bolt.Tx, r bot.DeliveryRecord, now time.Time, ttl time.Duration) (bool, error) {
	b := tx.Bucket(bucketDeliveries)
	k := []byte(r.Key.String())
	if _, ok := unwrap(b.Get(k), now); ok {
		return false, nil
	}
	data, err := json.Marshal(r)
	if err != nil {
		return false, err
	}
	return true, b.Put(k, wrap(data, now.Add(ttl)))
}

// GetDelivery implements bot.DeliveryLog.
func (s *Store) GetDelivery(ctx context.Context, key bot.DeliveryKey) (bot.DeliveryRecord, error) {
	var r bot.DeliveryRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		data, ok := unwrap(tx.Bucket(bucketDeliveries).Get([]byte(key.String())), s.now())
		if !ok {
			return bot.ErrNotFound
		}
		return json.Unmarshal(data, &r)
	})
	return r, err
}
