package discord

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestLibraryLogRedacted: discordgo's debug log prints the IDENTIFY packet,
// token included; its lines reach slog with the token replaced.
func TestLibraryLogRedacted(t *testing.T) {
	const token = "MTE5.library-log-secret-token"
	var buf bytes.Buffer
	attachLibraryLog(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), token)
	discordgo.Logger(discordgo.LogDebug, 1, "Identify Packet: \n%#v", struct{ Token string }{"Bot " + token})
	discordgo.Logger(discordgo.LogError, 1, "error connecting to gateway %s", "wss://gateway.discord.gg")
	out := buf.String()
	if strings.Contains(out, token) || !strings.Contains(out, "[redacted]") {
		t.Errorf("library log:\n%s\nwant the token redacted", out)
	}
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "discordgo: error connecting") {
		t.Errorf("library log:\n%s\nwant the error line at ERROR", out)
	}
}
