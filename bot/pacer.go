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

// wait blocks until the first of n messages to chatID may go out, or
// returns *errWaitTooLong when that is more than maxWait away, or ctx's
// error. The chat's buckets give n tokens at once (the n messages, the parts
// of a long digest, count against the chat together); the platform-wide
// ones give one, and each further message takes its own when it is sent
// (see NextPart, which the returned partPacer serves): a message's slot is
// taken when it leaves, not one answer earlier, so the platform never sees
// a delivery's later messages bunched onto other senders' slots. A reply
// also takes tokens of the replies' share, so that commands never use more
// than that share of the platform's rate.
func (p *pacer) wait(ctx context.Context, platform, chatID string, kind ChatKind, reply bool, n int, maxWait time.Duration) (*partPacer, error) {
	deadline := time.Now().Add(maxWait)
	n = max(n, 1)
	l := p.limits[platform]
	if err := p.take(ctx, chatKey(platform, chatID), l.Chat, n, deadline); err != nil {
		return nil, err
	}
	if kind != ChatPrivate {
		if err := p.take(ctx, groupKey(platform, chatID), l.Group, n, deadline); err != nil {
			return nil, err
		}
	}
	ps := &partPacer{deadline: deadline}
	if reply && !l.Global.IsZero() && p.replyShare > 0 {
		share := l.Global
		share.Rate = max(1, int(float64(share.Rate)*p.replyShare))
		ps.gates = append(ps.gates, p.gate(replyKey(platform), share))
	}
	if !l.Global.IsZero() {
		ps.gates = append(ps.gates, p.gate(globalKey(platform), l.Global))
	}
	return ps, ps.take(ctx, false)
}

// partPacer paces the messages of one delivery on the platform-wide buckets.
type partPacer struct {
	gates    []*gate
	deadline time.Time
}

// take waits for one token of every platform-wide bucket; a further
// message of a delivery under way goes first in each queue.
func (ps *partPacer) take(ctx context.Context, further bool) error {
	for _, g := range ps.gates {
		if err := g.take(ctx, 1, ps.deadline, further); err != nil {
			return err
		}
	}
	return nil
}

type partsKey struct{}

// withParts returns ctx carrying ps for NextPart.
func withParts(ctx context.Context, ps *partPacer) context.Context {
	return context.WithValue(ctx, partsKey{}, ps)
}

// NextPart waits until the next message of a delivery under way may be
// sent: a MultiPart Messenger calls it with Send's context before every
// message of a delivery but the first. It returns an error when the message
// cannot go out in time (send it later: the delivery is retried), or ctx's.
// Outside a delivery of the bot's it returns nil at once.
func NextPart(ctx context.Context) error {
	if ps, ok := ctx.Value(partsKey{}).(*partPacer); ok {
		return ps.take(ctx, true)
	}
	return nil
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
