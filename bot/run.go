package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// tickEvery is how often due digests are looked for.
const tickEvery = 20 * time.Second

// Run restores the engine, then polls the sources every PollInterval and
// delivers due digests until ctx ends. It returns once every job it started
// has returned.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.Restore(ctx); err != nil {
		return err
	}
	var pollMu sync.Mutex // one poll at a time, from the first poll or cron
	poll := func() {
		if !pollMu.TryLock() {
			return
		}
		defer pollMu.Unlock()
		b.runJob(ctx, "poll", b.opts.PollInterval, b.Poll)
	}
	c := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(cronLogger{b.log}))
	if _, err := c.AddFunc("@every "+b.opts.PollInterval.String(), poll); err != nil {
		return err
	}
	if _, err := c.AddFunc("@every "+tickEvery.String(), func() { b.runJob(ctx, "tick", time.Minute, b.Tick) }); err != nil {
		return err
	}
	c.Start()
	poll()
	<-ctx.Done()
	<-c.Stop().Done() // running jobs see ctx end and return
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
