package telegram

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/sitrepbot/sitrep/bot"
)

// update is an incoming update (https://core.telegram.org/bots/api#update):
// the kinds sitrep reads. The library's Message predates forum topics, so
// it is extended with them.
type update struct {
	UpdateID     int64                       `json:"update_id"`
	Message      *message                    `json:"message,omitempty"`
	ChannelPost  *message                    `json:"channel_post,omitempty"`
	MyChatMember *tgbotapi.ChatMemberUpdated `json:"my_chat_member,omitempty"`
}

type message struct {
	tgbotapi.Message
	MessageThreadID int64 `json:"message_thread_id,omitempty"`
	IsTopicMessage  bool  `json:"is_topic_message,omitempty"`
}

// Handler answers commands and learns of chats that changed; *bot.Bot is one.
type Handler interface {
	Handle(ctx context.Context, r bot.Request) bot.Response
	Reply(ctx context.Context, r bot.Request, resp bot.Response) error
	ChatChanged(ctx context.Context, ev bot.ChatEvent) error
}

// known is every command the bot answers.
var known = func() []string {
	names := []string{"start"}
	for _, c := range bot.Commands() {
		names = append(names, c.Name)
	}
	return names
}()

// request turns a message into the command it carries. It reports false for
// a message that is not a command, is a command addressed to another bot
// (/cmd@OtherBot), or is an unknown command not addressed to this bot in a
// group or channel (it may be another bot's).
func (c *Client) request(m *message, channel bool) (bot.Request, bool) {
	if m == nil || m.Chat == nil {
		return bot.Request{}, false
	}
	name, args, addressed, ok := parseCommand(m.Text, c.self.UserName)
	if !ok {
		return bot.Request{}, false
	}
	kind := chatKind(m.Chat.Type)
	if !addressed && kind != bot.ChatPrivate && !slices.Contains(known, name) {
		return bot.Request{}, false
	}
	r := bot.Request{Platform: bot.Telegram, ChatID: strconv.FormatInt(m.Chat.ID, 10), ChatKind: kind,
		ChatTitle: m.Chat.Title, Command: name, Args: args, MessageID: strconv.Itoa(m.MessageID)}
	if m.IsTopicMessage && m.MessageThreadID != 0 {
		r.ThreadID = strconv.FormatInt(m.MessageThreadID, 10)
	}
	if m.From != nil {
		r.UserID = strconv.FormatInt(m.From.ID, 10)
		r.Lang, _, _ = strings.Cut(strings.ToLower(m.From.LanguageCode), "-")
	}
	r.IsAdmin = c.isAdmin(m, channel)
	return r, true
}

// parseCommand reads "/name[@bot] args…". addressed reports an @bot suffix
// naming this bot; a suffix naming another bot is not a command for us.
// "/story_ID" (what digests show, tappable) is "/story ID".
func parseCommand(text, self string) (name string, args []string, addressed, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") {
		return "", nil, false, false
	}
	token, rest := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		token, rest = text[:i], text[i:]
	}
	name, at, hasAt := strings.Cut(token[1:], "@")
	if hasAt {
		if self == "" || !strings.EqualFold(at, self) {
			return "", nil, false, false
		}
		addressed = true
	}
	name = strings.ToLower(name)
	if name == "" {
		return "", nil, false, false
	}
	for _, f := range strings.Fields(rest) {
		if f = strings.Trim(f, ",;"); f != "" {
			args = append(args, f)
		}
	}
	if id, ok := strings.CutPrefix(name, "story_"); ok && id != "" {
		name, args = "story", append([]string{id}, args...)
	}
	return name, args, addressed, true
}

func chatKind(t string) bot.ChatKind {
	switch t {
	case "private":
		return bot.ChatPrivate
	case "channel":
		return bot.ChatChannel
	}
	return bot.ChatGroup
}

// adminStatuses are the getChatMember statuses that may change a chat's subscription.
var adminStatuses = []string{"creator", "administrator"}

// isAdmin says whether the sender of m administers its chat:
//   - a channel post is made by the channel, which only its administrators
//     can do: admin when sender_chat is the channel itself;
//   - a group message sent on behalf of the group (an anonymous
//     administrator) is admin; one sent on behalf of another chat (a linked
//     channel, a user posting as their channel) is not;
//   - otherwise the user's status, asked with getChatMember
//     (https://core.telegram.org/bots/api#getchatmember).
func (c *Client) isAdmin(m *message, channel bool) func(context.Context) (bool, error) {
	chatID := m.Chat.ID
	if channel || m.SenderChat != nil {
		ok := m.SenderChat != nil && m.SenderChat.ID == chatID
		return func(context.Context) (bool, error) { return ok, nil }
	}
	if m.From == nil {
		return func(context.Context) (bool, error) { return false, nil }
	}
	userID := m.From.ID
	return func(ctx context.Context) (bool, error) {
		var member tgbotapi.ChatMember
		params := tgbotapi.Params{"chat_id": strconv.FormatInt(chatID, 10), "user_id": strconv.FormatInt(userID, 10)}
		if err := c.call(ctx, "getChatMember", params, c.opts.RequestTimeout, &member); err != nil {
			return false, err
		}
		return slices.Contains(adminStatuses, member.Status), nil
	}
}
