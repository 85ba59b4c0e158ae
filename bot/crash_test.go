package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/bot"
)

// errKilled stands for a process killed between a send and its record.
var errKilled = errors.New("killed")

// diesAfterSend is a store whose process dies right after a send: the
// outcome of the send is never recorded.
type diesAfterSend struct{ bot.Store }

func (diesAfterSend) Ack(context.Context, bot.Job, *bot.DeliveryRecord, time.Duration) error {
	return errKilled
}

// platform is a fake chat platform shared by every instance. With nonces
// it honours Message.Key as Discord honours a nonce with enforce_nonce: a
// repeated key returns the first message instead of posting again.
type platform struct {
	mu     sync.Mutex
	nonces bool
	posted map[string]int // messages per chat
	byKey  map[bot.DeliveryKey]bot.Sent
	times  []time.Time
	by     map[string]int // sends by instance
}

func newPlatform(nonces bool) *platform {
	return &platform{nonces: nonces, posted: map[string]int{}, byKey: map[bot.DeliveryKey]bot.Sent{}, by: map[string]int{}}
}

// as returns the platform's Messenger for one instance.
func (p *platform) as(instance string) bot.Messenger { return platformMessenger{p, instance} }

type platformMessenger struct {
	p        *platform
	instance string
}

func (m platformMessenger) Platform() string { return bot.Discord }
func (m platformMessenger) Edit(context.Context, bot.Sent, bot.Message) error {
	return nil
}
func (m platformMessenger) Send(ctx context.Context, msg bot.Message) (bot.Sent, error) {
	p := m.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.byKey[msg.Key]; ok && p.nonces {
		return s, nil
	}
	p.posted[msg.ChatID]++
	p.times = append(p.times, time.Now())
	p.by[m.instance]++
	s := bot.Sent{MessageIDs: []string{msg.Key.String()}}
	p.byKey[msg.Key] = s
	return s, nil
}

func (p *platform) count(chat string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.posted[chat]
}

// stores opens one store twice, as two processes would: on Redis two
// clients; embedded, the file again after the first closed (reopen).
type storeKind struct {
	name string
	open func(t *testing.T, clock func() time.Time) (first bot.Store, second func() bot.Store)
}

func storeKinds() []storeKind {
	return []storeKind{
		{"embedded", func(t *testing.T, clock func() time.Time) (bot.Store, func() bot.Store) {
			path := filepath.Join(t.TempDir(), "sitrep.db")
			open := func() bot.Store {
				s, err := boltstore.Open(path, boltstore.Options{Now: clock})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			first := open()
			return first, func() bot.Store { first.Close(); return open() }
		}},
		{"redis", func(t *testing.T, clock func() time.Time) (bot.Store, func() bot.Store) {
			rdb, prefix := redistest.Client(t)
			t.Cleanup(func() { rdb.Close() })
			return redisstore.New(rdb, redisstore.Options{Prefix: prefix}), func() bot.Store {
				return redisstore.New(secondClient(t), redisstore.Options{Prefix: prefix})
			}
		}},
	}
}

// secondClient is another connection to the test server, closed at the end.
func secondClient(tb testing.TB) *redis.Client {
	tb.Helper()
	opts, err := redis.ParseURL(redistest.URL())
	if err != nil {
		tb.Fatal(err)
	}
	c := redis.NewClient(opts)
	tb.Cleanup(func() { c.Close() })
	return c
}

// TestCrashBetweenSendAndRecord: an instance dies after posting a digest and
// before recording it; another instance takes the job over once its lease
// runs out. That costs at most one duplicate, and none on a platform that
// honours the delivery key as a nonce.
func TestCrashBetweenSendAndRecord(t *testing.T) {
	for _, kind := range storeKinds() {
		for _, c := range []struct {
			nonces bool
			want   int
		}{{false, 2}, {true, 1}} {
			t.Run(kind.name+map[bool]string{false: "/plain", true: "/nonce"}[c.nonces], func(t *testing.T) {
				start := time.Date(2026, 2, 10, 5, 59, 0, 0, time.UTC)
				clk := &clock{t: start}
				first, second := kind.open(t, clk.Now)
				plat := newPlatform(c.nonces)
				newBot := func(s bot.Store, name string) *bot.Bot {
					b := bot.New(s, &fakeSource{}, bot.Options{Now: clk.Now, Delivery: bot.DeliveryOptions{
						JobLease: 300 * time.Millisecond, Consumer: name, Limits: map[string]bot.PlatformLimits{}}})
					b.AddMessenger(plat.as(name))
					return b
				}
				ctx := context.Background()
				a := newBot(diesAfterSend{first}, "a")
				a.Handle(ctx, bot.Request{Platform: bot.Discord, ChatID: "42", ChatKind: bot.ChatPrivate, Command: "subscribe", Args: []string{"08:00", "Europe/Kyiv"}})
				clk.Set(start.Add(2 * time.Minute))
				must(t, a.Tick(ctx)) // sends, then dies before the record
				if n := plat.count("42"); n != 1 {
					t.Fatalf("first instance posted %d, want 1", n)
				}
				s2 := second()
				b := newBot(s2, "b")
				deadline := time.Now().Add(5 * time.Second)
				for {
					must(t, b.Tick(ctx))
					if _, err := s2.GetDelivery(ctx, bot.DeliveryKey{Platform: bot.Discord, ChatID: "42", DigestID: "s-20260210T0600Z"}); err == nil {
						break
					}
					if time.Now().After(deadline) {
						t.Fatal("the job was not taken over within 5s")
					}
					time.Sleep(50 * time.Millisecond)
				}
				must(t, b.Tick(ctx))
				if got := plat.count("42"); got != c.want {
					t.Errorf("chat got %d messages, want %d", got, c.want)
				}
				st, err := s2.OutboxStats(ctx)
				must(t, err)
				if st != (bot.OutboxStats{}) {
					t.Errorf("outbox after takeover = %+v, want empty", st)
				}
			})
		}
	}
}

// blocking is a platform whose sends hang until their context ends.
type blocking struct{ started chan struct{} }

func (blocking) Platform() string                                  { return bot.Discord }
func (blocking) Edit(context.Context, bot.Sent, bot.Message) error { return nil }
func (p blocking) Send(ctx context.Context, m bot.Message) (bot.Sent, error) {
	p.started <- struct{}{}
	<-ctx.Done()
	return bot.Sent{}, ctx.Err()
}

// TestShutdownMidDelivery: an instance that stops while a send is in flight
// leaves the job in the outbox; the next instance delivers it once.
func TestShutdownMidDelivery(t *testing.T) {
	for _, kind := range storeKinds() {
		t.Run(kind.name, func(t *testing.T) {
			start := time.Date(2026, 2, 10, 5, 59, 0, 0, time.UTC)
			clk := &clock{t: start}
			first, second := kind.open(t, clk.Now)
			opts := bot.Options{Now: clk.Now, Logger: quiet, Delivery: bot.DeliveryOptions{JobLease: 300 * time.Millisecond, Limits: map[string]bot.PlatformLimits{}}}
			a := bot.New(first, &fakeSource{}, opts)
			hang := blocking{started: make(chan struct{}, 1)}
			a.AddMessenger(hang)
			ctx, cancel := context.WithCancel(context.Background())
			a.Handle(ctx, bot.Request{Platform: bot.Discord, ChatID: "42", ChatKind: bot.ChatPrivate, Command: "subscribe", Args: []string{"08:00", "Europe/Kyiv"}})
			clk.Set(start.Add(2 * time.Minute))
			done := make(chan error, 1)
			go func() { done <- a.Tick(ctx) }()
			<-hang.started
			cancel() // shutdown mid-send
			<-done

			s2 := second()
			plat := newPlatform(false)
			b := bot.New(s2, &fakeSource{}, opts)
			b.AddMessenger(plat.as("b"))
			deadline := time.Now().Add(5 * time.Second)
			for plat.count("42") == 0 {
				must(t, b.Tick(context.Background()))
				if time.Now().After(deadline) {
					t.Fatal("the interrupted job was not delivered within 5s")
				}
				time.Sleep(50 * time.Millisecond)
			}
			must(t, b.Tick(context.Background()))
			if got := plat.count("42"); got != 1 {
				t.Errorf("delivered %d times, want 1", got)
			}
		})
	}
}
