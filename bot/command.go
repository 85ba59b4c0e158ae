package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sitrepbot/sitrep/digest"
)

// Request is one command a user sent, parsed by a platform adapter.
type Request struct {
	Platform  string
	ChatID    string
	ThreadID  string
	ChatKind  ChatKind
	ChatTitle string
	UserID    string
	Lang      string   // the user's language, e.g. "uk"; "" = English
	Command   string   // lower-case, without the slash or a @botname suffix
	Args      []string // the words after the command
	MessageID string   // the platform message that carried the command, "" = none
	// IsAdmin reports whether the user may change the chat's subscription.
	// The bot calls it only for such commands, in groups and channels.
	IsAdmin func(ctx context.Context) (bool, error)
}

// Response is the bot's answer to a Request, platform-neutral.
type Response struct {
	Text        string              // plain text; adapters escape it
	Digest      *digest.Digest      // /latest
	Development *digest.Development // /story
	Ephemeral   bool                // only the asker needs to see it (settings)
	Changed     bool                // the chat's subscription was changed
}

// CommandInfo describes one command for the platforms' command menus.
type CommandInfo struct {
	Name        string
	Args        string            // usage after the name, e.g. "[HH:MM] [Area/City]"
	Description map[string]string // by language code: "en", "uk"
	Admin       bool              // changes the chat's subscription
}

// Commands lists every command the bot answers, in menu order.
func Commands() []CommandInfo {
	return []CommandInfo{
		{"latest", "[N]", map[string]string{"en": "The top developments of the last 24 hours", "uk": "Головні події за останні 24 години"}, false},
		{"subscribe", "[HH:MM] [Area/City]", map[string]string{"en": "Get a daily digest in this chat", "uk": "Щоденний дайджест у цьому чаті"}, true},
		{"unsubscribe", "", map[string]string{"en": "Stop the daily digest", "uk": "Припинити щоденний дайджест"}, true},
		{"schedule", "HH:MM [Area/City]", map[string]string{"en": "Change the digest time and time zone", "uk": "Змінити час і часовий пояс дайджесту"}, true},
		{"alerts", "on [N]|off", map[string]string{"en": "Turn breaking alerts on (from N outlets) or off", "uk": "Увімкнути (від N джерел) або вимкнути термінові сповіщення"}, true},
		{"quiet", "HH:MM-HH:MM|off", map[string]string{"en": "Hours without alerts (they wait for the digest)", "uk": "Години без сповіщень (вони чекають на дайджест)"}, true},
		{"topics", "[list|add X|remove X]", map[string]string{"en": "Only developments that mention these topics", "uk": "Лише події, що згадують ці теми"}, true},
		{"story", "ID", map[string]string{"en": "One development with every outlet's article", "uk": "Одна подія з усіма статтями"}, false},
		{"sources", "", map[string]string{"en": "The outlets sitrep reads", "uk": "Джерела, які читає sitrep"}, false},
		{"status", "", map[string]string{"en": "This chat's subscription and the bot's health", "uk": "Підписка цього чату і стан бота"}, false},
		{"help", "", map[string]string{"en": "How to use sitrep", "uk": "Як користуватися sitrep"}, false},
	}
}

func commandInfo(name string) (CommandInfo, bool) {
	for _, c := range Commands() {
		if c.Name == name {
			return c, true
		}
	}
	return CommandInfo{}, false
}

// Handle answers one command. It never returns an error: what went wrong is
// said in the Response, and internal errors are logged, not shown.
func (b *Bot) Handle(ctx context.Context, r Request) Response {
	r.Command = strings.ToLower(strings.TrimPrefix(r.Command, "/"))
	if needsAdmin(r) {
		if resp, ok := b.checkAdmin(ctx, r); !ok {
			return resp
		}
	}
	switch r.Command {
	case "start":
		return Response{Text: welcomeText(b.opts)}
	case "help":
		return Response{Text: helpText()}
	case "latest":
		return b.cmdLatest(ctx, r)
	case "subscribe":
		return b.cmdSubscribe(ctx, r)
	case "unsubscribe":
		return b.cmdUnsubscribe(ctx, r)
	case "schedule":
		return b.cmdSchedule(ctx, r)
	case "alerts":
		return b.cmdAlerts(ctx, r)
	case "topics":
		return b.cmdTopics(ctx, r)
	case "quiet":
		return b.cmdQuiet(ctx, r)
	case "story":
		return b.cmdStory(ctx, r)
	case "sources":
		return Response{Text: sourcesText(b.opts.Sources)}
	case "status":
		return b.cmdStatus(ctx, r)
	}
	return Response{Text: "Unknown command /" + r.Command + ". Try /help.", Ephemeral: true}
}

// needsAdmin reports whether r would change the chat's subscription.
func needsAdmin(r Request) bool {
	info, ok := commandInfo(r.Command)
	if r.Command == "topics" {
		return len(r.Args) > 0 && !strings.EqualFold(r.Args[0], "list")
	}
	return ok && info.Admin
}

// Reply sends resp to the chat r came from, through the platform's Messenger:
// for platforms whose answers are ordinary chat messages (Telegram). An empty
// response sends nothing. A reply waits for the same rate limits as
// deliveries, within the replies' share of the platform's rate; when that
// would take longer than ReplyWait it is dropped with an ErrRateLimited.
func (b *Bot) Reply(ctx context.Context, r Request, resp Response) error {
	m := Message{ChatID: r.ChatID, ThreadID: r.ThreadID, Lang: r.Lang, ReplyTo: r.MessageID, Text: resp.Text,
		Key: DeliveryKey{Platform: r.Platform, ChatID: r.ChatID, DigestID: replyPrefix + r.MessageID}}
	switch {
	case resp.Digest != nil:
		m.Kind, m.Digest = KindDigest, resp.Digest
	case resp.Development != nil:
		m.Kind, m.Development = KindStory, resp.Development
	case resp.Text == "":
		return nil
	}
	ms, ok := b.messengers[r.Platform]
	if !ok {
		return fmt.Errorf("reply: no messenger for platform %q", r.Platform)
	}
	kind := r.ChatKind
	if kind == "" {
		kind = ChatGroup
	}
	pp, err := b.pacer.wait(ctx, r.Platform, r.ChatID, kind, true, parts(ms, m), b.opts.Delivery.ReplyWait)
	if err != nil {
		var tooLong *errWaitTooLong
		if errors.As(err, &tooLong) {
			return fmt.Errorf("reply dropped: %w", &RateLimitError{RetryAfter: tooLong.wait})
		}
		return fmt.Errorf("reply: %w", err)
	}
	_, err = ms.Send(withParts(ctx, pp), m)
	var limited *RateLimitError
	if errors.As(err, &limited) {
		b.metrics.RateLimited.WithLabelValues(r.Platform).Inc()
		if perr := b.pacer.pause(ctx, r.Platform, r.ChatID, limited.Global, limited.RetryAfter); perr != nil {
			b.log.Error("pause failed", "platform", r.Platform, "error", perr)
		}
	}
	return err
}

// checkAdmin lets anyone change a private chat, and only admins a group or channel.
func (b *Bot) checkAdmin(ctx context.Context, r Request) (Response, bool) {
	if r.ChatKind == ChatPrivate || r.ChatKind == "" {
		return Response{}, true
	}
	if r.IsAdmin == nil {
		return Response{Text: "Only the chat's administrators can change its subscription.", Ephemeral: true}, false
	}
	ok, err := r.IsAdmin(ctx)
	if err != nil {
		b.log.Warn("admin check failed", "platform", r.Platform, "chat_id", r.ChatID, "error", err)
		return Response{Text: "I could not check your permissions just now; please try again in a minute.", Ephemeral: true}, false
	}
	if !ok {
		return Response{Text: "Sorry, only the chat's administrators can change its subscription. Anyone can use /latest.", Ephemeral: true}, false
	}
	return Response{}, true
}
