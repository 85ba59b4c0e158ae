package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
)

// neverLeads is a Lease held by another instance.
type neverLeads struct{}

func (neverLeads) Acquire(context.Context, time.Duration) (bool, error) { return false, nil }
func (neverLeads) Renew(context.Context, time.Duration) (bool, error)   { return false, nil }
func (neverLeads) Release(context.Context) error                        { return nil }

// TestFollowerAnswersFromTheLeader: an instance that does not lead runs no
// engine; it answers /latest and /story with the leader's developments and ids.
func TestFollowerAnswersFromTheLeader(t *testing.T) {
	start := time.Date(2025, 12, 16, 20, 0, 0, 0, time.UTC)
	h := newHarness(t, start)
	ctx := context.Background()
	leader := h.bot(&fakeSource{articles: articles(start.Add(-3 * time.Hour))})
	must(t, leader.Poll(ctx))
	want := leader.Latest(5)
	if len(want.Developments) != 1 {
		t.Fatalf("leader's latest = %d developments, want 1", len(want.Developments))
	}
	follower := h.botWith(&fakeSource{}, func(o *bot.Options) { o.Delivery.Lease = neverLeads{}; o.Logger = quiet })
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); follower.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	deadline := time.Now().Add(5 * time.Second)
	for len(follower.Latest(5).Developments) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the follower has no developments 5s after starting")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if follower.IsLeader() {
		t.Fatal("the follower leads")
	}
	got := follower.Latest(5).Developments[0]
	if got.ID != want.Developments[0].ID || got.Headline != want.Developments[0].Headline {
		t.Errorf("follower's latest = %s %q, want the leader's %s %q", got.ID, got.Headline, want.Developments[0].ID, want.Developments[0].Headline)
	}
	story, err := follower.Story(ctx, got.ID)
	must(t, err)
	if len(story.Articles) != 2 {
		t.Errorf("follower's /story has %d articles in its timeline, want 2", len(story.Articles))
	}
}
