package discord_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord"
	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/bot"
)

type registered struct {
	Name                     string            `json:"name"`
	DescriptionLocalizations map[string]string `json:"description_localizations"`
	DefaultMemberPermissions *int64            `json:"default_member_permissions"`
	Options                  []struct {
		Name         string `json:"name"`
		Autocomplete bool   `json:"autocomplete"`
	} `json:"options"`
}

func TestRegisterCommands(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	c, _ := newClient(t, fake, discord.Options{})
	n, err := c.RegisterCommands(ctxFor(t, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	raw := fake.Commands("global")
	var cmds []registered
	if err := json.Unmarshal(raw, &cmds); err != nil {
		t.Fatal(err)
	}
	if n != len(bot.Commands()) || len(cmds) != n {
		t.Fatalf("registered %d (fake has %d), want one per bot command (%d)", n, len(cmds), len(bot.Commands()))
	}
	for i, info := range bot.Commands() {
		cmd := cmds[i]
		if cmd.Name != info.Name || cmd.DescriptionLocalizations["uk"] != info.Description["uk"] {
			t.Errorf("command %d: %s (uk %q), want %s (uk %q)", i, cmd.Name, cmd.DescriptionLocalizations["uk"], info.Name, info.Description["uk"])
		}
		if admin := cmd.DefaultMemberPermissions != nil && *cmd.DefaultMemberPermissions == 16; admin != info.Admin {
			t.Errorf("/%s: default_member_permissions %v, want Manage Channels (16) only for admin commands", cmd.Name, cmd.DefaultMemberPermissions)
		}
		if cmd.Name == "subscribe" && (len(cmd.Options) != 2 || cmd.Options[0].Name != "time" || !cmd.Options[1].Autocomplete) {
			t.Errorf("/subscribe options %+v, want time and an autocompleted timezone", cmd.Options)
		}
	}
}

func TestRegisterCommandsInGuild(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	c, _ := newClient(t, fake, discord.Options{GuildID: "123456789012345678"})
	if _, err := c.RegisterCommands(ctxFor(t, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if fake.Commands("123456789012345678") == nil || fake.Commands("global") != nil {
		t.Errorf("with a guild id: guild commands %s, global %s; want the guild's only",
			fake.Commands("123456789012345678"), fake.Commands("global"))
	}
}
