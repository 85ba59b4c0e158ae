package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

func sub(chat string, active bool, due time.Time) bot.Subscription {
	return bot.Subscription{Platform: bot.Telegram, ChatID: chat, Times: []string{"08:00"}, Timezone: "Europe/Kyiv",
		Active: active, Created: t0, Updated: t0, NextDue: due}
}

func dueChats(due []bot.Due) []string {
	var out []string
	for _, d := range due {
		out = append(out, d.Sub.ChatID)
	}
	return out
}

// testDueIndex: active subscriptions are found due in time order; inactive,
// deleted and future ones are not.
func testDueIndex(t *testing.T, s bot.Store) {
	ctx := context.Background()
	for _, sb := range []bot.Subscription{
		sub("late", true, t0.Add(-2*time.Hour)),
		sub("early", true, t0.Add(-3*time.Hour)),
		sub("paused", false, t0.Add(-time.Hour)),
		sub("future", true, t0.Add(time.Hour)),
		sub("gone", true, t0.Add(-time.Hour)),
		sub("moved", true, t0.Add(-time.Hour)),
	} {
		must(t, s.PutSubscription(ctx, sb))
	}
	must(t, s.DeleteSubscription(ctx, bot.Telegram, "gone"))
	must(t, s.PutSubscription(ctx, sub("moved", true, t0.Add(2*time.Hour)))) // rescheduled: leaves its old place
	due, err := s.DueSubscriptions(ctx, t0, 10)
	must(t, err)
	if got, want := dueChats(due), []string{"early", "late"}; !slices.Equal(got, want) {
		t.Errorf("due at t0 = %q, want %q", got, want)
	}
	if due, _ := s.DueSubscriptions(ctx, t0, 1); len(due) != 1 || due[0].Sub.ChatID != "early" {
		t.Errorf("due at t0, limit 1 = %q, want [early]", dueChats(due))
	}
	due, err = s.DueSubscriptions(ctx, t0.Add(3*time.Hour), 10)
	must(t, err)
	if got, want := dueChats(due), []string{"early", "late", "future", "moved"}; !slices.Equal(got, want) {
		t.Errorf("due 3h later = %q, want %q", got, want)
	}
}

// testCommitSchedule: a claim commits once; a stale one (the chat changed,
// or another instance committed first) changes nothing; racing claims of
// one subscription commit exactly one job.
func testCommitSchedule(t *testing.T, s bot.Store) {
	ctx := context.Background()
	slot := t0.Add(-time.Minute)
	must(t, s.PutSubscription(ctx, sub("42", true, slot)))
	due, err := s.DueSubscriptions(ctx, t0, 10)
	must(t, err)
	if len(due) != 1 {
		t.Fatalf("due = %q, want [42]", dueChats(due))
	}
	claim := func() bot.Claim {
		next := due[0].Sub
		next.NextDue, next.LastDigest = slot.Add(24*time.Hour), t0
		return bot.Claim{Token: due[0].Token, Sub: next, Jobs: []bot.Job{job("42", "s-slot", slot)}}
	}
	const racers = 8
	var wins sync.WaitGroup
	results := make(chan bool, racers)
	for range racers {
		wins.Go(func() {
			done, err := s.CommitSchedule(ctx, []bot.Claim{claim()})
			if err != nil {
				t.Error(err)
				return
			}
			results <- done[0]
		})
	}
	wins.Wait()
	close(results)
	won := 0
	for ok := range results {
		if ok {
			won++
		}
	}
	if won != 1 {
		t.Errorf("%d of %d racing commits won, want 1", won, racers)
	}
	got, err := s.GetSubscription(ctx, bot.Telegram, "42")
	must(t, err)
	if !got.NextDue.Equal(slot.Add(24*time.Hour)) || !got.LastDigest.Equal(t0) {
		t.Errorf("after commit: next %s, last %s; want next %s, last %s", got.NextDue, got.LastDigest, slot.Add(24*time.Hour), t0)
	}
	if due, _ := s.DueSubscriptions(ctx, t0, 10); len(due) != 0 {
		t.Errorf("due after commit = %q, want none", dueChats(due))
	}
	if jobs, _ := s.Claim(ctx, "w", t0, 10, time.Hour); len(jobs) != 1 {
		t.Errorf("jobs after commit = %q, want one", jobIDs(jobs))
	}

	// The chat changes its topics between the scan and the commit: the claim loses.
	must(t, s.PutSubscription(ctx, sub("7", true, slot)))
	due, err = s.DueSubscriptions(ctx, t0, 10)
	must(t, err)
	changed := due[0].Sub
	changed.Topics = []string{"Odesa"}
	must(t, s.PutSubscription(ctx, changed))
	done, err := s.CommitSchedule(ctx, []bot.Claim{{Token: due[0].Token, Sub: due[0].Sub, Jobs: []bot.Job{job("7", "s-slot", slot)}}})
	must(t, err)
	if done[0] {
		t.Error("commit of a changed subscription = true, want false")
	}
	if got, _ := s.GetSubscription(ctx, bot.Telegram, "7"); len(got.Topics) != 1 {
		t.Errorf("the chat's change was lost: %+v", got)
	}
	if got := stats(t, s); got.Pending != 1 {
		t.Errorf("depth = %d, want 1 (no job from the lost claim)", got.Pending)
	}
}

// testPaceSlots: at most max events per window, by the times given.
func testPaceSlots(t *testing.T, s bot.Store) {
	ctx := context.Background()
	steps := []struct {
		at   time.Duration
		want bool
	}{{0, true}, {time.Minute, true}, {2 * time.Minute, false}, {59 * time.Minute, false}, {61 * time.Minute, true}, {62 * time.Minute, true}, {63 * time.Minute, false}}
	for _, st := range steps {
		got, err := s.TakeSlot(ctx, "alerts:telegram:42", t0.Add(st.at), time.Hour, 2)
		must(t, err)
		if got != st.want {
			t.Errorf("TakeSlot at +%s = %v, want %v", st.at, got, st.want)
		}
	}
	if got, _ := s.TakeSlot(ctx, "alerts:telegram:43", t0.Add(2*time.Minute), time.Hour, 2); !got {
		t.Error("another key's TakeSlot = false, want true")
	}
}

func testAlertsAndSnapshot(t *testing.T, s bot.Store) {
	ctx := context.Background()
	if _, err := s.GetAlert(ctx, "k3x9qa"); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("GetAlert(missing) error = %v, want ErrNotFound", err)
	}
	st := bot.AlertState{DevID: "k3x9qa", Outlets: 3, Chats: []bot.ChatRef{{Platform: bot.Discord, ChatID: "9", ThreadID: "1"}}, Sent: t0}
	must(t, s.PutAlert(ctx, st, time.Hour))
	if got, err := s.GetAlert(ctx, "k3x9qa"); err != nil || !equalJSON(got, st) {
		t.Errorf("GetAlert = %+v, %v; want %+v", got, err, st)
	}
	if _, err := s.GetLatest(ctx); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("GetLatest(empty) error = %v, want ErrNotFound", err)
	}
	d := digest.Digest{Generated: t0, Since: t0.Add(-24 * time.Hour), Developments: []digest.Development{{ID: "k3x9qa", Headline: "Drones hit Odesa port"}}}
	must(t, s.PutLatest(ctx, d))
	if got, err := s.GetLatest(ctx); err != nil || !equalJSON(got, d) {
		t.Errorf("GetLatest = %+v, %v; want %+v", got, err, d)
	}
}
