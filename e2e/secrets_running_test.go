package e2e

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
)

// loggedWorld is a world whose fakes accept fresh secrets, with a Redis of
// its own that requires a password, and the environment of a sitrep
// process logging at debug level in format.
type loggedWorld struct {
	*world
	secrets testSecrets
	redis   *redisServer
	store   *redisstore.Store
	aud     audience
	env     map[string]string
}

func newLoggedWorld(t *testing.T, format string, extra map[string]string) *loggedWorld {
	t.Helper()
	ts := newTestSecrets()
	lw := &loggedWorld{secrets: ts, redis: startRedis(t, redisOptions{AOF: true, Password: ts.redisPassword}),
		world: newWorld(t, worldOptions{telegramToken: ts.telegramToken, discord: discordtest.Options{Token: ts.discordToken}})}
	store, err := redisstore.Open(lw.redis.URL(), redisstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	lw.store, lw.aud = store, newAudience(lw.world, 2, 2)
	lw.env = lw.world.env(map[string]string{"SITREP_REDIS_URL": lw.redis.URL(), "SITREP_LOG_LEVEL": "debug",
		"SITREP_LOG_FORMAT": format, "SITREP_DELIVERY_BACKOFF_BASE": "500ms", "SITREP_DELIVERY_JOB_LEASE": "10s"})
	for k, v := range extra {
		lw.env[k] = v
	}
	return lw
}

// command sends text on Telegram and /latest on Discord, waits for both
// answers, and returns the secrets to look for in the logs, the
// interaction's token among them.
func (lw *loggedWorld) command(ctx context.Context, t *testing.T, text string) *logSecrets {
	t.Helper()
	w := lw.world
	alice := telegramtest.User{ID: 5001, FirstName: "Alice"}
	w.tg.InjectMessage(telegramtest.PrivateChat(alice), alice, text)
	w.tg.WaitMessages(alice.ID, 1, time.Minute)
	id, err := w.dc.Interact(ctx, discordtest.Interaction{Command: "latest", GuildID: "1", ChannelID: "10"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := w.dc.WaitAnswer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	sec := lw.secrets.watch()
	sec.add("interaction token", x.Token)
	return sec
}

// deliver subscribes the audience, due now, once the leader has polled, and
// waits until every chat has its digest, through whatever failures the
// fakes were told to answer with.
func (lw *loggedWorld) deliver(t *testing.T) {
	t.Helper()
	eventually(t, "the first poll", time.Minute, func() bool { return readStatus(t, lw.env).LatestDigest != nil })
	lw.aud.subscribe(t, lw.store, time.Now())
	eventually(t, "every digest, through the failures", 2*time.Minute, func() bool { return lw.aud.received(lw.world).digests() >= lw.aud.size() })
}

// wantLogged fails the test when the log lacks a line with each text: the
// failure paths the scenario is about were taken.
func wantLogged(t *testing.T, p *proc, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if !strings.Contains(p.stderr.String(), text) {
			t.Errorf("%s logged nothing with %q", p.name, text)
		}
	}
}

// pollingAndGateway: Telegram by long polling, Discord over the gateway,
// Redis with a password that goes away for a while; both platforms answer
// 429, 5xx, 401 or drop the connection before they accept.
func pollingAndGateway(t *testing.T, format string) {
	lw := newLoggedWorld(t, format, nil)
	w := lw.world
	w.tg.Fail("getUpdates", telegramtest.Failure{Status: 502}, telegramtest.Failure{Status: 429, RetryAfter: 1})
	w.tg.Fail("sendMessage", telegramtest.Failure{Status: 500}, telegramtest.Failure{Status: 429, RetryAfter: 1},
		telegramtest.Failure{Drop: true}, telegramtest.Failure{Status: 401, Description: "Unauthorized"})
	p := startSitrep(t, "sitrep", lw.env, "run")
	p.httpAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := w.dc.WaitGateway(ctx); err != nil {
		t.Fatal(err)
	}
	w.dc.FailNext(1, http.StatusTooManyRequests)
	w.dc.FailNext(1, http.StatusBadGateway)
	w.dc.FailNext(1, http.StatusUnauthorized)
	lw.deliver(t)

	sec := lw.command(ctx, t, "/latest")

	lw.redis.stop(t)
	eventually(t, "sitrep notices that Redis is away", 30*time.Second, func() bool {
		return strings.Contains(p.stderr.String(), "connection refused")
	})
	lw.redis.start(t)
	p.term(t)
	checkLogs(t, sec, format, p)
	wantLogged(t, p, "getUpdates failed", "rate limited by the platform", "delivery failed; will retry", "connection refused")
}

// webhookAndInteractions: Telegram by webhook, Discord by HTTP
// interactions, and requests to the webhook's endpoints that carry a secret
// where it does not belong (a wrong header with the secret in the query, the
// secret or the token in the path).
func webhookAndInteractions(t *testing.T, format string) {
	listen := "127.0.0.1:" + strconv.Itoa(freePort(t))
	lw := newLoggedWorld(t, format, nil)
	w := lw.world
	for k, v := range map[string]string{"SITREP_HTTP_LISTEN": listen, "SITREP_TELEGRAM_WEBHOOK_URL": "http://" + listen + "/telegram/webhook",
		"SITREP_TELEGRAM_WEBHOOK_SECRET": lw.secrets.webhookSecret, "SITREP_DISCORD_PUBLIC_KEY": w.dc.PublicKey()} {
		lw.env[k] = v
	}
	w.dc.SetInteractionsURL("http://" + listen + "/discord/interactions")
	w.tg.Fail("sendMessage", telegramtest.Failure{Status: 503}, telegramtest.Failure{Status: 429, RetryAfter: 1})
	p := startSitrep(t, "sitrep", lw.env, "run")
	p.httpAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := w.dc.VerifyEndpoint(ctx); err != nil {
		t.Fatal(err)
	}
	w.dc.FailNext(1, http.StatusInternalServerError)
	lw.deliver(t)

	sec := lw.command(ctx, t, "/start")

	base := "http://" + listen
	for _, r := range []struct{ method, url string }{
		{http.MethodPost, base + "/telegram/webhook?secret_token=" + lw.secrets.webhookSecret},
		{http.MethodPost, base + "/telegram/webhook/" + lw.secrets.webhookSecret},
		{http.MethodGet, base + "/bot" + lw.secrets.telegramToken + "/getMe"},
		{http.MethodPost, base + "/discord/interactions?token=" + lw.secrets.discordToken},
	} {
		req, err := http.NewRequestWithContext(ctx, r.method, r.url, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "wrong")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Errorf("%s %s answered %s, want a refusal", r.method, strings.ReplaceAll(r.url, base, ""), resp.Status)
		}
	}
	p.term(t)
	checkLogs(t, sec, format, p)
	wantLogged(t, p, "webhook request with a wrong secret token ignored", "delivery failed; will retry", "http request")
}
