package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sitrepbot/sitrep/adapters/web"
	"github.com/sitrepbot/sitrep/bot"
)

func TestRoutes(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := bot.NewMetrics(reg)
	m.ArticlesIngested.Add(7)
	m.Deliveries.WithLabelValues(bot.Telegram, "sent").Inc()
	s, _ := mustServer(t, web.Options{Metrics: reg})
	tests := []struct {
		path        string
		status      int
		contentType string
		contains    []string
	}{
		{"/healthz", 200, "text/plain", []string{"ok"}},
		{"/readyz", 200, "text/plain", []string{"ok store"}},
		{"/metrics", 200, "text/plain", []string{"sitrep_articles_ingested_total 7", `sitrep_deliveries_total{platform="telegram",result="sent"} 1`}},
		{"/", 200, "text/html", []string{"Drones hit Mykolaiv grain terminal overnight", "Germany pledges"}},
		{"/story/myk1", 200, "text/html", []string{"Timeline", "Two hurt in Mykolaiv drone attack"}},
		{"/story/air2", 200, "text/html", []string{"Germany pledges two more air defence systems", "Continental Wire"}},
		{"/story/nope", 404, "text/html", []string{"No such development", "nope"}},
		{"/story/" + strings.Repeat("x", 65), 404, "text/html", []string{"Page not found"}},
		{"/digest.atom", 200, "application/atom+xml", []string{"<feed xmlns=\"http://www.w3.org/2005/Atom\">"}},
		{"/digest.json", 200, "application/json", []string{`"developments"`}},
		{"/style.css", 200, "text/css", []string{"prefers-color-scheme"}},
		{"/static/", 404, "text/html", []string{"Page not found"}},
		{"/templates/layout.html", 404, "text/html", []string{"Page not found"}},
		{"/etc/passwd", 404, "text/html", []string{"Page not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := get(t, s.Handler(), tt.path)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d\n%s", rec.Code, tt.status, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, tt.contentType) {
				t.Errorf("Content-Type %q, want %s", got, tt.contentType)
			}
			for _, want := range tt.contains {
				if !strings.Contains(rec.Body.String(), want) {
					t.Errorf("body lacks %q:\n%s", want, rec.Body)
				}
			}
			for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
				if rec.Header().Get(h) == "" {
					t.Errorf("no %s header", h)
				}
			}
			if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
				t.Errorf("CSP %q allows more than the style sheet", csp)
			}
		})
	}
}

func TestNoMetricsWithoutRegistry(t *testing.T) {
	s, _ := mustServer(t, web.Options{})
	if rec := get(t, s.Handler(), "/metrics"); rec.Code != http.StatusNotFound {
		t.Errorf("/metrics without a registry: status %d, want 404", rec.Code)
	}
}

func TestReadiness(t *testing.T) {
	var leaderErr error
	leader := web.Check{Name: "leader", Check: func(context.Context) error { return leaderErr }}
	store := mustFixtureStore(t)
	tests := []struct {
		name     string
		store    web.Store
		leader   error
		status   int
		contains []string
	}{
		{"all ok", store, nil, 200, []string{"ok store", "ok leader"}},
		{"no leader", store, errors.New("no lease holder"), 503, []string{"ok store", "failing leader"}},
		{"store down", downStore{store}, nil, 503, []string{"failing store", "ok leader"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaderErr = tt.leader
			s, logs := mustServer(t, web.Options{Store: tt.store, Checks: []web.Check{leader}})
			for range 3 {
				rec := get(t, s.Handler(), "/readyz")
				if rec.Code != tt.status {
					t.Fatalf("status %d, want %d\n%s", rec.Code, tt.status, rec.Body)
				}
				for _, want := range tt.contains {
					if !strings.Contains(rec.Body.String(), want) {
						t.Errorf("body lacks %q:\n%s", want, rec.Body)
					}
				}
				if strings.Contains(rec.Body.String(), "refused") || strings.Contains(rec.Body.String(), "lease holder") {
					t.Errorf("the reason reached the client:\n%s", rec.Body)
				}
			}
			if got := strings.Count(logs.String(), `"msg":"not ready"`); (tt.status == 503) != (got == 1) {
				t.Errorf("%d 'not ready' log lines after three probes, want one per failing state:\n%s", got, logs)
			}
		})
	}
}

// downStore cannot be reached.
type downStore struct{ web.Store }

func (downStore) Ping(context.Context) error { return errors.New("dial tcp: connection refused") }

func TestConditionalGet(t *testing.T) {
	s, _ := mustServer(t, web.Options{})
	for _, path := range []string{"/", "/digest.atom", "/digest.json"} {
		t.Run(path, func(t *testing.T) {
			first := get(t, s.Handler(), path)
			etag, modified := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
			if etag == "" || modified != "Tue, 16 Dec 2025 18:00:00 GMT" {
				t.Fatalf("ETag %q, Last-Modified %q: want both, modified at the newest edition", etag, modified)
			}
			if rec := get(t, s.Handler(), path, "If-None-Match", etag); rec.Code != http.StatusNotModified {
				t.Errorf("If-None-Match: status %d, want 304", rec.Code)
			}
			if rec := get(t, s.Handler(), path, "If-Modified-Since", modified); rec.Code != http.StatusNotModified {
				t.Errorf("If-Modified-Since: status %d, want 304", rec.Code)
			}
		})
	}
}

func TestEmptyArchive(t *testing.T) {
	s, _ := mustServer(t, web.Options{Store: emptyStore{mustFixtureStore(t)}})
	rec := get(t, s.Handler(), "/")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "No digest yet") {
		t.Errorf("front page of an empty archive: %d\n%s", rec.Code, rec.Body)
	}
	rec = get(t, s.Handler(), "/digest.json")
	var d bot.PublicDigest
	if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil || rec.Code != 200 || len(d.Developments) != 0 || d.Generated.IsZero() {
		t.Errorf("/digest.json of an empty archive: %d %v\n%s", rec.Code, err, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), `"developments": []`) {
		t.Errorf("empty developments should be [], not null:\n%s", rec.Body)
	}
}

// emptyStore has no digests.
type emptyStore struct{ web.Store }

func (emptyStore) LatestDigests(context.Context, int) ([]digestT, error) { return nil, nil }

func TestStoreFailure(t *testing.T) {
	s, logs := mustServer(t, web.Options{Store: failingStore{mustFixtureStore(t)}})
	for _, path := range []string{"/", "/digest.atom", "/digest.json"} {
		rec := get(t, s.Handler(), path)
		if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "disk on fire") {
			t.Errorf("%s: status %d, want 500 without the reason:\n%s", path, rec.Code, rec.Body)
		}
	}
	if !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("the reason was not logged:\n%s", logs)
	}
}

// failingStore cannot read digests.
type failingStore struct{ web.Store }

func (failingStore) LatestDigests(context.Context, int) ([]digestT, error) {
	return nil, errors.New("disk on fire")
}

// TestMountedHandlers: handlers other adapters provide are reachable, get
// the body limit, and neither their path nor their pattern is logged.
func TestMountedHandlers(t *testing.T) {
	var got string
	hook := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		got = string(b)
		w.WriteHeader(http.StatusNoContent)
	})
	s, logs := mustServer(t, web.Options{MaxBody: 1024, Handlers: map[string]http.Handler{"POST /hook/s3cr3t-path": hook}})
	post := func(body string) int {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hook/s3cr3t-path?token=q-s3cr3t", strings.NewReader(body)))
		return rec.Code
	}
	if code := post(`{"update_id":1}`); code != http.StatusNoContent || got != `{"update_id":1}` {
		t.Errorf("mounted handler: status %d, body %q", code, got)
	}
	if code := post(strings.Repeat("x", 2048)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the limit: status %d, want 413", code)
	}
	if strings.Contains(logs.String(), "s3cr3t") || !strings.Contains(logs.String(), `"route":"mounted"`) {
		t.Errorf("request log shows the mounted path or lacks the line:\n%s", logs)
	}
	get(t, s.Handler(), "/hook/other-s3cr3t")
	get(t, s.Handler(), "/hook/s3cr3t-path")   // wrong method: the not-found page
	get(t, s.Handler(), "/hook//s3cr3t-path/") // not clean: a redirect
	if strings.Contains(logs.String(), "other-s3cr3t") || strings.Contains(logs.String(), "s3cr3t-path") {
		t.Errorf("request log shows the path of an unknown address, a wrong method or a redirect:\n%s", logs)
	}
	get(t, s.Handler(), "/story/myk1?key=q-s3cr3t")
	if !strings.Contains(logs.String(), `"path":"/story/myk1"`) || strings.Contains(logs.String(), "q-s3cr3t") {
		t.Errorf("request log lacks the path of an own route, or shows a query:\n%s", logs)
	}
	_, err := web.New(web.Options{Store: mustFixtureStore(t), Handlers: map[string]http.Handler{"GET /healthz": hook}})
	if err == nil {
		t.Error("mounting over /healthz succeeded, want an error")
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	store := mustFixtureStore(t)
	tests := []struct {
		name string
		opts web.Options
	}{
		{"no store", web.Options{}},
		{"relative public URL", web.Options{Store: store, PublicURL: "sitrep.example.org"}},
		{"public URL with query", web.Options{Store: store, PublicURL: "https://sitrep.example.org/?a=b"}},
		{"public URL with credentials", web.Options{Store: store, PublicURL: "https://u:p@sitrep.example.org/"}},
		{"check without a function", web.Options{Store: store, Checks: []web.Check{{Name: "leader"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := web.New(tt.opts); err == nil {
				t.Error("New succeeded, want an error")
			}
		})
	}
}

// TestRunShutdown: Run serves until its context ends, then waits for a
// request in flight and returns.
func TestRunShutdown(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "done")
	})
	s, _ := mustServer(t, web.Options{Handlers: map[string]http.Handler{"GET /slow": slow}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, ln) }()
	url := "http://" + ln.Addr().String()
	resp, err := http.Get(url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	body := make(chan string, 1)
	go func() {
		resp, err := http.Get(url + "/slow")
		if err != nil {
			body <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body <- string(b)
	}()
	<-started
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) with a request in flight", err)
	case <-time.After(100 * time.Millisecond): // Run is waiting, as it should
	}
	close(release)
	if got := <-body; got != "done" {
		t.Errorf("request in flight got %q, want done", got)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(web.ShutdownTimeout):
		t.Fatal("Run did not return after its last request")
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("server still answers after Run returned")
	}
}
