package discord_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/bot"
)

func TestInteractionsEndpointSecurity(t *testing.T) {
	now := time.Date(2025, 12, 16, 12, 0, 0, 0, time.UTC)
	var handled atomic.Int32
	h := handlerFunc(func(ctx context.Context, r bot.Request) bot.Response {
		handled.Add(1)
		return bot.Response{Text: "ok", Ephemeral: true}
	})
	fake, _, logs := startHTTP(t, discordtest.Options{Now: func() time.Time { return now }},
		discord.Options{Now: func() time.Time { return now }}, h)
	ctx := ctxFor(t, 10*time.Second)
	if err := fake.VerifyEndpoint(ctx); err != nil {
		t.Fatalf("Discord's endpoint check: %v", err)
	}
	command := []byte(`{"id":"1300000000000000042","application_id":"` + fake.ApplicationID() + `","type":2,"token":"tok","version":1,` +
		`"channel_id":"10","guild_id":"1","member":{"user":{"id":"5"},"permissions":"0"},"data":{"id":"3","name":"unsubscribe","type":1}}`)
	for _, tc := range []struct {
		name   string
		at     time.Time
		change func(*http.Request)
		status int
	}{
		{"valid", now, nil, http.StatusOK},
		{"timestamp 4 minutes old", now.Add(-4 * time.Minute), nil, http.StatusOK},
		{"stale timestamp", now.Add(-6 * time.Minute), nil, http.StatusUnauthorized},
		{"timestamp from the future", now.Add(6 * time.Minute), nil, http.StatusUnauthorized},
		{"forged signature", now, func(r *http.Request) { r.Header.Set("X-Signature-Ed25519", fake.Sign("1", []byte("other"))) }, http.StatusUnauthorized},
		{"no signature", now, func(r *http.Request) { r.Header.Del("X-Signature-Ed25519") }, http.StatusUnauthorized},
		{"signature not hex", now, func(r *http.Request) { r.Header.Set("X-Signature-Ed25519", "zz") }, http.StatusUnauthorized},
		{"timestamp changed after signing", now, func(r *http.Request) {
			r.Header.Set("X-Signature-Timestamp", strconv.FormatInt(now.Unix()+1, 10))
		}, http.StatusUnauthorized},
		{"body changed after signing", now, func(r *http.Request) { // to claim Administrator
			r.Body = io.NopCloser(bytes.NewReader(bytes.Replace(command, []byte(`"permissions":"0"`), []byte(`"permissions":"8"`), 1)))
		}, http.StatusUnauthorized},
		{"GET", now, func(r *http.Request) { r.Method = http.MethodGet }, http.StatusMethodNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := handled.Load()
			req, err := fake.SignedRequest(ctx, command, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			if tc.change != nil {
				tc.change(req)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if ran := handled.Load() != before; ran != (tc.status == http.StatusOK) {
				t.Errorf("command handled: %v, want %v", ran, tc.status == http.StatusOK)
			}
		})
	}
	if !strings.Contains(logs.String(), "interaction refused") {
		t.Errorf("refusals are not logged:\n%s", logs)
	}
}

func TestInteractionsHandlerNeedsPublicKey(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	c, _ := newClient(t, fake, discord.Options{})
	if _, err := c.InteractionsHandler(handlerFunc(nil)); err == nil {
		t.Error("InteractionsHandler without a public key: no error")
	}
}
