package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// ErrNotFound is returned by a Store when a record does not exist.
var ErrNotFound = errors.New("not found")

// Store is everything the bot keeps. It is composed of small interfaces so a
// part of sitrep can ask for just what it uses. Implementations:
// adapters/boltstore (embedded, one process) and adapters/redisstore (any
// number of instances); bot/storetest is the contract both pass.
type Store interface {
	SubscriptionStore
	SeenStore
	FeedStateStore
	ArticleStore
	DevelopmentStore
	DeliveryLog
	ScheduleStore
	Outbox
	PaceStore
	AlertStore
	SnapshotStore
	// Ping reports whether the store can be reached.
	Ping(ctx context.Context) error
	// Close releases the store; it is called once, last, at shutdown.
	Close() error
}

// SubscriptionStore keeps subscriptions by platform and chat.
type SubscriptionStore interface {
	// PutSubscription creates or replaces the subscription of s.Platform and s.ChatID.
	PutSubscription(ctx context.Context, s Subscription) error
	// GetSubscription returns ErrNotFound when the chat has none.
	GetSubscription(ctx context.Context, platform, chatID string) (Subscription, error)
	// DeleteSubscription removes a subscription; removing a missing one is not an error.
	DeleteSubscription(ctx context.Context, platform, chatID string) error
	// ListSubscriptions returns every subscription, active or not, ordered by platform and chat.
	ListSubscriptions(ctx context.Context) ([]Subscription, error)
}

// SeenStore remembers which feed items were ingested, for a while.
type SeenStore interface {
	// Unseen returns the keys, in their order, that are not marked seen.
	Unseen(ctx context.Context, keys []string) ([]string, error)
	// MarkSeen marks keys seen until ttl has passed.
	MarkSeen(ctx context.Context, keys []string, ttl time.Duration) error
}

// FeedState is what the bot remembers of one feed between polls: its HTTP
// validators for conditional GET and its health.
type FeedState struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	LastPoll     time.Time `json:"last_poll,omitzero"`
	LastSuccess  time.Time `json:"last_success,omitzero"`
	NextPoll     time.Time `json:"next_poll,omitzero"` // not before; set by backoff and Retry-After
	Failures     int       `json:"failures,omitempty"` // consecutive
	LastError    string    `json:"last_error,omitempty"`
	Failing      bool      `json:"failing,omitempty"`
}

// FeedStateStore keeps a FeedState per feed URL.
type FeedStateStore interface {
	// GetFeedState returns the zero FeedState, not an error, for a feed never seen.
	GetFeedState(ctx context.Context, feedURL string) (FeedState, error)
	PutFeedState(ctx context.Context, feedURL string, st FeedState) error
	// ListFeedStates returns every feed's state by URL.
	ListFeedStates(ctx context.Context) (map[string]FeedState, error)
}

// ArticleStore keeps the articles of the engine's window, so that a restarted
// bot can replay them into a fresh engine.
type ArticleStore interface {
	// PutArticles stores articles (replacing any with the same source and id) until ttl has passed.
	PutArticles(ctx context.Context, articles []digest.Article, ttl time.Duration) error
	// ListArticles returns the stored articles published at or after since,
	// ordered by published time, then SeenKey.
	ListArticles(ctx context.Context, since time.Time) ([]digest.Article, error)
}

// DevelopmentStore keeps developments (for /story and the archive) and the
// editions of the digest.
type DevelopmentStore interface {
	// PutDevelopments stores developments by id until ttl has passed.
	PutDevelopments(ctx context.Context, devs []digest.Development, ttl time.Duration) error
	// GetDevelopment returns ErrNotFound for an unknown or expired id.
	GetDevelopment(ctx context.Context, id string) (digest.Development, error)
	// PutDigest stores a digest by its ID, keeping only the newest keep digests.
	PutDigest(ctx context.Context, d digest.Digest, keep int) error
	// LatestDigests returns up to n digests, newest (by Generated) first.
	LatestDigests(ctx context.Context, n int) ([]digest.Digest, error)
}

// DeliveryKey identifies one delivery: a digest (or alert) to one chat. It is
// the idempotency key of the delivery log.
type DeliveryKey struct {
	Platform string `json:"platform"`
	ChatID   string `json:"chat_id"`
	DigestID string `json:"digest_id"`
}

func (k DeliveryKey) String() string {
	return fmt.Sprintf("%s:%s:%s", k.Platform, k.ChatID, k.DigestID)
}

// DeliveryRecord says that a delivery was completed, and as which messages.
type DeliveryRecord struct {
	Key        DeliveryKey `json:"key"`
	MessageIDs []string    `json:"message_ids,omitempty"`
	SentAt     time.Time   `json:"sent_at"`
}

// DeliveryLog records completed deliveries.
type DeliveryLog interface {
	// RecordDelivery records r until ttl has passed. It reports false, and
	// changes nothing, when r.Key is already recorded.
	RecordDelivery(ctx context.Context, r DeliveryRecord, ttl time.Duration) (bool, error)
	// GetDelivery returns ErrNotFound when the key is not recorded.
	GetDelivery(ctx context.Context, key DeliveryKey) (DeliveryRecord, error)
}
