package discord

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/sitrepbot/sitrep/bot"
)

// noMentions lets nothing in a message ping anyone. (discordgo's zero
// MessageAllowedMentions would send "parse": null, which allows them.)
var noMentions = allowedMentions{Parse: []string{}}

type allowedMentions struct {
	Parse []string `json:"parse"`
}

// messageBody is what sitrep posts to a channel:
// https://discord.com/developers/docs/resources/message#create-message
type messageBody struct {
	Content          string                    `json:"content,omitempty"`
	Embeds           []*discordgo.MessageEmbed `json:"embeds,omitempty"`
	AllowedMentions  allowedMentions           `json:"allowed_mentions"`
	Nonce            string                    `json:"nonce,omitempty"`
	EnforceNonce     bool                      `json:"enforce_nonce,omitempty"`
	MessageReference *messageReference         `json:"message_reference,omitempty"`
}

type messageReference struct {
	MessageID       string `json:"message_id"`
	FailIfNotExists bool   `json:"fail_if_not_exists"`
}

// editBody replaces a message's content and embeds:
// https://discord.com/developers/docs/resources/message#edit-message
type editBody struct {
	Content         string                    `json:"content"`
	Embeds          []*discordgo.MessageEmbed `json:"embeds"`
	AllowedMentions allowedMentions           `json:"allowed_mentions"`
}

// maxNonce is Discord's limit on a nonce's length.
const maxNonce = 25

// nonce derives the nonce of part i of a delivery from its key: the same on
// every retry, different for every delivery and part, at most 25 characters.
func nonce(key bot.DeliveryKey, part int) string {
	sum := sha256.Sum256([]byte(key.String() + "\x00" + strconv.Itoa(part)))
	s := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:])
	return strings.ToLower(s[:maxNonce])
}

// partsTTL is how long the parts of a multi-message delivery are remembered.
const partsTTL = 48 * time.Hour

// Send implements bot.Messenger: it posts m to its channel (or thread) as
// one or more messages, each with a nonce derived from m.Key and
// enforce_nonce, so a send retried after a lost answer returns the message
// already posted instead of posting it again (Discord remembers a nonce for a
// few minutes); with Options.Parts, parts known to be posted are skipped on
// any later retry. Parts are recorded in order, so the first part not
// recorded ends the lookups; the last part is not recorded, as its send
// completes the delivery, which the bot records (a one-message delivery
// records no part either). It returns *bot.ChatGoneError when the channel is deleted
// or the bot may no longer post there:
// https://discord.com/developers/docs/resources/message#create-message
func (c *Client) Send(ctx context.Context, m bot.Message) (bot.Sent, error) {
	channel := m.ChatID
	if m.ThreadID != "" {
		channel = m.ThreadID
	}
	parts := c.rendered(m)
	var sent bot.Sent
	posted := 0
	resuming := true // parts are recorded in order: after one that is not, none is
	for i, p := range parts {
		key := partKey(m.Key, i, len(parts))
		if resuming {
			if id := c.postedPart(ctx, key); id != "" {
				sent.MessageIDs = append(sent.MessageIDs, id)
				continue
			}
			resuming = false
		}
		if posted > 0 { // the first message's slot was taken before Send
			if err := bot.NextPart(ctx); err != nil {
				return sent, err
			}
		}
		body := messageBody{Content: p.Content, Embeds: p.Embeds, AllowedMentions: noMentions,
			Nonce: nonce(m.Key, i), EnforceNonce: true}
		if i == 0 && m.ReplyTo != "" {
			body.MessageReference = &messageReference{MessageID: m.ReplyTo}
		}
		raw, err := c.do(ctx, "create message", http.MethodPost, discordgo.EndpointChannelMessages(channel), body)
		if err != nil {
			return sent, channelError(err)
		}
		id, err := messageID(raw)
		if err != nil {
			return sent, err
		}
		sent.MessageIDs = append(sent.MessageIDs, id)
		posted++
		if i < len(parts)-1 { // the last one completes the delivery, which the bot records
			c.recordPart(ctx, key, id)
		}
	}
	return sent, nil
}

// Parts implements bot.MultiPart: the messages Send posts, or Edit
// replaces, for m (a digest is split over as many as Discord's limits require).
func (c *Client) Parts(m bot.Message) int { return len(c.rendered(m)) }

// partKey is the key under which part i of n of a delivery is remembered;
// nil when there is nothing to remember (one part, or no delivery key).
func partKey(k bot.DeliveryKey, i, n int) *bot.DeliveryKey {
	if n < 2 || k.DigestID == "" {
		return nil
	}
	return &bot.DeliveryKey{Platform: bot.Discord, ChatID: k.ChatID, DigestID: fmt.Sprintf("%s#part%d/%d", k.DigestID, i+1, n)}
}

// postedPart returns the id of a part recorded as posted, or "".
func (c *Client) postedPart(ctx context.Context, key *bot.DeliveryKey) string {
	if key == nil || c.opts.Parts == nil {
		return ""
	}
	rec, err := c.opts.Parts.GetDelivery(ctx, *key)
	if err != nil || len(rec.MessageIDs) == 0 {
		return ""
	}
	return rec.MessageIDs[0]
}

// recordPart remembers that a part was posted; a failure is logged, as the
// nonce still guards a retry for a few minutes.
func (c *Client) recordPart(ctx context.Context, key *bot.DeliveryKey, id string) {
	if key == nil || c.opts.Parts == nil {
		return
	}
	rec := bot.DeliveryRecord{Key: *key, MessageIDs: []string{id}, SentAt: c.now()}
	if _, err := c.opts.Parts.RecordDelivery(ctx, rec, partsTTL); err != nil {
		c.log.Warn("recording a posted part failed", "platform", bot.Discord, "chat_id", key.ChatID, "digest_id", key.DigestID, "error", err)
	}
}

// Edit implements bot.Messenger: it replaces the messages prev names with
// m rendered anew (a breaking alert that gained outlets). m must not render
// to more messages than prev has:
// https://discord.com/developers/docs/resources/message#edit-message
func (c *Client) Edit(ctx context.Context, prev bot.Sent, m bot.Message) error {
	channel := m.ChatID
	if m.ThreadID != "" {
		channel = m.ThreadID
	}
	parts := render(m)
	if len(parts) > len(prev.MessageIDs) {
		return fmt.Errorf("discord: edit: %d messages to replace %d", len(parts), len(prev.MessageIDs))
	}
	for i, p := range parts {
		body := editBody{Content: p.Content, Embeds: p.Embeds, AllowedMentions: noMentions}
		if body.Embeds == nil {
			body.Embeds = []*discordgo.MessageEmbed{}
		}
		endpoint := discordgo.EndpointChannelMessage(channel, prev.MessageIDs[i])
		if _, err := c.do(ctx, "edit message", http.MethodPatch, endpoint, body); err != nil {
			return channelError(err)
		}
	}
	return nil
}

func messageID(raw []byte) (string, error) {
	var msg struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &msg); err != nil || msg.ID == "" {
		return "", fmt.Errorf("discord: a message answer without an id: %w: %v", bot.ErrTemporary, err)
	}
	return msg.ID, nil
}
