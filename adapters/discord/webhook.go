package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/sitrepbot/sitrep/bot"
)

// InteractionsPath is where Discord is told to POST interactions (the
// application's Interactions Endpoint URL ends with it).
const InteractionsPath = "/discord/interactions"

// Limits on an incoming interaction.
const (
	maxInteractionBody = 1 << 20
	maxClockSkew       = 5 * time.Minute
)

// InteractionsHandler returns the HTTP handler of Discord's interactions
// endpoint (mount it at InteractionsPath). It accepts only POSTs whose
// Ed25519 signature over timestamp and body verifies with Options.PublicKey
// and whose timestamp is within 5 minutes of now, in either direction;
// anything else gets 401 and is not looked at further. It answers a PING
// with a PONG and commands through h, within Discord's 3 seconds:
// https://discord.com/developers/docs/interactions/receiving-and-responding#security-and-authorization
func (c *Client) InteractionsHandler(h Handler) (http.Handler, error) {
	if c.pub == nil {
		return nil, errors.New("discord: interactions over HTTP need the application's public key")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err := c.verify(r.Header, body); err != nil {
			c.log.Warn("interaction refused", "platform", bot.Discord, "error", err)
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		var in discordgo.Interaction
		if err := json.Unmarshal(body, &in); err != nil {
			http.Error(w, "not an interaction", http.StatusBadRequest)
			return
		}
		rep := c.answer(h, &in)
		out, err := json.Marshal(rep.initial)
		if err != nil {
			rep.cancel()
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(out)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		if rep.rest == nil || !c.track() {
			rep.cancel()
			return
		}
		go func() {
			defer c.wg.Done()
			rep.finish(c.base)
		}()
	}), nil
}

// verify checks an interaction's signature and the age of its timestamp.
func (c *Client) verify(h http.Header, body []byte) error {
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("missing or malformed signature")
	}
	ts := h.Get("X-Signature-Timestamp")
	if !ed25519.Verify(c.pub, append([]byte(ts), body...), sig) {
		return errors.New("signature does not verify")
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("timestamp is not a Unix time")
	}
	if age := c.now().Sub(time.Unix(secs, 0)); age > maxClockSkew || age < -maxClockSkew {
		return errors.New("stale timestamp")
	}
	return nil
}
