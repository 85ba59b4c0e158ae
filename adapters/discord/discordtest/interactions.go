package discordtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Interaction types, callback types and option types:
// https://discord.com/developers/docs/interactions/receiving-and-responding
const (
	InteractionPing         = 1
	InteractionCommand      = 2
	InteractionAutocomplete = 4

	CallbackPong         = 1
	CallbackMessage      = 4
	CallbackDeferred     = 5
	CallbackAutocomplete = 8

	OptionSubcommand = 1
	OptionString     = 3
	OptionInteger    = 4

	// FlagEphemeral marks a response only its user sees.
	FlagEphemeral = 64
)

// Discord's deadlines for answering an interaction.
const (
	initialDeadline = 3 * time.Second
	tokenLifetime   = 15 * time.Minute
)

// Interaction is what a test has a user do: run a slash command (or type in
// one of its autocompleted options) in a channel.
type Interaction struct {
	Type        int // InteractionCommand (default), InteractionAutocomplete or InteractionPing
	Command     string
	Options     []Option
	GuildID     string // "" = in a direct message with the bot
	ChannelID   string
	UserID      string // default 200000000000000001
	Permissions int64  // the member's permissions in the channel, in a guild
	Locale      string // the user's client locale; default en-US
}

// Option is one option the user filled in.
type Option struct {
	Name    string
	Type    int // OptionString (default), OptionInteger, OptionSubcommand
	Value   any
	Focused bool     // the option being typed, for autocomplete
	Options []Option // a subcommand's options
}

// Exchange is one interaction and the app's answers to it.
type Exchange struct {
	ID, Token   string
	Interaction Interaction
	Created     time.Time
	Responded   bool
	Type        int      // the initial response's type: CallbackPong, CallbackMessage, CallbackDeferred, CallbackAutocomplete
	Original    *Message // the response message (type 4 or 5), as edited through @original
	Choices     []Choice // an autocomplete result
	Followups   []Message
	Err         string // why an HTTP delivery failed
}

// Choice is one autocomplete suggestion.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Ephemeral reports whether only the user sees the response.
func (x Exchange) Ephemeral() bool { return x.Original != nil && x.Original.Flags&FlagEphemeral != 0 }

// Interact sends an interaction to the app: over the gateway, or signed to
// Options.InteractionsURL. It returns the interaction's id; WaitAnswer
// waits for the app's answer.
func (s *Server) Interact(ctx context.Context, in Interaction) (string, error) {
	if in.Type == 0 {
		in.Type = InteractionCommand
	}
	if in.UserID == "" {
		in.UserID = "200000000000000001"
	}
	if in.Locale == "" {
		in.Locale = "en-US"
	}
	s.mu.Lock()
	x := &Exchange{ID: s.newID(), Token: "aW50ZXJhY3Rpb246" + randomHex(32), Interaction: in, Created: s.opts.Now()}
	s.interactions[x.ID] = x
	body, err := json.Marshal(s.payload(x))
	endpoint := s.opts.InteractionsURL
	s.mu.Unlock()
	if err != nil {
		return "", err
	}
	if endpoint == "" {
		return x.ID, s.gw.dispatch("INTERACTION_CREATE", body)
	}
	return x.ID, s.postInteraction(ctx, x, endpoint, body)
}

// WaitAnswer waits until the app has answered the interaction: responded,
// and, after a deferred response, edited it.
func (s *Server) WaitAnswer(ctx context.Context, id string) (Exchange, error) {
	var out Exchange
	err := s.wait(ctx, func() bool {
		x := s.interactions[id]
		if x == nil || !(x.Err != "" || x.Responded && (x.Type != CallbackDeferred || x.Original.Edits > 0)) {
			return false
		}
		out = x.copy()
		return true
	})
	if err != nil {
		return out, fmt.Errorf("discordtest: no answer to interaction %s: %w", id, err)
	}
	return out, nil
}

// payload is the interaction object Discord sends; call with s.mu held.
func (s *Server) payload(x *Exchange) map[string]any {
	in := x.Interaction
	p := map[string]any{"id": x.ID, "application_id": s.opts.ApplicationID, "type": in.Type, "token": x.Token, "version": 1}
	if in.Type == InteractionPing {
		return p
	}
	user := map[string]any{"id": in.UserID, "username": "user" + in.UserID, "discriminator": "0", "global_name": nil, "avatar": nil}
	p["channel_id"], p["locale"], p["entitlements"] = in.ChannelID, in.Locale, []any{}
	p["app_permissions"] = "2248473465835073"
	p["data"] = map[string]any{"id": "300000000000000001", "name": in.Command, "type": 1, "options": optionsJSON(in.Options)}
	if in.GuildID == "" {
		p["user"], p["context"] = user, 1
		p["channel"] = map[string]any{"id": in.ChannelID, "type": 1}
		p["authorizing_integration_owners"] = map[string]any{"0": nil, "1": in.UserID}
		return p
	}
	p["guild_id"], p["guild_locale"], p["context"] = in.GuildID, "en-US", 0
	p["channel"] = map[string]any{"id": in.ChannelID, "type": 0, "guild_id": in.GuildID, "name": "news"}
	p["authorizing_integration_owners"] = map[string]any{"0": in.GuildID}
	p["member"] = map[string]any{"user": user, "roles": []any{}, "permissions": strconv.FormatInt(in.Permissions, 10),
		"joined_at": "2025-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0, "pending": false, "nick": nil, "avatar": nil}
	return p
}

func optionsJSON(opts []Option) []any {
	out := []any{}
	for _, o := range opts {
		t := o.Type
		if t == 0 {
			t = OptionString
		}
		m := map[string]any{"name": o.Name, "type": t}
		if t == OptionSubcommand {
			m["options"] = optionsJSON(o.Options)
		} else {
			m["value"] = o.Value
		}
		if o.Focused {
			m["focused"] = true
		}
		out = append(out, m)
	}
	return out
}

// exchangeByToken finds the interaction a webhook token belongs to; call with s.mu held.
func (s *Server) exchangeByToken(appID, token string) *Exchange {
	if appID != s.opts.ApplicationID {
		return nil
	}
	for _, x := range s.interactions {
		if x.Token == token {
			return x
		}
	}
	return nil
}

// callback implements POST /interactions/{id}/{token}/callback:
// https://discord.com/developers/docs/interactions/receiving-and-responding#create-interaction-response
func (s *Server) callback(c *call) {
	s.mu.Lock()
	x := s.interactions[c.vars["interaction_id"]]
	if x == nil || x.Token != c.vars["interaction_token"] {
		s.mu.Unlock()
		s.reply(c, http.StatusNotFound, apiError(10062, "Unknown interaction"))
		return
	}
	if status, body := s.respond(x, c.body); status != http.StatusOK {
		s.mu.Unlock()
		s.reply(c, status, body)
		return
	}
	s.mu.Unlock()
	s.reply(c, http.StatusNoContent, nil)
}

// respond applies an initial response to x; call with s.mu held. It
// answers what Discord would, recording a violation for a broken answer.
func (s *Server) respond(x *Exchange, body map[string]any) (int, map[string]any) {
	now := s.opts.Now()
	if x.Responded {
		s.violate(fmt.Sprintf("interaction %s answered twice", x.ID))
		return http.StatusBadRequest, apiError(40060, "Interaction has already been acknowledged.")
	}
	if late := now.Sub(x.Created); late > initialDeadline {
		s.violate(fmt.Sprintf("interaction %s answered after %s, past Discord's %s", x.ID, late.Round(time.Millisecond), initialDeadline))
		return http.StatusNotFound, apiError(10062, "Unknown interaction")
	}
	n, _ := body["type"].(json.Number)
	t, _ := n.Int64()
	want := map[int]int64{InteractionPing: CallbackPong, InteractionAutocomplete: CallbackAutocomplete}[x.Interaction.Type]
	if ok := t == want || want == 0 && (t == CallbackMessage || t == CallbackDeferred); !ok {
		s.violate(fmt.Sprintf("interaction %s of type %d answered with type %d", x.ID, x.Interaction.Type, t))
		return http.StatusBadRequest, apiError(50035, "Invalid interaction response type")
	}
	data, _ := body["data"].(map[string]any)
	if t == CallbackMessage && isEmptyMessage(data) {
		s.violate(fmt.Sprintf("interaction %s answered with an empty message", x.ID))
		return http.StatusBadRequest, apiError(50006, "Cannot send an empty message")
	}
	x.Responded, x.Type = true, int(t)
	switch t {
	case CallbackMessage, CallbackDeferred:
		x.Original = &Message{ID: s.newID(), ChannelID: x.Interaction.ChannelID, Created: now}
		applyMessage(x.Original, data)
	case CallbackAutocomplete:
		raw, _ := json.Marshal(data["choices"])
		json.Unmarshal(raw, &x.Choices)
	}
	s.notify()
	return http.StatusOK, nil
}

// violate records a violation; call with s.mu held.
func (s *Server) violate(v string) {
	s.violations = append(s.violations, v)
	s.notify()
}

// webhookExchange finds the interaction of a webhook route and checks that
// it may be followed up; call with s.mu held.
func (s *Server) webhookExchange(c *call) (*Exchange, int, map[string]any) {
	x := s.exchangeByToken(c.vars["webhook_id"], c.vars["webhook_token"])
	switch {
	case x == nil:
		return nil, http.StatusNotFound, apiError(10015, "Unknown Webhook")
	case s.opts.Now().Sub(x.Created) > tokenLifetime:
		return nil, http.StatusUnauthorized, apiError(50027, "Invalid Webhook Token")
	case !x.Responded:
		return nil, http.StatusNotFound, apiError(10015, "Unknown Webhook")
	case x.Original == nil:
		s.violate(fmt.Sprintf("interaction %s of type %d followed up", x.ID, x.Type))
		return nil, http.StatusNotFound, apiError(10008, "Unknown Message")
	}
	return x, http.StatusOK, nil
}

// followup implements POST /webhooks/{application_id}/{token}:
// https://discord.com/developers/docs/interactions/receiving-and-responding#create-followup-message
func (s *Server) followup(c *call) {
	s.mu.Lock()
	x, status, errBody := s.webhookExchange(c)
	if x == nil {
		s.mu.Unlock()
		s.reply(c, status, errBody)
		return
	}
	if isEmptyMessage(c.body) {
		s.mu.Unlock()
		s.reject(c, "POST "+c.op.Path+": Cannot send an empty message (50006)")
		return
	}
	m := &Message{ID: s.newID(), ChannelID: x.Interaction.ChannelID, Created: s.opts.Now()}
	applyMessage(m, c.body)
	x.Followups = append(x.Followups, *m)
	out := s.messageJSON(m)
	s.notify()
	s.mu.Unlock()
	if c.r.URL.Query().Get("wait") != "true" {
		s.reply(c, http.StatusNoContent, nil)
		return
	}
	s.reply(c, http.StatusOK, out)
}

// editOriginal implements PATCH /webhooks/{application_id}/{token}/messages/@original:
// https://discord.com/developers/docs/interactions/receiving-and-responding#edit-original-interaction-response
func (s *Server) editOriginal(c *call) {
	s.mu.Lock()
	x, status, errBody := s.webhookExchange(c)
	if x == nil {
		s.mu.Unlock()
		s.reply(c, status, errBody)
		return
	}
	applyMessage(x.Original, c.body)
	x.Original.Edits++
	out := s.messageJSON(x.Original)
	s.notify()
	s.mu.Unlock()
	s.reply(c, http.StatusOK, out)
}

// SetInteractionsURL changes where interactions are POSTed ("" = over the
// gateway), for an endpoint whose address is known only once it listens.
func (s *Server) SetInteractionsURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.InteractionsURL = u
}

// PublicKey is the hex Ed25519 key the app verifies interactions with.
func (s *Server) PublicKey() string {
	return hex.EncodeToString(s.key.Public().(ed25519.PublicKey))
}

// Sign returns the X-Signature-Ed25519 value of a body sent at timestamp.
func (s *Server) Sign(timestamp string, body []byte) string {
	return hex.EncodeToString(ed25519.Sign(s.key, append([]byte(timestamp), body...)))
}

// SignedRequest builds the request Discord would send to the interactions
// endpoint with body at time at, signed with the application's key.
func (s *Server) SignedRequest(ctx context.Context, body []byte, at time.Time) (*http.Request, error) {
	s.mu.Lock()
	endpoint := s.opts.InteractionsURL
	s.mu.Unlock()
	return s.signedRequest(ctx, endpoint, body, at)
}

func (s *Server) signedRequest(ctx context.Context, endpoint string, body []byte, at time.Time) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", s.Sign(ts, body))
	return req, nil
}

// postInteraction delivers an interaction to the endpoint and applies the
// answer in the HTTP response as the initial response.
func (s *Server) postInteraction(ctx context.Context, x *Exchange, endpoint string, body []byte) error {
	fail := func(err error) error {
		s.mu.Lock()
		x.Err = err.Error()
		s.notify()
		s.mu.Unlock()
		return fmt.Errorf("discordtest: interaction %s: %w", x.ID, err)
	}
	req, err := s.signedRequest(ctx, endpoint, body, s.opts.Now())
	if err != nil {
		return fail(err)
	}
	resp, err := (&http.Client{Timeout: initialDeadline}).Do(req)
	if err != nil {
		return fail(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fail(err)
	}
	if resp.StatusCode != http.StatusOK {
		return fail(fmt.Errorf("endpoint answered %s: %s", resp.Status, data))
	}
	op, vars, _ := s.spec.match(http.MethodPost, "/api/v10/interactions/"+x.ID+"/"+x.Token+"/callback")
	raw, errs := s.spec.check(op, vars, nil, resp.Header.Get("Content-Type"), data)
	answer, _ := raw.(map[string]any)
	errs = append(errs, bodyLimits(op, answer)...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(errs) > 0 || answer == nil {
		s.violate(fmt.Sprintf("interaction %s: endpoint answer: %v", x.ID, errs))
		x.Err = fmt.Sprint(errs)
		return fmt.Errorf("discordtest: interaction %s: invalid answer: %v", x.ID, errs)
	}
	if status, _ := s.respond(x, answer); status != http.StatusOK {
		x.Err = "answer refused"
		return fmt.Errorf("discordtest: interaction %s: answer refused", x.ID)
	}
	return nil
}

// VerifyEndpoint does what Discord does when an interactions endpoint URL
// is saved: a signed PING must get a PONG, and a request with a bad
// signature must get 401.
func (s *Server) VerifyEndpoint(ctx context.Context) error {
	id, err := s.Interact(ctx, Interaction{Type: InteractionPing})
	if err != nil {
		return err
	}
	if x, err := s.WaitAnswer(ctx, id); err != nil || x.Type != CallbackPong {
		return fmt.Errorf("discordtest: PING answered with type %d, want PONG (%v)", x.Type, err)
	}
	req, err := s.SignedRequest(ctx, []byte(`{"id":"1","type":1,"token":"x","version":1}`), s.opts.Now())
	if err != nil {
		return err
	}
	req.Header.Set("X-Signature-Ed25519", s.Sign("0", []byte("something else")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		return fmt.Errorf("discordtest: a bad signature got %s, want 401", resp.Status)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n/2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Exchange returns the interaction with its answers so far.
func (s *Server) Exchange(id string) (Exchange, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.interactions[id]
	if x == nil {
		return Exchange{}, false
	}
	return x.copy(), true
}

// copy returns x with its own copies of the messages; call with s.mu held.
func (x *Exchange) copy() Exchange {
	out := *x
	if x.Original != nil {
		m := *x.Original
		out.Original = &m
	}
	out.Followups = append([]Message(nil), x.Followups...)
	out.Choices = append([]Choice(nil), x.Choices...)
	return out
}
