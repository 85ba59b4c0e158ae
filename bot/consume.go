package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// settleTimeout bounds recording a job's outcome after a send, which runs
// even when shutdown began meanwhile: a send that happened must be recorded.
const settleTimeout = 5 * time.Second

// drain delivers every job that is ready now, Workers at a time, and returns
// when none is left (jobs waiting for a retry are not ready).
func (b *Bot) drain(ctx context.Context) error {
	d := b.opts.Delivery
	for ctx.Err() == nil {
		jobs, err := b.store.Claim(ctx, d.Consumer, b.now(), 2*d.Workers, d.JobLease)
		if err != nil {
			return err
		}
		if len(jobs) == 0 {
			return nil
		}
		sem := make(chan struct{}, d.Workers)
		var wg sync.WaitGroup
		for _, j := range jobs {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				b.process(ctx, j, b.completeNow)
			})
		}
		wg.Wait()
	}
	return ctx.Err()
}

// consume delivers jobs as they become ready until ctx ends: one claimer
// feeds Workers senders, claiming the next batch while the senders still
// have a batch's worth queued, and one acker records what they sent (see
// acker). Jobs claimed but not started when ctx ends are handed back to the
// outbox, ready at once for another instance or for this one restarted.
func (b *Bot) consume(ctx context.Context) {
	d := b.opts.Delivery
	jobs := make(chan Job, d.Workers)
	acks := newAcker(b, d.Workers)
	var wg, ackWG sync.WaitGroup
	ackWG.Go(func() { acks.run(ctx) })
	for range d.Workers {
		wg.Go(func() {
			for j := range jobs {
				b.process(ctx, j, acks.complete)
			}
		})
	}
	defer func() { close(jobs); wg.Wait(); acks.close(); ackWG.Wait() }()
	idle := 100 * time.Millisecond
	for ctx.Err() == nil {
		batch, err := b.store.Claim(ctx, d.Consumer, b.now(), 2*d.Workers, d.JobLease)
		if err != nil && ctx.Err() == nil {
			b.log.Error("claim failed", "error", err)
		}
		if len(batch) == 0 {
			sleepUntil(ctx, time.Now().Add(idle), time.Now().Add(idle))
			continue
		}
		for i, j := range batch {
			select {
			case jobs <- j:
			case <-ctx.Done():
				b.release(ctx, append(batch[i:], queued(jobs)...)...)
				return
			}
		}
	}
	b.release(ctx, queued(jobs)...)
}

// queued takes the jobs waiting in c without blocking.
func queued(c chan Job) []Job {
	var out []Job
	for {
		select {
		case j := <-c:
			out = append(out, j)
		default:
			return out
		}
	}
}

// process delivers one claimed job and settles it in the outbox: completed
// (with its delivery record), retried later, or buried as a dead letter.
func (b *Bot) process(ctx context.Context, j Job, complete completer) {
	key := j.Key()
	log := b.log.With("platform", key.Platform, "chat_id", key.ChatID, "digest_id", key.DigestID)
	ms, ok := b.messengers[key.Platform]
	if !ok {
		b.fail(ctx, log, j, fmt.Errorf("no messenger for platform %q", key.Platform))
		return
	}
	if ctx.Err() != nil { // stopping: no new send starts
		b.release(ctx, j)
		return
	}
	d := b.opts.Delivery
	pp, err := b.pacer.wait(ctx, key.Platform, j.Message.ChatID, j.ChatKind, false, parts(ms, j.Message), d.JobLease/2)
	var tooLong *errWaitTooLong
	switch {
	case errors.As(err, &tooLong): // hand the job back rather than hold it past its lease
		b.settle(ctx, log, "retry", func(ctx context.Context) error { return b.store.Retry(ctx, j, b.now().Add(tooLong.wait)) })
		return
	case ctx.Err() != nil:
		b.release(ctx, j)
		return
	case err != nil: // the limiter's store is away: try again shortly, as the same attempt
		log.Warn("rate limiter failed; delivery postponed", "error", err)
		b.settle(ctx, log, "retry", func(ctx context.Context) error { return b.store.Retry(ctx, j, b.now().Add(d.BackoffBase)) })
		return
	}
	// A send under way when shutdown begins may finish: what the platform
	// got is then recorded, and nothing is sent twice. It may not outlive
	// the job's lease, after which another instance may send the job.
	sctx, cancel := afterGrace(ctx, min(sendGrace, d.JobLease/4))
	defer cancel()
	sent, err := b.send(withParts(sctx, pp), ms, &j)
	b.settleSend(ctx, log, j, sent, err, complete)
}

// sendGrace is how long a send under way may take once shutdown began.
const sendGrace = 3 * time.Second

// afterGrace returns a context that ends grace after ctx ends, or when
// cancel is called.
func afterGrace(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	gctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(grace, cancel) })
	return gctx, func() { stop(); cancel() }
}

// release hands claimed jobs that were not sent back to the outbox, ready
// now and with their attempts unchanged: stopping does not keep them
// waiting until their lease runs out. It takes settleTimeout at most, for
// all of them: the jobs it could not hand back stay leased.
func (b *Bot) release(ctx context.Context, jobs ...Job) {
	b.settle(ctx, b.log, "release", func(ctx context.Context) error {
		for _, j := range jobs {
			if err := b.store.Retry(ctx, j, b.now()); err != nil {
				return fmt.Errorf("%s: %w", j.Key(), err)
			}
		}
		return nil
	})
}

// send sends or edits j's message. A migrated chat moves its subscription
// and j is sent again to the new chat id.
func (b *Bot) send(ctx context.Context, ms Messenger, j *Job) (Sent, error) {
	if j.EditOf != "" {
		return b.edit(ctx, ms, *j)
	}
	sent, err := ms.Send(ctx, j.Message)
	var migrated *ChatMigratedError
	if errors.As(err, &migrated) {
		b.log.Info("chat migrated", "platform", j.Key().Platform, "chat_id", j.Message.ChatID, "new_chat_id", migrated.NewChatID)
		if err := b.moveSubscription(ctx, j.Key().Platform, j.Message.ChatID, migrated.NewChatID); err != nil {
			return Sent{}, err
		}
		j.Message.ChatID, j.Message.Key.ChatID = migrated.NewChatID, migrated.NewChatID
		return ms.Send(ctx, j.Message)
	}
	return sent, err
}

// edit replaces the messages of the delivery j.EditOf with j's message.
func (b *Bot) edit(ctx context.Context, ms Messenger, j Job) (Sent, error) {
	orig := j.Key()
	orig.DigestID = j.EditOf
	rec, err := b.store.GetDelivery(ctx, orig)
	if errors.Is(err, ErrNotFound) {
		if sub, err := b.store.GetSubscription(ctx, orig.Platform, orig.ChatID); err != nil || !sub.Active {
			return Sent{}, errNothingToEdit
		}
		return Sent{}, fmt.Errorf("%w: the alert is not delivered yet", ErrTemporary)
	} else if err != nil {
		return Sent{}, err
	}
	prev := Sent{MessageIDs: rec.MessageIDs}
	return prev, ms.Edit(ctx, prev, j.Message)
}

// errNothingToEdit: the message to edit was never sent (its chat is gone).
var errNothingToEdit = errors.New("nothing to edit")

// settleSend records what became of a send.
func (b *Bot) settleSend(ctx context.Context, log *slog.Logger, j Job, sent Sent, err error, complete completer) {
	platform := j.Key().Platform
	var limited *RateLimitError
	var tooLong *errWaitTooLong
	switch {
	case err == nil:
		complete(ctx, sentJob{job: j, rec: DeliveryRecord{Key: j.Message.Key, MessageIDs: sent.MessageIDs, SentAt: b.now()}})
	case errors.Is(err, ErrChatGone), errors.Is(err, errNothingToEdit):
		log.Warn("chat gone; subscription deactivated", "error", err)
		b.metrics.Deliveries.WithLabelValues(platform, "failed").Inc()
		if err := b.deactivate(ctx, platform, j.Message.ChatID, err.Error()); err != nil {
			log.Error("deactivate failed", "error", err)
		}
		b.settle(ctx, log, "complete", func(ctx context.Context) error { return b.store.Ack(ctx, j, nil, 0) })
	case errors.As(err, &limited):
		b.metrics.RateLimited.WithLabelValues(platform).Inc()
		b.metrics.Deliveries.WithLabelValues(platform, "retried").Inc()
		wait := max(limited.RetryAfter, time.Second)
		log.Warn("rate limited by the platform", "retry_after", wait, "global", limited.Global)
		if err := b.pacer.pause(ctx, platform, j.Message.ChatID, limited.Global, wait); err != nil {
			log.Error("pause failed", "error", err)
		}
		b.settle(ctx, log, "retry", func(ctx context.Context) error { return b.store.Retry(ctx, j, b.now().Add(wait)) })
	case errors.As(err, &tooLong): // a further message had no slot in time: the rest goes later
		log.Info("delivery cut short by the rate limit; the rest will follow", "retry_in", tooLong.wait, "messages", len(sent.MessageIDs))
		b.settle(ctx, log, "retry", func(ctx context.Context) error { return b.store.Retry(ctx, j, b.now().Add(tooLong.wait)) })
	case ctx.Err() != nil:
		// Shutting down, and the send did not finish within its grace: whether
		// the platform got it is unknown, so the job stays leased and is
		// claimed again when the lease runs out.
	default:
		b.fail(ctx, log, j, err)
	}
}

// fail counts a failed attempt: the job is retried after a capped
// exponential backoff, or buried once it failed MaxAttempts times.
func (b *Bot) fail(ctx context.Context, log *slog.Logger, j Job, err error) {
	platform := j.Key().Platform
	d := b.opts.Delivery
	j.Attempts++
	j.LastError, j.Failed = err.Error(), b.now()
	b.metrics.Deliveries.WithLabelValues(platform, "failed").Inc()
	if j.Attempts >= d.MaxAttempts {
		log.Error("delivery failed too often; parked as a dead letter", "attempts", j.Attempts, "error", err)
		if b.settle(ctx, log, "bury", func(ctx context.Context) error { return b.store.Bury(ctx, j) }) {
			b.metrics.Deliveries.WithLabelValues(platform, "dead").Inc()
		}
		return
	}
	wait := backoff(d.BackoffBase, d.BackoffMax, j.Attempts)
	var limited *RateLimitError
	if errors.As(err, &limited) && limited.RetryAfter > wait {
		wait = limited.RetryAfter
	}
	log.Warn("delivery failed; will retry", "attempts", j.Attempts, "retry_in", wait, "error", err)
	if b.settle(ctx, log, "retry", func(ctx context.Context) error { return b.store.Retry(ctx, j, b.now().Add(wait)) }) {
		b.metrics.Deliveries.WithLabelValues(platform, "retried").Inc()
	}
}

// backoff is base·2^(attempts-1), at most maxWait.
func backoff(base, maxWait time.Duration, attempts int) time.Duration {
	d := base
	for i := 1; i < attempts && d < maxWait; i++ {
		d *= 2
	}
	return min(d, maxWait)
}

// settle runs one outbox update, even if ctx ended (within settleTimeout),
// and reports whether it succeeded.
func (b *Bot) settle(ctx context.Context, log *slog.Logger, op string, fn func(context.Context) error) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	if err := fn(ctx); err != nil {
		log.Error("outbox "+op+" failed", "error", err)
		return false
	}
	return true
}

// updateGauges sets the outbox gauges from the store.
func (b *Bot) updateGauges(ctx context.Context) error {
	st, err := b.store.OutboxStats(ctx)
	if err != nil {
		return err
	}
	b.metrics.OutboxDepth.Set(float64(st.Pending))
	b.metrics.DeadLetters.Set(float64(st.Dead))
	return nil
}
