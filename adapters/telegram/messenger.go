package telegram

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/sitrepbot/sitrep/bot"
)

// partsTTL is how long the parts of a multi-message delivery are remembered.
const partsTTL = 48 * time.Hour

// Send implements bot.Messenger with sendMessage
// (https://core.telegram.org/bots/api#sendmessage): m is rendered in HTML
// style, link previews off, and split into several messages when it is too
// long for one. The first message replies to m.ReplyTo (sent even when that
// message is gone).
//
// A delivery that fails part-way returns the error with the ids sent so far.
// Each part sent is recorded in Options.Parts under m.Key, so a retry of the
// same delivery skips the parts already posted and sends only the rest
// (parts are recorded in order, so the first part not recorded ends the
// lookups; the last part is not recorded, as its send completes the
// delivery, which the bot records, as for a one-message delivery). A
// part whose send succeeded at Telegram but whose answer was lost (a
// timeout) is not known to be sent and is sent again: the Bot API has no
// idempotency key.
func (c *Client) Send(ctx context.Context, m bot.Message) (bot.Sent, error) {
	parts, err := c.rendered(m)
	if err != nil {
		return bot.Sent{}, err
	}
	var sent bot.Sent
	posted := 0
	resuming := true // parts are recorded in order: after one that is not, none is
	for i, text := range parts {
		key := partKey(m, i, len(parts))
		if key != nil && resuming {
			if rec, err := c.opts.Parts.GetDelivery(ctx, *key); err == nil && len(rec.MessageIDs) > 0 {
				sent.MessageIDs = append(sent.MessageIDs, rec.MessageIDs...)
				continue
			}
			resuming = false
		}
		if posted > 0 { // the first message's slot was taken before Send
			if err := bot.NextPart(ctx); err != nil {
				return sent, err
			}
		}
		replyTo := ""
		if i == 0 {
			replyTo = m.ReplyTo
		}
		id, err := c.sendMessage(ctx, m.ChatID, m.ThreadID, replyTo, text)
		if err != nil {
			if len(parts) > 1 {
				err = fmt.Errorf("part %d of %d: %w", i+1, len(parts), err)
			}
			return sent, err
		}
		sent.MessageIDs = append(sent.MessageIDs, id)
		posted++
		if key != nil && i < len(parts)-1 { // the last one completes the delivery, which the bot records
			rec := bot.DeliveryRecord{Key: *key, MessageIDs: []string{id}, SentAt: c.opts.Now()}
			if _, err := c.opts.Parts.RecordDelivery(ctx, rec, partsTTL); err != nil {
				c.log.Warn("recording a sent part failed", "platform", bot.Telegram, "chat_id", m.ChatID, "digest_id", m.Key.DigestID, "error", err)
			}
		}
	}
	return sent, nil
}

// Parts implements bot.MultiPart: the messages Send posts for m (a digest
// too long for one message is split). Edit replaces only the first.
func (c *Client) Parts(m bot.Message) int {
	parts, err := c.rendered(m)
	if err != nil {
		return 1
	}
	return len(parts)
}

// partKey is the key under which part i of n of a delivery is remembered;
// nil when there is nothing to remember (one part, or no delivery key).
func partKey(m bot.Message, i, n int) *bot.DeliveryKey {
	if n < 2 || m.Key.DigestID == "" {
		return nil
	}
	return &bot.DeliveryKey{Platform: bot.Telegram, ChatID: m.ChatID, DigestID: fmt.Sprintf("%s#part%d/%d", m.Key.DigestID, i+1, n)}
}

// Edit implements bot.Messenger with editMessageText
// (https://core.telegram.org/bots/api#editmessagetext): the first message
// of prev gets m's text (a breaking alert that gained outlets). An edit
// that changes nothing is not an error.
func (c *Client) Edit(ctx context.Context, prev bot.Sent, m bot.Message) error {
	if len(prev.MessageIDs) == 0 {
		return fmt.Errorf("telegram: edit %s: no message to edit", m.Key)
	}
	parts, err := render(m)
	if err != nil {
		return err
	}
	params, err := messageParams(m.ChatID, "", parts[0])
	if err != nil {
		return err
	}
	if _, err := strconv.ParseInt(prev.MessageIDs[0], 10, 64); err != nil {
		return fmt.Errorf("telegram: edit %s: message id %q is not a number", m.Key, prev.MessageIDs[0])
	}
	params["message_id"] = prev.MessageIDs[0]
	err = c.call(ctx, "editMessageText", params, c.opts.RequestTimeout, nil)
	var apiErr *tgbotapi.Error
	if errors.As(err, &apiErr) && strings.Contains(apiErr.Message, "message is not modified") {
		return nil
	}
	return err
}

// sendMessage posts one message and returns its id.
func (c *Client) sendMessage(ctx context.Context, chatID, threadID, replyTo, text string) (string, error) {
	params, err := messageParams(chatID, threadID, text)
	if err != nil {
		return "", err
	}
	if replyTo != "" {
		if _, err := strconv.ParseInt(replyTo, 10, 64); err != nil {
			return "", fmt.Errorf("telegram: reply to %q: not a message id", replyTo)
		}
		params["reply_parameters"] = `{"message_id":` + replyTo + `,"allow_sending_without_reply":true}`
	}
	var msg struct {
		MessageID int64 `json:"message_id"`
	}
	if err := c.call(ctx, "sendMessage", params, c.opts.RequestTimeout, &msg); err != nil {
		return "", err
	}
	return strconv.FormatInt(msg.MessageID, 10), nil
}

// chatRef is what chat_id takes: a number or a public @username.
var chatRef = regexp.MustCompile(`^(-?[0-9]{1,20}|@[A-Za-z0-9_]{4,32})$`)

// messageParams are what sendMessage and editMessageText share: HTML style
// and no link preview (link_preview_options, which the library predates).
func messageParams(chatID, threadID, text string) (tgbotapi.Params, error) {
	if !chatRef.MatchString(chatID) {
		return nil, fmt.Errorf("telegram: chat id %q is neither a number nor an @username", chatID)
	}
	params := tgbotapi.Params{"chat_id": chatID, "text": text, "parse_mode": "HTML",
		"link_preview_options": `{"is_disabled":true}`}
	if threadID != "" {
		if _, err := strconv.ParseInt(threadID, 10, 64); err != nil {
			return nil, fmt.Errorf("telegram: thread id %q is not a number", threadID)
		}
		params["message_thread_id"] = threadID
	}
	return params, nil
}
