// Package bot is sitrep's service: it polls sources into the digest engine,
// answers commands, keeps subscriptions and delivers digests and alerts to
// chats through the platforms' Messengers. It defines the ports it needs
// (Store, Source, Messenger) and imports no adapter.
package bot

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// Options configure a Bot. Zero fields take the defaults noted.
type Options struct {
	Sources         []SourceInfo   // what /sources lists
	DefaultTime     string         // digest time for /subscribe without one; default 08:00
	DefaultTimezone string         // default Europe/Kyiv
	MaxItems        int            // developments per digest; default 8
	PollInterval    time.Duration  // default 5m
	Engine          digest.Options // Engine.Window (default 72h) is also how long articles are kept
	// EditionChats receive every edition: the digest of what is new or updated
	// after each poll (the console, while no platform is configured).
	EditionChats []ChatRef
	Now          func() time.Time // default time.Now
	Logger       *slog.Logger     // default slog.Default()
	Metrics      *Metrics         // default: collectors registered nowhere
	Delivery     DeliveryOptions
	Alerts       AlertOptions
}

// SourceInfo describes one configured source, for /sources.
type SourceInfo struct {
	Name, URL, Lang, Label string
}

// ChatRef names a chat on a platform.
type ChatRef struct {
	Platform, ChatID, ThreadID string
}

// Bot is the running service. Its methods are safe for concurrent use.
type Bot struct {
	opts       Options
	store      Store
	source     Source
	log        *slog.Logger
	metrics    *Metrics
	now        func() time.Time
	messengers map[string]Messenger

	pacer      *pacer
	gained     chan struct{} // signalled when this instance becomes the leader
	leading    atomic.Bool
	leadUntil  atomic.Int64 // Unix ns: the held lease runs out then, unless renewed
	restoredAt atomic.Int64 // Unix ns of the leader's last Restore; 0 = the engine is not ready

	mu          sync.Mutex // guards engine, the marks below and snapshot
	engine      *digest.Engine
	lastEdition time.Time
	lastAlerts  time.Time      // developments updated since were checked for alerts
	lastStored  time.Time      // developments updated since were stored
	snapshot    *digest.Digest // the leader's top developments, on a follower
}

// Retention of what the bot stores.
const (
	deliveryTTL = 30 * 24 * time.Hour
	keepDigests = 200
)

// New returns a Bot on store, collecting from source.
func New(store Store, source Source, opts Options) *Bot {
	if opts.DefaultTime == "" {
		opts.DefaultTime = "08:00"
	}
	if opts.DefaultTimezone == "" {
		opts.DefaultTimezone = "Europe/Kyiv"
	}
	if opts.MaxItems <= 0 {
		opts.MaxItems = 8
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 5 * time.Minute
	}
	if opts.Engine.Window <= 0 {
		opts.Engine.Window = 72 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Metrics == nil {
		opts.Metrics = NewMetrics(nil)
	}
	opts.Delivery.setDefaults()
	opts.Alerts.setDefaults()
	b := &Bot{opts: opts, store: store, source: source, log: opts.Logger, metrics: opts.Metrics, now: opts.Now,
		messengers: map[string]Messenger{}, engine: digest.NewEngine(opts.Engine), gained: make(chan struct{}, 1),
		pacer: newPacer(opts.Delivery.Limiter, opts.Delivery.Limits, opts.Delivery.ReplyShare)}
	if opts.Delivery.Lease == nil {
		b.leading.Store(true)
		b.leadUntil.Store(math.MaxInt64)
	}
	return b
}

// AddMessenger lets the bot deliver to m's platform. Call it before Run.
func (b *Bot) AddMessenger(m Messenger) { b.messengers[m.Platform()] = m }

// Restore replays the stored articles of the window into the engine, so a
// restarted bot knows the developments it knew before.
func (b *Bot) Restore(ctx context.Context) error {
	now := b.now()
	articles, err := b.store.ListArticles(ctx, now.Add(-b.opts.Engine.Window))
	if err != nil {
		return err
	}
	digests, err := b.store.LatestDigests(ctx, 1)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.engine = digest.NewEngine(b.opts.Engine)
	b.engine.AddAll(articles)
	if len(digests) > 0 {
		b.lastEdition = digests[0].Generated
	}
	b.log.Info("restored", "articles", len(articles))
	return nil
}

// Poll collects new articles, adds them to the engine, stores them, and
// publishes an edition when developments are new or updated.
func (b *Bot) Poll(ctx context.Context) error {
	col, err := b.source.Collect(ctx)
	b.metrics.countFeeds(col.Feeds)
	if err != nil {
		return err
	}
	if err := b.Ingest(ctx, col.Articles); err != nil {
		return err
	}
	if col.Commit != nil {
		if err := col.Commit(ctx); err != nil {
			return err
		}
	}
	return errors.Join(b.publishEdition(ctx), b.publishSnapshot(ctx), b.checkAlerts(ctx))
}

// Ingest stores articles, adds them to the engine and marks them seen.
func (b *Bot) Ingest(ctx context.Context, articles []digest.Article) error {
	if len(articles) == 0 {
		return nil
	}
	now, start := b.now(), time.Now()
	articles = clampFuture(articles, now)
	if err := b.store.PutArticles(ctx, articles, b.opts.Engine.Window); err != nil {
		return err
	}
	b.mu.Lock()
	for _, a := range articles {
		if out := b.engine.Add(a); out.Dropped != "" {
			b.metrics.ArticlesDropped.WithLabelValues(out.Dropped).Inc()
		} else {
			b.metrics.ArticlesIngested.Inc()
		}
	}
	b.expireLocked(now)
	b.mu.Unlock()
	b.metrics.EngineSeconds.WithLabelValues("ingest").Observe(time.Since(start).Seconds())
	keys := make([]string, len(articles))
	for i, a := range articles {
		keys[i] = SeenKey(a)
	}
	return b.store.MarkSeen(ctx, keys, 2*b.opts.Engine.Window)
}

// clampFuture returns articles with every date after now set to now: the
// engine's clock is the newest date it saw, so one bad date must not move it.
func clampFuture(articles []digest.Article, now time.Time) []digest.Article {
	future := func(a digest.Article) bool { return a.Published.After(now) }
	if !slices.ContainsFunc(articles, future) {
		return articles
	}
	out := slices.Clone(articles)
	for i := range out {
		if future(out[i]) {
			out[i].Published = now
		}
	}
	return out
}

// expireLocked lets the engine forget what left its window and keeps the
// developments gauge current; b.mu must be held.
func (b *Bot) expireLocked(now time.Time) {
	b.engine.Expire(now)
	b.metrics.DevelopmentsActive.Set(float64(b.engine.Stats().Developments))
}

// publishEdition stores the developments new or updated since the last
// edition as a new edition and sends it to the edition chats.
func (b *Bot) publishEdition(ctx context.Context) error {
	now := b.now()
	b.mu.Lock()
	since := b.lastEdition
	if since.IsZero() {
		since = now.Add(-24 * time.Hour)
	}
	d := b.engine.Digest(now, since, b.opts.MaxItems)
	if len(d.Developments) > 0 {
		b.lastEdition = now
	}
	b.mu.Unlock()
	if len(d.Developments) == 0 {
		return nil
	}
	d.ID = editionPrefix + now.UTC().Format("20060102T150405Z")
	if err := b.store.PutDigest(ctx, d, keepDigests); err != nil {
		return err
	}
	var errs []error
	for _, c := range b.opts.EditionChats {
		m := Message{Key: DeliveryKey{c.Platform, c.ChatID, d.ID}, ChatID: c.ChatID, ThreadID: c.ThreadID, Kind: KindDigest, Digest: &d}
		errs = append(errs, b.deliver(ctx, m))
	}
	return errors.Join(errs...)
}

// Latest returns up to n developments of the last 24 hours, best first:
// from the engine on the leader, from the leader's stored snapshot (as of
// its last poll) on a follower.
func (b *Bot) Latest(n int) digest.Digest {
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.IsLeader() && b.snapshot != nil {
		d := *b.snapshot
		d.Developments = slices.Clone(d.Developments[:min(n, len(d.Developments))])
		return d
	}
	return b.engine.Digest(now, now.Add(-24*time.Hour), n)
}

// Story returns one development with its timeline, from the engine or, once
// it left the engine's window, from the store.
func (b *Bot) Story(ctx context.Context, id string) (digest.Development, error) {
	b.mu.Lock()
	d, ok := b.engine.Development(id)
	b.mu.Unlock()
	if ok {
		return d, nil
	}
	return b.store.GetDevelopment(ctx, id)
}
