package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// Messenger delivers messages to one platform's chats. Adapters implement it
// and translate their platform's errors into the errors below, so the bot
// decides what to do without knowing the platform.
type Messenger interface {
	// Platform names the platform, e.g. Telegram; it matches Subscription.Platform.
	Platform() string
	// Send posts m to its chat and returns the ids of the messages posted.
	Send(ctx context.Context, m Message) (Sent, error)
	// Edit replaces messages posted earlier (a breaking alert that gained outlets).
	Edit(ctx context.Context, prev Sent, m Message) error
}

// MultiPart is implemented by a Messenger that may post one Message as
// several platform messages (a long digest is split): the bot waits for a
// rate-limit slot for each of them, so that the platform's limits hold for
// every request it receives, not only for every delivery. Its Send calls
// NextPart before every message it posts but the first.
type MultiPart interface {
	// Parts returns how many messages Send posts for m, or Edit replaces.
	Parts(m Message) int
}

// parts is how many rate-limit slots sending m through ms takes.
func parts(ms Messenger, m Message) int {
	if mp, ok := ms.(MultiPart); ok {
		return max(1, mp.Parts(m))
	}
	return 1
}

// Kind says what a Message carries.
type Kind int

// Message kinds.
const (
	KindText   Kind = iota // Text only
	KindDigest             // Digest: a scheduled digest, an edition or /latest
	KindAlert              // Development: a breaking alert
	KindStory              // Development: one development in full, for /story
)

// Message is one platform-neutral message. Adapters render it in their
// platform's format and escape everything that came from a feed.
type Message struct {
	Key         DeliveryKey // idempotency key of the delivery
	ChatID      string
	ThreadID    string
	Kind        Kind
	Text        string              // plain text: a reply, or the line shown for an empty digest
	Digest      *digest.Digest      // KindDigest; developments first seen after Digest.Since are new, the rest updated
	Development *digest.Development // KindAlert, KindStory
	Lang        string
	ReplyTo     string // platform message id this answers, "" = none
}

// Sent identifies the platform messages a Message became.
type Sent struct {
	MessageIDs []string `json:"message_ids"`
}

// Errors a Messenger returns (wrapped, test with errors.Is / errors.As).
var (
	// ErrChatGone: the bot can no longer post to the chat (blocked, kicked,
	// chat deleted, missing access). Returned as *ChatGoneError.
	ErrChatGone = errors.New("chat gone")
	// ErrRateLimited: the platform asked to slow down. Returned as *RateLimitError.
	ErrRateLimited = errors.New("rate limited")
	// ErrTemporary: a failure worth retrying later (5xx, network).
	ErrTemporary = errors.New("temporary failure")
)

// ChatGoneError is ErrChatGone with the platform's reason.
type ChatGoneError struct{ Reason string }

func (e *ChatGoneError) Error() string        { return "chat gone: " + e.Reason }
func (e *ChatGoneError) Is(target error) bool { return target == ErrChatGone }

// RateLimitError is ErrRateLimited with how long to wait.
type RateLimitError struct {
	RetryAfter time.Duration
	Global     bool // the whole bot is limited, not just this chat
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("rate limited: retry after %s", e.RetryAfter)
}
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// ChatMigratedError says the chat moved to a new id (a Telegram group that
// became a supergroup); the message was not delivered.
type ChatMigratedError struct{ NewChatID string }

func (e *ChatMigratedError) Error() string { return "chat migrated to " + e.NewChatID }
