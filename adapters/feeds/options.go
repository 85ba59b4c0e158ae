package feeds

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/sitrepbot/sitrep/bot"
)

// Feed is one source to collect from.
type Feed struct {
	Name     string
	URL      string // http(s), file:// or a local path
	Lang     string // used when neither the items nor the feed say; "" = detect
	Label    string
	FullText FullText // when to fetch article pages; "" = FullTextAuto
}

// FullText says when an article's page is fetched for its main text.
type FullText string

// The FullText modes.
const (
	// FullTextAuto fetches the page when the feed gives fewer than
	// Options.FullTextMinWords words, except for local feeds (offline use).
	FullTextAuto FullText = "auto"
	// FullTextAlways fetches the page of every new item.
	FullTextAlways FullText = "always"
	// FullTextNever keeps the feed's text.
	FullTextNever FullText = "never"
)

// State is what the collector needs of the store: validators, health and
// the seen-set. A nil State collects everything, every time.
type State interface {
	bot.FeedStateStore
	bot.SeenStore
}

// Options configure a Collector. Zero fields take the defaults noted.
type Options struct {
	Client    *http.Client  // default NewClientTimeout(Timeout)
	UserAgent string        // default UserAgent("")
	MaxBody   int64         // bytes read of one feed or page; default 5 MiB
	Timeout   time.Duration // one request, for the default Client; default 30s
	// FeedTimeout bounds one feed's turn once it has a slot to fetch in: its
	// request, parsing and article pages; default 2m.
	FeedTimeout time.Duration
	Concurrency int // requests (and feeds being worked on) at once; default 16
	PerHost     int // requests at once to one host; default 2
	// FailingAfter is how many consecutive failures mark a feed failing; default 10.
	FailingAfter int
	// MaxItems is how many of a feed's newest items one poll considers; default 100.
	MaxItems int
	// MaxAge: items published longer ago are left out; default 72h, the
	// engine's window (older articles would also outlive their seen-marks).
	MaxAge time.Duration
	// FullTextMinWords: with FullTextAuto, pages are fetched for items whose
	// feed text has fewer words; default 80, negative = never.
	FullTextMinWords int
	// FullTextPerPoll caps the pages fetched per feed per poll; default 20,
	// negative = none.
	FullTextPerPoll int
	// FullTextCache is how many pages' text is kept in memory (for a day); default 1000.
	FullTextCache int
	// BackoffMin and BackoffMax bound the wait after a failure: BackoffMin
	// after the first, doubling with each further one, jittered; defaults 1m and 1h.
	BackoffMin, BackoffMax time.Duration
	Now                    func() time.Time // default time.Now
	Rand                   func() float64   // jitter in [0, 1); default math/rand/v2.Float64
	Logger                 *slog.Logger     // default slog.Default()
	// Metrics, when set, gets the number of failing feeds after each Collect.
	Metrics *bot.Metrics
	// FeedDone, when set, is called as each feed's turn in a Collect ends
	// (from several goroutines at once), e.g. to show progress.
	FeedDone func(bot.FeedResult)
}

// withDefaults returns o with its zero fields set to the defaults.
func (o Options) withDefaults() Options {
	setDefault(&o.Timeout, 30*time.Second)
	if o.Client == nil {
		o.Client = NewClientTimeout(o.Timeout)
	}
	if o.UserAgent == "" {
		o.UserAgent = UserAgent("")
	}
	setDefault(&o.MaxBody, 5<<20)
	setDefault(&o.FeedTimeout, 2*time.Minute)
	setDefault(&o.Concurrency, 16)
	setDefault(&o.PerHost, 2)
	setDefault(&o.FailingAfter, 10)
	setDefault(&o.MaxItems, 100)
	setDefault(&o.MaxAge, 72*time.Hour)
	setDefault(&o.FullTextCache, 1000)
	setDefault(&o.BackoffMin, time.Minute)
	setDefault(&o.BackoffMax, time.Hour)
	if o.FullTextMinWords == 0 {
		o.FullTextMinWords = 80
	}
	if o.FullTextPerPoll == 0 {
		o.FullTextPerPoll = 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

func setDefault[T int | int64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}
