package bot

import (
	"context"
	"log/slog"
)

// sentJob is a claimed job whose messages the platform took: it is to leave
// the outbox with its delivery recorded.
type sentJob struct {
	job Job
	rec DeliveryRecord
}

// completer completes a sent job in the outbox.
type completer func(ctx context.Context, s sentJob)

// maxAckBatch bounds the jobs completed in one step.
const maxAckBatch = 256

// acker completes the jobs the senders sent, so that a sender goes on to its
// next job instead of waiting for the outbox: what the senders hand it
// while it completes one batch is the next batch, completed in one step
// where the store can (BatchAcker). A sent job is leased until it is
// completed, as before: a crash in between sends it again once the lease
// runs out, as a crash between a send and its completion always did.
type acker struct {
	b *Bot
	c chan sentJob
}

func newAcker(b *Bot, queue int) *acker { return &acker{b: b, c: make(chan sentJob, queue)} }

// complete hands s to the acker; it blocks while the acker's queue is full.
func (a *acker) complete(_ context.Context, s sentJob) { a.c <- s }

// close ends run once everything handed over is completed.
func (a *acker) close() { close(a.c) }

// run completes what is handed over until close. Completions run even after
// ctx ended (within settleTimeout): a send that happened must be recorded.
func (a *acker) run(ctx context.Context) {
	for s := range a.c {
		batch := []sentJob{s}
	more:
		for len(batch) < maxAckBatch {
			select {
			case s, ok := <-a.c:
				if !ok {
					break more
				}
				batch = append(batch, s)
			default:
				break more
			}
		}
		a.b.completed(ctx, batch)
	}
}

// completeNow completes s before it returns.
func (b *Bot) completeNow(ctx context.Context, s sentJob) { b.completed(ctx, []sentJob{s}) }

// completed takes sent jobs out of the outbox with their delivery records,
// in one step when the store can, and counts them.
func (b *Bot) completed(ctx context.Context, batch []sentJob) {
	done := make([]bool, len(batch))
	if ba, ok := b.store.(BatchAcker); ok && len(batch) > 1 {
		cs := make([]Completion, len(batch))
		for i, s := range batch {
			cs[i] = Completion{Job: s.job, Rec: &s.rec}
		}
		if b.settle(ctx, b.log.With("jobs", len(batch)), "complete", func(ctx context.Context) error {
			return ba.AckAll(ctx, cs, deliveryTTL)
		}) {
			for i := range done {
				done[i] = true
			}
		}
	} else {
		for i, s := range batch {
			done[i] = b.settle(ctx, jobLog(b.log, s.job), "complete", func(ctx context.Context) error {
				return b.store.Ack(ctx, s.job, &s.rec, deliveryTTL)
			})
		}
	}
	debug := b.log.Enabled(ctx, slog.LevelDebug)
	for i, s := range batch {
		if !done[i] {
			continue
		}
		platform := s.job.Key().Platform
		b.metrics.Deliveries.WithLabelValues(platform, "sent").Inc()
		b.metrics.DeliveryLag.WithLabelValues(platform).Observe(max(0, b.now().Sub(s.job.Due).Seconds()))
		if debug {
			jobLog(b.log, s.job).Debug("delivered", "messages", len(s.rec.MessageIDs))
		}
	}
}

// jobLog is log with a job's delivery key.
func jobLog(log *slog.Logger, j Job) *slog.Logger {
	key := j.Key()
	return log.With("platform", key.Platform, "chat_id", key.ChatID, "digest_id", key.DigestID)
}
