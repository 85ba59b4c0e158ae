package bot

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"time"
)

// DeliveryOptions shape the outbox, the rate limits and leadership. Zero
// fields take the defaults noted.
type DeliveryOptions struct {
	// Limits by platform; default DefaultLimits(). A platform without an
	// entry (the console) is not limited.
	Limits map[string]PlatformLimits
	// Limiter holds the token buckets; default NewLocalLimiter(). With
	// several instances it must be shared (adapters/redisstore's Limiter).
	Limiter RateLimiter
	// ReplyShare is the part of a platform's global rate that command
	// replies may use, so that they never crowd out digests; default 0.2.
	ReplyShare float64
	// ReplyWait is how long a reply may wait for the rate limits before it
	// is dropped; default 10s.
	ReplyWait time.Duration
	// LatestCooldown: a chat that repeats /latest within it gets a short
	// note, then nothing; default 60s.
	LatestCooldown time.Duration

	Workers     int           // deliveries in flight per instance; default 16
	JobLease    time.Duration // how long a claimed job is held before another consumer may take it; default 2m
	MaxAttempts int           // failures before a job is parked as a dead letter; default 10
	BackoffBase time.Duration // first retry delay, doubled each failure; default 2s
	BackoffMax  time.Duration // cap of the retry delay; default 5m
	TickEvery   time.Duration // how often Run looks for due digests; default 1s
	Consumer    string        // this instance's name in the outbox; default InstanceName()

	// Lease, when set, elects one leader among the instances sharing the
	// store: only the leader polls, runs the engine, schedules and sends
	// alerts. Without it this process always leads (the embedded store).
	Lease Lease
	// LeaseTTL bounds how long a dead leader's work waits for another
	// instance; default 15s.
	LeaseTTL time.Duration
	// OnLeader is called when this instance gains (true) or loses (false)
	// the leadership, e.g. to run Telegram long polling only on the leader.
	OnLeader func(leader bool)
}

// AlertOptions shape breaking alerts.
type AlertOptions struct {
	Outlets       int           // distinct outlets a development needs within Window; default 3
	Window        time.Duration // default 2h
	PriorityTerms []string      // a development that mentions one (case-insensitive) alerts at once
	PerChatHour   int           // alerts per chat per hour; the rest fold into the next digest; default 3
	// QuietFrom and QuietTo (HH:MM in the chat's zone) are the quiet hours
	// of new subscriptions; "" = none.
	QuietFrom, QuietTo string
	Off                bool // no alerts at all
}

func (o *DeliveryOptions) setDefaults() {
	if o.Limits == nil {
		o.Limits = DefaultLimits()
	}
	if o.Limiter == nil {
		o.Limiter = NewLocalLimiter()
	}
	if o.ReplyShare <= 0 {
		o.ReplyShare = 0.2
	}
	setDuration(&o.ReplyWait, 10*time.Second)
	setDuration(&o.LatestCooldown, time.Minute)
	if o.Workers <= 0 {
		o.Workers = 16
	}
	setDuration(&o.JobLease, 2*time.Minute)
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	setDuration(&o.BackoffBase, 2*time.Second)
	setDuration(&o.BackoffMax, 5*time.Minute)
	setDuration(&o.TickEvery, time.Second)
	setDuration(&o.LeaseTTL, 15*time.Second)
	if o.Consumer == "" {
		o.Consumer = InstanceName()
	}
}

func (o *AlertOptions) setDefaults() {
	if o.Outlets <= 0 {
		o.Outlets = 3
	}
	setDuration(&o.Window, 2*time.Hour)
	if o.PerChatHour <= 0 {
		o.PerChatHour = 3
	}
}

func setDuration(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// InstanceName names this process among the instances (in the outbox and
// as the leader): host, pid and a random suffix, so a restarted process
// never inherits a dead one's name.
func InstanceName() string {
	host, _ := os.Hostname()
	b := make([]byte, 3)
	rand.Read(b)
	return host + "-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b)
}
