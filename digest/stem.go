package digest

import (
	"strings"
	"unicode/utf8"
)

// stem reduces a lower-case word to a crude stem so that inflected forms
// meet: a light suffix stripper for Latin script ("strikes", "striking" →
// "strik"; "Russian", "Russia" → "russ") and truncation to six letters for
// Cyrillic, where endings carry case and number. Numbers are kept as they are.
func stem(w string) string {
	if w == "" || isDigit(w[0]) {
		return w
	}
	if w[0] >= 0x80 {
		if r, _ := utf8.DecodeRuneInString(w); r >= 0x400 && r <= 0x4ff {
			return truncateRunes(w, 6)
		}
	}
	return stemLatin(w)
}

func truncateRunes(w string, n int) string {
	i := 0
	for j := range w {
		if i == n {
			return w[:j]
		}
		i++
	}
	return w
}

// stemLatin is a small Porter-like stripper: possessives, plurals, common
// derivational suffixes, a final e and a final doubled consonant.
func stemLatin(w string) string {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	for _, suf := range []string{"ation", "ion", "ment", "ness", "ing", "ian", "ed", "ly", "ia"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
			w = w[:len(w)-len(suf)]
			if suf == "ation" {
				w += "at"
			}
			break
		}
	}
	if len(w) > 4 && w[len(w)-1] == 'e' {
		w = w[:len(w)-1]
	}
	if n := len(w); n > 4 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiousl", rune(w[n-1])) {
		w = w[:n-1]
	}
	return w
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// stopwords are frequent words in English, Ukrainian and Russian that say
// nothing about which development an article reports.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
a an the and or but nor so yet of to in on at by for with from into onto over under about after before
since until during than as per via against among between through without within while where when what
which who whom whose why how that this these those there here it its it's he she they them their theirs
his her hers him we us our you your i me my mine is are was were be been being am do does did done have
has had having will would shall should can could may might must not no nor only also just even still
very more most much many some any all each every both either neither other another such same own few
one ones said says say saying told tells according added adding reported report reports reporting
new up down out off again further then once too now if because though although however meanwhile
mr mrs ms dr st vs etc ago later earlier last next first least well back around across along
would've could've it’s they're we're there's that's what's who's don't doesn't didn't won't can't
`) {
		m[w] = true
	}
	for _, w := range strings.Fields(`
і й та а але або що як це цей ця ці той та те ті він вона воно вони його її їх їм ми ви ти я
в у на з із зі до від для про по при за під над між через після перед без також вже ще не ні так
є був була було були буде будуть бути який яка яке які котрий де коли чи лише тільки саме свій своє
сказав заявив повідомив повідомила повідомили зазначив каже кажуть раніше нині
и в во на с со к ко от до для про по при за под над между через после перед без также уже еще не
ни так есть был была было были будет будут быть который которая которое которые где когда ли лишь
только свой это этот эта эти тот та то те он она оно они его ее их им мы вы ты я что как а но или
сказал заявил сообщил сообщила сообщили отметил отметили говорит ранее сейчас
`) {
		m[w] = true
	}
	return m
}()

// numberWords maps English number words to digits so "six injured" meets
// "6 injured".
var numberWords = map[string]string{
	"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
	"fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
	"nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
	"dozen": "12", "dozens": "12",
}

// calendarWords are capitalized but name no one: they are not entities.
var calendarWords = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true,
	"sunday": true, "january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true,
}
