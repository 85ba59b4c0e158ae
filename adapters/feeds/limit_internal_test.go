package feeds

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	l := newLimiter(3, 2)
	ctx := context.Background()
	_, a1, _ := l.acquire(ctx, "a")
	ha2, a2, _ := l.acquire(ctx, "a")

	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, _, err := l.acquire(short, "a"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a third slot of one host: %v, want to wait until the deadline", err)
	}
	_, b1, err := l.acquire(ctx, "b")
	if err != nil {
		t.Fatalf("another host: %v", err)
	}
	ha2() // the host slot back, the global one kept: a may start, the global limit may not
	short2, cancel2 := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel2()
	if _, _, err := l.acquire(short2, "c"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a fourth request: %v, want to wait for the global limit", err)
	}
	a2()
	a2() // releasing twice is harmless
	_, c1, err := l.acquire(ctx, "c")
	if err != nil {
		t.Fatalf("after a release: %v", err)
	}
	for _, release := range []func(){a1, b1, c1} {
		release()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.hosts) != 0 || len(l.global) != 0 {
		t.Errorf("after every release: %d hosts, %d global slots held, want none", len(l.hosts), len(l.global))
	}
}
