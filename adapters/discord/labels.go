package discord

import (
	"fmt"
	"time"
)

// labels are the words sitrep adds around feed text, in one language.
type labels struct {
	digestHeader string    // count of developments (with its noun), since (Unix seconds)
	development  [2]string // one, many: the noun after the count
	alertHeader  string    // outlets
	new, updated string
	breaking     string
	story        string
	footer       string // mark, outlets, id
	storyFooter  string // outlets, articles, id
	more         string // outlets left out
	moreArticles string // articles left out
	nothing      string
}

var english = labels{
	digestHeader: "📰 **sitrep** · %d %s since <t:%d:f>",
	development:  [2]string{"development", "developments"},
	alertHeader:  "🔴 **Breaking** · confirmed by %d outlets",
	new:          "New", updated: "Updated", breaking: "Breaking", story: "Story",
	footer:      "%s · %d outlets · /story %s",
	storyFooter: "%d outlets · %d articles · /story %s",
	more:        "+%d more", moreArticles: "… and %d more articles",
	nothing: "Nothing new.",
}

var ukrainian = labels{
	digestHeader: "📰 **sitrep** · %[2]s: %[1]d від <t:%[3]d:f>",
	development:  [2]string{"подій", "подій"},
	alertHeader:  "🔴 **Терміново** · підтверджують джерел: %d",
	new:          "Нове", updated: "Оновлено", breaking: "Терміново", story: "Подія",
	footer:      "%s · джерел: %d · /story %s",
	storyFooter: "джерел: %d · статей: %d · /story %s",
	more:        "ще %d", moreArticles: "… і ще статей: %d",
	nothing: "Нічого нового.",
}

// header is a digest's first line; <t:…> shows the time in each reader's zone.
func (l labels) header(n int, since time.Time) string {
	noun := l.development[1]
	if n == 1 {
		noun = l.development[0]
	}
	return fmt.Sprintf(l.digestHeader, n, noun, since.Unix())
}

// labelsFor returns the labels of a language code ("uk"), English by default.
func labelsFor(lang string) labels {
	if lang == "uk" {
		return ukrainian
	}
	return english
}
