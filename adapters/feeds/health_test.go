package feeds_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/bot"
)

// TestBackoffFailingRecovered: a feed that keeps failing waits exponentially
// longer (jittered by the injected randomness), is skipped until due, turns
// failing after FailingAfter failures in a row, and is logged once when it
// first fails, once when it turns failing and once when it recovers.
func TestBackoffFailingRecovered(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	var requests atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if down.Load() {
			http.Error(w, "oops", http.StatusInternalServerError)
			return
		}
		w.Write([]byte(rss(numbered(1)...)))
	})
	store := openBolt(t, t.TempDir())
	defer store.Close()
	clk := newClock(t0)
	log, logs := newLogger()
	metrics := bot.NewMetrics(nil)
	c := feeds.New([]feeds.Feed{{Name: "Flaky", URL: srv.URL, FullText: feeds.FullTextNever}}, store, feeds.Options{
		Now: clk.Now, Rand: func() float64 { return 0.5 }, Logger: log, Metrics: metrics,
		FailingAfter: 4, BackoffMin: time.Minute, BackoffMax: 5 * time.Minute,
	})
	// equal jitter with Rand 0.5: three quarters of 1m, 2m, 4m, then of the 5m cap
	waits := []time.Duration{45 * time.Second, 90 * time.Second, 3 * time.Minute, 225 * time.Second, 225 * time.Second}
	for i, want := range waits {
		col := mustCollect(t, c)
		if col.Feeds[0].Err == nil {
			t.Fatalf("poll %d: no error from a failing server", i+1)
		}
		st, err := store.GetFeedState(context.Background(), srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.NextPoll.Sub(clk.Now()); got != want {
			t.Errorf("poll %d: next poll in %s, want %s", i+1, got, want)
		}
		if got, want := st.Failing, i+1 >= 4; got != want {
			t.Errorf("poll %d: failing = %v, want %v", i+1, got, want)
		}
		if !strings.Contains(st.LastError, "HTTP 500") {
			t.Errorf("poll %d: last error %q, want HTTP 500", i+1, st.LastError)
		}
		if col := mustCollect(t, c); !col.Feeds[0].Skipped {
			t.Errorf("poll %d: polled again before due: %+v", i+1, col.Feeds[0])
		}
		clk.Set(st.NextPoll)
	}
	if got, want := int(requests.Load()), len(waits); got != want {
		t.Errorf("%d requests, want %d (one per due poll)", got, want)
	}
	if got := gaugeValue(metrics.FeedsFailing); got != 1 {
		t.Errorf("feeds failing gauge = %v, want 1", got)
	}
	down.Store(false)
	col := mustCollect(t, c)
	if col.Feeds[0].Err != nil || len(col.Articles) != 1 {
		t.Fatalf("after recovery: %+v, want one article", col.Feeds[0])
	}
	markSeen(t, store, col)
	st, _ := store.GetFeedState(context.Background(), srv.URL)
	if st.Failing || st.Failures != 0 || st.LastError != "" || !st.NextPoll.IsZero() || !st.LastSuccess.Equal(clk.Now()) {
		t.Errorf("state after recovery = %+v, want healthy", st)
	}
	if got := gaugeValue(metrics.FeedsFailing); got != 0 {
		t.Errorf("feeds failing gauge = %v, want 0", got)
	}
	for _, line := range []string{"feed failed", "feed failing", "feed recovered"} {
		if got := logs.Count("msg=\"" + line + "\""); got != 1 {
			t.Errorf("%q logged %d times, want once:\n%s", line, got, logs)
		}
	}
	if !strings.Contains(logs.String(), "error=\"HTTP 500") {
		t.Errorf("the first failure is logged without its reason:\n%s", logs)
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header string
		want   time.Duration
	}{
		{"429 seconds", http.StatusTooManyRequests, "600", 10 * time.Minute},
		{"503 date", http.StatusServiceUnavailable, t0.Add(2 * time.Hour).Format(http.TimeFormat), 2 * time.Hour},
		{"shorter than backoff", http.StatusTooManyRequests, "5", 45 * time.Second},
		{"capped", http.StatusTooManyRequests, "99999999", 24 * time.Hour},
		{"unreadable", http.StatusServiceUnavailable, "soon", 45 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tt.header)
				w.WriteHeader(tt.status)
			})
			store := openBolt(t, t.TempDir())
			defer store.Close()
			c := feeds.New([]feeds.Feed{{Name: "Busy", URL: srv.URL}}, store, feeds.Options{
				Now: func() time.Time { return t0 }, Rand: func() float64 { return 0.5 }, Logger: quietLogger()})
			col := mustCollect(t, c)
			var se *feeds.StatusError
			if err := col.Feeds[0].Err; !errors.As(err, &se) || se.Code != tt.status {
				t.Fatalf("error %v, want HTTP %d", err, tt.status)
			}
			st, _ := store.GetFeedState(context.Background(), srv.URL)
			if got := st.NextPoll.Sub(t0); got != tt.want {
				t.Errorf("next poll in %s, want %s", got, tt.want)
			}
		})
	}
}

func gaugeValue(g prometheus.Gauge) float64 {
	var m dto.Metric
	g.Write(&m)
	return m.GetGauge().GetValue()
}
