package telegram

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
	"github.com/sitrepbot/sitrep/bot"
)

// TestTokenNeverLeaks runs failures of every kind — unreachable servers,
// dropped connections, timeouts, answers that are not the Bot API's, API
// errors — and looks for the token in every log line and error.
func TestTokenNeverLeaks(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.NoLimits()})
	token := s.Token()
	log, logs := newLogger()
	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	// Construction against a closed port, a server that is not the Bot API,
	// a server too slow to answer, a dropped connection.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + ln.Addr().String()
	ln.Close()
	notAPI := httptest.NewServer(http.NotFoundHandler())
	defer notAPI.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer slow.Close()
	for _, api := range []string{closed, notAPI.URL, slow.URL, "http://bad host"} {
		_, err := New(context.Background(), Options{Token: token, APIURL: api, Logger: log, RequestTimeout: 200 * time.Millisecond})
		note(err)
	}
	s.Fail("getMe", telegramtest.Failure{Drop: true})
	_, err := New(context.Background(), Options{Token: token, APIURL: s.URL(), Logger: log})
	note(err)

	// A running client meets every kind of failure.
	c := mustClient(t, s, Options{Logger: log, RequestTimeout: time.Second})
	recordSleeps(c)
	s.AddChat(telegramtest.PrivateChat(alice))
	s.Fail("sendMessage", telegramtest.Failure{Drop: true}, telegramtest.Failure{Status: 500}, telegramtest.Failure{Status: 429, RetryAfter: 2},
		telegramtest.Failure{Status: 403, Description: "Forbidden: bot was blocked by the user"}, telegramtest.Failure{Status: 401, Description: "Unauthorized"})
	for range 6 {
		_, err := c.Send(context.Background(), bot.Message{ChatID: "1001", Text: "x"})
		note(err)
	}
	s.Fail("getUpdates", telegramtest.Failure{Drop: true}, telegramtest.Failure{Status: 502}, telegramtest.Failure{Status: 409, Description: "Conflict"},
		telegramtest.Failure{Status: 401, Description: "Unauthorized"})
	note(c.Listen(context.Background(), &echo{c: c}))
	s.Close() // the server is gone
	_, err = c.Send(context.Background(), bot.Message{ChatID: "1001", Text: "x"})
	note(err)
	note(c.SetWebhook(context.Background(), "https://example.org/hook", "s"))

	if len(errs) < 12 {
		t.Fatalf("only %d errors: the scenario did not fail as planned", len(errs))
	}
	secretPart := token[strings.Index(token, ":")+1:]
	for _, err := range errs {
		if msg := err.Error(); strings.Contains(msg, secretPart) {
			t.Errorf("an error shows the token: %s", msg)
		}
	}
	out := logs.String()
	if !strings.Contains(out, "getUpdates failed") {
		t.Errorf("nothing was logged:\n%s", out)
	}
	if strings.Contains(out, secretPart) {
		t.Errorf("the log shows the token:\n%s", out)
	}
	t.Logf("%d errors, e.g. %q", len(errs), errs[0])
}
