package discord_test

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
)

// logBuffer collects log lines for a test, safe for concurrent writers.
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

// newClient returns a client of fake, with opts over the test defaults,
// logging into the returned buffer; it is closed when tb ends.
func newClient(tb testing.TB, fake *discordtest.Server, opts discord.Options) (*discord.Client, *logBuffer) {
	tb.Helper()
	logs := &logBuffer{}
	if opts.Token == "" {
		opts.Token = fake.Token()
	}
	if opts.ApplicationID == "" {
		opts.ApplicationID = fake.ApplicationID()
	}
	if opts.APIURL == "" {
		opts.APIURL = fake.URL()
	}
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := discord.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c, logs
}

// ctxFor returns a context that ends with the test or after d.
func ctxFor(tb testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	tb.Cleanup(cancel)
	return ctx
}
