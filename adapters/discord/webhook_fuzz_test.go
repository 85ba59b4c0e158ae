package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
)

type fixedAnswer struct{}

func (fixedAnswer) Handle(ctx context.Context, r bot.Request) bot.Response {
	return bot.Response{Text: "ok " + r.Command, Ephemeral: true}
}

// FuzzInteractionsEndpoint: whatever arrives, unsigned or signed, the
// endpoint never panics; unsigned requests get 401, signed ones a valid
// interaction response.
func FuzzInteractionsEndpoint(f *testing.F) {
	f.Add([]byte(`{"type":1}`), "")
	f.Add([]byte(`{"id":"1","type":2,"token":"t","channel_id":"2","guild_id":"3","member":{"permissions":"16","user":{"id":"4"}},"data":{"name":"subscribe","options":[{"name":"time","type":3,"value":"08:00"}]}}`), "")
	f.Add([]byte(`{"type":4,"data":{"name":"subscribe","options":[{"name":"timezone","type":3,"value":"ky","focused":true}]}}`), "x")
	f.Add([]byte(`{"type":2,"data":{"name":"topics","options":[{"name":"add","type":1,"options":[{"name":"topic","type":3,"value":7}]}]}}`), "")
	f.Add([]byte(`{"type":3,"data":{"custom_id":"x"}}`), "")
	now := time.Unix(1765886400, 0)
	pub, key, _ := ed25519.GenerateKey(nil)
	c, err := New(Options{Token: "t", ApplicationID: "1", APIURL: "http://127.0.0.1:1", PublicKey: hex.EncodeToString(pub),
		Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { c.Close() })
	h, err := c.InteractionsHandler(fixedAnswer{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, signature string) {
		ts := strconv.FormatInt(now.Unix(), 10)
		for _, signed := range []bool{false, true} {
			req := httptest.NewRequest(http.MethodPost, InteractionsPath, bytes.NewReader(body))
			req.Header.Set("X-Signature-Timestamp", ts)
			sig := signature
			if signed {
				sig = hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...)))
			}
			req.Header.Set("X-Signature-Ed25519", sig)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			switch {
			case !signed && w.Code != http.StatusUnauthorized:
				t.Fatalf("unsigned request: status %d", w.Code)
			case signed && w.Code == http.StatusOK:
				var out struct {
					Type int `json:"type"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.Type == 0 {
					t.Fatalf("signed request: answer %q", w.Body.String())
				}
			case signed && w.Code != http.StatusBadRequest:
				t.Fatalf("signed request: status %d", w.Code)
			}
		}
	})
}
