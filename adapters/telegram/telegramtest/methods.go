package telegramtest

import "regexp"

func init() {
	handlers["getMe"] = (*Server).getMe
	handlers["getChatMember"] = (*Server).getChatMember
	handlers["setMyCommands"] = (*Server).setMyCommands
	handlers["getMyCommands"] = (*Server).getMyCommands
}

// getMe implements https://core.telegram.org/bots/api#getme.
func (s *Server) getMe(params) (any, *apiError) {
	return map[string]any{"id": s.botID, "is_bot": true, "first_name": "sitrep", "username": s.opts.Username,
		"can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false}, nil
}

// getChatMember implements https://core.telegram.org/bots/api#getchatmember.
// Users never seen are "user not found"; users seen but not set are members.
func (s *Server) getChatMember(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, apiErr := s.lookupChat(p.str("chat_id"))
	if apiErr != nil {
		return nil, apiErr
	}
	uid := p.int("user_id")
	if uid == s.botID {
		status := StatusMember
		if c.Type == "channel" {
			status = StatusAdministrator
		}
		return map[string]any{"status": status, "user": s.Bot()}, nil
	}
	u, ok := s.users[uid]
	if !ok {
		return nil, badRequest("user not found")
	}
	status, ok := c.members[uid]
	if !ok {
		status = StatusMember
	}
	member := map[string]any{"status": status, "user": u}
	switch status {
	case StatusCreator:
		member["is_anonymous"] = false
	case StatusAdministrator:
		member["can_be_edited"], member["is_anonymous"], member["can_manage_chat"] = false, false, true
	}
	return member, nil
}

// BotCommand is one entry of the bot's command menu.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

var (
	commandRE  = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	langCodeRE = regexp.MustCompile(`^[a-z]{2}$`)
)

type commandScope struct {
	Type string `json:"type"`
}

// setMyCommands implements https://core.telegram.org/bots/api#setmycommands,
// with its prose rules: at most 100 commands, names of 1-32 lower-case
// letters, digits and underscores, descriptions of 1-256 characters, a
// two-letter language code.
func (s *Server) setMyCommands(p params) (any, *apiError) {
	var cmds []BotCommand
	p.object("commands", &cmds)
	if len(cmds) > 100 {
		return nil, s.violation(badRequest("too many commands: %d", len(cmds)), "setMyCommands")
	}
	for _, c := range cmds {
		if !commandRE.MatchString(c.Command) {
			return nil, s.violation(badRequest("BOT_COMMAND_INVALID: %q", c.Command), "setMyCommands")
		}
		if n := UTF16Len(c.Description); n < 1 || n > 256 {
			return nil, s.violation(badRequest("BOT_COMMAND_DESCRIPTION_INVALID: %q has %d characters", c.Command, n), "setMyCommands")
		}
	}
	lang := p.str("language_code")
	if lang != "" && !langCodeRE.MatchString(lang) {
		return nil, s.violation(badRequest("language_code %q is not a two-letter code", lang), "setMyCommands")
	}
	key := commandsKey(p, lang)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands[key] = cmds
	return true, nil
}

// getMyCommands implements https://core.telegram.org/bots/api#getmycommands.
func (s *Server) getMyCommands(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds := s.commands[commandsKey(p, p.str("language_code"))]
	if cmds == nil {
		cmds = []BotCommand{}
	}
	return cmds, nil
}

func commandsKey(p params, lang string) string {
	scope := commandScope{Type: "default"}
	p.object("scope", &scope)
	return scope.Type + "/" + lang
}

// Commands returns the command menu set for a scope type ("default") and a
// language code ("" for all languages).
func (s *Server) Commands(scope, lang string) []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[scope+"/"+lang]
}
