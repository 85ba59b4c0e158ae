package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// metrics is one scrape of /metrics: each series (name{labels}, as the
// Prometheus text format prints it) with its value.
type metrics map[string]float64

// scrape reads http://addr/metrics.
func scrape(addr string) (metrics, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	return parseMetrics(resp.Body)
}

// parseMetrics reads the Prometheus text format: comments are skipped, and
// each sample line is a series and a value.
func parseMetrics(r io.Reader) (metrics, error) {
	m := metrics{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			return nil, fmt.Errorf("metrics: bad line %q", line)
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return nil, fmt.Errorf("metrics: bad value in %q", line)
		}
		m[line[:i]] = v
	}
	return m, sc.Err()
}

// sum adds the series of a metric that carry every label given as
// name="value" (none: every series of the metric), and reports whether any
// series matched.
func (m metrics) sum(name string, labels ...string) (float64, bool) {
	total, found := 0.0, false
	for series, v := range m {
		base, rest, _ := strings.Cut(series, "{")
		if base != name {
			continue
		}
		all := true
		for _, l := range labels {
			if !strings.Contains(","+strings.TrimSuffix(rest, "}")+",", ","+l+",") {
				all = false
			}
		}
		if all {
			total, found = total+v, true
		}
	}
	return total, found
}

// metricsWatch scrapes the /metrics of running processes every half second
// until stopped, keeping each process's last scrape and the deepest outbox
// any of them reported.
type metricsWatch struct {
	stop chan struct{}
	done chan struct{}

	mu       sync.Mutex
	last     map[string]metrics // by process name
	scrapes  int
	maxDepth float64
}

// watchMetrics starts scraping the processes at their HTTP addresses.
func watchMetrics(procs []*proc, addrs []string) *metricsWatch {
	mw := &metricsWatch{stop: make(chan struct{}), done: make(chan struct{}), last: map[string]metrics{}}
	go func() {
		defer close(mw.done)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			for i, p := range procs {
				if !p.running() {
					continue
				}
				if m, err := scrape(addrs[i]); err == nil {
					mw.record(p.name, m)
				}
			}
			select {
			case <-mw.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return mw
}

func (mw *metricsWatch) record(name string, m metrics) {
	mw.mu.Lock()
	defer mw.mu.Unlock()
	mw.last[name], mw.scrapes = m, mw.scrapes+1
	if d, ok := m.sum("sitrep_outbox_depth"); ok && d > mw.maxDepth {
		mw.maxDepth = d
	}
}

// finish stops the watch and returns, for each process, its last scrape.
func (mw *metricsWatch) finish() (last map[string]metrics, scrapes int, maxDepth float64) {
	close(mw.stop)
	<-mw.done
	mw.mu.Lock()
	defer mw.mu.Unlock()
	return mw.last, mw.scrapes, mw.maxDepth
}

// total adds a series over the processes' last scrapes, and reports how
// many processes had it.
func total(last map[string]metrics, name string, labels ...string) (float64, int) {
	sum, n := 0.0, 0
	for _, m := range last {
		if v, ok := m.sum(name, labels...); ok {
			sum, n = sum+v, n+1
		}
	}
	return sum, n
}
