// Package web is sitrep's HTTP surface: health (/healthz, /readyz), metrics
// (/metrics), the digest archive (/ and /story/{id} as HTML pages,
// /digest.atom, /digest.json), and the mount points of the handlers other
// adapters provide (the Telegram webhook, Discord interactions).
//
// Pages are rendered with html/template and need no JavaScript; every
// response carries a Content-Security-Policy that allows none.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sitrepbot/sitrep/digest"
)

// Store is what the server reads of sitrep's state. bot.Store satisfies it.
type Store interface {
	// Ping reports whether the store can be reached (/readyz).
	Ping(ctx context.Context) error
	// LatestDigests returns up to n digests, newest first.
	LatestDigests(ctx context.Context, n int) ([]digest.Digest, error)
	// GetDevelopment returns bot.ErrNotFound for an unknown id.
	GetDevelopment(ctx context.Context, id string) (digest.Development, error)
}

// StoryFinder finds one development with its timeline. *bot.Bot satisfies
// it: its Story has every article of a development still in the engine.
type StoryFinder interface {
	// Story returns bot.ErrNotFound for an unknown id.
	Story(ctx context.Context, id string) (digest.Development, error)
}

// Check is one readiness condition /readyz tests besides the store, e.g.
// "leader known" when several instances share Redis.
type Check struct {
	Name  string                          // shown in /readyz, e.g. "leader"
	Check func(ctx context.Context) error // nil error = ready
}

// Mount points of the handlers other adapters provide.
const (
	TelegramWebhookPath     = "/telegram/webhook"
	DiscordInteractionsPath = "/discord/interactions"
)

// Options configure a Server. Store is required; other zero fields take the
// defaults noted.
type Options struct {
	Store   Store
	Stories StoryFinder         // default: Store.GetDevelopment
	Metrics prometheus.Gatherer // served at /metrics; nil = no /metrics
	Checks  []Check             // readiness checks besides the store
	// Handlers are mounted as given: pattern (as for http.ServeMux, e.g.
	// "POST /telegram/webhook") → handler. Their patterns and paths are
	// not logged, since a webhook path may hold a secret.
	Handlers map[string]http.Handler
	// PublicURL is the archive's public base URL (scheme, host and an
	// optional path prefix a proxy strips), used for absolute links and Atom
	// ids. Empty: links are relative and feeds use each request's host.
	PublicURL string
	Location  *time.Location   // time zone of times on pages; default UTC
	Window    time.Duration    // the front page covers this period; default 24h
	Items     int              // developments on the front page; default 20
	Entries   int              // entries in the Atom feed; default 50
	Editions  int              // stored digests read per request; default 100
	MaxBody   int64            // request body limit in bytes; default 1 MiB
	Now       func() time.Time // default time.Now
	Logger    *slog.Logger     // default slog.Default()
}

// Server timeouts: slow clients cannot hold connections open.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	checkTimeout      = 3 * time.Second
	// ShutdownTimeout is how long Run waits for requests in flight.
	ShutdownTimeout = 5 * time.Second
)

// notFoundPattern catches every request no other route takes.
const notFoundPattern = "/"

// Server is sitrep's HTTP server.
type Server struct {
	opts    Options
	log     *slog.Logger
	base    string // PublicURL without a trailing slash; "" = relative
	pages   *pages
	ready   *readiness
	handler http.Handler
	srv     *http.Server
}

// New returns a Server; it fails for a missing store, a bad PublicURL, an
// incomplete Check or a handler pattern that conflicts with another.
func New(opts Options) (*Server, error) {
	if opts.Store == nil {
		return nil, errors.New("web: Options.Store is required")
	}
	base, err := publicBase(opts.PublicURL)
	if err != nil {
		return nil, err
	}
	for _, c := range opts.Checks {
		if c.Name == "" || c.Check == nil {
			return nil, fmt.Errorf("web: readiness check %q needs a name and a function", c.Name)
		}
	}
	opts = withDefaults(opts)
	s := &Server{opts: opts, log: opts.Logger, base: base, pages: mustParsePages()}
	s.ready = newReadiness(opts.Store, opts.Checks, opts.Logger)
	mux := http.NewServeMux()
	mounted := map[string]bool{}
	if err := s.routes(mux, mounted); err != nil {
		return nil, err
	}
	s.handler = s.middleware(mux, mounted)
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
	}
	return s, nil
}

func withDefaults(opts Options) Options {
	if opts.Stories == nil {
		opts.Stories = storeStories{opts.Store}
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Window <= 0 {
		opts.Window = 24 * time.Hour
	}
	if opts.Items <= 0 {
		opts.Items = 20
	}
	if opts.Entries <= 0 {
		opts.Entries = 50
	}
	if opts.Editions <= 0 {
		opts.Editions = 100
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 1 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return opts
}

// publicBase checks a public URL and returns it without a trailing slash.
func publicBase(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", errors.New("web: the public URL must be an http(s) URL without credentials, query or fragment")
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// routes registers every handler on mux, recording the mounted ones.
func (s *Server) routes(mux *http.ServeMux, mounted map[string]bool) (err error) {
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	if s.opts.Metrics != nil {
		mux.Handle("GET /metrics", s.metricsHandler())
	}
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("GET /story/{id}", s.story)
	mux.HandleFunc("GET /digest.atom", s.atom)
	mux.HandleFunc("GET /digest.json", s.json)
	mux.HandleFunc("GET /style.css", s.style)
	mux.HandleFunc(notFoundPattern, s.notFound)
	defer func() { // ServeMux panics on a conflicting pattern
		if r := recover(); r != nil {
			err = fmt.Errorf("web: mount: %v", r)
		}
	}()
	for pattern, h := range s.opts.Handlers {
		mux.Handle(pattern, h)
		mounted[pattern] = true
	}
	return nil
}

// Handler returns the server's handler, with its middleware, for tests and
// for serving it some other way.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve accepts connections on ln until Shutdown; it returns nil after a
// Shutdown, else the error that stopped it.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("web: %w", err)
	}
	return nil
}

// Shutdown stops accepting connections and waits, until ctx ends, for the
// requests in flight to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	if err := s.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("web: shutdown: %w", err)
	}
	return nil
}

// Run serves on ln until ctx ends, then shuts down, waiting at most
// ShutdownTimeout for requests in flight. It returns once the server has
// stopped.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	err := s.Shutdown(sctx)
	if err != nil { // requests still running: cut their connections
		s.srv.Close()
	}
	return errors.Join(err, <-errc)
}

// storeStories finds stories in the store alone (without timelines of
// developments the store keeps without their articles).
type storeStories struct{ s Store }

func (f storeStories) Story(ctx context.Context, id string) (digest.Development, error) {
	return f.s.GetDevelopment(ctx, id)
}
