package console

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/sitrepbot/sitrep/bot"
)

var _ bot.Messenger = (*Messenger)(nil)

// Messenger prints every message to a writer (stdout): digests as plain text,
// alerts and replies as lines.
type Messenger struct {
	mu sync.Mutex // one message at a time on w
	w  io.Writer
	n  int
}

// New returns a Messenger that writes to w.
func New(w io.Writer) *Messenger { return &Messenger{w: w} }

// Platform implements bot.Messenger.
func (m *Messenger) Platform() string { return bot.Console }

// Send implements bot.Messenger.
func (m *Messenger) Send(ctx context.Context, msg bot.Message) (bot.Sent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.write(msg); err != nil {
		return bot.Sent{}, fmt.Errorf("console: %w", err)
	}
	m.n++
	return bot.Sent{MessageIDs: []string{fmt.Sprint(m.n)}}, nil
}

// Edit implements bot.Messenger: an edit prints the message again.
func (m *Messenger) Edit(ctx context.Context, prev bot.Sent, msg bot.Message) error {
	_, err := m.Send(ctx, msg)
	return err
}

func (m *Messenger) write(msg bot.Message) error {
	switch {
	case msg.Digest != nil && len(msg.Digest.Developments) > 0:
		if err := Text(m.w, *msg.Digest); err != nil {
			return err
		}
		_, err := fmt.Fprintln(m.w)
		return err
	case msg.Development != nil:
		d := msg.Development
		_, err := fmt.Fprintf(m.w, "BREAKING: %s — %s (%d outlets) /story %s\n", d.Headline, d.Summary, len(d.Sources), d.ID)
		return err
	default:
		_, err := fmt.Fprintln(m.w, msg.Text)
		return err
	}
}
