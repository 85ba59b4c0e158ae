package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/sitrepbot/sitrep/bot"
)

// Handler answers commands; *bot.Bot is one.
type Handler interface {
	Handle(ctx context.Context, r bot.Request) bot.Response
}

// ChatWatcher learns of chats that changed; *bot.Bot is one. RunGateway
// tells a Handler that is also a ChatWatcher of deleted channels.
type ChatWatcher interface {
	ChatChanged(ctx context.Context, ev bot.ChatEvent) error
}

// Interaction response types and the ephemeral flag:
// https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object
const (
	callbackPong         = 1
	callbackMessage      = 4
	callbackDeferred     = 5
	callbackAutocomplete = 8
	flagEphemeral        = 64
)

// answerWithin bounds the work for one interaction: Discord keeps its
// token valid for 15 minutes.
const answerWithin = 10 * time.Minute

// response is an initial interaction response.
type response struct {
	Type int `json:"type"`
	Data any `json:"data,omitempty"`
}

// responseData is a message sent as an interaction response or followup.
type responseData struct {
	Content         string                    `json:"content,omitempty"`
	Embeds          []*discordgo.MessageEmbed `json:"embeds,omitempty"`
	AllowedMentions allowedMentions           `json:"allowed_mentions"`
	Flags           int                       `json:"flags,omitempty"`
}

type autocompleteData struct {
	Choices []choiceBody `json:"choices"`
}

// reply is how one interaction is answered: an initial response, then,
// once it is delivered, the rest (followups, or the edit of a deferred
// response). cancel ends the work when the initial response could not be
// delivered.
type reply struct {
	initial response
	rest    func(ctx context.Context)
	cancel  func()
}

// finish runs the rest of the reply after the initial response was delivered.
func (r reply) finish(ctx context.Context) {
	if r.rest != nil {
		r.rest(ctx)
	}
	r.cancel()
}

// answer decides how to answer an interaction: PONG to a PING, zone
// suggestions to an autocomplete, and the bot's answer to a command.
func (c *Client) answer(h Handler, in *discordgo.Interaction) reply {
	switch in.Type {
	case discordgo.InteractionPing:
		return reply{initial: response{Type: callbackPong}, cancel: func() {}}
	case discordgo.InteractionApplicationCommandAutocomplete:
		return reply{initial: response{Type: callbackAutocomplete, Data: autocompleteData{Choices: zoneChoices(in)}}, cancel: func() {}}
	case discordgo.InteractionApplicationCommand:
		return c.command(h, in)
	}
	return reply{initial: response{Type: callbackMessage, Data: responseData{Content: "Unsupported interaction.",
		AllowedMentions: noMentions, Flags: flagEphemeral}}, cancel: func() {}}
}

// command runs a slash command. A command that answers within DeferAfter
// is answered at once; a slower one gets a deferred response, edited once
// the answer is ready. Answers that need several messages send the rest as
// followups.
func (c *Client) command(h Handler, in *discordgo.Interaction) reply {
	req := request(in)
	ctx, cancel := context.WithTimeout(c.base, answerWithin)
	done := make(chan bot.Response, 1)
	if !c.track() {
		cancel()
		return reply{initial: response{Type: callbackMessage, Data: responseData{Content: "sitrep is restarting; try again in a minute.",
			AllowedMentions: noMentions, Flags: flagEphemeral}}, cancel: func() {}}
	}
	go func() {
		defer c.wg.Done()
		done <- h.Handle(ctx, req)
	}()
	timer := time.NewTimer(c.opts.DeferAfter)
	defer timer.Stop()
	select {
	case resp := <-done:
		parts, flags := responseParts(resp, req.Lang)
		r := reply{initial: response{Type: callbackMessage, Data: messageData(parts[0], flags)}, cancel: cancel}
		if len(parts) > 1 {
			r.rest = func(ctx context.Context) { c.followups(ctx, in, parts[1:], flags) }
		}
		return r
	case <-timer.C:
		flags := 0
		if ephemeralCommand(req.Command) {
			flags = flagEphemeral
		}
		return reply{initial: response{Type: callbackDeferred, Data: responseData{AllowedMentions: noMentions, Flags: flags}},
			cancel: cancel, rest: func(ctx context.Context) { c.deferred(ctx, in, done, req.Lang, flags) }}
	}
}

// ephemeralCommand guesses, before the answer is known, whether a command's
// answer is for its user only: everything but what a channel may want to read.
func ephemeralCommand(name string) bool {
	return name != "latest" && name != "story" && name != "sources" && name != "help"
}

// deferred waits for the bot's answer, then edits the deferred response
// into it and sends any further messages as followups.
func (c *Client) deferred(ctx context.Context, in *discordgo.Interaction, done <-chan bot.Response, lang string, flags int) {
	var resp bot.Response
	select {
	case resp = <-done:
	case <-ctx.Done():
		return
	}
	parts, _ := responseParts(resp, lang)
	endpoint := discordgo.EndpointInteractionResponseActions(c.opts.ApplicationID, in.Token)
	if err := c.webhook(ctx, "edit interaction response", http.MethodPatch, endpoint, messageData(parts[0], 0)); err != nil {
		c.log.Warn("deferred answer failed", "platform", bot.Discord, "chat_id", in.ChannelID, "error", err)
		return
	}
	c.followups(ctx, in, parts[1:], flags)
}

// followups sends messages after the initial response.
func (c *Client) followups(ctx context.Context, in *discordgo.Interaction, parts []payload, flags int) {
	endpoint := discordgo.EndpointFollowupMessage(c.opts.ApplicationID, in.Token) + "?wait=true"
	for _, p := range parts {
		if err := c.webhook(ctx, "followup message", http.MethodPost, endpoint, messageData(p, flags)); err != nil {
			c.log.Warn("followup failed", "platform", bot.Discord, "chat_id", in.ChannelID, "error", err)
			return
		}
	}
}

// webhook makes one interaction webhook request. Discord may not know of an
// initial response for a moment after it was sent as an HTTP answer, so a
// 404 is tried again, up to three times over about a second.
func (c *Client) webhook(ctx context.Context, route, method, endpoint string, body any) error {
	delay := 150 * time.Millisecond
	for attempt := 0; ; attempt++ {
		_, err := c.do(ctx, route, method, endpoint, body)
		var ae *APIError
		if err == nil || attempt == 3 || !errors.As(err, &ae) || ae.Status != http.StatusNotFound {
			return err
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return err
		}
		delay *= 2
	}
}

func messageData(p payload, flags int) responseData {
	return responseData{Content: p.Content, Embeds: p.Embeds, AllowedMentions: noMentions, Flags: flags}
}

// responseParts renders the bot's answer: settings answers are ephemeral,
// /latest and /story are for the channel.
func responseParts(resp bot.Response, lang string) ([]payload, int) {
	m := bot.Message{Kind: bot.KindText, Text: resp.Text, Lang: lang}
	switch {
	case resp.Digest != nil:
		m.Kind, m.Digest = bot.KindDigest, resp.Digest
	case resp.Development != nil:
		m.Kind, m.Development = bot.KindStory, resp.Development
	}
	flags := 0
	if resp.Ephemeral {
		flags = flagEphemeral
	}
	return render(m), flags
}

// request turns an application command into the bot's Request. In a guild
// the member's permissions in the channel, as Discord computed them for
// this interaction, say whether they may change its subscription.
func request(in *discordgo.Interaction) bot.Request {
	data := in.ApplicationCommandData()
	r := bot.Request{Platform: bot.Discord, ChatID: in.ChannelID, Command: data.Name, Args: args(data.Options),
		MessageID: in.ID, ChatKind: bot.ChatPrivate}
	if strings.HasPrefix(string(in.Locale), "uk") {
		r.Lang = "uk"
	}
	if in.User != nil {
		r.UserID = in.User.ID
	}
	if in.GuildID != "" {
		r.ChatKind = bot.ChatGroup
		var perms int64
		if in.Member != nil {
			perms = in.Member.Permissions
			if in.Member.User != nil {
				r.UserID = in.Member.User.ID
			}
		}
		admin := perms&(permManageChannel|permAdministrator) != 0
		r.IsAdmin = func(context.Context) (bool, error) { return admin, nil }
	}
	return r
}

// args flattens options into the words the bot reads: a subcommand's name,
// then its options' values.
func args(opts []*discordgo.ApplicationCommandInteractionDataOption) []string {
	var out []string
	for _, o := range opts {
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
			out = append(out, o.Name)
			out = append(out, args(o.Options)...)
		default:
			out = append(out, optionValue(o.Value))
		}
	}
	return out
}

func optionValue(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

// commonZones are offered before anything is typed.
var commonZones = []string{"Europe/Kyiv", "Europe/Warsaw", "Europe/Berlin", "Europe/London", "Europe/Paris",
	"Europe/Vilnius", "Europe/Chisinau", "America/New_York", "America/Toronto", "UTC"}

// zoneChoices suggests time zones for the option being typed:
// https://discord.com/developers/docs/interactions/application-commands#autocomplete
func zoneChoices(in *discordgo.Interaction) []choiceBody {
	typed := ""
	for _, o := range flatOptions(in.ApplicationCommandData().Options) {
		if o.Focused {
			typed = optionValue(o.Value)
		}
	}
	zones := commonZones
	if typed != "" {
		zones = bot.ZoneSuggestions(typed, 25)
	}
	out := make([]choiceBody, 0, len(zones))
	for _, z := range zones {
		out = append(out, choiceBody{Name: z, Value: z})
	}
	return out
}

func flatOptions(opts []*discordgo.ApplicationCommandInteractionDataOption) []*discordgo.ApplicationCommandInteractionDataOption {
	var out []*discordgo.ApplicationCommandInteractionDataOption
	for _, o := range opts {
		out = append(out, o)
		out = append(out, flatOptions(o.Options)...)
	}
	return out
}
