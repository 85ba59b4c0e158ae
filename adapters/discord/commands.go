package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/bwmarrin/discordgo"

	"github.com/sitrepbot/sitrep/bot"
)

// commandBody is one slash command as registered:
// https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
type commandBody struct {
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations,omitempty"`
	Options                  []optionBody      `json:"options,omitempty"`
	DefaultMemberPermissions *int64            `json:"default_member_permissions,omitempty"`
	Contexts                 []int             `json:"contexts"`
	IntegrationTypes         []int             `json:"integration_types"`
}

type optionBody struct {
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations,omitempty"`
	Required                 bool              `json:"required,omitempty"`
	Autocomplete             bool              `json:"autocomplete,omitempty"`
	Choices                  []choiceBody      `json:"choices,omitempty"`
	Options                  []optionBody      `json:"options,omitempty"`
	MinValue                 *int              `json:"min_value,omitempty"`
	MaxValue                 *int              `json:"max_value,omitempty"`
	MaxLength                int               `json:"max_length,omitempty"`
}

type choiceBody struct {
	Name              string            `json:"name"`
	NameLocalizations map[string]string `json:"name_localizations,omitempty"`
	Value             string            `json:"value"`
}

// Option and command types, contexts and the permissions sitrep checks:
// https://discord.com/developers/docs/interactions/application-commands
const (
	commandChatInput  = 1
	optionSubcommand  = 1
	optionString      = 3
	optionInteger     = 4
	contextGuild      = 0
	contextBotDM      = 1
	installGuild      = 0
	permManageChannel = discordgo.PermissionManageChannels
	permAdministrator = discordgo.PermissionAdministrator
)

func text(en, uk string) (string, map[string]string) { return en, map[string]string{"uk": uk} }

func option(typ int, name string, required bool, en, uk string) optionBody {
	d, loc := text(en, uk)
	return optionBody{Type: typ, Name: name, Description: d, DescriptionLocalizations: loc, Required: required}
}

func timeOption(required bool) optionBody {
	o := option(optionString, "time", required, "Time of day, HH:MM (24-hour)", "Час доби, ГГ:ХХ (24 години)")
	o.MaxLength = 5
	return o
}

func zoneOption() optionBody {
	o := option(optionString, "timezone", false, "Time zone, e.g. Europe/Kyiv", "Часовий пояс, напр. Europe/Kyiv")
	o.Autocomplete, o.MaxLength = true, 64
	return o
}

func topicOption() optionBody {
	o := option(optionString, "topic", true, "A word or pattern, e.g. Zaporizhzhia", "Слово чи шаблон, напр. Запоріжжя")
	o.MaxLength = 100
	return o
}

// commandOptions are each command's options, in the order the bot reads
// them as arguments.
func commandOptions(name string) []optionBody {
	switch name {
	case "latest":
		o := option(optionInteger, "count", false, "How many developments", "Скільки подій")
		lo, hi := 1, 25
		o.MinValue, o.MaxValue = &lo, &hi
		return []optionBody{o}
	case "subscribe":
		return []optionBody{timeOption(false), zoneOption()}
	case "schedule":
		return []optionBody{timeOption(true), zoneOption()}
	case "alerts":
		o := option(optionString, "state", true, "On or off", "Увімкнути чи вимкнути")
		o.Choices = []choiceBody{{"on", map[string]string{"uk": "увімкнути"}, "on"}, {"off", map[string]string{"uk": "вимкнути"}, "off"}}
		n := option(optionInteger, "outlets", false, "Alert once this many outlets report it", "Сповіщати, коли про це пишуть стільки джерел")
		lo, hi := 2, 20
		n.MinValue, n.MaxValue = &lo, &hi
		return []optionBody{o, n}
	case "quiet":
		o := option(optionString, "hours", true, "HH:MM-HH:MM without alerts, or off", "ГГ:ХХ-ГГ:ХХ без сповіщень, або off")
		o.MaxLength = 11
		return []optionBody{o}
	case "topics":
		list := option(optionSubcommand, "list", false, "This channel's topic filters", "Фільтри тем цього каналу")
		add := option(optionSubcommand, "add", false, "Only developments that mention this", "Лише події, що згадують це")
		remove := option(optionSubcommand, "remove", false, "Drop a topic filter", "Прибрати фільтр теми")
		add.Options, remove.Options = []optionBody{topicOption()}, []optionBody{topicOption()}
		return []optionBody{list, add, remove}
	case "story":
		o := option(optionString, "id", true, "The id under a digest item, e.g. k3x9qa", "Ідентифікатор під подією, напр. k3x9qa")
		o.MaxLength = 32
		return []optionBody{o}
	}
	return nil
}

// commandList is every command of bot.Commands as a slash command. Those
// that change a channel's subscription are shown only to members with
// Manage Channels (and checked again when they are used).
func commandList() []commandBody {
	var out []commandBody
	for _, info := range bot.Commands() {
		cmd := commandBody{Type: commandChatInput, Name: info.Name, Description: info.Description["en"],
			Options: commandOptions(info.Name), Contexts: []int{contextGuild, contextBotDM}, IntegrationTypes: []int{installGuild}}
		if uk := info.Description["uk"]; uk != "" {
			cmd.DescriptionLocalizations = map[string]string{"uk": uk}
		}
		if info.Admin {
			perm := int64(permManageChannel)
			cmd.DefaultMemberPermissions = &perm
		}
		out = append(out, cmd)
	}
	return out
}

// RegisterCommands replaces the application's slash commands with sitrep's
// by one bulk overwrite: in Options.GuildID when set (instant, for
// development), else globally. It returns how many were registered:
// https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-guild-application-commands
func (c *Client) RegisterCommands(ctx context.Context) (int, error) {
	if c.opts.ApplicationID == "" {
		return 0, fmt.Errorf("discord: register commands: no application id")
	}
	endpoint := discordgo.EndpointApplicationGlobalCommands(c.opts.ApplicationID)
	if c.opts.GuildID != "" {
		endpoint = discordgo.EndpointApplicationGuildCommands(c.opts.ApplicationID, c.opts.GuildID)
	}
	cmds := commandList()
	raw, err := c.do(ctx, "bulk overwrite commands", http.MethodPut, endpoint, cmds)
	if err != nil {
		return 0, err
	}
	var got []json.RawMessage
	if err := json.Unmarshal(raw, &got); err != nil {
		return 0, fmt.Errorf("discord: register commands: %w", err)
	}
	return len(got), nil
}
