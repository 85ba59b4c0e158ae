package bot

import "time"

// Job is one delivery in the outbox: a message built when it was enqueued
// (so a retry sends the same digest), its due time and its failures.
type Job struct {
	ID      string  `json:"id"` // the delivery key as a string: one job per key
	Message Message `json:"message"`
	// EditOf, when set, makes the job edit the messages the delivery with
	// this digest id (same platform and chat) became, instead of sending.
	EditOf    string    `json:"edit_of,omitempty"`
	ChatKind  ChatKind  `json:"chat_kind,omitempty"` // decides the per-group limit; "" counts as a group
	Due       time.Time `json:"due"`                 // when it should have been delivered; lag is measured from it
	Attempts  int       `json:"attempts,omitempty"`
	LastError string    `json:"last_error,omitempty"`
	Failed    time.Time `json:"failed,omitzero"` // when it last failed

	// Handle is the store's reference to the claimed copy (e.g. a stream
	// entry id); set by Claim, not stored.
	Handle string `json:"-"`
}

// NewJob returns the job that delivers m, due at due.
func NewJob(m Message, due time.Time) Job {
	return Job{ID: m.Key.String(), Message: m, Due: due}
}

// Key returns the job's delivery key.
func (j Job) Key() DeliveryKey { return j.Message.Key }

// Kinds of deliveries, by the prefix of their digest id.
const (
	slotPrefix    = "s-" // a scheduled digest: s-<slot in UTC>
	alertPrefix   = "a-" // a breaking alert: a-<development id>
	editionPrefix = "e-" // an edition to the edition chats
	replyPrefix   = "reply-"
)

// slotID is the digest id of a subscription's digest for one slot.
func slotID(slot time.Time) string { return slotPrefix + slot.UTC().Format("20060102T1504Z") }

// alertID is the digest id of the alert for one development.
func alertID(devID string) string { return alertPrefix + devID }
