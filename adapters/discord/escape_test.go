package discord

import (
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain text", "Drones hit Odesa", 100, "Drones hit Odesa"},
		{"markdown", "*bold* _it_ ~~s~~ `c` ||sp|| > q # h [l](u)", 100, `\*bold\* \_it\_ \~\~s\~\~ \` + "`c\\`" + ` \|\|sp\|\| \> q \# h \[l\]\(u\)`},
		{"mentions", "@everyone <@1> <#2>", 100, "@\u200beveryone <\u200b@\u200b1\\> <\u200b\\#2\\>"},
		{"line breaks", "a\nb\r\nc\td", 100, "a b c d"},
		{"control characters", "a\x00b\x1bc", 100, "abc"},
		{"fits exactly", "abcde", 5, "abcde"},
		{"cut", "abcdef", 5, "abcd…"},
		{"cut never splits an escape", "abc*def", 5, "abc…"},
		{"cut keeps a neutralized @", "ab@cdef", 5, "ab@\u200b…"},
		{"invalid UTF-8", "a\xffb", 10, "a\uFFFDb"},
		{"nothing fits", "abc", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := escape(tc.in, tc.max)
			if got != tc.want {
				t.Errorf("escape(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
			if runes(got) > max(tc.max, 0) {
				t.Errorf("%d characters, more than %d", runes(got), tc.max)
			}
		})
	}
}

func TestLinkTarget(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"https://kyivledger.example/a/b?c=d", "https://kyivledger.example/a/b?c=d", true},
		{"https://x.example/a(b)@everyone", "https://x.example/a%28b%29%40everyone", true},
		{"https://user:pw@x.example/", "https://x.example/", true},
		{"javascript:alert(1)", "", false},
		{"/relative", "", false},
		{"https://x.example/" + strings.Repeat("a", 600), "", false},
	} {
		got, ok := linkTarget(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("linkTarget(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNonceStableAndShort(t *testing.T) {
	k := testKey("123", "s-20251217T0600Z")
	if a, b := nonce(k, 0), nonce(k, 0); a != b {
		t.Errorf("nonce differs between calls: %q, %q", a, b)
	}
	seen := map[string]bool{}
	for _, k := range []string{"s-1", "s-2"} {
		for part := range 3 {
			n := nonce(testKey("123", k), part)
			if len(n) != maxNonce || seen[n] {
				t.Errorf("nonce %q: want %d characters, unique per delivery and part", n, maxNonce)
			}
			seen[n] = true
		}
	}
}
