package bot

import (
	"context"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// ScheduleStore keeps the time-ordered index of the subscriptions' next due
// times: PutSubscription puts an active subscription with a NextDue in it,
// and DeleteSubscription or deactivation takes it out.
type ScheduleStore interface {
	// DueSubscriptions returns up to n subscriptions in the index whose
	// NextDue is at or before now, earliest first.
	DueSubscriptions(ctx context.Context, now time.Time, n int) ([]Due, error)
	// CommitSchedule commits claims, each atomically and independently: when
	// the stored subscription is still the one Due read (its Token), it is
	// replaced by Sub (whose NextDue moves it in the index) and Jobs are
	// enqueued. It reports, in order, which claims were committed; a claim
	// that lost (another instance committed it, or the chat changed its
	// subscription meanwhile) changes nothing.
	CommitSchedule(ctx context.Context, claims []Claim) ([]bool, error)
}

// Due is one subscription found due, with the store's token of the version read.
type Due struct {
	Sub   Subscription
	Token string // opaque to the bot; passed back in Claim
}

// Claim is what the scheduler does with one due subscription.
type Claim struct {
	Token string       // from Due
	Sub   Subscription // the subscription to store (LastDigest, NextDue advanced)
	Jobs  []Job        // deliveries to enqueue
}

// Outbox is the durable queue of deliveries. Every job is delivered by one
// consumer at a time: a claimed job is leased to its consumer until it is
// acknowledged, retried or buried, or until the lease runs out (the consumer
// died), when another consumer may claim it again.
type Outbox interface {
	// Enqueue adds jobs. A job whose ID is queued, leased or waiting for a
	// retry is not added again.
	Enqueue(ctx context.Context, jobs ...Job) error
	// Claim leases up to n jobs that are ready at now to consumer for lease,
	// oldest first, including jobs whose lease (another consumer's) ran out.
	// Every consumer must use the same lease: Redis reclaims a job once it
	// was held for longer than the claimer's lease.
	// A job whose key is already in the delivery log is completed, not returned.
	// Jobs claimed together may share their message's digest: nothing may
	// change it.
	Claim(ctx context.Context, consumer string, now time.Time, n int, lease time.Duration) ([]Job, error)
	// Ack completes a claimed job: it leaves the outbox. With rec, the
	// delivery is recorded in the delivery log (for ttl) in the same step.
	Ack(ctx context.Context, job Job, rec *DeliveryRecord, ttl time.Duration) error
	// Retry stores job (its Attempts and LastError updated) and makes it
	// ready again at at.
	Retry(ctx context.Context, job Job, at time.Time) error
	// Bury moves job to the dead letters, where it stays until Requeue.
	Bury(ctx context.Context, job Job) error
	// OutboxStats counts the jobs waiting (ready, leased or retrying) as
	// Pending, and the dead letters. (Every Store is an OutboxInspector.)
	OutboxStats(ctx context.Context) (OutboxStats, error)
	// DeadLetters returns up to n dead letters, oldest first.
	DeadLetters(ctx context.Context, n int) ([]Job, error)
	// Requeue moves dead letters back to the outbox with their attempts reset;
	// unknown ids are ignored. It returns how many moved.
	Requeue(ctx context.Context, ids ...string) (int, error)
}

// BatchAcker is implemented by an Outbox that completes several claimed
// jobs in one step (one round trip, one transaction); the bot completes
// what its senders sent meanwhile with it when the store has it.
type BatchAcker interface {
	// AckAll does what Ack does for every completion, each atomically; ttl
	// is the delivery records'. When it fails, some may be completed.
	AckAll(ctx context.Context, done []Completion, ttl time.Duration) error
}

// Completion is one claimed job to complete: with Rec, its delivery is
// recorded in the delivery log in the same step.
type Completion struct {
	Job Job
	Rec *DeliveryRecord
}

// PaceStore keeps the short-lived counts that space out what one chat gets:
// the per-chat cap on alerts and the /latest cooldown. Shared by every
// instance.
type PaceStore interface {
	// TakeSlot records one event of key at at and reports true when fewer
	// than max events of key were recorded in (at-window, at]; otherwise it
	// records nothing and reports false. Events older than window are forgotten.
	TakeSlot(ctx context.Context, key string, at time.Time, window time.Duration, max int) (bool, error)
}

// AlertStore remembers the breaking alerts sent for each development, so
// that each goes once to a chat and is edited as outlets join.
type AlertStore interface {
	// GetAlert returns ErrNotFound when no alert was sent for the development.
	GetAlert(ctx context.Context, devID string) (AlertState, error)
	// PutAlert stores st until ttl has passed.
	PutAlert(ctx context.Context, st AlertState, ttl time.Duration) error
}

// AlertState is what was sent for one development.
type AlertState struct {
	DevID   string    `json:"dev_id"`
	Outlets int       `json:"outlets"` // outlets the alert (or its last edit) showed
	Chats   []ChatRef `json:"chats"`   // chats the alert went to
	Sent    time.Time `json:"sent"`
}

// SnapshotStore keeps the leader's view of the top developments, so that
// instances without the engine (followers) can answer /latest.
type SnapshotStore interface {
	// PutLatest replaces the stored snapshot.
	PutLatest(ctx context.Context, d digest.Digest) error
	// GetLatest returns ErrNotFound before the first PutLatest.
	GetLatest(ctx context.Context) (digest.Digest, error)
}

// Limit is a token bucket: Rate events per Period, at most Burst at once.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// IsZero reports whether l sets no limit.
func (l Limit) IsZero() bool { return l.Rate <= 0 || l.Period <= 0 }

// RateLimiter is a set of named token buckets (GCRA), shared by every
// instance that shares the store: adapters/redisstore keeps them in Redis;
// NewLocalLimiter keeps them in process for the embedded store.
type RateLimiter interface {
	// Take takes up to n tokens (at most l.Burst) from key's bucket under l
	// and returns how many it took; when it took none, retryAfter says when
	// to ask again.
	Take(ctx context.Context, key string, l Limit, n int) (got int, retryAfter time.Duration, err error)
	// Pause makes key's bucket, under l, give no token for d, on every
	// instance (a platform's 429 with retry_after).
	Pause(ctx context.Context, key string, l Limit, d time.Duration) error
}

// Lease is the leadership among instances that share a store: at most one
// instance holds it at a time. adapters/redisstore implements it with a
// renewed lock; without one the single process always leads.
type Lease interface {
	// Acquire tries to take the lease for ttl; false, nil when another instance holds it.
	Acquire(ctx context.Context, ttl time.Duration) (bool, error)
	// Renew extends the held lease to ttl from now; false, nil when it was lost.
	Renew(ctx context.Context, ttl time.Duration) (bool, error)
	// Release gives the lease up, so another instance takes over at once.
	Release(ctx context.Context) error
}
