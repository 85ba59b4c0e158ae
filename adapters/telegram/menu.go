package telegram

import (
	"context"
	"encoding/json"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/sitrepbot/sitrep/bot"
)

// menuLanguages are the menus published: language_code ("" is everyone
// whose language has no menu of its own) and the descriptions' language.
var menuLanguages = []struct{ code, lang string }{{"", "en"}, {"uk", "uk"}}

// maxDescription is the longest command description Telegram takes.
const maxDescription = 256

// SetCommands publishes the command menu from bot.Commands, in English for
// everyone and in Ukrainian for Ukrainian users
// (https://core.telegram.org/bots/api#setmycommands, with language_code).
func (c *Client) SetCommands(ctx context.Context) error {
	for _, ml := range menuLanguages {
		data, err := json.Marshal(menu(bot.Commands(), ml.lang))
		if err != nil {
			return fmt.Errorf("telegram: setMyCommands: %w", err)
		}
		params := tgbotapi.Params{"commands": string(data)}
		params.AddNonEmpty("language_code", ml.code)
		if err := c.call(ctx, "setMyCommands", params, c.opts.RequestTimeout, nil); err != nil {
			return err
		}
	}
	return nil
}

// menu lists commands with their descriptions in lang (English when missing).
func menu(cmds []bot.CommandInfo, lang string) []tgbotapi.BotCommand {
	out := make([]tgbotapi.BotCommand, len(cmds))
	for i, cmd := range cmds {
		d := cmd.Description[lang]
		if d == "" {
			d = cmd.Description["en"]
		}
		out[i] = tgbotapi.BotCommand{Command: cmd.Name, Description: truncate(d, maxDescription)}
	}
	return out
}
