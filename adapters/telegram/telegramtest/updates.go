package telegramtest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Update is an incoming update (https://core.telegram.org/bots/api#update):
// the kinds sitrep reads.
type Update struct {
	UpdateID     int64              `json:"update_id"`
	Message      *IncomingMessage   `json:"message,omitempty"`
	ChannelPost  *IncomingMessage   `json:"channel_post,omitempty"`
	MyChatMember *ChatMemberUpdated `json:"my_chat_member,omitempty"`
}

// ChatMemberUpdated is a change of the bot's own status in a chat
// (https://core.telegram.org/bots/api#chatmemberupdated), sent as
// my_chat_member.
type ChatMemberUpdated struct {
	Chat          Chat       `json:"chat"`
	From          User       `json:"from"`
	Date          int64      `json:"date"`
	OldChatMember ChatMember `json:"old_chat_member"`
	NewChatMember ChatMember `json:"new_chat_member"`
}

// ChatMember is a member of a chat (https://core.telegram.org/bots/api#chatmember)
// with the fields every kind has.
type ChatMember struct {
	Status string `json:"status"`
	User   User   `json:"user"`
}

// IncomingMessage is a message a user (or a channel) posted.
type IncomingMessage struct {
	MessageID       int      `json:"message_id"`
	MessageThreadID int      `json:"message_thread_id,omitempty"`
	IsTopicMessage  bool     `json:"is_topic_message,omitempty"`
	From            *User    `json:"from,omitempty"`
	SenderChat      *Chat    `json:"sender_chat,omitempty"`
	Date            int64    `json:"date"`
	Chat            Chat     `json:"chat"`
	Text            string   `json:"text,omitempty"`
	Entities        []Entity `json:"entities,omitempty"`
	MigrateToChatID int64    `json:"migrate_to_chat_id,omitempty"`
}

// kind names the update's type, as allowed_updates does.
func (u Update) kind() string {
	switch {
	case u.ChannelPost != nil:
		return "channel_post"
	case u.MyChatMember != nil:
		return "my_chat_member"
	}
	return "message"
}

// WebhookDelivery is the outcome of one update the server posted to the webhook.
type WebhookDelivery struct {
	UpdateID int64
	Status   int    // the webhook's HTTP status, 0 when it could not be reached
	Err      string // why it could not be reached
}

// updateQueue holds pending updates and the webhook.
type updateQueue struct {
	mu             sync.Mutex
	pending        []Update
	nextID         int64
	changed        chan struct{} // closed and replaced when pending grows
	closed         chan struct{}
	poll           chan struct{} // closed to end the waiting getUpdates
	allowed        []string
	webhookURL     string
	webhookSecret  string
	deliverMu      sync.Mutex // one webhook delivery at a time, in order
	deliveries     []WebhookDelivery
	webhookTimeout time.Duration
}

func newUpdateQueue() updateQueue {
	return updateQueue{nextID: 100001, changed: make(chan struct{}), closed: make(chan struct{}), webhookTimeout: 10 * time.Second}
}

func (q *updateQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	select {
	case <-q.closed:
	default:
		close(q.closed)
	}
}

func init() {
	handlers["getUpdates"] = (*Server).getUpdates
	handlers["setWebhook"] = (*Server).setWebhook
	handlers["deleteWebhook"] = (*Server).deleteWebhook
	handlers["getWebhookInfo"] = (*Server).getWebhookInfo
}

// InjectMessage makes user from post text in chat (a private chat, group
// or supergroup) and returns the update id. A leading /command gets its
// bot_command entity, as Telegram marks it.
func (s *Server) InjectMessage(chat Chat, from User, text string) int64 {
	return s.Inject(Update{Message: &IncomingMessage{Chat: chat, From: &from, Text: text}})
}

// InjectChannelPost makes a channel's administrators post text in it.
func (s *Server) InjectChannelPost(channel Chat, text string) int64 {
	return s.Inject(Update{ChannelPost: &IncomingMessage{Chat: channel, SenderChat: &channel, Text: text}})
}

// Inject queues an update: the server fills in the update id, the message
// id, the date and command entities. The chat and the sender become known.
// With a webhook set, pending updates are posted to it before Inject returns.
func (s *Server) Inject(u Update) int64 {
	if m := cmp.Or(u.Message, u.ChannelPost); m != nil {
		s.mu.Lock()
		c := s.chat(m.Chat)
		c.nextMsgID++
		m.MessageID, m.Date = c.nextMsgID, s.opts.Now().Unix()
		if m.From != nil {
			s.users[m.From.ID] = *m.From
		}
		s.mu.Unlock()
		if m.Entities == nil && strings.HasPrefix(m.Text, "/") {
			cmd, _, _ := strings.Cut(m.Text, " ")
			m.Entities = []Entity{{Type: "bot_command", Offset: 0, Length: UTF16Len(cmd)}}
		}
	}
	if cm := u.MyChatMember; cm != nil {
		cm.Date = s.opts.Now().Unix()
	}
	q := &s.updates
	q.mu.Lock()
	u.UpdateID = q.nextID
	q.nextID++
	q.pending = append(q.pending, u)
	close(q.changed)
	q.changed = make(chan struct{})
	hooked := q.webhookURL != ""
	q.mu.Unlock()
	if hooked {
		s.deliverWebhook()
	}
	return u.UpdateID
}

// getUpdates implements https://core.telegram.org/bots/api#getupdates:
// offset confirms earlier updates (a negative one keeps the last -offset),
// limit caps the answer, timeout long-polls, allowed_updates filters, and a
// newer call ends a waiting one with 409, as does an active webhook.
func (s *Server) getUpdates(p params) (any, *apiError) {
	q := &s.updates
	q.mu.Lock()
	if q.webhookURL != "" {
		q.mu.Unlock()
		return nil, &apiError{Code: 409, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	q.confirm(p.int("offset"))
	if p.has("allowed_updates") {
		p.object("allowed_updates", &q.allowed)
	}
	if q.poll != nil {
		close(q.poll)
	}
	mine := make(chan struct{})
	q.poll = mine
	q.mu.Unlock()
	defer func() {
		q.mu.Lock()
		if q.poll == mine {
			q.poll = nil
		}
		q.mu.Unlock()
	}()

	limit := int(p.int("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timer := time.NewTimer(min(time.Duration(p.int("timeout"))*time.Second, s.opts.LongPollMax))
	defer timer.Stop()
	for {
		q.mu.Lock()
		out := q.ready(limit)
		changed := q.changed
		q.mu.Unlock()
		if len(out) > 0 || p.int("timeout") <= 0 {
			return out, nil
		}
		select {
		case <-changed:
		case <-mine:
			return nil, &apiError{Code: 409, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		case <-timer.C:
			return []Update{}, nil
		case <-q.closed:
			return []Update{}, nil
		case <-p.ctx.Done():
			return []Update{}, nil
		}
	}
}

// confirm forgets the updates an offset confirms. The caller holds q.mu.
func (q *updateQueue) confirm(offset int64) {
	switch {
	case offset > 0:
		q.pending = slices.DeleteFunc(q.pending, func(u Update) bool { return u.UpdateID < offset })
	case offset < 0 && int64(len(q.pending)) > -offset:
		q.pending = q.pending[int64(len(q.pending))+offset:]
	}
}

// ready returns up to limit pending updates of the allowed kinds, dropping
// the others. The caller holds q.mu.
func (q *updateQueue) ready(limit int) []Update {
	if len(q.allowed) > 0 {
		q.pending = slices.DeleteFunc(q.pending, func(u Update) bool { return !slices.Contains(q.allowed, u.kind()) })
	}
	return slices.Clone(q.pending[:min(limit, len(q.pending))])
}

var secretTokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// setWebhook implements https://core.telegram.org/bots/api#setwebhook. Plain
// http URLs are accepted so tests can use httptest servers.
func (s *Server) setWebhook(p params) (any, *apiError) {
	raw := p.str("url")
	if raw == "" {
		return s.deleteWebhook(p)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, s.violation(badRequest("bad webhook: an HTTPS URL must be provided for webhook"), "setWebhook")
	}
	secret := p.str("secret_token")
	if p.has("secret_token") && !secretTokenRE.MatchString(secret) {
		return nil, s.violation(badRequest("secret token contains unallowed characters"), "setWebhook")
	}
	q := &s.updates
	q.mu.Lock()
	defer q.mu.Unlock()
	q.webhookURL, q.webhookSecret = raw, secret
	if p.has("allowed_updates") {
		p.object("allowed_updates", &q.allowed)
	}
	if p.bool("drop_pending_updates") {
		q.pending = nil
	}
	if q.poll != nil {
		close(q.poll)
		q.poll = nil
	}
	return true, nil
}

// deleteWebhook implements https://core.telegram.org/bots/api#deletewebhook.
func (s *Server) deleteWebhook(p params) (any, *apiError) {
	q := &s.updates
	q.mu.Lock()
	defer q.mu.Unlock()
	q.webhookURL, q.webhookSecret = "", ""
	if p.bool("drop_pending_updates") {
		q.pending = nil
	}
	return true, nil
}

// getWebhookInfo implements https://core.telegram.org/bots/api#getwebhookinfo.
func (s *Server) getWebhookInfo(params) (any, *apiError) {
	q := &s.updates
	q.mu.Lock()
	defer q.mu.Unlock()
	return map[string]any{"url": q.webhookURL, "has_custom_certificate": false, "pending_update_count": len(q.pending)}, nil
}

// Pending counts the updates not yet confirmed by getUpdates or delivered
// to the webhook.
func (s *Server) Pending() int {
	q := &s.updates
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}

// Webhook returns the webhook URL and secret token set ("" when none).
func (s *Server) Webhook() (url, secret string) {
	q := &s.updates
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.webhookURL, q.webhookSecret
}

// WebhookDeliveries returns the outcome of every webhook delivery, in order.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	q := &s.updates
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.deliveries)
}

// deliverWebhook posts every pending update to the webhook, in order, once
// each, with the secret token header; each outcome is recorded.
func (s *Server) deliverWebhook() {
	q := &s.updates
	q.deliverMu.Lock()
	defer q.deliverMu.Unlock()
	q.mu.Lock()
	pending, target, secret := q.pending, q.webhookURL, q.webhookSecret
	q.pending = nil
	q.mu.Unlock()
	client := &http.Client{Timeout: q.webhookTimeout}
	for _, u := range pending {
		d := WebhookDelivery{UpdateID: u.UpdateID}
		if err := postUpdate(client, target, secret, u, &d.Status); err != nil {
			d.Err = err.Error()
		}
		q.mu.Lock()
		q.deliveries = append(q.deliveries, d)
		q.mu.Unlock()
	}
}

func postUpdate(client *http.Client, target, secret string, u Update, status *int) error {
	body, err := json.Marshal(u)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook unreachable: %w", err)
	}
	resp.Body.Close()
	*status = resp.StatusCode
	return nil
}
