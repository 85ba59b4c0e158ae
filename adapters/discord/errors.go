package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/sitrepbot/sitrep/bot"
)

// APIError is an error answer from Discord that retrying will not fix:
// https://discord.com/developers/docs/topics/opcodes-and-status-codes#json
type APIError struct {
	Status  int    // HTTP status
	Code    int    // Discord's JSON error code, 0 when none was given
	Message string // Discord's message
}

func (e *APIError) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("HTTP %d: %s", e.Status, e.Message)
	}
	return fmt.Sprintf("HTTP %d: %s (code %d)", e.Status, e.Message, e.Code)
}

// Discord's codes for a channel the bot can no longer post to.
const (
	codeUnknownChannel     = 10003
	codeMissingAccess      = 50001
	codeMissingPermissions = 50013
)

// chatGone reports whether the error means the channel is gone for the bot:
// deleted (404, 10003), or the bot lost access or its permission to post (403,
// 50001 or 50013).
func (e *APIError) chatGone() bool {
	return e.Status == http.StatusNotFound && e.Code == codeUnknownChannel ||
		e.Status == http.StatusForbidden && (e.Code == codeMissingAccess || e.Code == codeMissingPermissions)
}

// mapError turns a failed request into the bot's errors: a 429 into
// *bot.RateLimitError, a 5xx or a network failure into bot.ErrTemporary,
// any other answer into *APIError. No URL or token is kept.
func (c *Client) mapError(ctx context.Context, route string, a *answer, err error) error {
	var rest *discordgo.RESTError
	switch {
	case a.status == http.StatusTooManyRequests:
		return fmt.Errorf("discord: %s: %w", route, rateLimit(a))
	case a.status >= 500:
		return fmt.Errorf("discord: %s: HTTP %d: %w", route, a.status, bot.ErrTemporary)
	case errors.As(err, &rest) && rest.Response != nil:
		return fmt.Errorf("discord: %s: %w", route, apiErrorOf(rest))
	case ctx.Err() != nil:
		return fmt.Errorf("discord: %s: %w: %w", route, bot.ErrTemporary, ctx.Err())
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err // its URL may hold an interaction token
	}
	if a.status != 0 { // an answer that could not be read
		return fmt.Errorf("discord: %s: HTTP %d: %w: %v", route, a.status, bot.ErrTemporary, err)
	}
	return fmt.Errorf("discord: %s: %w: %v", route, bot.ErrTemporary, err)
}

func apiErrorOf(rest *discordgo.RESTError) *APIError {
	e := &APIError{Status: rest.Response.StatusCode, Message: http.StatusText(rest.Response.StatusCode)}
	if rest.Message != nil {
		e.Code = rest.Message.Code
		if rest.Message.Message != "" {
			e.Message = rest.Message.Message
		}
	}
	return e
}

// rateLimit reads a 429 answer: retry_after and global from its body, else
// the Retry-After and X-RateLimit-* headers:
// https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit
func rateLimit(a *answer) *bot.RateLimitError {
	var body struct {
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	json.Unmarshal(a.body, &body)
	wait := body.RetryAfter
	for _, h := range []string{"X-RateLimit-Reset-After", "Retry-After"} {
		if wait > 0 {
			break
		}
		wait, _ = strconv.ParseFloat(a.header.Get(h), 64)
	}
	if wait <= 0 || math.IsNaN(wait) || math.IsInf(wait, 0) {
		wait = 1
	}
	global := body.Global || a.header.Get("X-RateLimit-Global") == "true" || a.header.Get("X-RateLimit-Scope") == "global"
	return &bot.RateLimitError{RetryAfter: time.Duration(math.Min(wait, 86400) * float64(time.Second)), Global: global}
}

// channelError turns an APIError that means the channel is gone into a
// *bot.ChatGoneError with Discord's reason.
func channelError(err error) error {
	var ae *APIError
	if errors.As(err, &ae) && ae.chatGone() {
		return fmt.Errorf("discord: %w", &bot.ChatGoneError{Reason: fmt.Sprintf("%s (%d)", ae.Message, ae.Code)})
	}
	return err
}
