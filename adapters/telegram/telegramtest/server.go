// Package telegramtest is a fake Telegram Bot API server for tests and
// benchmarks. It speaks the real wire format (form-encoded, multipart or JSON
// requests to /bot<token>/<method>; {"ok":…} answers), checks every request
// against the published API specification (api.json) and against Telegram's
// prose rules (HTML entity parsing, message length, command menus), enforces
// flood limits with 429 and retry_after, can script chats that block the
// bot, are deleted or migrate to a supergroup, delivers injected updates by
// long polling or webhook, and records everything it received.
//
// A request that breaks the specification or the rules gets the HTTP 400 the
// real API gives and is recorded as a violation: the test fails at its end
// unless it took the violations with TakeViolations.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultToken is the bot token the server accepts unless Options.Token is set.
const DefaultToken = "123456789:AAFakeTokenForTestsOnly_abcdefghijklm"

// Options configure a Server. Zero fields take the defaults noted.
type Options struct {
	Token    string // default DefaultToken
	Username string // the bot's username; default "sitrep_test_bot"
	SpecPath string // default <SharedDir>/specs/telegram/api.json
	Limits   Limits // flood limits; zero fields take Telegram's defaults
	// LongPollMax caps how long getUpdates waits, whatever its timeout; default 50s.
	LongPollMax time.Duration
	Now         func() time.Time // default time.Now
}

// Server is a running fake Bot API. Its methods are safe for concurrent use.
type Server struct {
	tb     testing.TB
	opts   Options
	spec   *Spec
	srv    *httptest.Server
	botID  int64
	limits *limiter

	mu          sync.Mutex
	chats       map[int64]*chatState
	users       map[int64]User
	requests    []Request
	messages    []Message
	violations  []string
	failures    map[string][]Failure
	rateLimited int
	commands    map[string][]BotCommand // by scope type + "/" + language_code
	updates     updateQueue
}

// Request is one request the server received.
type Request struct {
	Method string
	Params map[string]string // form values, or JSON values as JSON text
	Status int               // the HTTP status answered
	At     time.Time
}

// Failure scripts the answer to a method's next call; the zero Failure lets
// the call through.
type Failure struct {
	Status      int    // HTTP status and error_code, e.g. 500, 502, 429
	Description string // default: the status text
	RetryAfter  int    // seconds, sent as parameters.retry_after
	Drop        bool   // close the connection without an answer
}

// New starts a server for the test; it is closed, and its violations
// reported, when the test ends.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	if opts.Username == "" {
		opts.Username = "sitrep_test_bot"
	}
	if opts.SpecPath == "" {
		opts.SpecPath = filepath.Join(SharedDir(tb), "specs", "telegram", "api.json")
	}
	if opts.LongPollMax <= 0 {
		opts.LongPollMax = 50 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	spec, err := LoadSpec(opts.SpecPath)
	if err != nil {
		tb.Fatal(err)
	}
	botID, _ := strconv.ParseInt(strings.SplitN(opts.Token, ":", 2)[0], 10, 64)
	s := &Server{tb: tb, opts: opts, spec: spec, botID: botID, limits: newLimiter(opts.Limits),
		chats: map[int64]*chatState{}, users: map[int64]User{}, failures: map[string][]Failure{},
		commands: map[string][]BotCommand{}, updates: newUpdateQueue()}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(func() {
		s.Close()
		if v := s.TakeViolations(); len(v) > 0 {
			tb.Errorf("telegramtest: %d request(s) broke the Bot API specification or Telegram's rules:\n  %s",
				len(v), strings.Join(v, "\n  "))
		}
	})
	return s
}

// URL is the server's base URL: what telegram.api_url is set to.
func (s *Server) URL() string { return s.srv.URL }

// Token is the bot token the server accepts.
func (s *Server) Token() string { return s.opts.Token }

// Bot is the bot's own user, as getMe returns it.
func (s *Server) Bot() User {
	return User{ID: s.botID, IsBot: true, FirstName: "sitrep", Username: s.opts.Username}
}

// Close stops the server; waiting long polls return.
func (s *Server) Close() {
	s.updates.close()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// TakeViolations returns the violations recorded so far and forgets them,
// for a test that breaks the rules on purpose.
func (s *Server) TakeViolations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.violations
	s.violations = nil
	return v
}

// Requests returns every request received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Calls counts the requests of a method.
func (s *Server) Calls(method string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == method {
			n++
		}
	}
	return n
}

// RateLimited counts the requests answered 429 by the flood limits.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

// Fail scripts the next calls of method, one Failure per call, before
// anything else is checked.
func (s *Server) Fail(method string, failures ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[method] = append(s.failures[method], failures...)
}

// apiError is an answer with ok=false.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
	MigrateTo   int64
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{Code: 400, Description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

type handler func(s *Server, p params) (any, *apiError)

var handlers = map[string]handler{}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		writeError(w, &apiError{Code: 404, Description: "Not Found"})
		return
	}
	if token != s.opts.Token {
		writeError(w, &apiError{Code: 401, Description: "Unauthorized"})
		return
	}
	p, err := readParams(r)
	req := Request{Method: method, Params: p.display(), At: s.opts.Now()}
	status := s.answer(w, r, method, p, err)
	req.Status = status
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
}

// answer writes the answer to one request and returns its HTTP status.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, method string, p params, readErr error) int {
	if f, ok := s.nextFailure(method); ok && (f.Drop || f.Status != 0) {
		if f.Drop {
			dropConnection(w)
			return 0
		}
		if f.Description == "" {
			f.Description = http.StatusText(f.Status)
		}
		return writeError(w, &apiError{Code: f.Status, Description: f.Description, RetryAfter: f.RetryAfter})
	}
	if readErr != nil {
		return writeError(w, s.violation(badRequest("%v", readErr), method))
	}
	if err := s.spec.CheckParams(method, p.values); err != nil {
		return writeError(w, s.violation(badRequest("%v", err), method))
	}
	h, ok := handlers[method]
	if !ok {
		return writeError(w, s.violation(badRequest("method %s is not implemented by telegramtest", method), method))
	}
	p.ctx = r.Context()
	result, apiErr := h(s, p)
	if apiErr != nil {
		return writeError(w, apiErr)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func (s *Server) nextFailure(method string) (Failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.failures[method]
	if len(q) == 0 {
		return Failure{}, false
	}
	s.failures[method] = q[1:]
	return q[0], true
}

// violation records e as a broken rule and returns it.
func (s *Server) violation(e *apiError, method string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violations = append(s.violations, method+": "+e.Description)
	return e
}

func writeError(w http.ResponseWriter, e *apiError) int {
	body := map[string]any{"ok": false, "error_code": e.Code, "description": e.Description}
	params := map[string]any{}
	if e.RetryAfter > 0 {
		params["retry_after"] = e.RetryAfter
	}
	if e.MigrateTo != 0 {
		params["migrate_to_chat_id"] = e.MigrateTo
	}
	if len(params) > 0 {
		body["parameters"] = params
	}
	return writeJSON(w, e.Code, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) int {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
	return status
}

func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("telegramtest: cannot drop a connection that is not hijackable")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

// maxBody bounds a request body.
const maxBody = 10 << 20

// readParams reads a request's parameters from its query and its body:
// form-encoded, multipart or JSON, as the Bot API accepts.
func readParams(r *http.Request) (params, error) {
	p := params{values: map[string]param{}}
	for k, v := range r.URL.Query() {
		p.values[k] = param{form: v[0]}
	}
	if r.Body == nil || r.Method == http.MethodGet {
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body := http.MaxBytesReader(nil, r.Body, maxBody)
	switch ct {
	case "application/json":
		var obj map[string]json.RawMessage
		data, err := io.ReadAll(body)
		if err != nil {
			return p, err
		}
		if len(strings.TrimSpace(string(data))) == 0 {
			return p, nil
		}
		if err := json.Unmarshal(data, &obj); err != nil {
			return p, fmt.Errorf("the JSON body is not an object: %v", err)
		}
		for k, v := range obj {
			p.values[k] = param{json: v, isJSON: true}
		}
	case "application/x-www-form-urlencoded", "multipart/form-data":
		r.Body = body
		if err := r.ParseMultipartForm(maxBody); err != nil && err != http.ErrNotMultipart {
			return p, fmt.Errorf("unreadable form body: %v", err)
		}
		for k, v := range r.PostForm {
			if len(v) > 1 {
				return p, fmt.Errorf("parameter %q is given %d times", k, len(v))
			}
			p.values[k] = param{form: v[0]}
		}
		if r.MultipartForm != nil {
			for k := range r.MultipartForm.File {
				p.values[k] = param{form: "attach://" + k}
			}
		}
	case "":
	default:
		return p, fmt.Errorf("unsupported Content-Type %q", ct)
	}
	return p, nil
}
