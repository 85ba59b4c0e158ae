package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/sitrepbot/sitrep/adapters/web"
)

// These tests render the pages in headless Chromium (Debian's chromium
// package; SITREP_CHROMIUM names another binary). Without it they are
// skipped, except when CI is set: .ci/run installs it.

// chromiumPath returns the browser to use, or ends the test.
func chromiumPath(tb testing.TB) string {
	tb.Helper()
	names := []string{"chromium", "chromium-browser", "google-chrome"}
	if p := os.Getenv("SITREP_CHROMIUM"); p != "" {
		names = []string{p}
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("no Chromium (%s) and CI is set: install the chromium package", strings.Join(names, ", "))
	}
	tb.Skipf("SKIP: no Chromium (%s) on PATH; apt-get install chromium to run the browser tests", strings.Join(names, ", "))
	return ""
}

// mustBrowser starts headless Chromium with a fresh profile and no
// background networking, and returns a tab's context.
func mustBrowser(tb testing.TB) context.Context {
	tb.Helper()
	path := chromiumPath(tb)
	profile, err := os.MkdirTemp("", "sitrep-chromium-")
	if err != nil {
		tb.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile))
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 90*time.Second)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tctx, cancelTab := chromedp.NewContext(actx)
	tb.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
		removeWhenFree(tb, profile)
	})
	return tctx
}

// removeWhenFree removes dir, retrying while Chromium's last child
// processes may still write in it.
func removeWhenFree(tb testing.TB, dir string) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := os.RemoveAll(dir)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Logf("leaving %s: %v", dir, err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// artifactDir is where screenshots go: $SITREP_ARTIFACTS, else
// testdata/artifacts (ignored by git).
func artifactDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("SITREP_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	abs, _ := filepath.Abs(dir)
	return abs
}

// eval evaluates a JavaScript expression in the tab (DevTools evaluation:
// the page itself runs no script).
func eval[T any](tb testing.TB, ctx context.Context, expr string) T {
	tb.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// TestPagesInChromium renders the front page, a story and a 404 on a
// phone-sized screen and checks what a reader sees.
func TestPagesInChromium(t *testing.T) {
	ctx := mustBrowser(t)
	kyiv, _ := time.LoadLocation("Europe/Kyiv")
	s, _ := mustServer(t, web.Options{Location: kyiv})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	var dialogs atomic.Int32
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	phone := chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateTouch)
	if err := chromedp.Do(ctx, phone); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		want       []string // in the rendered text
	}{
		{"index", "/", []string{"Latest developments", "Drones hit Mykolaiv grain terminal overnight",
			"Germany pledges two more air defence systems", hostile, "Harbour Times", "Днепр Daily", "state-affiliated (Russia)",
			"UPDATED", "NEW", "16 Dec, 19:30 EET", "Russian drones struck a grain terminal"}},
		{"story", "/story/myk1", []string{"Drones hit Mykolaiv grain terminal overnight", "Timeline", "Tuesday 16 December 2025",
			"Drones hit Mykolaiv port", "Two hurt in Mykolaiv drone attack", "Удар по зерновому терміналу", "/story myk1"}},
		{"hostile-story", "/story/bad3", []string{hostile, "Evil <Outlet>", "A summary with <i>markup</i> & an ampersand."}},
		{"notfound", "/story/nope", []string{"No such development", "“nope”"}},
	}
	dir := artifactDir(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+tt.path)); err != nil {
				t.Fatalf("navigate %s: %v", tt.path, err)
			}
			text := eval[string](t, ctx, "document.body.innerText")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("rendered text lacks %q:\n%s", w, text)
				}
			}
			if n := eval[int](t, ctx, "document.scripts.length"); n != 0 {
				t.Errorf("%d script elements in the page", n)
			}
			if n := eval[int](t, ctx, "document.querySelectorAll('b, i').length"); n != 0 {
				t.Errorf("feed markup became %d elements", n)
			}
			if eval[bool](t, ctx, "document.documentElement.scrollWidth > window.innerWidth") {
				t.Errorf("the page scrolls sideways on a 390 px wide screen (%d px wide)",
					eval[int](t, ctx, "document.documentElement.scrollWidth"))
			}
			if bg := eval[string](t, ctx, "getComputedStyle(document.body).backgroundColor"); bg != "rgb(251, 250, 247)" {
				t.Errorf("body background %q: the style sheet did not apply", bg)
			}
			if px := eval[float64](t, ctx, "parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"); px < 14 {
				t.Errorf("text is %.1f px, too small to read on a phone", px)
			}
			links := eval[[]string](t, ctx, "Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
			for _, l := range links {
				if strings.HasPrefix(strings.ToLower(l), "javascript:") {
					t.Errorf("live script link %q", l)
				}
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			file := filepath.Join(dir, tt.name+"-390x844.png")
			if err := os.WriteFile(file, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", file)
		})
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened: a script ran", n)
	}
}
