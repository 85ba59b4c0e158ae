package discord_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/bot"
)

// TestTokenNeverShown drives every failure the client reports or logs and
// looks for the bot token (and an interaction's token) in all of it.
func TestTokenNeverShown(t *testing.T) {
	const token = "MTE5.SECRET-bot-token-0123456789abcdef"
	const wrong = "MTE5.OTHER-secret-token-fedcba9876543210"
	fake := discordtest.New(t, discordtest.Options{Token: token})
	var errs []error
	var logs []*logBuffer
	ctx := ctxFor(t, 20*time.Second)
	msg := digestMessage("900", "s-1", testDigest(2))

	// Refused for a wrong token: REST and gateway.
	bad, badLogs := newClient(t, fake, discord.Options{Token: wrong})
	logs = append(logs, badLogs)
	_, err := bad.Check(ctx)
	errs = append(errs, err)
	_, err = bad.Send(ctx, msg)
	errs = append(errs, err)
	_, err = bad.RegisterCommands(ctx)
	errs = append(errs, err)
	errs = append(errs, bad.RunGateway(ctx, handlerFunc(nil)))

	// Server errors, rate limits, lost answers, an unreachable server.
	c, cLogs := newClient(t, fake, discord.Options{Token: token, Timeout: 300 * time.Millisecond})
	logs = append(logs, cLogs)
	fake.FailNext(1, http.StatusInternalServerError)
	_, err = c.Send(ctx, msg)
	errs = append(errs, err)
	fake.HangAfterAccept("900", 1)
	_, err = c.Send(ctx, digestMessage("900", "s-2", testDigest(2)))
	errs = append(errs, err)
	fake.DeleteChannel("901")
	_, err = c.Send(ctx, digestMessage("901", "s-3", testDigest(2)))
	errs = append(errs, err)
	down, downLogs := newClient(t, fake, discord.Options{Token: token, APIURL: "http://127.0.0.1:1"})
	logs = append(logs, downLogs)
	_, err = down.Send(ctx, msg)
	errs = append(errs, err)

	// A deferred answer whose edit fails logs the failure, not the webhook URL.
	release := make(chan struct{})
	slow := handlerFunc(func(context.Context, bot.Request) bot.Response { <-release; return bot.Response{Text: "late"} })
	hfake, _, hLogs := startHTTP(t, discordtest.Options{Token: token}, discord.Options{Token: token, DeferAfter: 50 * time.Millisecond}, slow)
	logs = append(logs, hLogs)
	id, err := hfake.Interact(ctx, discordtest.Interaction{Command: "status", ChannelID: "5"})
	if err != nil {
		t.Fatal(err)
	}
	x, _ := hfake.Exchange(id)
	hfake.Close() // the edit will find no server
	close(release)
	waitFor(t, func() bool { return strings.Contains(hLogs.String(), "deferred answer failed") })

	for i, err := range errs {
		if err == nil {
			t.Errorf("error %d: nil, want a failure", i)
			continue
		}
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			if strings.Contains(text, token) || strings.Contains(text, wrong) {
				t.Errorf("error %d shows a token: %s", i, text)
			}
		}
	}
	for i, l := range logs {
		if s := l.String(); strings.Contains(s, token) || strings.Contains(s, wrong) || strings.Contains(s, x.Token) {
			t.Errorf("log %d shows a token:\n%s", i, s)
		}
	}
	t.Logf("errors seen: %q", errs)
}
