package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthz answers while the process serves requests at all.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

// readyz answers 200 when the store is reachable and every check passes,
// else 503. The body names each check and says ok or failing; the reasons
// go to the log, not to the client.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	results, ok := s.ready.run(r.Context())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	fmt.Fprint(w, results)
}

func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.opts.Metrics, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(s.log.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// readiness runs the readiness checks and logs when one changes state, so
// a probe every few seconds does not flood the log.
type readiness struct {
	checks []Check
	log    *slog.Logger

	mu     sync.Mutex
	failed map[string]bool // by check name: failed last time
}

func newReadiness(store Store, checks []Check, log *slog.Logger) *readiness {
	all := append([]Check{{Name: "store", Check: store.Ping}}, checks...)
	return &readiness{checks: all, log: log, failed: map[string]bool{}}
}

// run runs every check, each within checkTimeout, and returns one line per
// check and whether all passed.
func (r *readiness) run(ctx context.Context) (string, bool) {
	var b strings.Builder
	ok := true
	for _, c := range r.checks {
		cctx, cancel := context.WithTimeout(ctx, checkTimeout)
		err := c.Check(cctx)
		cancel()
		r.note(c.Name, err)
		if err != nil {
			ok = false
			fmt.Fprintf(&b, "failing %s\n", c.Name)
		} else {
			fmt.Fprintf(&b, "ok %s\n", c.Name)
		}
	}
	return b.String(), ok
}

func (r *readiness) note(name string, err error) {
	r.mu.Lock()
	was := r.failed[name]
	r.failed[name] = err != nil
	r.mu.Unlock()
	switch {
	case err != nil && !was:
		r.log.Warn("not ready", "check", name, "error", err)
	case err == nil && was:
		r.log.Info("ready again", "check", name)
	}
}
