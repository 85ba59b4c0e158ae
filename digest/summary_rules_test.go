package digest

import "testing"

func TestShouting(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"WHAT HAPPENS NEXT? Talks resume on Monday.", true},
		{"  WHAT\u00a0HAPPENS next", true}, // no-break space separates words too
		{"\"NATO SAYS\" it will act.", true},
		{"NATO says it will act.", false},
		{"The EU and NATO met.", false},
		{"WHAT", false},
		{"", false},
		{"A B C", false}, // one letter is not an acronym
	}
	for _, tt := range tests {
		if got := shouting(tt.s); got != tt.want {
			t.Errorf("shouting(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
