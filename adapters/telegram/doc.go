// Package telegram connects sitrep to Telegram through the Bot API
// (https://core.telegram.org/bots/api), using go-telegram-bot-api for the
// transport: it receives commands by long polling or webhook and turns them
// into bot.Requests, renders digests, stories, alerts and replies as Telegram
// HTML, delivers them as a bot.Messenger, and translates the API's errors
// into the bot's. No Telegram type leaves this package.
package telegram
