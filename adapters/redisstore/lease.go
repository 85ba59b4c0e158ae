package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/bsm/redislock"
	"github.com/redis/go-redis/v9"

	"github.com/sitrepbot/sitrep/bot"
)

var (
	_ bot.Lease           = (*Lease)(nil)
	_ bot.LeaderInspector = (*Store)(nil)
)

// tokenLen is the length of a lease's random token; the lock's value is the
// token followed by the holder's instance name.
const tokenLen = 24

// Lease is the leadership among the instances on one Redis: a lock
// (bsm/redislock) on the key {p}leader that its holder renews.
type Lease struct {
	locker   *redislock.Client
	key      string
	instance string

	mu   sync.Mutex // guards lock
	lock *redislock.Lock
}

// Lease returns the leadership lease of an instance named instance (shown
// by Leader while it holds the lease).
func (s *Store) Lease(instance string) *Lease {
	return &Lease{locker: redislock.New(s.rdb), key: s.k.leader(), instance: instance}
}

// Leader implements bot.LeaderInspector: the instance name of the lease's
// holder, "" when nobody holds it.
func (s *Store) Leader(ctx context.Context) (string, error) {
	v, err := s.rdb.Get(ctx, s.k.leader()).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	} else if err != nil {
		return "", wrap("leader", err)
	}
	if len(v) < tokenLen {
		return "", nil
	}
	return v[tokenLen:], nil
}

// Acquire implements bot.Lease.
func (l *Lease) Acquire(ctx context.Context, ttl time.Duration) (bool, error) {
	b := make([]byte, tokenLen/2)
	rand.Read(b)
	lock, err := l.locker.Obtain(ctx, l.key, ttl, &redislock.Options{Token: hex.EncodeToString(b), Metadata: l.instance})
	if errors.Is(err, redislock.ErrNotObtained) {
		return false, nil
	} else if err != nil {
		return false, wrap("acquire lease", err)
	}
	l.mu.Lock()
	l.lock = lock
	l.mu.Unlock()
	return true, nil
}

// Renew implements bot.Lease.
func (l *Lease) Renew(ctx context.Context, ttl time.Duration) (bool, error) {
	l.mu.Lock()
	lock := l.lock
	l.mu.Unlock()
	if lock == nil {
		return false, nil
	}
	err := lock.Refresh(ctx, ttl, nil)
	if errors.Is(err, redislock.ErrNotObtained) {
		l.drop(lock)
		return false, nil
	}
	return err == nil, wrap("renew lease", err)
}

// Release implements bot.Lease.
func (l *Lease) Release(ctx context.Context) error {
	l.mu.Lock()
	lock := l.lock
	l.mu.Unlock()
	if lock == nil {
		return nil
	}
	l.drop(lock)
	if err := lock.Release(ctx); err != nil && !errors.Is(err, redislock.ErrLockNotHeld) {
		return wrap("release lease", err)
	}
	return nil
}

func (l *Lease) drop(lock *redislock.Lock) {
	l.mu.Lock()
	if l.lock == lock {
		l.lock = nil
	}
	l.mu.Unlock()
}
