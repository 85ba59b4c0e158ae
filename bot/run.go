package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// housekeepingEvery is how often Run updates the outbox gauges and, on a
// follower, the leader's snapshot.
const housekeepingEvery = 15 * time.Second

// Run runs the bot until ctx ends. Every instance delivers outbox jobs with
// Workers senders; the leader (always, without a Lease) also polls the
// sources at once and then every PollInterval, restores its engine from the
// store when it becomes the leader, looks for due digests every TickEvery
// and sends alerts. An instance that becomes the leader later (another held
// the lease, or died) polls at once too. It returns once every goroutine
// and job it started has returned; the deliveries it had claimed and not
// sent are back in the outbox, for another instance or another run.
func (b *Bot) Run(ctx context.Context) error {
	if b.opts.Delivery.Lease == nil {
		if err := b.ensureEngine(ctx); err != nil {
			return err
		}
	}
	var wg sync.WaitGroup
	if b.opts.Delivery.Lease != nil {
		wg.Go(func() { b.campaign(ctx) })
	}
	wg.Go(func() { b.consume(ctx) })
	c := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(cronLogger{b.log}))
	poll := b.leaderJob(ctx, "poll", b.opts.PollInterval, b.Poll)
	jobs := []struct {
		every time.Duration
		run   func()
	}{
		{b.opts.PollInterval, poll},
		{b.opts.Delivery.TickEvery, b.leaderJob(ctx, "schedule", time.Minute, b.schedule)},
		{housekeepingEvery, func() { b.runJob(ctx, "housekeeping", time.Minute, b.housekeeping) }},
	}
	for _, j := range jobs {
		if _, err := c.AddFunc("@every "+j.every.String(), j.run); err != nil {
			wg.Wait()
			return err
		}
	}
	c.Start()
	b.runJob(ctx, "housekeeping", time.Minute, b.housekeeping)
	if b.opts.Delivery.Lease == nil {
		poll()
	} else {
		wg.Go(func() { b.pollWhenLeading(ctx, poll) })
	}
	<-ctx.Done()
	<-c.Stop().Done() // running jobs see ctx end and return
	wg.Wait()
	return nil
}

// leaderJob returns a cron job that runs job only on the leader, with its
// engine restored, and never twice at once.
func (b *Bot) leaderJob(ctx context.Context, name string, timeout time.Duration, job func(context.Context) error) func() {
	var mu sync.Mutex
	return func() {
		if !b.IsLeader() || !mu.TryLock() {
			return
		}
		defer mu.Unlock()
		b.runJob(ctx, name, timeout, func(ctx context.Context) error {
			if err := b.ensureEngine(ctx); err != nil {
				return err
			}
			return job(ctx)
		})
	}
}

// pollWhenLeading polls each time this instance becomes the leader, until ctx ends.
func (b *Bot) pollWhenLeading(ctx context.Context, poll func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.gained:
			poll()
		}
	}
}

// housekeeping keeps the outbox gauges current, lets the leader's engine
// forget what left its window while no articles arrive, and keeps a
// follower's snapshot fresh.
func (b *Bot) housekeeping(ctx context.Context) error {
	if err := b.updateGauges(ctx); err != nil {
		return err
	}
	if !b.IsLeader() {
		return b.refreshSnapshot(ctx)
	}
	b.mu.Lock()
	b.expireLocked(b.now())
	b.mu.Unlock()
	return nil
}

// runJob runs one job with a deadline, logging its failure.
func (b *Bot) runJob(ctx context.Context, name string, timeout time.Duration, job func(context.Context) error) {
	if ctx.Err() != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	if err := job(ctx); err != nil && ctx.Err() == nil {
		b.log.Error(name+" failed", "error", err)
		return
	}
	b.log.Debug(name+" done", "duration", time.Since(start))
}

// cronLogger sends cron's own messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "error", err)...)
}
