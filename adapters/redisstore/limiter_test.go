package redisstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/bot"
)

// TestPauseHoldsTheWholeSpan: a paused bucket gives nothing for the whole
// pause, whatever its burst, and its next token is due when the pause ends.
func TestPauseHoldsTheWholeSpan(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	s := redisstore.New(rdb, redisstore.Options{Prefix: prefix})
	defer s.Close()
	ctx := t.Context()
	l := s.Limiter()
	for i, lim := range []bot.Limit{{Rate: 1, Period: time.Second, Burst: 1}, {Rate: 10, Period: time.Second, Burst: 10},
		{Rate: 5, Period: 5 * time.Second, Burst: 2}} {
		key := fmt.Sprint("bucket-", i)
		if err := l.Pause(ctx, key, lim, 700*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if got, wait, err := l.Take(ctx, key, lim, 1); got != 0 || wait < 600*time.Millisecond || wait > 700*time.Millisecond || err != nil {
			t.Errorf("%+v: Take(1) in a 700ms pause = %d, wait %s, %v; want none and a wait of the pause's rest", lim, got, wait, err)
		}
	}
}

// TestPauseDoesNotStack: a burst of 429s, each pausing the bucket, pauses
// it about once, not once for each.
func TestPauseDoesNotStack(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	s := redisstore.New(rdb, redisstore.Options{Prefix: prefix})
	defer s.Close()
	lim, ctx := s.Limiter(), t.Context()
	l := bot.Limit{Rate: 1000, Period: time.Second, Burst: 1}
	const d = 2 * time.Second
	for range 5 {
		if err := lim.Pause(ctx, "global", l, d); err != nil {
			t.Fatal(err)
		}
	}
	got, retry, err := lim.Take(ctx, "global", l, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got != 0 || retry < d-100*time.Millisecond || retry > 2*d {
		t.Errorf("after 5 pauses of %s: Take gave %d, retry after %s; want none, and a retry in %s to %s", d, got, retry, d, 2*d)
	}
}
