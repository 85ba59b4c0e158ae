package bot

import (
	"context"
	"time"
)

// IsLeader reports whether this instance leads: it polls the sources, runs
// the engine, schedules digests and sends alerts. Every instance delivers.
// Without a Lease (the embedded store) the process always leads. A leader
// that cannot renew its lease stops leading when the lease would run out,
// before another instance can take it over.
func (b *Bot) IsLeader() bool {
	return b.leading.Load() && time.Now().UnixNano() < b.leadUntil.Load()
}

// campaign holds or seeks the lease until ctx ends, then releases it. The
// lock lives three quarters of LeaseTTL; the leader renews it, and followers
// try to take it, every quarter: a dead leader's work passes to another
// instance within LeaseTTL, and a leader survives two failed renewals.
func (b *Bot) campaign(ctx context.Context) {
	d := b.opts.Delivery
	every := d.LeaseTTL / 4
	for {
		b.leaseRound(ctx)
		if err := sleepUntil(ctx, time.Now().Add(every), time.Now().Add(every)); err != nil {
			break
		}
	}
	if b.leading.Load() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
		defer cancel()
		b.setLeader(false, 0)
		if err := d.Lease.Release(ctx); err != nil {
			b.log.Warn("releasing the lease failed", "error", err)
		}
	}
}

// leaseRound renews or acquires the lease once.
func (b *Bot) leaseRound(ctx context.Context) {
	d := b.opts.Delivery
	start, ttl := time.Now(), d.LeaseTTL*3/4
	rctx, cancel := context.WithTimeout(ctx, d.LeaseTTL/4)
	defer cancel()
	var ok bool
	var err error
	if b.leading.Load() {
		ok, err = d.Lease.Renew(rctx, ttl)
	} else {
		ok, err = d.Lease.Acquire(rctx, ttl)
	}
	switch {
	case err != nil:
		if ctx.Err() == nil {
			b.log.Warn("lease round failed", "leader", b.leading.Load(), "error", err)
		}
		if !b.IsLeader() && b.leading.Load() { // the lease ran out while Redis was away
			b.setLeader(false, 0)
		}
	case ok:
		b.setLeader(true, start.Add(ttl).UnixNano())
	case b.leading.Load():
		b.setLeader(false, 0)
	}
}

// setLeader records a change of leadership and tells OnLeader.
func (b *Bot) setLeader(leader bool, until int64) {
	b.leadUntil.Store(until)
	if b.leading.Swap(leader) == leader {
		return
	}
	if !leader {
		b.restoredAt.Store(0)
	} else {
		select { // Run polls at once
		case b.gained <- struct{}{}:
		default:
		}
	}
	b.log.Info("leadership changed", "leader", leader, "consumer", b.opts.Delivery.Consumer)
	if b.opts.Delivery.OnLeader != nil {
		b.opts.Delivery.OnLeader(leader)
	}
}

// ensureEngine restores the engine from the store once after this instance
// became the leader: what the last leader ingested is in the store.
func (b *Bot) ensureEngine(ctx context.Context) error {
	if b.restoredAt.Load() != 0 {
		return nil
	}
	if err := b.Restore(ctx); err != nil {
		return err
	}
	b.restoredAt.Store(time.Now().UnixNano())
	return nil
}
