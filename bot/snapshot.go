package bot

import (
	"context"
	"errors"
	"time"
)

// Followers (instances that do not lead) run no engine: the leader stores,
// after every poll, each development that changed (with its timeline, for
// /story) and a snapshot of the top developments of the last 24 hours (for
// /latest), and followers read them. Development ids are the leader's, so a
// /story id from any instance's digest resolves on every instance.

// publishSnapshot stores the developments changed since the last poll and
// the snapshot of the top ones.
func (b *Bot) publishSnapshot(ctx context.Context) error {
	now := b.now()
	b.mu.Lock()
	latest := b.engine.Digest(now, now.Add(-24*time.Hour), 3*b.opts.MaxItems)
	since := b.lastStored
	if since.IsZero() {
		since = now.Add(-b.opts.Engine.Window)
	}
	changed := b.updatedLocked(now, since)
	b.lastStored = now
	b.mu.Unlock()
	if len(changed) > 0 {
		if err := b.store.PutDevelopments(ctx, changed, b.opts.Engine.Window); err != nil {
			return err
		}
	}
	return b.store.PutLatest(ctx, latest)
}

// refreshSnapshot reads the leader's snapshot, on a follower.
func (b *Bot) refreshSnapshot(ctx context.Context) error {
	d, err := b.store.GetLatest(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	b.mu.Lock()
	b.snapshot = &d
	b.mu.Unlock()
	return nil
}
