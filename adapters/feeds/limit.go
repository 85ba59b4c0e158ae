package feeds

import (
	"context"
	"sync"
)

// limiter bounds requests: at most perHost at once to one host, and at most
// cap(global) at once in all. A caller takes its host's slot first, then a
// global one, so requests queued behind a busy host hold no global slot; and
// it never takes a second pair while holding one, so no two callers can wait
// on each other.
type limiter struct {
	global  chan struct{}
	perHost int

	mu    sync.Mutex
	hosts map[string]*hostSlots
}

// hostSlots are one host's slots and how many callers hold or wait for one;
// the entry is dropped when none do, so the map stays as small as the work.
type hostSlots struct {
	ch    chan struct{}
	users int
}

func newLimiter(global, perHost int) *limiter {
	return &limiter{global: make(chan struct{}, global), perHost: perHost, hosts: map[string]*hostSlots{}}
}

// acquire waits for a slot of host and a global slot. releaseHost gives the
// host's slot back (call it when the request is done); releaseAll gives back
// what is still held (call it when the work on the answer is done too). Both
// may be called in any order and more than once.
func (l *limiter) acquire(ctx context.Context, host string) (releaseHost, releaseAll func(), err error) {
	l.mu.Lock()
	h := l.hosts[host]
	if h == nil {
		h = &hostSlots{ch: make(chan struct{}, l.perHost)}
		l.hosts[host] = h
	}
	h.users++
	l.mu.Unlock()
	leave := func() {
		l.mu.Lock()
		if h.users--; h.users == 0 {
			delete(l.hosts, host)
		}
		l.mu.Unlock()
	}
	select {
	case h.ch <- struct{}{}:
	case <-ctx.Done():
		leave()
		return nil, nil, ctx.Err()
	}
	var hostOnce sync.Once
	releaseHost = func() { hostOnce.Do(func() { <-h.ch; leave() }) }
	select {
	case l.global <- struct{}{}:
	case <-ctx.Done():
		releaseHost()
		return nil, nil, ctx.Err()
	}
	var globalOnce sync.Once
	releaseAll = func() {
		releaseHost()
		globalOnce.Do(func() { <-l.global })
	}
	return releaseHost, releaseAll, nil
}
