package digest

import (
	"strings"
	"testing"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"simple", "Drones hit Odesa. Four were hurt! Why? No one knows.", []string{"Drones hit Odesa.", "Four were hurt!", "Why?", "No one knows."}},
		{"abbreviations", "U.S. envoy Steve Witkoff met Mr. Merz on Dec. 14 in Berlin. Talks went on.", []string{"U.S. envoy Steve Witkoff met Mr. Merz on Dec. 14 in Berlin.", "Talks went on."}},
		{"initials", "J. R. Smith said so. Then he left.", []string{"J. R. Smith said so.", "Then he left."}},
		{"decimals", "Exports fell to 1.9 million tonnes. Prices rose.", []string{"Exports fell to 1.9 million tonnes.", "Prices rose."}},
		{"closing quote", `"A lot of progress was made." Witkoff left.`, []string{`"A lot of progress was made."`, "Witkoff left."}},
		{"lower-case after period", "It rose 5 p.c. over the week. Done.", []string{"It rose 5 p.c. over the week.", "Done."}},
		{"cyrillic", "Зеленський заявив про гарантії. Переговори тривають.", []string{"Зеленський заявив про гарантії.", "Переговори тривають."}},
		{"no terminal punctuation", "Drones hit Odesa", []string{"Drones hit Odesa"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences(tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Sentences(%q) =\n %q\nwant\n %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStripDateline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"BERLIN, Dec 14 (Atlantic Wire) - Zelensky said on Sunday.", "Zelensky said on Sunday."},
		{"KLINGENTHAL, Germany, Dec 14 (Atlantic Wire) - Austria's Felix won.", "Austria's Felix won."},
		{"WASHINGTON — Ukraine's offer puts a question.", "Ukraine's offer puts a question."},
		{"NATO said on Monday - and repeated - that it would not.", "NATO said on Monday - and repeated - that it would not."},
		{"Drones hit Odesa - again.", "Drones hit Odesa - again."},
	}
	for _, tt := range tests {
		if got := stripDateline(tt.in); got != tt.want {
			t.Errorf("stripDateline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsByline(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"By Atlantic Wire Service", true},
		{"Reporting by Atlantic Wire Service; editing by Nordic Daily.", true},
		{"By Sunday, the talks had ended.", false},
		{"Drones hit Odesa overnight.", false},
	}
	for _, tt := range tests {
		if got := isByline(tt.in); got != tt.want {
			t.Errorf("isByline(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
