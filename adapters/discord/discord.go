// Package discord connects sitrep to Discord through discordgo v0.29: it
// posts digests, alerts and replies to channels as embeds (a bot.Messenger),
// answers slash commands received over the gateway or as signed HTTP
// interactions, and registers those commands. No discordgo type leaves the
// package; Discord's errors become the bot's (bot.ErrChatGone,
// bot.ErrRateLimited, bot.ErrTemporary).
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/internal/memo"
)

var (
	_ bot.Messenger = (*Client)(nil)
	_ bot.MultiPart = (*Client)(nil)
)

// Options configure a Client. Zero fields take the defaults noted.
type Options struct {
	Token         string // bot token (with or without the "Bot " prefix); required
	ApplicationID string // required to register commands and answer interactions
	// PublicKey is the application's hex Ed25519 key; it is required for
	// HTTP interactions (InteractionsHandler), and unused over the gateway.
	PublicKey  string
	APIURL     string        // Discord's base URL; default https://discord.com
	GuildID    string        // RegisterCommands registers in this guild only; "" = globally
	Timeout    time.Duration // per REST request; default 10s
	DeferAfter time.Duration // a command slower than this is deferred (Discord allows 3s); default 2s
	// Parts, when set, records each part of a multi-message delivery once it
	// is posted, so a retry after Discord forgot its nonce (a few minutes)
	// still skips the parts already posted. The bot's store serves.
	Parts  bot.DeliveryLog
	Now    func() time.Time
	Logger *slog.Logger // default slog.Default()
}

// Client talks to Discord. Its methods are safe for concurrent use.
type Client struct {
	opts    Options
	session *discordgo.Session
	log     *slog.Logger
	pub     ed25519.PublicKey

	base   context.Context // background work (deferred answers) ends with it
	cancel context.CancelFunc
	mu     sync.Mutex // guards closed and the start of tracked work
	closed bool
	wg     sync.WaitGroup

	renders *memo.Cache[renderKey, []payload] // see rendered
}

// New returns a Client for the bot token in opts. It makes no request.
func New(opts Options) (*Client, error) {
	opts.Token = strings.TrimSpace(strings.TrimPrefix(opts.Token, "Bot "))
	if opts.Token == "" {
		return nil, errors.New("discord: no bot token")
	}
	if opts.APIURL == "" {
		opts.APIURL = "https://discord.com"
	}
	api, err := url.Parse(opts.APIURL)
	if err != nil || api.Host == "" || (api.Scheme != "http" && api.Scheme != "https") {
		return nil, fmt.Errorf("discord: API URL %q is not an http(s) URL", opts.APIURL)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.DeferAfter <= 0 {
		opts.DeferAfter = 2 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	c := &Client{opts: opts, log: opts.Logger, renders: newRenders()}
	if opts.PublicKey != "" {
		key, err := hex.DecodeString(opts.PublicKey)
		if err != nil || len(key) != ed25519.PublicKeySize {
			return nil, errors.New("discord: the public key is not 64 hexadecimal characters")
		}
		c.pub = key
	}
	c.session = newSession(opts.Token, api, opts.Timeout)
	attachLibraryLog(opts.Logger, opts.Token)
	c.base, c.cancel = context.WithCancel(context.Background())
	return c, nil
}

// maxIdleConns is how many connections to Discord's API a Client keeps open
// between requests: every delivery in flight has one (net/http keeps 2 per
// host unless told otherwise, so with more sends at once most would open,
// and close, a TLS connection of their own).
const maxIdleConns = 100

// newSession returns a discordgo session whose requests go to api, that
// never sleeps or retries on its own (the bot's limiter and outbox decide),
// and that asks the gateway for the Guilds intent only.
func newSession(token string, api *url.URL, timeout time.Duration) *discordgo.Session {
	s, _ := discordgo.New("Bot " + token) // New cannot fail
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = maxIdleConns
	s.Client = &http.Client{Timeout: timeout, Transport: &transport{api: api, next: t}}
	s.ShouldRetryOnRateLimit = false
	s.MaxRestRetries = 0
	s.StateEnabled = false
	s.SyncEvents = true // handlers run in discordgo's reader; ours hand off at once
	s.LogLevel = discordgo.LogWarning
	s.Identify.Intents = discordgo.IntentsGuilds
	s.UserAgent = "DiscordBot (https://github.com/sitrepbot/sitrep, 1)"
	return s
}

// Platform implements bot.Messenger.
func (c *Client) Platform() string { return bot.Discord }

// Check fetches the bot's own user (GET /users/@me) and describes it:
// https://discord.com/developers/docs/resources/user#get-current-user
func (c *Client) Check(ctx context.Context) (string, error) {
	raw, err := c.do(ctx, "get current user", http.MethodGet, discordgo.EndpointUser("@me"), nil)
	if err != nil {
		return "", err
	}
	var u struct{ ID, Username string }
	if err := json.Unmarshal(raw, &u); err != nil {
		return "", fmt.Errorf("discord: check: %w", err)
	}
	return fmt.Sprintf("bot %s (id %s)", u.Username, u.ID), nil
}

// track registers one piece of background work; it reports false once the
// client is closing.
func (c *Client) track() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.wg.Add(1)
	return true
}

// drainTimeout is how long Close lets answers in progress finish.
const drainTimeout = 5 * time.Second

// Close stops taking interactions and lets the answers in progress finish
// (for up to 5s, then cancels them). Call it after RunGateway returned.
func (c *Client) Close() error {
	c.mu.Lock()
	already := c.closed
	c.closed = true
	c.mu.Unlock()
	if already {
		return nil
	}
	done := make(chan struct{})
	go func() { c.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(drainTimeout):
		c.cancel()
		<-done
	}
	c.cancel()
	return nil
}

func (c *Client) now() time.Time { return c.opts.Now() }
