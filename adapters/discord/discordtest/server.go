package discordtest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Defaults of Options.
const (
	DefaultToken         = "MTAwMDAwMDAwMDAwMDAwMDAx.fake.discord-bot-token-for-tests"
	DefaultApplicationID = "100000000000000001"
	DefaultBotName       = "sitrep"
)

// Options configure a Server. Zero fields take the defaults noted.
type Options struct {
	Token         string        // the bot token the fake accepts; default DefaultToken
	ApplicationID string        // default DefaultApplicationID; also the bot user's id
	BotName       string        // default DefaultBotName
	ChannelLimit  int           // messages a channel accepts per ChannelWindow; default 5, negative = no limit
	ChannelWindow time.Duration // default 5s
	GlobalLimit   int           // requests a second the bot may make; default 50, negative = no limit
	NonceWindow   time.Duration // how long enforce_nonce remembers a nonce; default 5m
	// InteractionsURL is where interactions are POSTed, signed, as Discord
	// does when an app has an interactions endpoint URL; "" = over the gateway.
	InteractionsURL   string
	HeartbeatInterval time.Duration    // sent in HELLO; default 41.25s
	Now               func() time.Time // default time.Now
}

// Request is one REST request the fake received (headers are not kept).
type Request struct {
	Method string
	Path   string // as received, e.g. /api/v9/channels/1/messages
	Route  string // the spec's template, e.g. /channels/{channel_id}/messages; "" when unknown
	Query  url.Values
	Body   json.RawMessage
	Status int
	At     time.Time
}

// Server is a fake Discord: start it with New, point the client's API base
// URL at URL(). Its methods are safe for concurrent use.
type Server struct {
	opts Options
	spec *spec
	http *httptest.Server
	key  ed25519.PrivateKey
	gw   *gateway
	done chan struct{} // closed by Close
	stop sync.Once

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every change
	nextID       uint64
	limits       limiter
	violations   []string
	requests     []Request
	rateLimited  int
	fails        []scriptedFailure
	chans        map[string]*channel
	byID         map[string]*Message
	nonces       map[string]nonceEntry
	interactions map[string]*Exchange
	commands     map[string]json.RawMessage // by scope: "global" or a guild id
}

// New starts a fake Discord. When tb ends, the server stops and tb fails
// if any request broke the spec or the documented limits.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	opts = withDefaults(opts)
	sp, err := loadSpec()
	if err != nil {
		tb.Fatal(err)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{opts: opts, spec: sp, key: key, done: make(chan struct{}), changed: make(chan struct{}), nextID: 1300000000000000000,
		limits: limiter{perChannel: opts.ChannelLimit, global: opts.GlobalLimit, channelWindow: opts.ChannelWindow,
			globalSpan: time.Second, buckets: map[string]*window{}},
		chans: map[string]*channel{}, byID: map[string]*Message{}, nonces: map[string]nonceEntry{},
		interactions: map[string]*Exchange{}, commands: map[string]json.RawMessage{}}
	s.gw = newGateway(s)
	s.http = httptest.NewServer(s)
	tb.Cleanup(func() {
		s.Close()
		for _, v := range s.Violations() {
			tb.Errorf("discordtest: %s", v)
		}
	})
	return s
}

func withDefaults(o Options) Options {
	if o.Token == "" {
		o.Token = DefaultToken
	}
	if o.ApplicationID == "" {
		o.ApplicationID = DefaultApplicationID
	}
	if o.BotName == "" {
		o.BotName = DefaultBotName
	}
	if o.ChannelLimit == 0 {
		o.ChannelLimit = 5
	}
	if o.ChannelWindow <= 0 {
		o.ChannelWindow = 5 * time.Second
	}
	if o.GlobalLimit == 0 {
		o.GlobalLimit = 50
	}
	if o.NonceWindow <= 0 {
		o.NonceWindow = 5 * time.Minute
	}
	if o.HeartbeatInterval <= 0 {
		o.HeartbeatInterval = 41250 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// URL is the fake's base URL, in place of https://discord.com.
func (s *Server) URL() string { return s.http.URL }

// Token is the bot token the fake accepts.
func (s *Server) Token() string { return s.opts.Token }

// ApplicationID is the application's (and the bot user's) id.
func (s *Server) ApplicationID() string { return s.opts.ApplicationID }

// Close stops the server and closes every gateway connection.
func (s *Server) Close() {
	s.stop.Do(func() {
		close(s.done)
		s.gw.close()
		s.http.Close()
	})
}

// Violations lists every way a request broke the spec or a documented limit.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// Requests lists the REST requests received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RateLimited counts the 429 answers given.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

// Commands returns the last bulk overwrite of the global commands (scope
// "global") or of one guild's (scope = the guild id), as sent.
func (s *Server) Commands(scope string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[scope]
}

// FailNext makes the next n bot requests (not interaction responses) fail
// with status and change nothing.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails = append(s.fails, scriptedFailure{n: n, status: status})
}

type scriptedFailure struct{ n, status int }

// notify wakes whoever waits for a change; call with s.mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait blocks until cond (called with s.mu held) is true or ctx ends.
func (s *Server) wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok, ch := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// newID returns a fresh snowflake; call with s.mu held.
func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatUint(s.nextID, 10)
}

// call is one REST request on its way through the fake.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	op    *operation
	vars  map[string]string
	body  map[string]any // the decoded JSON object body, if any
	raw   any            // the decoded body, whatever its type
	index int            // in s.requests
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, gatewayPath) {
		s.gw.serve(w, r)
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c := &call{w: w, r: r}
	s.mu.Lock()
	c.index = len(s.requests)
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: data, At: s.opts.Now()})
	s.mu.Unlock()
	op, vars, err := s.spec.match(r.Method, r.URL.Path)
	if err != nil {
		s.reject(c, err.Error())
		return
	}
	c.op, c.vars = op, vars
	s.mu.Lock()
	s.requests[c.index].Route = op.Path
	s.mu.Unlock()
	raw, errs := s.spec.check(op, vars, r.URL.Query(), r.Header.Get("Content-Type"), data)
	c.raw = raw
	c.body, _ = raw.(map[string]any)
	errs = append(errs, bodyLimits(op, c.body)...)
	if len(errs) > 0 {
		s.reject(c, fmt.Sprintf("%s %s: %s", r.Method, op.Path, strings.Join(errs, "; ")))
		return
	}
	s.route(c)
}

// reject answers 400 and records a violation.
func (s *Server) reject(c *call, violation string) {
	s.mu.Lock()
	s.violations = append(s.violations, violation)
	s.notify()
	s.mu.Unlock()
	s.reply(c, http.StatusBadRequest, apiError(50035, "Invalid Form Body: "+violation))
}

// bodyLimits applies the documented message limits to the routes that carry messages.
func bodyLimits(op *operation, body map[string]any) []string {
	if body == nil {
		return nil
	}
	switch op.Path {
	case "/interactions/{interaction_id}/{interaction_token}/callback":
		if data, ok := body["data"].(map[string]any); ok {
			return checkMessageLimits(data, "body.data")
		}
		return nil
	case "/channels/{channel_id}/messages", "/channels/{channel_id}/messages/{message_id}",
		"/webhooks/{webhook_id}/{webhook_token}", "/webhooks/{webhook_id}/{webhook_token}/messages/@original":
		return checkMessageLimits(body, "body")
	}
	return nil
}

func (s *Server) route(c *call) {
	// Routes the spec lets anyone call (the gateway URL; interaction
	// responses, authorized by the token in their path) ignore the bot
	// token and are exempt from the global rate limit.
	if !c.op.open {
		if c.r.Header.Get("Authorization") != "Bot "+s.opts.Token {
			s.reply(c, http.StatusUnauthorized, apiError(0, "401: Unauthorized"))
			return
		}
		if status, ok := s.scriptedFailure(); ok {
			s.reply(c, status, apiError(0, http.StatusText(status)))
			return
		}
		if !s.admit(c) {
			return
		}
	}
	switch c.op.Path {
	case "/users/@me":
		s.reply(c, http.StatusOK, s.botUser())
	case "/gateway", "/gateway/bot":
		s.reply(c, http.StatusOK, map[string]any{"url": "ws" + strings.TrimPrefix(s.http.URL, "http") + gatewayPath,
			"shards": 1, "session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
	case "/applications/{application_id}/commands", "/applications/{application_id}/guilds/{guild_id}/commands":
		s.putCommands(c)
	case "/channels/{channel_id}/messages":
		s.createMessage(c)
	case "/channels/{channel_id}/messages/{message_id}":
		s.editMessage(c)
	case "/interactions/{interaction_id}/{interaction_token}/callback":
		s.callback(c)
	case "/webhooks/{webhook_id}/{webhook_token}":
		s.followup(c)
	case "/webhooks/{webhook_id}/{webhook_token}/messages/@original":
		s.editOriginal(c)
	}
}

func (s *Server) scriptedFailure() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.fails) == 0 {
		return 0, false
	}
	f := &s.fails[0]
	f.n--
	status := f.status
	if f.n <= 0 {
		s.fails = s.fails[1:]
	}
	return status, true
}

// admit applies the rate limits to a bot request, answering 429 when over.
func (s *Server) admit(c *call) bool {
	key := ""
	switch c.op.Path {
	case "/channels/{channel_id}/messages":
		key = "create:" + c.vars["channel_id"]
	case "/channels/{channel_id}/messages/{message_id}":
		key = "edit:" + c.vars["channel_id"]
	}
	s.mu.Lock()
	v := s.limits.take(s.opts.Now(), key, true)
	if !v.ok {
		s.rateLimited++
	}
	s.mu.Unlock()
	v.headers(c.w.Header())
	if !v.ok {
		s.reply(c, http.StatusTooManyRequests, v.body())
	}
	return v.ok
}

func (s *Server) putCommands(c *call) {
	scope := "global"
	if g := c.vars["guild_id"]; g != "" {
		scope = g
	}
	if c.vars["application_id"] != s.opts.ApplicationID {
		s.reply(c, http.StatusForbidden, apiError(50001, "Missing Access"))
		return
	}
	var cmds []map[string]any
	for _, x := range list(c.raw) {
		m, _ := x.(map[string]any)
		out := map[string]any{"id": "", "application_id": s.opts.ApplicationID, "version": "1", "type": 1}
		for k, v := range m {
			out[k] = v
		}
		cmds = append(cmds, out)
	}
	s.mu.Lock()
	for _, cmd := range cmds {
		cmd["id"] = s.newID()
	}
	body, _ := json.Marshal(c.raw)
	s.commands[scope] = body
	s.notify()
	s.mu.Unlock()
	s.reply(c, http.StatusOK, cmds)
}

func (s *Server) botUser() map[string]any {
	return map[string]any{"id": s.opts.ApplicationID, "username": s.opts.BotName, "discriminator": "0",
		"global_name": nil, "avatar": nil, "bot": true, "flags": 0}
}

// reply writes a JSON answer and records its status.
func (s *Server) reply(c *call, status int, body any) {
	s.mu.Lock()
	s.requests[c.index].Status = status
	s.notify()
	s.mu.Unlock()
	if body == nil {
		c.w.WriteHeader(status)
		return
	}
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(status)
	json.NewEncoder(c.w).Encode(body)
}

// apiError is Discord's JSON error body.
func apiError(code int, message string) map[string]any {
	return map[string]any{"code": code, "message": message}
}
