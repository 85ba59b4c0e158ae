package discord

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// libraryLog receives discordgo's own log lines (a package-level hook in
// discordgo) and passes them to the last attached slog logger, with every
// attached token replaced by [redacted].
var libraryLog struct {
	once    sync.Once
	mu      sync.Mutex
	log     *slog.Logger
	secrets []string
}

// attachLibraryLog sends discordgo's log lines to log and hides token in them.
func attachLibraryLog(log *slog.Logger, token string) {
	libraryLog.once.Do(func() { discordgo.Logger = logLibraryLine })
	libraryLog.mu.Lock()
	defer libraryLog.mu.Unlock()
	libraryLog.log = log
	libraryLog.secrets = append(libraryLog.secrets, token)
}

func logLibraryLine(level, _ int, format string, args ...any) {
	libraryLog.mu.Lock()
	log, secrets := libraryLog.log, libraryLog.secrets
	libraryLog.mu.Unlock()
	msg := redact(fmt.Sprintf(format, args...), secrets)
	lvl := slog.LevelDebug
	switch level {
	case discordgo.LogError:
		lvl = slog.LevelError
	case discordgo.LogWarning:
		lvl = slog.LevelWarn
	}
	log.Log(context.Background(), lvl, "discordgo: "+strings.TrimSpace(msg))
}

// redact replaces every secret in s.
func redact(s string, secrets []string) string {
	for _, t := range secrets {
		if t != "" {
			s = strings.ReplaceAll(s, t, "[redacted]")
		}
	}
	return s
}
