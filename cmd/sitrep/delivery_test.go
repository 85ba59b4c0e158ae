package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/bot"
)

// switchLease is a Lease this test hands out and takes back.
type switchLease struct{ held atomic.Bool }

func (l *switchLease) Acquire(context.Context, time.Duration) (bool, error) {
	return l.held.Load(), nil
}
func (l *switchLease) Renew(context.Context, time.Duration) (bool, error) { return l.held.Load(), nil }
func (l *switchLease) Release(context.Context) error                      { return nil }

type noSource struct{}

func (noSource) Collect(context.Context) (bot.Collection, error) { return bot.Collection{}, nil }

// TestWhileLeader: long polling runs while the instance leads, stops when it
// loses the lease and starts again when it regains it.
func TestWhileLeader(t *testing.T) {
	store, err := boltstore.Open(filepath.Join(t.TempDir(), "sitrep.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	lease := &switchLease{}
	b := bot.New(store, noSource{}, bot.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Delivery: bot.DeliveryOptions{Lease: lease, LeaseTTL: 200 * time.Millisecond}})
	ctx, cancel := context.WithCancel(context.Background())
	runDone := make(chan struct{})
	go func() { defer close(runDone); b.Run(ctx) }()
	var running, starts atomic.Int32
	pollDone := make(chan error, 1)
	go func() {
		pollDone <- whileLeader(ctx, b, func(ctx context.Context) error {
			starts.Add(1)
			running.Store(1)
			<-ctx.Done()
			running.Store(0)
			return nil
		})
	}()
	waitUntil := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 5s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if running.Load() != 0 {
		t.Fatal("polling runs on a follower")
	}
	lease.held.Store(true)
	waitUntil("polling starts on the leader", func() bool { return running.Load() == 1 })
	lease.held.Store(false)
	waitUntil("polling stops when leadership is lost", func() bool { return running.Load() == 0 })
	lease.held.Store(true)
	waitUntil("polling starts again", func() bool { return starts.Load() == 2 && running.Load() == 1 })
	cancel()
	if err := <-pollDone; err != nil {
		t.Errorf("whileLeader = %v", err)
	}
	<-runDone
}
