package telegram

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
)

func TestWebhook(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.NoLimits()})
	c := mustClient(t, s, Options{})
	h := &echo{c: c}
	const secret = "hook-Secret_42"
	hook := httptest.NewServer(c.WebhookHandler(h, secret))
	defer hook.Close()
	if err := c.SetWebhook(t.Context(), hook.URL+WebhookPath, secret); err != nil {
		t.Fatal(err)
	}
	if url, got := s.Webhook(); url != hook.URL+WebhookPath || got != secret {
		t.Fatalf("webhook = %q %q", url, got)
	}
	group := telegramtest.Supergroup(-1001, "g")
	s.InjectMessage(group, alice, "/latest@sitrep_test_bot 2")
	if msgs := s.Messages(group.ID); len(msgs) != 1 || msgs[0].Parsed.Text != "/latest 2" || msgs[0].ReplyTo == 0 {
		t.Fatalf("replies = %+v", msgs)
	}
	if d := s.WebhookDeliveries(); len(d) != 1 || d[0].Status != http.StatusOK {
		t.Errorf("deliveries = %+v", d)
	}

	update := func(id int64, text string) []byte {
		b, _ := json.Marshal(telegramtest.Update{UpdateID: id, Message: &telegramtest.IncomingMessage{MessageID: 9, Chat: group, From: &alice, Text: text, Date: time.Now().Unix()}})
		return b
	}
	tests := []struct {
		name   string
		method string
		secret string
		body   []byte
		status int
	}{
		{"no secret", "POST", "", update(5001, "/status"), 401},
		{"wrong secret", "POST", "hook-Secret_43", update(5002, "/status"), 401},
		{"secret prefix", "POST", "hook", update(5003, "/status"), 401},
		{"GET", "GET", secret, nil, 405},
		{"not JSON", "POST", secret, []byte("<xml/>"), 400},
		{"right secret", "POST", secret, update(5004, "/status"), 200},
		{"redelivered", "POST", secret, update(5004, "/status"), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, hook.URL+WebhookPath, bytes.NewReader(tt.body))
			if tt.secret != "" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tt.secret)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
	if n := len(h.requests()); n != 2 {
		t.Errorf("%d commands handled, want 2: the refused and redelivered ones are ignored", n)
	}
}

func TestWebhookWithoutSecretRefusesAll(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{})
	c := mustClient(t, s, Options{})
	h := &echo{c: c}
	rec := httptest.NewRecorder()
	c.WebhookHandler(h, "").ServeHTTP(rec, httptest.NewRequest("POST", WebhookPath, bytes.NewReader([]byte(`{"update_id":1}`))))
	if rec.Code != 401 || len(h.requests()) != 0 {
		t.Errorf("status %d, %d handled", rec.Code, len(h.requests()))
	}
}

func TestSetCommands(t *testing.T) {
	s := telegramtest.New(t, telegramtest.Options{})
	c := mustClient(t, s, Options{})
	if err := c.SetCommands(t.Context()); err != nil {
		t.Fatal(err)
	}
	en, uk := s.Commands("default", ""), s.Commands("default", "uk")
	if len(en) == 0 || len(en) != len(uk) {
		t.Fatalf("menus: %d English, %d Ukrainian", len(en), len(uk))
	}
	for i := range en {
		if en[i].Command != uk[i].Command || en[i].Description == uk[i].Description {
			t.Errorf("command %d: %+v / %+v, want one command in two languages", i, en[i], uk[i])
		}
	}
	if en[0].Command != "latest" || en[0].Description != "The top developments of the last 24 hours" {
		t.Errorf("first command = %+v", en[0])
	}
}
