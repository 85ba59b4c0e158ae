package bot

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// PlatformLimits are one platform's send limits. A zero Limit is no limit.
type PlatformLimits struct {
	Global Limit // every message the bot sends on the platform
	Chat   Limit // messages to one chat
	Group  Limit // also, messages to one group or channel (Telegram: 20 a minute)
}

// DefaultLimits follow the platforms' documented limits: Telegram 30
// messages a second overall, one a second per chat and 20 a minute per
// group; Discord 5 per 5 seconds per channel (sent one a second, so no
// 5-second window ever holds more than 5) and 45 of its 50 requests a
// second overall. Those 5 are left for requests the limiter does not see
// (command registration, the gateway's lookups) and for timing: sends that
// leave on time can arrive bunched, and at exactly 50 a second Discord
// counts a 51st in some second now and then.
func DefaultLimits() map[string]PlatformLimits {
	return map[string]PlatformLimits{
		Telegram: {Global: Limit{30, time.Second, 1}, Chat: Limit{1, time.Second, 1}, Group: Limit{20, time.Minute, 1}},
		Discord:  {Global: Limit{45, time.Second, 1}, Chat: Limit{5, 5 * time.Second, 1}},
	}
}

// errWaitTooLong says a send would have to wait longer than the caller allows.
type errWaitTooLong struct{ wait time.Duration }

func (e *errWaitTooLong) Error() string { return fmt.Sprintf("rate limit: next slot in %s", e.wait) }

// pacer makes every send wait for its chat's and its platform's tokens. The
// platform-wide buckets are taken through one gate per bucket and instance,
// which asks the shared limiter for as many tokens as there are waiters.
type pacer struct {
	lim        RateLimiter
	limits     map[string]PlatformLimits
	replyShare float64

	mu    sync.Mutex // guards gates
	gates map[string]*gate
}

func newPacer(lim RateLimiter, limits map[string]PlatformLimits, replyShare float64) *pacer {
	return &pacer{lim: lim, limits: limits, replyShare: replyShare, gates: map[string]*gate{}}
}

func globalKey(platform string) string       { return platform + ":global" }
func replyKey(platform string) string        { return platform + ":replies" }
func chatKey(platform, chatID string) string { return platform + ":chat:" + chatID }
func groupKey(platform, chatID string) string {
	return platform + ":group:" + chatID
}

// wait blocks until n messages to chatID may go out (n tokens of each
// bucket), or returns *errWaitTooLong when that is more than maxWait away,
// or ctx's error. A reply also takes tokens of the replies' share, so that
// commands never use more than that share of the platform's rate. The n
// tokens of a shared bucket are handed out together, so the n messages
// (the parts of a long digest) leave together too.
func (p *pacer) wait(ctx context.Context, platform, chatID string, kind ChatKind, reply bool, n int, maxWait time.Duration) error {
	deadline := time.Now().Add(maxWait)
	n = max(n, 1)
	l := p.limits[platform]
	if err := p.take(ctx, chatKey(platform, chatID), l.Chat, n, deadline); err != nil {
		return err
	}
	if kind != ChatPrivate {
		if err := p.take(ctx, groupKey(platform, chatID), l.Group, n, deadline); err != nil {
			return err
		}
	}
	if reply && !l.Global.IsZero() && p.replyShare > 0 {
		share := l.Global
		share.Rate = max(1, int(float64(share.Rate)*p.replyShare))
		if err := p.gate(replyKey(platform), share).take(ctx, n, deadline); err != nil {
			return err
		}
	}
	if l.Global.IsZero() {
		return nil
	}
	return p.gate(globalKey(platform), l.Global).take(ctx, n, deadline)
}

// take waits for n tokens of a per-chat bucket.
func (p *pacer) take(ctx context.Context, key string, l Limit, n int, deadline time.Time) error {
	if l.IsZero() {
		return nil
	}
	for n > 0 {
		got, retry, err := p.lim.Take(ctx, key, l, n)
		if err != nil {
			return err
		}
		if n -= got; n == 0 {
			return nil
		}
		if got == 0 {
			if err := sleepUntil(ctx, time.Now().Add(retry), deadline); err != nil {
				return err
			}
		}
	}
	return nil
}

// pause stops a chat, or the whole platform, for d after a 429.
func (p *pacer) pause(ctx context.Context, platform, chatID string, global bool, d time.Duration) error {
	l := p.limits[platform]
	if global {
		p.gate(globalKey(platform), l.Global).hold(d)
		return p.lim.Pause(ctx, globalKey(platform), l.Global, d)
	}
	return p.lim.Pause(ctx, chatKey(platform, chatID), l.Chat, d)
}

func (p *pacer) gate(key string, l Limit) *gate {
	p.mu.Lock()
	defer p.mu.Unlock()
	g := p.gates[key]
	if g == nil {
		g = newGate(key, l, p.lim)
		p.gates[key] = g
	}
	return g
}

// sleepUntil sleeps until t, or returns *errWaitTooLong at once when t is
// after deadline, or ctx's error when it ends first.
func sleepUntil(ctx context.Context, t, deadline time.Time) error {
	if t.After(deadline) {
		return &errWaitTooLong{wait: time.Until(t)}
	}
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
