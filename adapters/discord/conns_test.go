package discord_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/bot"
)

// TestSendsReuseConnections: sends made many at once, round after round,
// open as many connections as are in flight at once, and reuse them.
func TestSendsReuseConnections(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond) // the sends of a round overlap
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"1300000000000000001","channel_id":"500"}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := discord.New(discord.Options{Token: "test", ApplicationID: "1", APIURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := ctxFor(t, 30*time.Second)
	const inFlight, rounds = 16, 4
	for range rounds {
		var wg sync.WaitGroup
		for range inFlight {
			wg.Go(func() {
				if _, err := c.Send(ctx, bot.Message{ChatID: "500", Text: "hi"}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if got := conns.Load(); got > inFlight {
		t.Errorf("%d rounds of %d sends at once opened %d connections, want at most %d", rounds, inFlight, got, inFlight)
	}
}
