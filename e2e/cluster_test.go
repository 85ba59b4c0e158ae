package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/redisstore"
)

// TestSeveralInstances: three `sitrep run` processes share a Redis of the
// test's own (append-only file, as docker-compose.yml runs it), the fake
// Telegram and Discord with their real limits, and the corpus feeds. 1,000
// Telegram chats and 1,000 Discord channels are due in the same minute, the
// chats a moment first. When half the chats have their digest the leader is
// killed with SIGKILL, and when half the channels have theirs Redis is
// restarted. Every Discord channel gets exactly one digest; every Telegram
// chat gets one, and each extra copy (a send the killed leader made and
// could not record) is reported; neither fake answers a 429; the outbox ends
// empty, with no dead letter. /metrics, scraped all along, counts the polls,
// articles and deliveries by platform, and its outbox gauges follow the
// burst.
func TestSeveralInstances(t *testing.T) {
	sitrepBinary(t) // built first: skipped under -short before anything starts
	const nTelegram, nDiscord, instances = 1000, 1000, 3
	rs := startRedis(t, redisOptions{AOF: true})
	w := newWorld(t, worldOptions{})
	aud := newAudience(w, nTelegram, nDiscord)
	env := w.env(map[string]string{
		"SITREP_REDIS_URL": rs.URL(),
		// A killed instance's deliveries go to another once their lease runs
		// out: 10s (the least allowed) instead of the default 2m.
		"SITREP_DELIVERY_JOB_LEASE": "10s",
	})
	var procs []*proc
	var addrs []string
	for i := range instances {
		procs = append(procs, startSitrep(t, fmt.Sprint("sitrep-", i+1), env, "run"))
	}
	for _, p := range procs {
		addrs = append(addrs, p.httpAddr(t))
	}
	eventually(t, "the leader's first poll gives a digest", time.Minute, func() bool {
		st := readStatus(t, env)
		return st.LatestDigest != nil && st.LatestDigest.Developments > 0
	})
	watch := watchMetrics(procs, addrs)

	store, err := redisstore.Open(rs.URL(), redisstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	due := time.Now().Add(2 * time.Second)
	// One platform's deliveries go out before the other's (they queue in one
	// outbox, in order of due time): the chats first, so that the leader is
	// killed with Telegram messages under way, where a duplicate can happen.
	audience{telegram: aud.telegram}.subscribe(t, store, due)
	audience{discord: aud.discord}.subscribe(t, store, due.Add(time.Millisecond))
	t.Logf("%d subscriptions stored, due at %s", aud.size(), due.Format(time.RFC3339Nano))

	ev := runCrashes(t, w, aud, rs, store, procs, due)
	last, scrapes, maxDepth := watch.finish()

	got := aud.received(w)
	missing, extraTG, extraDC := got.check(aud)
	tg429, dc429 := w.rateLimited()
	st := readStatus(t, env)
	t.Logf("leader killed %s after due, Redis restarted %s after due (away %s)", ev.killedAt.Round(time.Millisecond),
		ev.restartedAt.Round(time.Millisecond), ev.redisAway.Round(time.Millisecond))
	t.Logf("drained %d digests (%d messages) in %s after due; extra copies: %d on Telegram, %d on Discord; 429s: %d Telegram, %d Discord; outbox %+v",
		got.digests(), got.messages, ev.drained.Round(time.Millisecond), extraTG, extraDC, tg429, dc429, *st.Outbox)
	for _, id := range aud.telegram {
		if got.telegram[id] > 1 {
			var at []string
			for _, m := range w.tg.Messages(id) {
				at = append(at, m.At.Sub(due).Round(time.Millisecond).String())
			}
			t.Logf("extra copy: Telegram chat %d got its digest at %s after due", id, strings.Join(at, " and "))
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d chats got no digest, e.g. %s", len(missing), strings.Join(missing[:min(5, len(missing))], ", "))
	}
	if extraDC != 0 {
		t.Errorf("Discord channels got %d extra copies, want none (nonces)", extraDC)
	}
	// At most one duplicate for each delivery the dead leader had under way:
	// its workers (delivery.workers, 16) at most.
	if extraTG > 16 {
		t.Errorf("Telegram chats got %d extra copies, more than the killed instance's 16 workers had under way", extraTG)
	}
	if tg429 != 0 || dc429 != 0 {
		t.Errorf("the fakes answered 429 %d times (Telegram) and %d times (Discord), want none", tg429, dc429)
	}
	if st.Outbox.Pending != 0 || st.Outbox.Dead != 0 {
		t.Errorf("outbox after the run: %+v, want empty and no dead letters", *st.Outbox)
	}
	if got.empty > 0 {
		t.Errorf("%d digests said nothing new: they were built before the poll", got.empty)
	}
	checkClusterMetrics(t, last, scrapes, maxDepth)
}

// crashes is what runCrashes did, and when (after the digests' due time).
type crashes struct {
	killedAt, restartedAt, redisAway, drained time.Duration
}

// runCrashes watches the digests arrive: it kills the leader with SIGKILL
// once half the Telegram chats have theirs and restarts Redis once half the
// Discord channels have theirs, and returns when all are out and the outbox
// is empty.
func runCrashes(t *testing.T, w *world, aud audience, rs *redisServer, store *redisstore.Store, procs []*proc, due time.Time) crashes {
	var ev crashes
	var killed, restarted bool
	lastCount, lastChange, lastLog := 0, time.Now(), time.Now()
	deadline := time.Now().Add(4 * time.Minute)
	for {
		cur := aud.received(w)
		n := cur.digests()
		if n != lastCount {
			lastCount, lastChange = n, time.Now()
		}
		if time.Since(lastLog) > 10*time.Second {
			lastLog = time.Now()
			t.Logf("%s after due: %d Telegram, %d Discord digests", time.Since(due).Round(time.Second), len(cur.telegram), len(cur.discord))
		}
		if !killed && len(cur.telegram) >= len(aud.telegram)/2 {
			p := leaderProc(t, store, procs)
			p.kill(t)
			killed, ev.killedAt = true, time.Since(due)
			t.Logf("%s (the leader) killed with SIGKILL after %d digests", p.name, n)
		}
		if !restarted && len(cur.discord) >= len(aud.discord)/2 {
			ev.restartedAt = time.Since(due)
			ev.redisAway = rs.restart(t)
			restarted = true
			t.Logf("Redis restarted after %d digests", n)
		}
		if n >= aud.size() && killed && restarted && outboxEmpty(store) {
			ev.drained = lastChange.Sub(due)
			return ev
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 4 minutes %d of %d digests arrived (the last %s ago)", n, aud.size(), time.Since(lastChange).Round(time.Second))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// outboxEmpty reports whether the outbox holds nothing (false when Redis
// does not answer).
func outboxEmpty(store *redisstore.Store) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := store.OutboxStats(ctx)
	return err == nil && st.Pending == 0
}

// leaderProc returns the process that holds the leadership: the lease names
// the instance, whose name carries its process id.
func leaderProc(tb testing.TB, store *redisstore.Store, procs []*proc) *proc {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	name, err := store.Leader(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range procs {
		if strings.Contains(name, "-"+strconv.Itoa(p.pid())+"-") {
			return p
		}
	}
	tb.Fatalf("no process is the leader %q", name)
	return nil
}

// checkClusterMetrics: each instance's last scrape of /metrics (the killed
// one's before it died) counts polls, articles and deliveries by platform,
// and has the outbox gauges, which showed the outbox filled at some point.
func checkClusterMetrics(t *testing.T, last map[string]metrics, scrapes int, maxDepth float64) {
	t.Helper()
	polls, _ := total(last, "sitrep_feed_polls_total", `result="ok"`)
	articles, _ := total(last, "sitrep_articles_ingested_total")
	tgSent, _ := total(last, "sitrep_deliveries_total", `platform="telegram"`, `result="sent"`)
	dcSent, _ := total(last, "sitrep_deliveries_total", `platform="discord"`, `result="sent"`)
	tgLag, _ := total(last, "sitrep_delivery_lag_seconds_count", `platform="telegram"`)
	_, depths := total(last, "sitrep_outbox_depth")
	dead, deads := total(last, "sitrep_dead_letters")
	trips, tripped := total(last, "sitrep_redis_round_trips_total")
	t.Logf("/metrics, %d scrapes of %d instances: %.0f feed polls ok, %.0f articles, %.0f Telegram and %.0f Discord deliveries sent, outbox depth up to %.0f, %.0f Redis round trips",
		scrapes, len(last), polls, articles, tgSent, dcSent, maxDepth, trips)
	for _, c := range []struct {
		what string
		ok   bool
	}{
		{"feed polls (ok)", polls > 0},
		{"articles ingested", articles > 0},
		{"Telegram deliveries sent", tgSent > 0},
		{"Discord deliveries sent", dcSent > 0},
		{"Telegram delivery lags observed", tgLag > 0},
		{"an outbox depth gauge on every instance", depths == len(last) && depths > 0},
		{"a dead letters gauge on every instance, at 0", deads == len(last) && dead == 0},
		{"the outbox depth above 0 during the burst", maxDepth > 0},
		{"Redis round trips counted on every instance", tripped == len(last) && trips > 0},
	} {
		if !c.ok {
			t.Errorf("/metrics: want %s", c.what)
		}
	}
}
