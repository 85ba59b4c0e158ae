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
