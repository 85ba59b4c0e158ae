package bot

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the bot's Prometheus collectors. adapters/web serves them at
// /metrics; the parts of the bot that do the work count into them.
type Metrics struct {
	FeedPolls          *prometheus.CounterVec   // result: ok, not_modified, error, skipped
	FeedsFailing       prometheus.Gauge         // feeds marked failing
	ArticlesIngested   prometheus.Counter       // articles the engine kept
	ArticlesDropped    *prometheus.CounterVec   // reason: the engine's Drop* reasons
	DevelopmentsActive prometheus.Gauge         // developments in the engine's window
	Deliveries         *prometheus.CounterVec   // platform, result: sent, failed, retried, dead
	RateLimited        *prometheus.CounterVec   // platform: 429s received
	OutboxDepth        prometheus.Gauge         // deliveries waiting
	DeadLetters        prometheus.Gauge         // deliveries parked after repeated failures
	DeliveryLag        *prometheus.HistogramVec // platform: seconds from due to delivered
	EngineSeconds      *prometheus.HistogramVec // op: ingest, digest
	Commands           *prometheus.CounterVec   // platform, command
}

// NewMetrics returns the bot's collectors, registered with reg when it is not nil.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		FeedPolls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sitrep_feed_polls_total",
			Help: "Feed polls by result (ok, not_modified, error, skipped)."}, []string{"result"}),
		FeedsFailing: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sitrep_feeds_failing",
			Help: "Feeds marked failing after repeated errors."}),
		ArticlesIngested: prometheus.NewCounter(prometheus.CounterOpts{Name: "sitrep_articles_ingested_total",
			Help: "Articles the engine kept."}),
		ArticlesDropped: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sitrep_articles_dropped_total",
			Help: "Articles the engine dropped, by reason."}, []string{"reason"}),
		DevelopmentsActive: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sitrep_developments_active",
			Help: "Developments in the engine's window."}),
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sitrep_deliveries_total",
			Help: "Deliveries by platform and result (sent, failed, retried, dead)."}, []string{"platform", "result"}),
		RateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sitrep_rate_limited_total",
			Help: "Rate-limit answers (HTTP 429) received from a platform."}, []string{"platform"}),
		OutboxDepth: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sitrep_outbox_depth",
			Help: "Deliveries waiting in the outbox."}),
		DeadLetters: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sitrep_dead_letters",
			Help: "Deliveries parked after repeated failures."}),
		DeliveryLag: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "sitrep_delivery_lag_seconds",
			Help: "Seconds from a delivery's due time to its completion.", Buckets: prometheus.ExponentialBuckets(0.1, 2, 14)},
			[]string{"platform"}),
		EngineSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "sitrep_engine_seconds",
			Help: "Time spent in the engine, by operation.", Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)},
			[]string{"op"}),
		Commands: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sitrep_commands_total",
			Help: "Commands answered, by platform and command."}, []string{"platform", "command"}),
	}
	if reg != nil {
		reg.MustRegister(m.FeedPolls, m.FeedsFailing, m.ArticlesIngested, m.ArticlesDropped, m.DevelopmentsActive,
			m.Deliveries, m.RateLimited, m.OutboxDepth, m.DeadLetters, m.DeliveryLag, m.EngineSeconds, m.Commands)
	}
	return m
}

// countFeeds counts one collection's feed results.
func (m *Metrics) countFeeds(results []FeedResult) {
	for _, r := range results {
		switch {
		case r.Err != nil:
			m.FeedPolls.WithLabelValues("error").Inc()
		case r.Skipped:
			m.FeedPolls.WithLabelValues("skipped").Inc()
		case r.NotModified:
			m.FeedPolls.WithLabelValues("not_modified").Inc()
		default:
			m.FeedPolls.WithLabelValues("ok").Inc()
		}
	}
}
