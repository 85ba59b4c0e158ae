package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
)

// writeKharkivFeeds writes two outlets' RSS feeds that report one development,
// published shortly before now, and a configuration that reads them.
func writeKharkivFeeds(tb testing.TB, dir string, now time.Time) string {
	tb.Helper()
	items := map[string]string{
		"ledger": "Russian drones hit Kharkiv power station overnight|Russian drones struck a power station in Kharkiv overnight, cutting electricity to thousands, the regional governor said.",
		"wire":   "Kharkiv power station hit by Russian drone attack|A Russian drone attack hit a power station in Kharkiv overnight and left thousands without electricity, officials said.",
	}
	var sources []string
	for name, item := range items {
		title, desc, _ := strings.Cut(item, "|")
		feed := fmt.Sprintf(`<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title>
<item><title>%s</title><link>https://%s.example/kharkiv</link><guid>%s-1</guid><pubDate>%s</pubDate><description>%s</description></item>
</channel></rss>`, name, title, name, name, now.Add(-2*time.Hour).UTC().Format(time.RFC1123Z), desc)
		path := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(path, []byte(feed), 0o600); err != nil {
			tb.Fatal(err)
		}
		sources = append(sources, fmt.Sprintf("  - {name: %q, url: %q, lang: en}", name, path))
	}
	cfg := filepath.Join(dir, "sitrep.yaml")
	if err := os.WriteFile(cfg, []byte("sources:\n"+strings.Join(sources, "\n")+"\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// pollUntil polls cond until it holds or the deadline passes.
func pollUntil(tb testing.TB, what string, timeout time.Duration, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func getURL(tb testing.TB, url string) (int, string) {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var listeningRE = regexp.MustCompile(`msg="http server listening" addr=(\S+)`)

// TestRunServesWeb: `sitrep run` serves health, metrics and the archive of
// what it collected, answers `sitrep healthcheck`, and stops its server
// with the bot.
func TestRunServesWeb(t *testing.T) {
	dir := t.TempDir()
	cfg := writeKharkivFeeds(t, dir, time.Now())
	const hookSecret, pathSecret, querySecret = "whs-9f8e7d6c", "path-5b4a3c2d", "qs-1a2b3c4d"
	env := map[string]string{"SITREP_DATA_DIR": dir, "SITREP_HTTP_LISTEN": "127.0.0.1:0", "SITREP_CONFIG": cfg,
		"SITREP_LOG_LEVEL": "debug", "SITREP_TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg/" + pathSecret,
		"SITREP_TELEGRAM_WEBHOOK_SECRET": hookSecret}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"run"}, envMap(env), &stdout, &stderr) }()

	var addr string
	pollUntil(t, "http server listening", 10*time.Second, func() bool {
		if m := listeningRE.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
		}
		return addr != ""
	})
	base := "http://" + addr
	var d bot.PublicDigest
	pollUntil(t, "a development in /digest.json", 20*time.Second, func() bool {
		_, body := getURL(t, base+"/digest.json")
		return json.Unmarshal([]byte(body), &d) == nil && len(d.Developments) > 0
	})
	if !strings.Contains(d.Developments[0].Headline, "Kharkiv") {
		t.Errorf("top development %q, want the Kharkiv strike", d.Developments[0].Headline)
	}
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/healthz", []string{"ok"}},
		{"/readyz", []string{"ok store"}},
		{"/metrics", []string{`sitrep_feed_polls_total{result="ok"} 2`, "sitrep_articles_ingested_total 2", "go_goroutines", "process_"}},
		{"/", []string{"Kharkiv", "ledger", "wire"}},
		{"/story/" + d.Developments[0].ID, []string{"Timeline", "Russian drones hit Kharkiv power station overnight"}},
		{"/digest.atom", []string{"<entry>", "/story/" + d.Developments[0].ID}},
	} {
		code, body := getURL(t, base+tt.path)
		for _, w := range tt.want {
			if code != 200 || !strings.Contains(body, w) {
				t.Errorf("GET %s: %d, body lacks %q:\n%.2000s", tt.path, code, w, body)
			}
		}
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/tg/"+pathSecret+"?token="+querySecret, strings.NewReader("{}"))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hookSecret)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	getURL(t, base+"/digest.json?key="+querySecret)
	pollUntil(t, "request log lines", 5*time.Second, func() bool { return strings.Count(stderr.String(), `msg="http request"`) >= 8 })
	for _, secret := range []string{hookSecret, pathSecret, querySecret} {
		if strings.Contains(stderr.String(), secret) || strings.Contains(stdout.String(), secret) {
			t.Errorf("secret %q reached the output:\n%s", secret, stderr.String())
		}
	}
	hc := map[string]string{"SITREP_HTTP_LISTEN": addr}
	if out, _, err := runCmd(t, hc, "healthcheck"); err != nil || strings.TrimSpace(out) != "ok" {
		t.Errorf("healthcheck of a running sitrep: %v %q", err, out)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop within 10s")
	}
	if !strings.Contains(stderr.String(), "http server stopped") {
		t.Errorf("log lacks the server's stop:\n%s", stderr.String())
	}
	if _, _, err := runCmd(t, hc, "healthcheck"); exitCode(err) != 1 {
		t.Errorf("healthcheck of a stopped sitrep: %v (exit %d), want exit 1", err, exitCode(err))
	}
}

func TestHealthcheck(t *testing.T) {
	tests := []struct {
		name   string
		status int
		code   int
	}{
		{"ok", http.StatusOK, 0},
		{"unhealthy", http.StatusServiceUnavailable, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newStatusServer(t, tt.status)
			_, _, err := runCmd(t, nil, "healthcheck", "--url", srv+"/healthz")
			got := 0
			if err != nil {
				got = exitCode(err)
			}
			if got != tt.code {
				t.Errorf("exit %d (%v), want %d", got, err, tt.code)
			}
		})
	}
	off := filepath.Join(t.TempDir(), "off.yaml")
	if err := os.WriteFile(off, []byte("http: {listen: \"\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCmd(t, nil, "healthcheck", "--config", off)
	if exitCode(err) != 1 || !strings.Contains(fmt.Sprint(err), "http.listen is empty") {
		t.Errorf("healthcheck with the server off: %v", err)
	}
}

func TestHealthURL(t *testing.T) {
	for listen, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080/healthz",
		"0.0.0.0:8080":   "http://127.0.0.1:8080/healthz",
		":9090":          "http://127.0.0.1:9090/healthz",
		"[::]:8080":      "http://127.0.0.1:8080/healthz",
		"[::1]:8080":     "http://[::1]:8080/healthz",
		"sitrep:8080":    "http://sitrep:8080/healthz",
	} {
		if got := healthURL(listen); got != want {
			t.Errorf("healthURL(%q) = %q, want %q", listen, got, want)
		}
	}
}

func TestTelegramWebhookPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                                "/telegram/webhook",
		"https://bot.example.org":         "/telegram/webhook",
		"https://bot.example.org/":        "/telegram/webhook",
		"https://bot.example.org/tg/hook": "/tg/hook",
		"https://bot.example.org/telegram/webhook": "/telegram/webhook",
	} {
		if got := telegramWebhookPath(in); got != want {
			t.Errorf("telegramWebhookPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// newStatusServer answers every request with status.
func newStatusServer(tb testing.TB, status int) string {
	tb.Helper()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) })}
	ln := listenLoopback(tb)
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func listenLoopback(tb testing.TB) net.Listener {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	return ln
}
