package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

const (
	// WebhookPath is where the webhook handler is meant to be mounted.
	WebhookPath = "/telegram/webhook"
	// secretHeader carries the webhook's secret_token in Telegram's requests.
	secretHeader = "X-Telegram-Bot-Api-Secret-Token"
	// webhookTimeout bounds the handling of one webhook update.
	webhookTimeout = 60 * time.Second
	// maxUpdateBody bounds a webhook request's body.
	maxUpdateBody = 1 << 20
)

// SetWebhook asks Telegram to post updates to url, each with secret in the
// X-Telegram-Bot-Api-Secret-Token header
// (https://core.telegram.org/bots/api#setwebhook). Calling it again with the
// same values is harmless, so every instance may call it at start.
func (c *Client) SetWebhook(ctx context.Context, url, secret string) error {
	params := tgbotapi.Params{"url": url, "allowed_updates": allowedUpdates}
	params.AddNonEmpty("secret_token", secret) // newer than the library
	return c.call(ctx, "setWebhook", params, c.opts.RequestTimeout, nil)
}

// WebhookHandler returns the http.Handler for Telegram's webhook requests:
// it answers their commands through h. A request without the right secret
// token gets 401 and is ignored (with an empty secret, every request is);
// anything but POST gets 405; an update seen recently (Telegram redelivers
// when an answer is late) is acknowledged and not handled again. Mount it at
// WebhookPath on the URL given to SetWebhook.
func (c *Client) WebhookHandler(h Handler, secret string) http.Handler {
	want := sha256.Sum256([]byte(secret))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := sha256.Sum256([]byte(r.Header.Get(secretHeader)))
		if secret == "" || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			c.log.Debug("telegram: webhook request with a wrong secret token ignored", "remote_addr", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var u update
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxUpdateBody)).Decode(&u); err != nil {
			http.Error(w, "the body is not an update: "+err.Error(), http.StatusBadRequest)
			return
		}
		if c.seen.add(u.UpdateID) {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), webhookTimeout)
			defer cancel()
			c.handle(ctx, h, u)
		}
		w.WriteHeader(http.StatusOK)
	})
}

// recentIDs remembers the last n update ids.
type recentIDs struct {
	mu   sync.Mutex
	set  map[int64]bool
	ring []int64
	next int
}

func newRecentIDs(n int) *recentIDs {
	return &recentIDs{set: make(map[int64]bool, n), ring: make([]int64, 0, n)}
}

// add remembers id and reports whether it is new.
func (r *recentIDs) add(id int64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set[id] {
		return false
	}
	if len(r.ring) < cap(r.ring) {
		r.ring = append(r.ring, id)
	} else {
		delete(r.set, r.ring[r.next])
		r.ring[r.next] = id
		r.next = (r.next + 1) % len(r.ring)
	}
	r.set[id] = true
	return true
}
