package discordtest

import (
	"encoding/json"
	"net/http"
	"time"
)

// Message is a message as the fake keeps it.
type Message struct {
	ID        string
	ChannelID string
	Content   string
	Embeds    []Embed
	Flags     int
	Nonce     string
	Mentions  json.RawMessage // allowed_mentions as sent
	Created   time.Time
	Edits     int
}

// Embed is the part of an embed sitrep sends.
type Embed struct {
	Title       string `json:"title,omitempty"`
	URL         string `json:"url,omitempty"`
	Description string `json:"description,omitempty"`
	Color       int    `json:"color,omitempty"`
	Timestamp   string `json:"timestamp,omitempty"`
	Footer      *struct {
		Text string `json:"text"`
	} `json:"footer,omitempty"`
}

// channel is what the fake knows of one channel: whether the bot may post
// to it, and what was posted there (by the bot's REST calls; interaction
// responses are kept on their Exchange).
type channel struct {
	gone     int // 0 = usable, else the error code: 10003, 50001 or 50013
	hang     int // answers to withhold after accepting the message
	messages []*Message
}

type nonceEntry struct {
	msg *Message
	at  time.Time
}

// channel returns the channel's record, creating it; call with s.mu held.
// Every channel id exists until scripted otherwise.
func (s *Server) channel(id string) *channel {
	ch := s.chans[id]
	if ch == nil {
		ch = &channel{}
		s.chans[id] = ch
	}
	return ch
}

// DeleteChannel makes the channel unknown: 404 Unknown Channel (10003),
// and tells the gateway's sessions (CHANNEL_DELETE, in the Guilds intent).
func (s *Server) DeleteChannel(id string) {
	s.setGone(id, 10003)
	data, _ := json.Marshal(map[string]any{"id": id, "type": 0, "name": "news"})
	s.gw.dispatch("CHANNEL_DELETE", data) // no session: nobody to tell
}

// RemoveAccess takes the bot out of the channel: 403 Missing Access (50001).
func (s *Server) RemoveAccess(id string) { s.setGone(id, 50001) }

// RemovePermissions takes the bot's Send Messages permission: 403 Missing Permissions (50013).
func (s *Server) RemovePermissions(id string) { s.setGone(id, 50013) }

func (s *Server) setGone(id string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channel(id).gone = code
}

// HangAfterAccept makes the next n messages posted to the channel be
// created but their answers withheld until the client gives up: a response
// lost after the message was posted.
func (s *Server) HangAfterAccept(channelID string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channel(channelID).hang += n
}

// Messages returns the messages the bot posted to a channel, in order.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.chans[channelID]
	if ch == nil {
		return nil
	}
	out := make([]Message, len(ch.messages))
	for i, m := range ch.messages {
		out[i] = *m
	}
	return out
}

var channelErrors = map[int]struct {
	status  int
	message string
}{
	10003: {http.StatusNotFound, "Unknown Channel"},
	50001: {http.StatusForbidden, "Missing Access"},
	50013: {http.StatusForbidden, "Missing Permissions"},
}

// createMessage implements POST /channels/{channel_id}/messages:
// https://discord.com/developers/docs/resources/message#create-message
func (s *Server) createMessage(c *call) {
	id := c.vars["channel_id"]
	if isEmptyMessage(c.body) {
		s.reject(c, "POST "+c.op.Path+": Cannot send an empty message (50006)")
		return
	}
	nonce, _ := c.body["nonce"].(string)
	enforce, _ := c.body["enforce_nonce"].(bool)
	s.mu.Lock()
	ch := s.channel(id)
	if e, ok := channelErrors[ch.gone]; ok {
		s.mu.Unlock()
		s.reply(c, e.status, apiError(ch.gone, e.message))
		return
	}
	now := s.opts.Now()
	key := id + "\x00" + nonce
	if prev, ok := s.nonces[key]; ok && enforce && nonce != "" && now.Sub(prev.at) < s.opts.NonceWindow {
		out := s.messageJSON(prev.msg)
		s.mu.Unlock()
		s.reply(c, http.StatusOK, out)
		return
	}
	m := &Message{ID: s.newID(), ChannelID: id, Nonce: nonce, Created: now}
	applyMessage(m, c.body)
	ch.messages = append(ch.messages, m)
	s.byID[m.ID] = m
	if nonce != "" {
		s.nonces[key] = nonceEntry{msg: m, at: now}
	}
	hang := ch.hang > 0
	if hang {
		ch.hang--
	}
	out := s.messageJSON(m)
	s.notify()
	s.mu.Unlock()
	if hang {
		select { // the client times out, or the server stops
		case <-c.r.Context().Done():
		case <-s.done:
		}
		return
	}
	s.reply(c, http.StatusOK, out)
}

// editMessage implements PATCH /channels/{channel_id}/messages/{message_id}:
// https://discord.com/developers/docs/resources/message#edit-message
func (s *Server) editMessage(c *call) {
	s.mu.Lock()
	ch := s.channel(c.vars["channel_id"])
	if e, ok := channelErrors[ch.gone]; ok {
		s.mu.Unlock()
		s.reply(c, e.status, apiError(ch.gone, e.message))
		return
	}
	m := s.byID[c.vars["message_id"]]
	if m == nil || m.ChannelID != c.vars["channel_id"] {
		s.mu.Unlock()
		s.reply(c, http.StatusNotFound, apiError(10008, "Unknown Message"))
		return
	}
	applyMessage(m, c.body)
	m.Edits++
	out := s.messageJSON(m)
	s.notify()
	s.mu.Unlock()
	s.reply(c, http.StatusOK, out)
}

// applyMessage sets the fields a create or edit body carries.
func applyMessage(m *Message, body map[string]any) {
	if v, ok := body["content"]; ok {
		m.Content, _ = v.(string)
	}
	if v, ok := body["embeds"]; ok {
		m.Embeds = nil
		raw, _ := json.Marshal(v)
		json.Unmarshal(raw, &m.Embeds)
	}
	if v, ok := body["flags"].(json.Number); ok {
		f, _ := v.Int64()
		m.Flags = int(f)
	}
	if v, ok := body["allowed_mentions"]; ok {
		m.Mentions, _ = json.Marshal(v)
	}
}

// messageJSON is the message object Discord returns; call with s.mu held.
func (s *Server) messageJSON(m *Message) map[string]any {
	out := map[string]any{"id": m.ID, "channel_id": m.ChannelID, "type": 0, "content": m.Content,
		"embeds": m.Embeds, "flags": m.Flags, "author": s.botUser(), "timestamp": m.Created.UTC().Format(time.RFC3339Nano),
		"edited_timestamp": nil, "tts": false, "mention_everyone": false, "mentions": []any{}, "mention_roles": []any{},
		"attachments": []any{}, "pinned": false}
	if m.Embeds == nil {
		out["embeds"] = []any{}
	}
	if m.Nonce != "" {
		out["nonce"] = m.Nonce
	}
	return out
}
