package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// slotScript keeps a sliding log of one key's events. ARGV: at (ms),
// window (ms), max, a unique member.
var slotScript = redis.NewScript(`
local at, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', at - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], at, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 1`)

// TakeSlot implements bot.PaceStore.
func (s *Store) TakeSlot(ctx context.Context, key string, at time.Time, window time.Duration, max int) (bool, error) {
	b := make([]byte, 8)
	rand.Read(b)
	n, err := slotScript.Run(ctx, s.rdb, []string{s.k.slot(key)}, at.UnixMilli(), window.Milliseconds(), max, hex.EncodeToString(b)).Int()
	return n == 1, wrap("take slot", err)
}

// GetAlert implements bot.AlertStore.
func (s *Store) GetAlert(ctx context.Context, devID string) (bot.AlertState, error) {
	var st bot.AlertState
	data, err := s.rdb.Get(ctx, s.k.alert(devID)).Bytes()
	if err != nil {
		return st, wrap("get alert", err)
	}
	return st, json.Unmarshal(data, &st)
}

// PutAlert implements bot.AlertStore.
func (s *Store) PutAlert(ctx context.Context, st bot.AlertState, ttl time.Duration) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return wrap("put alert", s.rdb.Set(ctx, s.k.alert(st.DevID), data, ttl).Err())
}

// PutLatest implements bot.SnapshotStore.
func (s *Store) PutLatest(ctx context.Context, d digest.Digest) error {
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return wrap("put latest", s.rdb.Set(ctx, s.k.latest(), data, 0).Err())
}

// GetLatest implements bot.SnapshotStore.
func (s *Store) GetLatest(ctx context.Context) (digest.Digest, error) {
	var d digest.Digest
	data, err := s.rdb.Get(ctx, s.k.latest()).Bytes()
	if err != nil {
		return d, wrap("get latest", err)
	}
	return d, json.Unmarshal(data, &d)
}
