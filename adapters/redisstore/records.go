package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

func subField(platform, chatID string) string { return platform + ":" + chatID }

// PutSubscription implements bot.SubscriptionStore. In one transaction it
// also moves the subscription in the due index.
func (s *Store) PutSubscription(ctx context.Context, sub bot.Subscription) error {
	data, err := json.Marshal(sub)
	if err != nil {
		return err
	}
	field := subField(sub.Platform, sub.ChatID)
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, s.k.subs(), field, data)
		if sub.Active && !sub.NextDue.IsZero() {
			p.ZAdd(ctx, s.k.due(), redis.Z{Score: float64(sub.NextDue.UnixMilli()), Member: field})
		} else {
			p.ZRem(ctx, s.k.due(), field)
		}
		return nil
	})
	return wrap("put subscription", err)
}

// GetSubscription implements bot.SubscriptionStore.
func (s *Store) GetSubscription(ctx context.Context, platform, chatID string) (bot.Subscription, error) {
	var sub bot.Subscription
	data, err := s.rdb.HGet(ctx, s.k.subs(), subField(platform, chatID)).Bytes()
	if err != nil {
		return sub, wrap("get subscription", err)
	}
	return sub, json.Unmarshal(data, &sub)
}

// DeleteSubscription implements bot.SubscriptionStore.
func (s *Store) DeleteSubscription(ctx context.Context, platform, chatID string) error {
	field := subField(platform, chatID)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HDel(ctx, s.k.subs(), field)
		p.ZRem(ctx, s.k.due(), field)
		return nil
	})
	return wrap("delete subscription", err)
}

// ListSubscriptions implements bot.SubscriptionStore.
func (s *Store) ListSubscriptions(ctx context.Context) ([]bot.Subscription, error) {
	all, err := s.rdb.HGetAll(ctx, s.k.subs()).Result()
	if err != nil {
		return nil, wrap("list subscriptions", err)
	}
	out := make([]bot.Subscription, 0, len(all))
	for field, data := range all {
		var sub bot.Subscription
		if err := json.Unmarshal([]byte(data), &sub); err != nil {
			return nil, fmt.Errorf("redisstore: subscription %q: %w", field, err)
		}
		out = append(out, sub)
	}
	sortSubscriptions(out)
	return out, nil
}

// Unseen implements bot.SeenStore.
func (s *Store) Unseen(ctx context.Context, keys []string) ([]string, error) {
	cmds := make([]*redis.IntCmd, len(keys))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.Exists(ctx, s.k.seen(k))
		}
		return nil
	})
	if err != nil {
		return nil, wrap("unseen", err)
	}
	var out []string
	for i, c := range cmds {
		if c.Val() == 0 {
			out = append(out, keys[i])
		}
	}
	return out, nil
}

// MarkSeen implements bot.SeenStore.
func (s *Store) MarkSeen(ctx context.Context, keys []string, ttl time.Duration) error {
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.Set(ctx, s.k.seen(k), "1", ttl)
		}
		return nil
	})
	return wrap("mark seen", err)
}

// GetFeedState implements bot.FeedStateStore.
func (s *Store) GetFeedState(ctx context.Context, feedURL string) (bot.FeedState, error) {
	var st bot.FeedState
	data, err := s.rdb.HGet(ctx, s.k.feeds(), feedURL).Bytes()
	if errors.Is(err, redis.Nil) {
		return st, nil
	} else if err != nil {
		return st, wrap("get feed state", err)
	}
	return st, json.Unmarshal(data, &st)
}

// PutFeedState implements bot.FeedStateStore.
func (s *Store) PutFeedState(ctx context.Context, feedURL string, st bot.FeedState) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return wrap("put feed state", s.rdb.HSet(ctx, s.k.feeds(), feedURL, data).Err())
}

// ListFeedStates implements bot.FeedStateStore.
func (s *Store) ListFeedStates(ctx context.Context) (map[string]bot.FeedState, error) {
	all, err := s.rdb.HGetAll(ctx, s.k.feeds()).Result()
	if err != nil {
		return nil, wrap("list feed states", err)
	}
	out := make(map[string]bot.FeedState, len(all))
	for u, data := range all {
		var st bot.FeedState
		if err := json.Unmarshal([]byte(data), &st); err != nil {
			return nil, fmt.Errorf("redisstore: feed state %q: %w", u, err)
		}
		out[u] = st
	}
	return out, nil
}

// PutArticles implements bot.ArticleStore. The index of articles is scored by
// expiry and trimmed of expired entries on every write.
func (s *Store) PutArticles(ctx context.Context, articles []digest.Article, ttl time.Duration) error {
	now := time.Now()
	expires := float64(now.Add(ttl).UnixMilli())
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, a := range articles {
			data, err := json.Marshal(a)
			if err != nil {
				return err
			}
			id := bot.SeenKey(a)
			p.Set(ctx, s.k.article(id), data, ttl)
			p.ZAdd(ctx, s.k.articles(), redis.Z{Score: expires, Member: id})
		}
		p.ZRemRangeByScore(ctx, s.k.articles(), "-inf", "("+strconv.FormatInt(now.UnixMilli(), 10))
		return nil
	})
	return wrap("put articles", err)
}

// ListArticles implements bot.ArticleStore.
func (s *Store) ListArticles(ctx context.Context, since time.Time) ([]digest.Article, error) {
	ids, err := s.rdb.ZRange(ctx, s.k.articles(), 0, -1).Result()
	if err != nil {
		return nil, wrap("list articles", err)
	}
	cmds := make([]*redis.StringCmd, len(ids))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.Get(ctx, s.k.article(id))
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, wrap("list articles", err)
	}
	out := make([]digest.Article, 0, len(ids))
	for i, c := range cmds {
		data, err := c.Bytes()
		if errors.Is(err, redis.Nil) {
			continue // expired
		} else if err != nil {
			return nil, wrap("list articles", err)
		}
		var a digest.Article
		if err := json.Unmarshal(data, &a); err != nil {
			return nil, fmt.Errorf("redisstore: article %q: %w", ids[i], err)
		}
		if !a.Published.Before(since) {
			out = append(out, a)
		}
	}
	sortArticles(out)
	return out, nil
}

// PutDevelopments implements bot.DevelopmentStore.
func (s *Store) PutDevelopments(ctx context.Context, devs []digest.Development, ttl time.Duration) error {
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, d := range devs {
			data, err := json.Marshal(d)
			if err != nil {
				return err
			}
			p.Set(ctx, s.k.dev(d.ID), data, ttl)
		}
		return nil
	})
	return wrap("put developments", err)
}

// GetDevelopment implements bot.DevelopmentStore.
func (s *Store) GetDevelopment(ctx context.Context, id string) (digest.Development, error) {
	var d digest.Development
	data, err := s.rdb.Get(ctx, s.k.dev(id)).Bytes()
	if err != nil {
		return d, wrap("get development", err)
	}
	return d, json.Unmarshal(data, &d)
}

// PutDigest implements bot.DevelopmentStore.
func (s *Store) PutDigest(ctx context.Context, d digest.Digest, keep int) error {
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := s.rdb.Set(ctx, s.k.digest(d.ID), data, 0).Err(); err != nil {
		return wrap("put digest", err)
	}
	if err := s.rdb.ZAdd(ctx, s.k.digests(), redis.Z{Score: float64(d.Generated.UnixMilli()), Member: d.ID}).Err(); err != nil {
		return wrap("put digest", err)
	}
	old, err := s.rdb.ZRange(ctx, s.k.digests(), 0, int64(-keep-1)).Result()
	if err != nil || len(old) == 0 {
		return wrap("put digest", err)
	}
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, id := range old {
			p.ZRem(ctx, s.k.digests(), id)
			p.Del(ctx, s.k.digest(id))
		}
		return nil
	})
	return wrap("put digest", err)
}

// LatestDigests implements bot.DevelopmentStore.
func (s *Store) LatestDigests(ctx context.Context, n int) ([]digest.Digest, error) {
	ids, err := s.rdb.ZRevRange(ctx, s.k.digests(), 0, int64(n-1)).Result()
	if err != nil {
		return nil, wrap("latest digests", err)
	}
	out := make([]digest.Digest, 0, len(ids))
	for _, id := range ids {
		data, err := s.rdb.Get(ctx, s.k.digest(id)).Bytes()
		if errors.Is(err, redis.Nil) {
			continue
		} else if err != nil {
			return nil, wrap("latest digests", err)
		}
		var d digest.Digest
		if err := json.Unmarshal(data, &d); err != nil {
			return nil, fmt.Errorf("redisstore: digest %q: %w", id, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// RecordDelivery implements bot.DeliveryLog.
func (s *Store) RecordDelivery(ctx context.Context, r bot.DeliveryRecord, ttl time.Duration) (bool, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return false, err
	}
	err = s.rdb.SetArgs(ctx, s.k.delivered(r.Key.String()), data, redis.SetArgs{Mode: "NX", TTL: ttl}).Err()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	return err == nil, wrap("record delivery", err)
}

// GetDelivery implements bot.DeliveryLog.
func (s *Store) GetDelivery(ctx context.Context, key bot.DeliveryKey) (bot.DeliveryRecord, error) {
	var r bot.DeliveryRecord
	data, err := s.rdb.Get(ctx, s.k.delivered(key.String())).Bytes()
	if err != nil {
		return r, wrap("get delivery", err)
	}
	return r, json.Unmarshal(data, &r)
}

// wrap prefixes err with the operation and maps redis.Nil to bot.ErrNotFound.
func wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, redis.Nil):
		return bot.ErrNotFound
	}
	return fmt.Errorf("redisstore: %s: %w", op, err)
}
