package telegramtest

import (
	"strconv"
	"strings"
)

// Chat is a chat as the Bot API describes it.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"` // private, group, supergroup or channel
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	IsForum   bool   `json:"is_forum,omitempty"`
}

// User is a user or bot as the Bot API describes it.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Member statuses, as getChatMember reports them.
const (
	StatusCreator       = "creator"
	StatusAdministrator = "administrator"
	StatusMember        = "member"
	StatusLeft          = "left"
	StatusKicked        = "kicked"
)

// Convenience constructors for tests.

// PrivateChat is the private chat of a user with the bot.
func PrivateChat(u User) Chat { return Chat{ID: u.ID, Type: "private", FirstName: u.FirstName} }

// Group is a basic group (negative id); Supergroup and Channel ids start with -100.
func Group(id int64, title string) Chat { return Chat{ID: id, Type: "group", Title: title} }

// Supergroup is a supergroup chat.
func Supergroup(id int64, title string) Chat { return Chat{ID: id, Type: "supergroup", Title: title} }

// Channel is a broadcast channel.
func Channel(id int64, title string) Chat { return Chat{ID: id, Type: "channel", Title: title} }

// chatState is what the server knows of one chat.
type chatState struct {
	Chat
	gone       *apiError // set: every call about the chat fails so
	migratedTo int64
	members    map[int64]string
	nextMsgID  int
	texts      map[int]string // the bot's messages by id, for edits
}

// chat returns the state of a chat, creating it when it is new.
// The caller holds s.mu.
func (s *Server) chat(c Chat) *chatState {
	st, ok := s.chats[c.ID]
	if !ok {
		st = &chatState{Chat: c, members: map[int64]string{}, texts: map[int]string{}}
		s.chats[c.ID] = st
	}
	return st
}

// AddChat makes a chat known to the server, as if the bot had joined it.
// Messages to a chat the server does not know fail with "chat not found".
func (s *Server) AddChat(c Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chat(c)
}

// SetMember sets a user's status in a chat (creator, administrator, member,
// left, kicked); users not set are members.
func (s *Server) SetMember(chatID int64, u User, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
	st := s.chatByID(chatID)
	st.members[u.ID] = status
}

func (s *Server) chatByID(id int64) *chatState {
	typ := "private"
	if id < 0 {
		typ = "group"
	}
	return s.chat(Chat{ID: id, Type: typ})
}

// Block makes the user of a private chat block the bot: sends fail with
// 403 "bot was blocked by the user", and the bot gets a my_chat_member
// update saying it was kicked.
func (s *Server) Block(chatID int64) {
	s.script(chatID, &apiError{Code: 403, Description: "Forbidden: bot was blocked by the user"})
	s.mu.Lock()
	chat := s.chatByID(chatID).Chat
	user := s.users[chatID]
	s.mu.Unlock()
	s.injectMyStatus(chat, user, StatusMember, StatusKicked)
}

// Kick removes the bot from a group, supergroup or channel: sends fail with
// 403, and the bot gets a my_chat_member update (kicked from a group, left
// a channel).
func (s *Server) Kick(chatID int64) {
	s.mu.Lock()
	chat := s.chatByID(chatID).Chat
	s.mu.Unlock()
	if chat.Type == "channel" {
		s.script(chatID, &apiError{Code: 403, Description: "Forbidden: bot is not a member of the channel chat"})
		s.injectMyStatus(chat, chatAdmin, StatusAdministrator, StatusLeft)
		return
	}
	s.script(chatID, &apiError{Code: 403, Description: "Forbidden: bot was kicked from the " + chat.Type + " chat"})
	s.injectMyStatus(chat, chatAdmin, StatusMember, StatusKicked)
}

// chatAdmin is who removes the bot from a group or channel.
var chatAdmin = User{ID: 1, FirstName: "Admin"}

// injectMyStatus queues the my_chat_member update of the bot's status in
// chat changing from was to is, by from.
func (s *Server) injectMyStatus(chat Chat, from User, was, is string) {
	me := s.Bot()
	s.Inject(Update{MyChatMember: &ChatMemberUpdated{Chat: chat, From: from,
		OldChatMember: ChatMember{Status: was, User: me}, NewChatMember: ChatMember{Status: is, User: me}}})
}

// DeleteChat deletes a chat: calls about it fail with 400 "chat not found".
func (s *Server) DeleteChat(chatID int64) {
	s.script(chatID, &apiError{Code: 400, Description: "Bad Request: chat not found"})
}

func (s *Server) script(chatID int64, e *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatByID(chatID).gone = e
}

// Migrate upgrades a group to a supergroup with newID: calls about the old
// id fail with 400 and migrate_to_chat_id; the new chat keeps the title and
// members; the bot gets the old group's service message with
// migrate_to_chat_id.
func (s *Server) Migrate(oldID, newID int64) {
	s.mu.Lock()
	old := s.chatByID(oldID)
	old.migratedTo = newID
	old.gone = &apiError{Code: 400, Description: "Bad Request: group chat was upgraded to a supergroup chat", MigrateTo: newID}
	nc := s.chat(Chat{ID: newID, Type: "supergroup", Title: old.Title})
	for u, st := range old.members {
		nc.members[u] = st
	}
	chat, from := old.Chat, chatAdmin
	s.mu.Unlock()
	s.Inject(Update{Message: &IncomingMessage{Chat: chat, From: &from, MigrateToChatID: newID}})
}

// lookupChat finds the chat a chat_id parameter names (an id or @username)
// and answers as Telegram does for a chat that is unknown, gone or migrated.
// The caller holds s.mu.
func (s *Server) lookupChat(ref string) (*chatState, *apiError) {
	if name, ok := strings.CutPrefix(ref, "@"); ok {
		for _, c := range s.chats {
			if strings.EqualFold(c.Username, name) {
				return c, c.gone
			}
		}
		return nil, badRequest("chat not found")
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return nil, badRequest("chat_id %q is neither an id nor an @username", ref)
	}
	c, ok := s.chats[id]
	if !ok {
		return nil, badRequest("chat not found")
	}
	return c, c.gone
}

// isGroup reports whether the group flood limit applies to the chat.
func (c *chatState) isGroup() bool { return c.Type != "private" }
