package bot

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// ResolveZone turns what a user typed into an IANA zone name: an exact or
// case-insensitive name (europe/kyiv), a city alone (Kyiv, new_york), or UTC.
func ResolveZone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("no time zone given")
	}
	want := strings.ToLower(strings.ReplaceAll(s, " ", "_"))
	for _, z := range zoneNames {
		lz := strings.ToLower(z)
		if lz == want || (!strings.Contains(want, "/") && strings.HasSuffix(lz, "/"+want)) {
			return z, nil
		}
	}
	if _, err := time.LoadLocation(s); err == nil && s != "Local" {
		return s, nil
	}
	return "", fmt.Errorf("unknown time zone %q; use an IANA name such as Europe/Kyiv", s)
}

// ZoneSuggestions returns up to n zone names that contain prefix
// (case-insensitive), those starting with it first: for autocompletion.
func ZoneSuggestions(prefix string, n int) []string {
	p := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(prefix), " ", "_"))
	var starts, contains []string
	for _, z := range zoneNames {
		lz := strings.ToLower(z)
		switch {
		case strings.HasPrefix(lz, p) || strings.Contains(lz, "/"+p):
			starts = append(starts, z)
		case strings.Contains(lz, p):
			contains = append(contains, z)
		}
	}
	sort.Strings(starts)
	out := append(starts, contains...)
	if len(out) > n {
		out = out[:n]
	}
	return out
}
