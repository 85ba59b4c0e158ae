package telegram

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/sitrepbot/sitrep/bot"
)

// Errors of this package, besides the bot's (test with errors.Is).
var (
	// ErrConflict: getUpdates answered 409 — another process polls with the
	// same token, or a webhook is set.
	ErrConflict = errors.New("another instance or a webhook is using this bot token (409 Conflict): " +
		"run one poller per token (with several instances, only the leader polls), or set telegram.webhook_url on every instance")
	// ErrUnauthorized: the Bot API rejected the token.
	ErrUnauthorized = errors.New("the bot token was rejected (401 Unauthorized): check telegram.token")
)

// chatGoneReasons are the 400 answers that mean the bot can no longer post
// to the chat (403 answers always mean it).
var chatGoneReasons = []string{
	"chat not found",
	"have no rights to send a message",
	"not enough rights to send",
	"need administrator rights in the channel chat",
	"chat_write_forbidden",
	"group chat was deactivated",
	"peer_id_invalid",
	"message thread not found",
}

// mapError translates an error of the library into the bot's: API errors by
// their code and parameters (https://core.telegram.org/bots/api#responseparameters),
// transport failures into bot.ErrTemporary. The token never appears in the
// result: request URLs contain it, and transport errors quote their URL.
func (c *Client) mapError(method string, err error, status int) error {
	var apiErr *tgbotapi.Error
	if errors.As(err, &apiErr) {
		return mapAPIError(method, apiErr)
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		if urlErr.Op == "parse" {
			return fmt.Errorf("telegram: %s: telegram.api_url does not make a valid URL: %w", method, &redactedError{err: urlErr.Err, secret: c.opts.Token})
		}
		err = urlErr.Err // the same failure without the URL
	}
	err = &redactedError{err: err, secret: c.opts.Token}
	if status != 0 && status < 500 && status != 429 {
		return fmt.Errorf("telegram: %s: HTTP %d without a Bot API answer (is telegram.api_url right?): %w", method, status, err)
	}
	return fmt.Errorf("telegram: %s: %w: %w", method, bot.ErrTemporary, err)
}

func mapAPIError(method string, e *tgbotapi.Error) error {
	lower := strings.ToLower(e.Message)
	switch {
	case e.Code == 429 || e.RetryAfter > 0:
		wait := max(time.Duration(e.RetryAfter)*time.Second, time.Second)
		return fmt.Errorf("telegram: %s: %w", method, &bot.RateLimitError{RetryAfter: wait})
	case e.MigrateToChatID != 0:
		return fmt.Errorf("telegram: %s: %w", method, &bot.ChatMigratedError{NewChatID: strconv.FormatInt(e.MigrateToChatID, 10)})
	case e.Code == 403 || (e.Code == 400 && containsAny(lower, chatGoneReasons)):
		return fmt.Errorf("telegram: %s: %w", method, &bot.ChatGoneError{Reason: e.Message})
	case e.Code == 401:
		return fmt.Errorf("telegram: %s: %w", method, ErrUnauthorized)
	case e.Code == 404:
		return fmt.Errorf("telegram: %s: 404 %s: the token is malformed or telegram.api_url is not a Bot API server", method, e.Message)
	case e.Code == 409:
		return fmt.Errorf("telegram: %s: %w", method, ErrConflict)
	case e.Code >= 500:
		return fmt.Errorf("telegram: %s: %w: %d %s", method, bot.ErrTemporary, e.Code, e.Message)
	}
	return fmt.Errorf("telegram: %s: %d %w", method, e.Code, e)
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// redactedError hides a secret from an error's text.
type redactedError struct {
	err    error
	secret string
}

func (e *redactedError) Error() string {
	if e.secret == "" {
		return e.err.Error()
	}
	return strings.ReplaceAll(e.err.Error(), e.secret, "[redacted]")
}

func (e *redactedError) Unwrap() error { return e.err }
