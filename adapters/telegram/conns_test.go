package telegram

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
)

// TestSendsReuseConnections: sends made many at once, round after round,
// open as many connections as are in flight at once, and reuse them.
func TestSendsReuseConnections(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/getMe") {
			io.WriteString(w, `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"sitrep","username":"sitrep_test_bot"}}`)
			return
		}
		time.Sleep(20 * time.Millisecond) // the sends of a round overlap
		io.WriteString(w, `{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":1001,"type":"private"}}}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	ctx := context.Background()
	c, err := New(ctx, Options{Token: "1:test", APIURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	const inFlight, rounds = 16, 4
	for range rounds {
		var wg sync.WaitGroup
		for range inFlight {
			wg.Go(func() {
				if _, err := c.Send(ctx, bot.Message{ChatID: "1001", Text: "hi"}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if got := conns.Load(); got > inFlight+1 {
		t.Errorf("%d rounds of %d sends at once opened %d connections, want at most %d", rounds, inFlight, got, inFlight+1)
	}
}
