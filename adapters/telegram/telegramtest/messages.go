package telegramtest

import (
	"fmt"
	"slices"
	"time"
)

// Message is a message the bot sent or edited, as the server received it.
type Message struct {
	Method    string // sendMessage or editMessageText
	ChatID    int64
	MessageID int
	ThreadID  int
	ReplyTo   int // reply_parameters.message_id
	// AllowWithoutReply is reply_parameters.allow_sending_without_reply.
	AllowWithoutReply bool
	Text              string // as sent
	ParseMode         string
	Parsed            ParsedText // the text after entity parsing
	PreviewDisabled   bool       // link_preview_options.is_disabled
	At                time.Time
}

// Messages returns the messages sent or edited in a chat, in order.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// AllMessages returns every message sent or edited, in order.
func (s *Server) AllMessages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

func init() {
	handlers["sendMessage"] = (*Server).sendMessage
	handlers["editMessageText"] = (*Server).editMessageText
}

type replyParameters struct {
	MessageID                int  `json:"message_id"`
	AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
}

type linkPreviewOptions struct {
	IsDisabled bool `json:"is_disabled"`
}

// sendMessage implements https://core.telegram.org/bots/api#sendmessage.
func (s *Server) sendMessage(p params) (any, *apiError) {
	m, parsed, c, apiErr := s.checkOutgoing("sendMessage", p)
	if apiErr != nil {
		return nil, apiErr
	}
	var rp replyParameters
	if p.object("reply_parameters", &rp) {
		if !c.hasMessage(rp.MessageID) && !rp.AllowSendingWithoutReply {
			s.mu.Unlock()
			return nil, badRequest("message to be replied not found")
		}
		m.ReplyTo, m.AllowWithoutReply = rp.MessageID, rp.AllowSendingWithoutReply
	}
	c.nextMsgID++
	m.MessageID = c.nextMsgID
	c.texts[m.MessageID] = m.Text
	s.messages = append(s.messages, m)
	result := s.messageJSON(c, m, parsed)
	s.mu.Unlock()
	return result, nil
}

// editMessageText implements https://core.telegram.org/bots/api#editmessagetext
// for messages the bot sent (not inline messages).
func (s *Server) editMessageText(p params) (any, *apiError) {
	if !p.has("chat_id") || !p.has("message_id") {
		return nil, s.violation(badRequest("chat_id and message_id are required here (inline messages are not supported)"), "editMessageText")
	}
	m, parsed, c, apiErr := s.checkOutgoing("editMessageText", p)
	if apiErr != nil {
		return nil, apiErr
	}
	defer s.mu.Unlock()
	m.MessageID = int(p.int("message_id"))
	old, ok := c.texts[m.MessageID]
	switch {
	case !ok:
		return nil, badRequest("message to edit not found")
	case old == m.Text:
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	c.texts[m.MessageID] = m.Text
	s.messages = append(s.messages, m)
	return s.messageJSON(c, m, parsed), nil
}

// checkOutgoing checks what sendMessage and editMessageText share: the
// text, the chat and the flood limits. On success it returns with s.mu held.
func (s *Server) checkOutgoing(method string, p params) (Message, ParsedText, *chatState, *apiError) {
	m := Message{Method: method, Text: p.str("text"), ParseMode: p.str("parse_mode"),
		ThreadID: int(p.int("message_thread_id")), At: s.opts.Now()}
	var lp linkPreviewOptions
	if p.object("link_preview_options", &lp) {
		m.PreviewDisabled = lp.IsDisabled
	}
	parsed, err := CheckMessageText(m.Text, m.ParseMode)
	if err != nil {
		return m, parsed, nil, s.violation(badRequest("%v", err), method)
	}
	m.Parsed = parsed
	s.mu.Lock()
	c, apiErr := s.lookupChat(p.str("chat_id"))
	if apiErr == nil && c.Type == "channel" && m.ThreadID != 0 {
		apiErr = badRequest("message thread not found")
	}
	if apiErr == nil {
		if wait, ok := s.limits.allow(c.ID, c.isGroup(), m.At); !ok {
			s.rateLimited++
			apiErr = &apiError{Code: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", seconds(wait)), RetryAfter: seconds(wait)}
		}
	}
	if apiErr != nil {
		s.mu.Unlock()
		return m, parsed, nil, apiErr
	}
	m.ChatID = c.ID
	return m, parsed, c, nil
}

// hasMessage reports whether a message id was used in the chat.
func (c *chatState) hasMessage(id int) bool { return id > 0 && id <= c.nextMsgID }

// messageJSON is the Message object a send or edit returns.
func (s *Server) messageJSON(c *chatState, m Message, parsed ParsedText) map[string]any {
	out := map[string]any{"message_id": m.MessageID, "date": m.At.Unix(), "chat": c.Chat, "text": parsed.Text}
	if c.Type == "channel" {
		out["sender_chat"] = c.Chat
	} else {
		out["from"] = s.Bot()
	}
	if len(parsed.Entities) > 0 {
		out["entities"] = parsed.Entities
	}
	if m.ThreadID != 0 {
		out["message_thread_id"] = m.ThreadID
	}
	if m.Method == "editMessageText" {
		out["edit_date"] = m.At.Unix()
	}
	return out
}

// WaitMessages waits until a chat has at least n messages, or fails the
// test after timeout, and returns them.
func (s *Server) WaitMessages(chatID int64, n int, timeout time.Duration) []Message {
	s.tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := s.Messages(chatID)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			s.tb.Fatalf("telegramtest: chat %d has %d message(s) after %s, want %d: %v", chatID, len(got), timeout, n, texts(got))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func texts(ms []Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Parsed.Text
	}
	return out
}
