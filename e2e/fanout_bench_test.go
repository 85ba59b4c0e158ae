package e2e

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
	"github.com/sitrepbot/sitrep/bot"
)

// Fan-out settings: the fakes allow fakeLimit messages a second in all;
// sitrep is configured a little below (botLimit): a GCRA bucket of rate R
// and burst B lets R+B through in a second, and sends that leave on time can
// arrive bunched.
const (
	fanoutSubscribers = 10000
	fakeLimit         = 1000
	botLimit          = "970/1s/20"
)

// BenchmarkFanout: 10,000 subscribers of one platform due at the same
// moment, delivered by 1 and by 3 `sitrep run` processes on a Redis of the
// benchmark's own, through the fake Telegram or Discord limited to 1,000
// messages a second. It reports the messages a second the fake received ÷
// its limit, the p99 lateness of a digest (its last message) against the
// due time, the Redis round trips per delivery (as the processes count them
// in sitrep_redis_round_trips_total), the 429s, and the CPU time a message
// cost sitrep, Redis and the fakes (which share the benchmark's process). Each
// process runs 64 delivery workers; Discord channels take 2 messages at
// once (a digest is two messages there). Run it alone:
//
//	go test ./e2e -run '^$' -bench Fanout -benchtime 1x
func BenchmarkFanout(b *testing.B) {
	for _, platform := range []string{bot.Telegram, bot.Discord} {
		for _, instances := range []int{1, 3} {
			b.Run(fmt.Sprintf("%s/instances=%d", platform, instances), func(b *testing.B) {
				for range b.N {
					fanoutOnce(b, platform, instances)
				}
			})
		}
	}
}

func fanoutOnce(b *testing.B, platform string, instances int) {
	sitrepBinary(b) // built first: skipped under -short before anything starts
	b.StopTimer()
	rs := startRedis(b, redisOptions{})
	w := newWorld(b, worldOptions{telegram: telegramtest.Limits{Global: fakeLimit, GlobalBurst: fakeLimit / 20},
		discord: discordtest.Options{GlobalLimit: fakeLimit}})
	aud := newAudience(w, fanoutSubscribers, 0)
	if platform == bot.Discord {
		aud = newAudience(w, 0, fanoutSubscribers)
	}
	env := w.env(map[string]string{"SITREP_REDIS_URL": rs.URL(), "SITREP_DELIVERY_WORKERS": "64",
		"SITREP_LIMITS_TELEGRAM_GLOBAL": botLimit, "SITREP_LIMITS_DISCORD_GLOBAL": botLimit, "SITREP_LIMITS_DISCORD_CHANNEL": "5/5s/2"})
	var pids []int
	var addrs []string
	for i := range instances {
		p := startSitrep(b, fmt.Sprint("sitrep-", i+1), env, "run")
		addrs = append(addrs, p.httpAddr(b))
		pids = append(pids, p.pid())
	}
	eventually(b, "the leader's first poll", time.Minute, func() bool { return readStatus(b, env).LatestDigest != nil })

	store, err := redisstore.Open(rs.URL(), redisstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	due := time.Now().Add(10 * time.Second)
	aud.subscribe(b, store, due)
	if late := time.Since(due); late > 0 {
		b.Fatalf("storing the subscriptions took until %s after their due time", late)
	}
	trips := roundTrips(b, addrs)
	cpu := meterCPU(append(pids, rs.cmd.Process.Pid)...)
	b.StartTimer()
	deadline := time.Now().Add(5 * time.Minute)
	for aud.received(w).digests() < aud.size() { // polled lightly: the fakes share this process's CPU
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d digests after 5 minutes", aud.received(w).digests(), aud.size())
		}
		time.Sleep(250 * time.Millisecond)
	}
	b.StopTimer()
	procs, self := cpu.used()
	n := roundTrips(b, addrs) - trips

	at := deliveryTimes(w, aud)
	got := aud.received(w)
	rate := float64(len(at.messages)-1) / at.messages[len(at.messages)-1].Sub(at.messages[0]).Seconds()
	p99 := at.digests[len(at.digests)*99/100].Sub(due)
	tg429, dc429 := w.rateLimited()
	b.ReportMetric(rate, "msgs/s")
	b.ReportMetric(rate/fakeLimit, "rate/limit")
	b.ReportMetric(p99.Seconds(), "p99-late-s")
	b.ReportMetric(n/float64(aud.size()), "redis-rt/delivery")
	b.ReportMetric(float64(tg429+dc429), "429s")
	var sitrepCPU time.Duration
	for _, d := range procs[:instances] {
		sitrepCPU += d
	}
	perMsg := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(got.messages) }
	b.ReportMetric(perMsg(sitrepCPU), "sitrep-cpu-ms/msg")
	b.Logf("%d digests as %d messages by %d instance(s): %.0f msgs/s (%.3f of %d/s), first %s and p99 %s after due, %.0f Redis round trips (%.2f a delivery), %d 429s",
		got.digests(), got.messages, instances, rate, rate/fakeLimit, fakeLimit, at.messages[0].Sub(due).Round(time.Millisecond),
		p99.Round(time.Millisecond), n, n/float64(aud.size()), tg429+dc429)
	b.Logf("CPU a message: sitrep %.2fms, Redis %.2fms, the fakes (this process) %.2fms; on %d cores that caps the rate at %.0f msgs/s",
		perMsg(sitrepCPU), perMsg(procs[instances]), perMsg(self), runtime.NumCPU(),
		float64(runtime.NumCPU())*1000/(perMsg(sitrepCPU)+perMsg(procs[instances])+perMsg(self)))
}

// roundTrips adds up the Redis round trips the processes at addrs counted.
func roundTrips(tb testing.TB, addrs []string) float64 {
	tb.Helper()
	sum := 0.0
	for _, a := range addrs {
		m, err := scrape(a)
		if err != nil {
			tb.Fatal(err)
		}
		n, ok := m.sum("sitrep_redis_round_trips_total")
		if !ok {
			tb.Fatalf("%s/metrics has no sitrep_redis_round_trips_total", a)
		}
		sum += n
	}
	return sum
}

// times are when the fakes received the audience's messages, in order, and
// when each digest was complete (its last message), in order.
type times struct {
	messages, digests []time.Time
}

func deliveryTimes(w *world, aud audience) times {
	var t times
	last := map[string]time.Time{}
	add := func(chat string, at time.Time) {
		t.messages = append(t.messages, at)
		if at.After(last[chat]) {
			last[chat] = at
		}
	}
	mine := map[int64]bool{}
	for _, id := range aud.telegram {
		mine[id] = true
	}
	for _, m := range w.tg.AllMessages() {
		if mine[m.ChatID] {
			add(strconv.FormatInt(m.ChatID, 10), m.At)
		}
	}
	for _, id := range aud.discord {
		for _, m := range w.dc.Messages(id) {
			add(id, m.Created)
		}
	}
	for _, at := range last {
		t.digests = append(t.digests, at)
	}
	slices.SortFunc(t.messages, time.Time.Compare)
	slices.SortFunc(t.digests, time.Time.Compare)
	return t
}
