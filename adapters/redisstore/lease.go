package redisstore

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/bsm/redislock"

	"github.com/sitrepbot/sitrep/bot"
)

var _ bot.Lease = (*Lease)(nil)

// Lease is the leadership among the instances on one Redis: a lock
// (bsm/redislock) on the key {p}leader that its holder renews.
type Lease struct {
	locker *redislock.Client
	key    string

	mu   sync.Mutex // guards lock
	lock *redislock.Lock
}

// Lease returns the store's leadership lease.
func (s *Store) Lease() *Lease {
	return &Lease{locker: redislock.New(s.rdb), key: s.k.leader()}
}

// Acquire implements bot.Lease.
func (l *Lease) Acquire(ctx context.Context, ttl time.Duration) (bool, error) {
	lock, err := l.locker.Obtain(ctx, l.key, ttl, nil)
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
