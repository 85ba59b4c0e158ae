package digest

import (
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want string // lower-case tokens joined by '|'
	}{
		{"Drones hit Odesa's port.", "drones|hit|odesa's|port"},
		{"F-16 jets and 1,200 points, 9.5 km, €340m", "f|16|jets|and|1200|points|9.5|km|340|m"},
		{"One hundred and twenty POWs", "120|pows"},
		{"a hundred and twenty of its", "120|of|its"},
		{"two and three", "two|and|three"},
		{"twenty-one people", "21|people"},
		{"обов'язкову евакуацію", "обов'язкову|евакуацію"},
		{"᭘ digits of other scripts", "digits|of|other|scripts"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got []string
			for _, tok := range tokenize(tt.in) {
				got = append(got, tok.lower)
			}
			if g := strings.Join(got, "|"); g != tt.want {
				t.Errorf("tokenize(%q) = %q, want %q", tt.in, g, tt.want)
			}
		})
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ a, b string }{
		{"strikes", "striking"},
		{"drone", "drones"},
		{"russia", "russian"},
		{"ukraine", "ukrainian"},
		{"attacked", "attacks"},
		{"evacuation", "evacuations"},
		{"зеленський", "зеленського"},
	}
	for _, tt := range tests {
		if stem(tt.a) != stem(tt.b) {
			t.Errorf("stem(%q) = %q, stem(%q) = %q, want equal", tt.a, stem(tt.a), tt.b, stem(tt.b))
		}
	}
	if stem("1200") != "1200" {
		t.Errorf("stem changed a number")
	}
}

func TestSoundKey(t *testing.T) {
	same := [][]string{
		{"zelensky", "зеленський", "зеленского", "зеленский"},
		{"lysohirsk", "лисогірськ", "lysogorsk", "лисогорск"},
		{"pryluzhne", "priluzhnoye"},
		{"zaporizhzhia", "zaporozhye", "запоріжжя", "запорожье"},
		{"kharkiv", "харків", "харьков"},
		{"witkoff", "віткофф"},
		{"syzran", "сызрань"},
	}
	for _, group := range same {
		want := soundKey(group[0])
		if want == "" {
			t.Errorf("soundKey(%q) = \"\"", group[0])
		}
		for _, w := range group[1:] {
			if got := soundKey(w); got != want {
				t.Errorf("soundKey(%q) = %q, want %q as for %q", w, got, want, group[0])
			}
		}
	}
	if soundKey("kyiv") != "" {
		t.Errorf("soundKey of a two-consonant word should be empty")
	}
	if soundKey("odesa") == soundKey("kherson") {
		t.Errorf("different places share a key")
	}
}
