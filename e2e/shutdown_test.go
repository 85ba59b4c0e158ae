package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore"
)

// TestSIGTERMDuringBurst: `sitrep run` gets SIGTERM while it delivers a
// burst of digests (150 Telegram chats and 150 Discord channels due at
// once, at the platforms' real limits), on each store. It exits within 10s,
// and a restarted process delivers the rest: every chat gets its digest
// exactly once.
func TestSIGTERMDuringBurst(t *testing.T) {
	sitrepBinary(t) // built first: skipped under -short before anything starts
	const nTelegram, nDiscord = 150, 150
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, w *world, aud audience, due time.Time) map[string]string
	}{
		{"embedded", func(t *testing.T, w *world, aud audience, due time.Time) map[string]string {
			env := w.env(nil)
			store, err := boltstore.Open(filepath.Join(env["SITREP_DATA_DIR"], "sitrep.db"), boltstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close() // sitrep opens the file once the test let go of it
			aud.subscribe(t, store, due)
			return env
		}},
		{"redis", func(t *testing.T, w *world, aud audience, due time.Time) map[string]string {
			rs := startRedis(t, redisOptions{})
			store, err := redisstore.Open(rs.URL(), redisstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			aud.subscribe(t, store, due)
			return w.env(map[string]string{"SITREP_REDIS_URL": rs.URL()})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, worldOptions{})
			aud := newAudience(w, nTelegram, nDiscord)
			// Due a moment after the start, so the first poll is in: the
			// digests have developments.
			due := time.Now().Add(3 * time.Second)
			env := tc.setup(t, w, aud, due)

			first := startSitrep(t, "sitrep", env, "run")
			stopAt := aud.size() * 3 / 5
			eventually(t, "the burst is under way", 2*time.Minute, func() bool { return aud.received(w).digests() >= stopAt })
			took := first.term(t)
			before := aud.received(w)
			t.Logf("SIGTERM after %d digests (%d messages); exited in %s", before.digests(), before.messages, took.Round(time.Millisecond))
			if took > stopTimeout {
				t.Errorf("sitrep took %s to stop after SIGTERM, want at most %s", took.Round(time.Millisecond), stopTimeout)
			}
			if !strings.Contains(first.stderr.String(), "sitrep stopped") {
				t.Errorf("no clean stop in the log:\n%s", tail(first.stderr.String(), 20))
			}

			restarted := time.Now()
			second := startSitrep(t, "sitrep (restarted)", env, "run")
			eventually(t, "the restarted sitrep delivers the rest", 3*time.Minute, func() bool { return aud.received(w).digests() >= aud.size() })
			rest := time.Since(restarted)
			second.term(t)
			after := aud.received(w)
			missing, extraTG, extraDC := after.check(aud)
			st := readStatus(t, env)
			tg429, dc429 := w.rateLimited()
			t.Logf("restarted: the other %d digests within %s; extra copies %d Telegram, %d Discord; outbox %+v; 429s %d, %d",
				after.digests()-before.digests(), rest.Round(time.Millisecond), extraTG, extraDC, *st.Outbox, tg429, dc429)
			if len(missing) > 0 || extraTG > 0 || extraDC > 0 {
				t.Errorf("%d chats got no digest (%v), %d Telegram and %d Discord copies too many; want each exactly once",
					len(missing), missing[:min(5, len(missing))], extraTG, extraDC)
			}
			if st.Outbox.Pending != 0 || st.Outbox.Dead != 0 {
				t.Errorf("outbox after the restart: %+v, want empty", *st.Outbox)
			}
			if tg429 != 0 || dc429 != 0 {
				t.Errorf("the fakes answered 429 %d times (Telegram) and %d times (Discord), want none", tg429, dc429)
			}
			if after.empty > 0 {
				t.Errorf("%d digests said nothing new: they were built before the first poll", after.empty)
			}
		})
	}
}
