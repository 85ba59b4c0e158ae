package telegram

import (
	"strconv"

	"github.com/sitrepbot/sitrep/bot"
)

// Telegram tells the bot when it was blocked or removed from a chat (a
// my_chat_member update, https://core.telegram.org/bots/api#chatmemberupdated)
// and when a group became a supergroup (a service message with
// migrate_to_chat_id). sitrep acts on both at once, so that no digest is
// sent into the void first.

// chatEvent reads the chat event an update carries, if any.
func chatEvent(u update) (bot.ChatEvent, bool) {
	if cm := u.MyChatMember; cm != nil {
		switch cm.NewChatMember.Status {
		case "kicked", "left":
			reason := "bot removed from the " + cm.Chat.Type + " chat"
			if cm.Chat.Type == "private" {
				reason = "bot was blocked by the user"
			}
			return bot.ChatEvent{Platform: bot.Telegram, ChatID: strconv.FormatInt(cm.Chat.ID, 10), Gone: reason}, true
		}
		return bot.ChatEvent{}, false
	}
	if m := u.Message; m != nil && m.Chat != nil && m.MigrateToChatID != 0 {
		return bot.ChatEvent{Platform: bot.Telegram, ChatID: strconv.FormatInt(m.Chat.ID, 10),
			MovedTo: strconv.FormatInt(m.MigrateToChatID, 10)}, true
	}
	return bot.ChatEvent{}, false
}
