package bot

import (
	"context"
	"fmt"
)

// ChatEvent is what a platform tells of a chat outside any send: that the
// bot can no longer post there (blocked by the user, removed from the group),
// or that the chat moved to a new id (a Telegram group that became a
// supergroup).
type ChatEvent struct {
	Platform string
	ChatID   string
	Gone     string // why the bot can no longer post there; "" when it can
	MovedTo  string // the chat's new id; "" when it did not move
}

// ChatChanged acts on ev at once instead of at the chat's next delivery: a
// gone chat's subscription is deactivated with the reason, a moved chat's
// subscription follows it. A chat without a subscription is left alone.
func (b *Bot) ChatChanged(ctx context.Context, ev ChatEvent) error {
	log := b.log.With("platform", ev.Platform, "chat_id", ev.ChatID)
	switch {
	case ev.MovedTo != "":
		log.Info("chat migrated", "new_chat_id", ev.MovedTo)
		if err := b.moveSubscription(ctx, ev.Platform, ev.ChatID, ev.MovedTo); err != nil {
			return fmt.Errorf("chat %s moved: %w", ev.ChatID, err)
		}
	case ev.Gone != "":
		log.Info("chat gone; subscription deactivated", "reason", ev.Gone)
		if err := b.deactivate(ctx, ev.Platform, ev.ChatID, ev.Gone); err != nil {
			return fmt.Errorf("chat %s gone: %w", ev.ChatID, err)
		}
	}
	return nil
}
