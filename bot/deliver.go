package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// deliver sends m once: a delivery already in the log is skipped, and a
// completed one is recorded. A chat that is gone deactivates its
// subscription; a migrated chat moves its subscription and m is sent again.
func (b *Bot) deliver(ctx context.Context, m Message) error {
	log := b.log.With("platform", m.Key.Platform, "chat_id", m.Key.ChatID, "digest_id", m.Key.DigestID)
	if _, err := b.store.GetDelivery(ctx, m.Key); err == nil {
		log.Debug("already delivered")
		return nil
	} else if !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("deliver %s: %w", m.Key, err)
	}
	ms, ok := b.messengers[m.Key.Platform]
	if !ok {
		return fmt.Errorf("deliver %s: no messenger for platform %q", m.Key, m.Key.Platform)
	}
	sent, err := ms.Send(ctx, m)
	var migrated *ChatMigratedError
	switch {
	case errors.As(err, &migrated):
		log.Info("chat migrated", "new_chat_id", migrated.NewChatID)
		if err := b.moveSubscription(ctx, m.Key.Platform, m.Key.ChatID, migrated.NewChatID); err != nil {
			return err
		}
		m.Key.ChatID, m.ChatID = migrated.NewChatID, migrated.NewChatID
		return b.deliver(ctx, m)
	case errors.Is(err, ErrChatGone):
		log.Warn("chat gone; subscription deactivated", "error", err)
		return b.deactivate(ctx, m.Key.Platform, m.Key.ChatID, err.Error())
	case err != nil:
		log.Warn("delivery failed", "error", err)
		return fmt.Errorf("deliver %s: %w", m.Key, err)
	}
	if _, err := b.store.RecordDelivery(ctx, DeliveryRecord{Key: m.Key, MessageIDs: sent.MessageIDs, SentAt: b.now()}, deliveryTTL); err != nil {
		return fmt.Errorf("deliver %s: record: %w", m.Key, err)
	}
	log.LogAttrs(ctx, slog.LevelInfo, "delivered", slog.Int("messages", len(sent.MessageIDs)))
	return nil
}

// deactivate keeps a subscription but stops delivering to it, with the reason.
func (b *Bot) deactivate(ctx context.Context, platform, chatID, reason string) error {
	s, err := b.store.GetSubscription(ctx, platform, chatID)
	if errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	s.Active, s.Reason, s.Updated = false, reason, b.now()
	return b.store.PutSubscription(ctx, s)
}

// moveSubscription re-keys a subscription to a chat's new id.
func (b *Bot) moveSubscription(ctx context.Context, platform, from, to string) error {
	s, err := b.store.GetSubscription(ctx, platform, from)
	if errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	s.ChatID, s.Updated = to, b.now()
	if err := b.store.PutSubscription(ctx, s); err != nil {
		return err
	}
	return b.store.DeleteSubscription(ctx, platform, from)
}
