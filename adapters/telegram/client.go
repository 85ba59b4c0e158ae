package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/internal/memo"
)

// maxIdleConns is how many connections to the Bot API the default HTTP
// client keeps open between requests: every delivery in flight has one
// (net/http keeps 2 per host unless told otherwise, so with more sends at
// once most would open, and close, a TLS connection of their own).
const maxIdleConns = 100

// Options configure a Client. Zero fields take the defaults noted.
type Options struct {
	Token  string // the bot token from @BotFather; required
	APIURL string // Bot API server; default https://api.telegram.org
	// HTTPClient carries every request; default a client whose Timeout is
	// PollTimeout plus 15s and that keeps up to 100 connections open for
	// reuse. Each call also gets its own deadline.
	HTTPClient     *http.Client
	RequestTimeout time.Duration // deadline of one ordinary call; default 15s
	PollTimeout    time.Duration // getUpdates long-poll timeout; default 30s
	// Parts remembers which messages of a multi-message delivery were sent,
	// so that a retried delivery does not post them again; default in
	// memory (forgotten on restart). A bot.Store serves.
	Parts  bot.DeliveryLog
	Logger *slog.Logger     // default slog.Default()
	Now    func() time.Time // default time.Now
}

// DefaultAPIURL is the public Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// Client talks to the Bot API as one bot. It is a bot.Messenger; Listen and
// WebhookHandler turn updates into commands. Its methods are safe for
// concurrent use.
type Client struct {
	api   *tgbotapi.BotAPI // a template: each call uses a copy bound to its context
	opts  Options
	log   *slog.Logger
	self  tgbotapi.User
	sleep func(ctx context.Context, d time.Duration) error
	seen  *recentIDs // webhook update ids, against redelivery

	renders *memo.Cache[renderKey, []string] // see rendered
}

var (
	_ bot.Messenger = (*Client)(nil)
	_ bot.MultiPart = (*Client)(nil)
)

// New connects to the Bot API and checks the token with getMe
// (https://core.telegram.org/bots/api#getme), within ctx and
// Options.RequestTimeout: a cancelled ctx ends the wait at once.
func New(ctx context.Context, opts Options) (*Client, error) {
	if opts.Token == "" {
		return nil, fmt.Errorf("telegram: no bot token")
	}
	if opts.APIURL == "" {
		opts.APIURL = DefaultAPIURL
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 15 * time.Second
	}
	if opts.PollTimeout <= 0 {
		opts.PollTimeout = 30 * time.Second
	}
	if opts.HTTPClient == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = maxIdleConns
		opts.HTTPClient = &http.Client{Timeout: opts.PollTimeout + 15*time.Second, Transport: t}
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Parts == nil {
		opts.Parts = newMemoryLog(opts.Now)
	}
	c := &Client{opts: opts, log: opts.Logger, sleep: sleepCtx, seen: newRecentIDs(1024), renders: newRenders()}
	// The library formats the endpoint with the token and the method.
	endpoint := strings.ReplaceAll(strings.TrimRight(opts.APIURL, "/"), "%", "%%") + "/bot%s/%s"
	ctx, cancel := context.WithTimeout(ctx, opts.RequestTimeout)
	defer cancel()
	d := &doer{ctx: ctx, client: opts.HTTPClient}
	api, err := tgbotapi.NewBotAPIWithClient(opts.Token, endpoint, d)
	if err != nil {
		return nil, c.mapError("getMe", err, d.status)
	}
	c.api, c.self = api, api.Self
	return c, nil
}

// Username is the bot's @username, without the @.
func (c *Client) Username() string { return c.self.UserName }

// Platform implements bot.Messenger.
func (c *Client) Platform() string { return bot.Telegram }

// call makes one Bot API request within ctx and timeout, and decodes its
// result into out (unless out is nil). Errors are mapped by mapError.
func (c *Client) call(ctx context.Context, method string, params tgbotapi.Params, timeout time.Duration, out any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d := &doer{ctx: ctx, client: c.opts.HTTPClient}
	api := *c.api
	api.Client = d
	resp, err := api.MakeRequest(method, params)
	if err != nil {
		return c.mapError(method, err, d.status)
	}
	if out != nil {
		if err := json.Unmarshal(resp.Result, out); err != nil {
			return fmt.Errorf("telegram: %s: decoding the result: %w", method, err)
		}
	}
	return nil
}

// doer binds the library's requests to a context (the library has none) and
// remembers the HTTP status of the answer.
type doer struct {
	ctx    context.Context
	client *http.Client
	status int
}

func (d *doer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.client.Do(req.WithContext(d.ctx))
	if resp != nil {
		d.status = resp.StatusCode
	}
	return resp, err
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
