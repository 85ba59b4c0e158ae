// Package boltstore implements bot.Store on a bbolt file: the embedded
// default, for one sitrep process with nothing to install.
package boltstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sitrepbot/sitrep/bot"
)

var (
	_ bot.Store      = (*Store)(nil)
	_ bot.BatchAcker = (*Store)(nil)
)

// Buckets. Values that expire are stored as an 8-byte big-endian expiry
// (Unix nanoseconds) followed by the payload.
var (
	bucketSubs       = []byte("subscriptions")
	bucketSeen       = []byte("seen")
	bucketFeeds      = []byte("feeds")
	bucketArticles   = []byte("articles")    // published(8) + source|id → expiring article JSON
	bucketArticleIdx = []byte("article_ids") // source|id → key in articles
	bucketDevs       = []byte("developments")
	bucketDigests    = []byte("digests") // generated(8) + id → digest JSON
	bucketDeliveries = []byte("deliveries")
	bucketDue        = []byte("due")          // next due(8) + platform\x00chat → nil: the schedule index
	bucketJobs       = []byte("outbox_jobs")  // job id → outboxRecord JSON
	bucketReady      = []byte("outbox_ready") // ready(8) + job id → nil: when each job may be claimed
	bucketDead       = []byte("dead_letters") // job id → job JSON
	bucketSlots      = []byte("slots")        // pace key → expiring JSON list of event times
	bucketAlerts     = []byte("alerts")       // development id → expiring alert state JSON
	bucketSnapshot   = []byte("snapshot")     // "latest" → digest JSON
	allBuckets       = [][]byte{bucketSubs, bucketSeen, bucketFeeds, bucketArticles, bucketArticleIdx, bucketDevs, bucketDigests,
		bucketDeliveries, bucketDue, bucketJobs, bucketReady, bucketDead, bucketSlots, bucketAlerts, bucketSnapshot}
)

// ErrInUse is returned by Open when another process holds the file.
var ErrInUse = errors.New("in use by another process")

// purgeEvery is how often, at most, a write also deletes expired entries.
const purgeEvery = 10 * time.Minute

// Options configure a Store.
type Options struct {
	Now func() time.Time // clock for expiry; default time.Now
}

// Store is a bot.Store in one bbolt file.
type Store struct {
	db  *bolt.DB
	now func() time.Time

	mu        sync.Mutex // guards lastPurge
	lastPurge time.Time
}

// Open opens (creating if needed) the store file at path. It fails after a
// second if another process holds the file.
func Open(path string, opts Options) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("boltstore: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("boltstore: %s: %w (run one sitrep per data_dir, or use redis_url for several)", path, ErrInUse)
	} else if err != nil {
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return releaseLeases(tx, opts.Now())
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("boltstore: %w", err)
	}
	return &Store{db: db, now: opts.Now}, nil
}

// Ping reports whether the file is open.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.View(func(tx *bolt.Tx) error { return nil })
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// update runs fn in a write transaction, first purging expired entries when
// a purge is due.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		s.maybePurge(tx)
		return fn(tx)
	})
}

func (s *Store) maybePurge(tx *bolt.Tx) {
	now := s.now()
	s.mu.Lock()
	due := now.Sub(s.lastPurge) >= purgeEvery
	if due {
		s.lastPurge = now
	}
	s.mu.Unlock()
	if due {
		purge(tx, now)
	}
}

// purge deletes every expired entry.
func purge(tx *bolt.Tx, now time.Time) {
	for _, name := range [][]byte{bucketSeen, bucketArticles, bucketDevs, bucketDeliveries, bucketSlots, bucketAlerts} {
		b := tx.Bucket(name)
		c := b.Cursor()
		for k, v := c.First(); k != nil; {
			if _, ok := unwrap(v, now); ok {
				k, v = c.Next()
				continue
			}
			if name := string(name); name == string(bucketArticles) {
				tx.Bucket(bucketArticleIdx).Delete(k[8:])
			}
			c.Delete()
			k, v = c.Seek(k)
		}
	}
}

// wrap prefixes payload with its expiry.
func wrap(payload []byte, expires time.Time) []byte {
	out := make([]byte, 8+len(payload))
	binary.BigEndian.PutUint64(out, uint64(expires.UnixNano()))
	copy(out[8:], payload)
	return out
}

// unwrap returns the payload of an expiring value, and false once it expired.
func unwrap(v []byte, now time.Time) ([]byte, bool) {
	if len(v) < 8 {
		return nil, false
	}
	if time.Unix(0, int64(binary.BigEndian.Uint64(v))).Before(now) {
		return nil, false
	}
	return v[8:], true
}

func timeKey(t time.Time, rest string) []byte {
	k := make([]byte, 8+len(rest))
	binary.BigEndian.PutUint64(k, uint64(t.UnixNano()))
	copy(k[8:], rest)
	return k
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}
