package discord_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/bot"
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

// handlerFunc is a discord.Handler from a function.
type handlerFunc func(ctx context.Context, r bot.Request) bot.Response

func (f handlerFunc) Handle(ctx context.Context, r bot.Request) bot.Response { return f(ctx, r) }

// mode starts a fake Discord and a client that receives interactions one
// way: over the gateway or over HTTP.
type mode struct {
	name  string
	start func(tb testing.TB, opts discordtest.Options, copts discord.Options, h discord.Handler) (*discordtest.Server, *discord.Client, *logBuffer)
}

var modes = []mode{
	{"gateway", startGateway},
	{"http", startHTTP},
}

// startGateway connects a client to the fake's gateway; the connection
// ends with the test.
func startGateway(tb testing.TB, opts discordtest.Options, copts discord.Options, h discord.Handler) (*discordtest.Server, *discord.Client, *logBuffer) {
	tb.Helper()
	fake := discordtest.New(tb, opts)
	c, logs := newClient(tb, fake, copts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.RunGateway(ctx, h) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("RunGateway: %v", err)
		}
	})
	if err := fake.WaitGateway(ctxFor(tb, 5*time.Second)); err != nil {
		tb.Fatalf("gateway: %v\n%s", err, logs)
	}
	return fake, c, logs
}

// startHTTP serves the client's interactions endpoint to the fake.
func startHTTP(tb testing.TB, opts discordtest.Options, copts discord.Options, h discord.Handler) (*discordtest.Server, *discord.Client, *logBuffer) {
	tb.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	opts.InteractionsURL = srv.URL + discord.InteractionsPath
	fake := discordtest.New(tb, opts)
	copts.PublicKey = fake.PublicKey()
	c, logs := newClient(tb, fake, copts)
	handler, err := c.InteractionsHandler(h)
	if err != nil {
		tb.Fatal(err)
	}
	mux.Handle(discord.InteractionsPath, handler)
	return fake, c, logs
}
