package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/sitrepbot/sitrep/bot"
)

// callbackTimeout bounds the initial response to an interaction: Discord
// forgets the interaction 3 seconds after it was created.
const callbackTimeout = 3 * time.Second

// RunGateway connects to Discord's gateway with the Guilds intent only and
// answers the interactions it receives through h until ctx ends (and tells
// h of deleted channels, when h is a ChatWatcher); discordgo
// reconnects and resumes the session on its own. Run it on one instance
// only: every connected instance receives every interaction.
// https://discord.com/developers/docs/events/gateway#connections
func (c *Client) RunGateway(ctx context.Context, h Handler) error {
	remove := c.session.AddHandler(func(_ *discordgo.Session, ev *discordgo.InteractionCreate) {
		if !c.track() {
			return
		}
		go func() {
			defer c.wg.Done()
			c.respond(h, ev.Interaction)
		}()
	})
	defer remove()
	if w, ok := h.(ChatWatcher); ok {
		defer c.session.AddHandler(func(_ *discordgo.Session, ev *discordgo.ChannelDelete) {
			if ev.Channel == nil || !c.track() {
				return
			}
			go func() {
				defer c.wg.Done()
				c.channelDeleted(w, ev.ID)
			}()
		})()
	}
	for delay := time.Second; ; delay = min(2*delay, maxConnectDelay) {
		err := c.session.Open()
		if err == nil {
			break
		}
		final := refused(err)
		err = fmt.Errorf("discord: gateway: %v", redact(err.Error(), []string{c.opts.Token}))
		if final {
			return err
		}
		c.log.Warn("discord gateway unreachable; trying again", "platform", bot.Discord, "error", err, "retry_in", delay)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
	c.log.Info("discord gateway connected", "platform", bot.Discord)
	<-ctx.Done()
	if err := c.session.Close(); err != nil {
		c.log.Warn("discord gateway close", "platform", bot.Discord, "error", err)
	}
	return nil
}

// channelDeleted tells w that a channel was deleted (a CHANNEL_DELETE
// event): its subscription ends at once rather than at its next send.
// https://discord.com/developers/docs/events/gateway-events#channel-delete
func (c *Client) channelDeleted(w ChatWatcher, channelID string) {
	ctx, cancel := context.WithTimeout(c.base, chatEventTimeout)
	defer cancel()
	if err := w.ChatChanged(ctx, bot.ChatEvent{Platform: bot.Discord, ChatID: channelID, Gone: "channel deleted"}); err != nil {
		c.log.Warn("discord: channel deletion not kept", "platform", bot.Discord, "chat_id", channelID, "error", err)
	}
}

// chatEventTimeout bounds the handling of one chat event.
const chatEventTimeout = 30 * time.Second

// maxConnectDelay caps the wait between attempts to reach the gateway.
const maxConnectDelay = time.Minute

// refused reports whether Discord turned the connection down for good:
// a bad token (HTTP 401, close code 4004) or intents the application may
// not use (4013, 4014).
// https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes
func refused(err error) bool {
	var closed *websocket.CloseError
	if errors.As(err, &closed) {
		return closed.Code == 4004 || closed.Code == 4013 || closed.Code == 4014
	}
	var rest *discordgo.RESTError
	return errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusUnauthorized
}

// respond answers one interaction received over the gateway through the
// interaction callback endpoint:
// https://discord.com/developers/docs/interactions/receiving-and-responding#create-interaction-response
func (c *Client) respond(h Handler, in *discordgo.Interaction) {
	rep := c.answer(h, in)
	ctx, cancel := context.WithTimeout(c.base, callbackTimeout)
	_, err := c.do(ctx, "interaction callback", http.MethodPost, discordgo.EndpointInteractionResponse(in.ID, in.Token), rep.initial)
	cancel()
	if err != nil {
		c.log.Warn("interaction answer failed", "platform", bot.Discord, "chat_id", in.ChannelID, "error", err)
		rep.cancel()
		return
	}
	rep.finish(c.base)
}
