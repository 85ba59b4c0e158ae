package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
)

func TestListenAnswersEachCommandOnce(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.NoLimits()})
	c := mustClient(t, s, Options{PollTimeout: 30 * time.Second}) // Listen must still stop at once
	h := &echo{c: c}
	chat := telegramtest.PrivateChat(alice)
	s.InjectMessage(chat, alice, "/start")
	listen(t, c, h)
	s.InjectMessage(chat, alice, "/subscribe@sitrep_test_bot 8:00 kyiv")
	s.InjectMessage(chat, alice, "not a command")
	s.InjectMessage(chat, alice, "/latest 3")
	msgs := s.WaitMessages(alice.ID, 3, 5*time.Second)
	var got []string
	for _, m := range msgs {
		got = append(got, m.Parsed.Text)
	}
	want := []string{"/start", "/subscribe 8:00 kyiv", "/latest 3"}
	if !slices.Equal(got, want) {
		t.Errorf("replies = %q, want %q", got, want)
	}
	// The next poll confirms them: nothing is handled twice.
	s.InjectMessage(chat, alice, "/status")
	s.WaitMessages(alice.ID, 4, 5*time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for s.Pending() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := s.Pending(); n != 0 {
		t.Errorf("%d updates still unconfirmed", n)
	}
	if n := len(h.requests()); n != 4 {
		t.Errorf("%d commands handled, want 4", n)
	}
	if n := len(s.Messages(alice.ID)); n != 4 {
		t.Errorf("%d replies, want 4", n)
	}
}

// recordSleeps makes c's waits return at once and records them.
func recordSleeps(c *Client) func() []time.Duration {
	var mu sync.Mutex
	var waits []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(waits)
	}
}

func TestListenBacksOff(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{})
	log, logs := newLogger()
	c := mustClient(t, s, Options{Logger: log})
	waits := recordSleeps(c)
	s.Fail("getUpdates",
		telegramtest.Failure{Status: 429, Description: "Too Many Requests: retry after 7", RetryAfter: 7},
		telegramtest.Failure{Status: 502},
		telegramtest.Failure{Drop: true},
		telegramtest.Failure{Status: 409, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"},
		telegramtest.Failure{Status: 500},
	)
	listen(t, c, &echo{c: c})
	s.InjectMessage(telegramtest.PrivateChat(alice), alice, "/latest")
	s.WaitMessages(alice.ID, 1, 5*time.Second)
	// The 429 waits its retry_after; the others double as failures go on.
	want := []time.Duration{7 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second}
	if got := waits(); !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	out := logs.String()
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "another instance or a webhook is using this bot token") {
		t.Errorf("the conflict is not logged as an error that says what to do:\n%s", out)
	}
}

func TestRetryDelay(t *testing.T) {
	tests := []struct {
		err  error
		n    int
		want time.Duration
	}{
		{errors.New("x"), 1, time.Second},
		{errors.New("x"), 3, 4 * time.Second},
		{errors.New("x"), 50, maxBackoff},
		{ErrConflict, 1, 5 * time.Second},
		{ErrConflict, 9, maxBackoff},
	}
	for _, tt := range tests {
		if got := retryDelay(tt.err, tt.n); got != tt.want {
			t.Errorf("retryDelay(%v, %d) = %v, want %v", tt.err, tt.n, got, tt.want)
		}
	}
}

func TestListenStopsOnRejectedToken(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{})
	c := mustClient(t, s, Options{})
	s.Fail("getUpdates", telegramtest.Failure{Status: 401, Description: "Unauthorized"})
	err := c.Listen(context.Background(), &echo{c: c})
	if !errors.Is(err, ErrUnauthorized) {
		t.Errorf("Listen = %v, want ErrUnauthorized", err)
	}
}

// TestNewIsCancellable: getMe never blocks shutdown, whatever the server does.
func TestNewIsCancellable(t *testing.T) {
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(hang)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := New(ctx, Options{Token: telegramtest.DefaultToken, APIURL: srv.URL})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("New = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("New returned after %v", d)
	}
}
