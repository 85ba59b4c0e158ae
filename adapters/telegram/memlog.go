package telegram

import (
	"context"
	"sync"
	"time"

	"github.com/sitrepbot/sitrep/bot"
)

// memoryLog is a bot.DeliveryLog in memory, for Options.Parts when no store
// is given: it forgets everything on restart.
type memoryLog struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[bot.DeliveryKey]memoryRecord
}

type memoryRecord struct {
	rec     bot.DeliveryRecord
	expires time.Time
}

// memoryLogCap is how many records trigger dropping the expired ones.
const memoryLogCap = 10000

func newMemoryLog(now func() time.Time) *memoryLog {
	return &memoryLog{now: now, m: map[bot.DeliveryKey]memoryRecord{}}
}

// RecordDelivery implements bot.DeliveryLog.
func (l *memoryLog) RecordDelivery(_ context.Context, r bot.DeliveryRecord, ttl time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if old, ok := l.m[r.Key]; ok && now.Before(old.expires) {
		return false, nil
	}
	if len(l.m) >= memoryLogCap {
		for k, v := range l.m {
			if !now.Before(v.expires) {
				delete(l.m, k)
			}
		}
	}
	l.m[r.Key] = memoryRecord{rec: r, expires: now.Add(ttl)}
	return true, nil
}

// GetDelivery implements bot.DeliveryLog.
func (l *memoryLog) GetDelivery(_ context.Context, key bot.DeliveryKey) (bot.DeliveryRecord, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r, ok := l.m[key]
	if !ok || !l.now().Before(r.expires) {
		return bot.DeliveryRecord{}, bot.ErrNotFound
	}
	return r.rec, nil
}
