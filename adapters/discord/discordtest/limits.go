package discordtest

import (
	"fmt"
	"unicode/utf8"
)

// Limits from Discord's documentation where they are stricter than the
// OpenAPI description (which allows 4000 characters of content, for one):
// https://discord.com/developers/docs/resources/message#create-message-jsonform-params
// https://discord.com/developers/docs/resources/message#embed-object-embed-limits
const (
	maxContent     = 2000
	maxEmbeds      = 10
	maxEmbedTotal  = 6000
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxAuthorName  = 256
	maxNonce       = 25
)

// checkMessageLimits checks a message body (create, edit, webhook or
// interaction response data) against the documented limits.
func checkMessageLimits(msg map[string]any, path string) []string {
	var errs []string
	tooLong := func(field string, s any, max int) int {
		str, _ := s.(string)
		n := utf8.RuneCountInString(str)
		if n > max {
			errs = append(errs, fmt.Sprintf("%s.%s: %d characters, more than the documented %d", path, field, n, max))
		}
		return n
	}
	tooLong("content", msg["content"], maxContent)
	if _, ok := msg["nonce"].(string); ok {
		tooLong("nonce", msg["nonce"], maxNonce)
	}
	embeds := list(msg["embeds"])
	if len(embeds) > maxEmbeds {
		errs = append(errs, fmt.Sprintf("%s.embeds: %d embeds, more than the documented %d", path, len(embeds), maxEmbeds))
	}
	total := 0
	for i, e := range embeds {
		em, _ := e.(map[string]any)
		p := fmt.Sprintf("embeds[%d]", i)
		total += tooLong(p+".title", em["title"], maxTitle)
		total += tooLong(p+".description", em["description"], maxDescription)
		if f, ok := em["footer"].(map[string]any); ok {
			total += tooLong(p+".footer.text", f["text"], maxFooter)
		}
		if a, ok := em["author"].(map[string]any); ok {
			total += tooLong(p+".author.name", a["name"], maxAuthorName)
		}
		fields := list(em["fields"])
		if len(fields) > maxFields {
			errs = append(errs, fmt.Sprintf("%s.%s.fields: %d fields, more than the documented %d", path, p, len(fields), maxFields))
		}
		for j, f := range fields {
			fm, _ := f.(map[string]any)
			total += tooLong(fmt.Sprintf("%s.fields[%d].name", p, j), fm["name"], maxFieldName)
			total += tooLong(fmt.Sprintf("%s.fields[%d].value", p, j), fm["value"], maxFieldValue)
		}
	}
	if total > maxEmbedTotal {
		errs = append(errs, fmt.Sprintf("%s.embeds: %d characters in all, more than the documented %d", path, total, maxEmbedTotal))
	}
	return errs
}

// isEmptyMessage reports whether a message would have nothing to show.
func isEmptyMessage(msg map[string]any) bool {
	content, _ := msg["content"].(string)
	return content == "" && len(list(msg["embeds"])) == 0
}
