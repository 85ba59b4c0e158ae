package web

import (
	"log/slog"
	"net/http"
	"time"
)

// securityHeaders go on every response. The policy allows the one style
// sheet and nothing else: no scripts, frames, forms or plug-ins.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options":  "nosniff",
	"X-Frame-Options":         "DENY",
	"Referrer-Policy":         "no-referrer",
}

// middleware wraps the mux: security headers, a request body limit, and a
// debug log line per request. The line has the route pattern, and the path
// of sitrep's own pages; no path for a mounted handler or an unknown
// address (a webhook path may hold a secret), no pattern for a mounted
// handler, and never the query or a header.
func (s *Server) middleware(next http.Handler, mounted map[string]bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range securityHeaders {
			w.Header().Set(k, v)
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBody)
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r)
		if !s.log.Enabled(r.Context(), slog.LevelDebug) {
			return
		}
		attrs := []slog.Attr{slog.String("method", r.Method)}
		switch {
		case mounted[r.Pattern]:
			attrs = append(attrs, slog.String("route", "mounted"))
		case r.Pattern == notFoundPattern || r.Pattern == "": // any path (404, redirect): a misdirected webhook's may hold a secret
			attrs = append(attrs, slog.String("route", r.Pattern))
		default:
			attrs = append(attrs, slog.String("route", r.Pattern), slog.String("path", r.URL.Path))
		}
		attrs = append(attrs, slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)))
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "http request", attrs...)
	})
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flush, deadlines).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
