package telegram

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/sitrepbot/sitrep/bot"
)

const (
	// allowedUpdates are the update kinds sitrep asks for.
	allowedUpdates = `["message","channel_post","my_chat_member"]`
	// maxReplyWait is the longest flood wait a command's reply waits out, once.
	maxReplyWait = 15 * time.Second
	// maxConcurrent bounds the chats whose commands are handled at once.
	maxConcurrent = 16
	// maxBackoff caps the wait between failed getUpdates calls.
	maxBackoff = 30 * time.Second
)

// Listen receives updates by long polling
// (https://core.telegram.org/bots/api#getupdates) and answers their commands
// through h until ctx ends, then returns nil. It first removes any webhook,
// since the two exclude each other. An update is confirmed (by the next
// call's offset) once its command was handled, so a crash redelivers it.
//
// Failures are retried: a 429 after its retry_after, others after 1s, 2s,
// 4s… up to 30s. A 409 (another poller with this token, or a webhook set
// meanwhile) is logged as an error wrapping ErrConflict, which says so, and
// retried. Only a rejected token ends Listen early, with ErrUnauthorized.
//
// Only one process may poll a token: with several instances, run Listen on
// the leader only, or use a webhook.
func (c *Client) Listen(ctx context.Context, h Handler) error {
	if err := c.DeleteWebhook(ctx); err != nil && ctx.Err() == nil {
		c.log.Warn("telegram: could not remove the webhook before polling", "error", err)
	}
	var offset int64
	failures := 0
	for ctx.Err() == nil {
		updates, err := c.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if errors.Is(err, ErrUnauthorized) {
				return err
			}
			failures++
			wait, level := retryDelay(err, failures), slog.LevelWarn
			if errors.Is(err, ErrConflict) {
				level = slog.LevelError
			}
			c.log.Log(ctx, level, "telegram: getUpdates failed", "error", err, "retry_in", wait, "failures", failures)
			if c.sleep(ctx, wait) != nil {
				break
			}
			continue
		}
		failures = 0
		if len(updates) > 0 {
			offset = updates[len(updates)-1].UpdateID + 1
		}
		c.handleBatch(ctx, h, updates)
	}
	return nil
}

// retryDelay is how long to wait after the n-th failure in a row.
func retryDelay(err error, n int) time.Duration {
	var rl *bot.RateLimitError
	if errors.As(err, &rl) {
		return rl.RetryAfter
	}
	d := min(time.Second<<min(n-1, 6), maxBackoff)
	if errors.Is(err, ErrConflict) {
		d = max(d, 5*time.Second)
	}
	return d
}

// getUpdates long-polls for updates after offset.
func (c *Client) getUpdates(ctx context.Context, offset int64) ([]update, error) {
	params := tgbotapi.Params{"timeout": strconv.Itoa(max(1, int(c.opts.PollTimeout/time.Second))),
		"allowed_updates": allowedUpdates}
	if offset != 0 {
		params["offset"] = strconv.FormatInt(offset, 10)
	}
	var updates []update
	err := c.call(ctx, "getUpdates", params, c.opts.PollTimeout+10*time.Second, &updates)
	return updates, err
}

// DeleteWebhook removes the webhook, keeping pending updates
// (https://core.telegram.org/bots/api#deletewebhook).
func (c *Client) DeleteWebhook(ctx context.Context) error {
	return c.call(ctx, "deleteWebhook", tgbotapi.Params{}, c.opts.RequestTimeout, nil)
}

// handleBatch handles updates: one chat's in order, different chats' at
// once, and returns when all are handled.
func (c *Client) handleBatch(ctx context.Context, h Handler, updates []update) {
	byChat := map[int64][]update{}
	var order []int64
	for _, u := range updates {
		id := chatOf(u)
		if _, ok := byChat[id]; !ok {
			order = append(order, id)
		}
		byChat[id] = append(byChat[id], u)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxConcurrent)
	for _, id := range order {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			for _, u := range byChat[id] {
				c.handle(ctx, h, u)
			}
		})
	}
	wg.Wait()
}

func chatOf(u update) int64 {
	for _, m := range []*message{u.Message, u.ChannelPost} {
		if m != nil && m.Chat != nil {
			return m.Chat.ID
		}
	}
	if u.MyChatMember != nil {
		return u.MyChatMember.Chat.ID
	}
	return 0
}

// handle answers the command an update carries, if any, or passes on the
// chat event it carries. A reply refused for flooding waits out a short
// retry_after once; a reply that still fails is logged.
func (c *Client) handle(ctx context.Context, h Handler, u update) {
	if ev, ok := chatEvent(u); ok {
		if err := h.ChatChanged(ctx, ev); err != nil {
			c.log.Warn("telegram: chat change not kept", "platform", bot.Telegram, "chat_id", ev.ChatID, "error", err)
		}
		return
	}
	m, channel := u.Message, false
	if m == nil {
		m, channel = u.ChannelPost, true
	}
	r, ok := c.request(m, channel)
	if !ok {
		return
	}
	resp := h.Handle(ctx, r)
	for attempt := 1; ; attempt++ {
		err := h.Reply(ctx, r, resp)
		if err == nil {
			return
		}
		var rl *bot.RateLimitError
		if errors.As(err, &rl) && attempt == 1 && rl.RetryAfter <= maxReplyWait && c.sleep(ctx, rl.RetryAfter) == nil {
			continue
		}
		c.log.Warn("telegram: reply failed", "platform", bot.Telegram, "chat_id", r.ChatID, "command", r.Command, "error", err)
		return
	}
}
