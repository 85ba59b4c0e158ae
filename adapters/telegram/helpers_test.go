package telegram

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
	"github.com/sitrepbot/sitrep/bot"
)

// mustClient returns a client of the fake server s.
func mustClient(tb testing.TB, s *telegramtest.Server, opts Options) *Client {
	tb.Helper()
	opts.Token, opts.APIURL = s.Token(), s.URL()
	if opts.PollTimeout == 0 {
		opts.PollTimeout = time.Second
	}
	c, err := New(context.Background(), opts)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return c
}

// logBuffer collects log output, safe for concurrent use.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newLogger logs everything, debug included, to a buffer.
func newLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// echo is a Handler that answers each command with its name and arguments
// and replies through a Client, as bot.Bot does.
type echo struct {
	c    *Client
	mu   sync.Mutex
	reqs []bot.Request
	evs  []bot.ChatEvent
	// admin is what IsAdmin said for /subscribe in groups and channels, by
	// "chat:user".
	admin map[string]bool
}

func (e *echo) Handle(ctx context.Context, r bot.Request) bot.Response {
	e.mu.Lock()
	e.reqs = append(e.reqs, r)
	e.mu.Unlock()
	if r.Command == "subscribe" && r.ChatKind != bot.ChatPrivate {
		ok, err := r.IsAdmin(ctx)
		e.mu.Lock()
		if e.admin == nil {
			e.admin = map[string]bool{}
		}
		e.admin[r.ChatID+":"+r.UserID] = ok && err == nil
		e.mu.Unlock()
	}
	return bot.Response{Text: strings.TrimSpace("/" + r.Command + " " + strings.Join(r.Args, " "))}
}

func (e *echo) Reply(ctx context.Context, r bot.Request, resp bot.Response) error {
	_, err := e.c.Send(ctx, bot.Message{Key: bot.DeliveryKey{Platform: bot.Telegram, ChatID: r.ChatID, DigestID: "reply-" + r.MessageID},
		ChatID: r.ChatID, ThreadID: r.ThreadID, ReplyTo: r.MessageID, Text: resp.Text})
	return err
}

func (e *echo) ChatChanged(ctx context.Context, ev bot.ChatEvent) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.evs = append(e.evs, ev)
	return nil
}

func (e *echo) events() []bot.ChatEvent {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]bot.ChatEvent(nil), e.evs...)
}

func (e *echo) requests() []bot.Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]bot.Request(nil), e.reqs...)
}

// listen runs c.Listen with h until the test ends.
func listen(tb testing.TB, c *Client, h Handler) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Listen(ctx, h) }()
	tb.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("Listen: %v", err)
			}
		case <-time.After(5 * time.Second):
			tb.Error("Listen did not return within 5s of its context ending")
		}
	})
}
