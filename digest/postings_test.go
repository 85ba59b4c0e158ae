package digest

import (
	"slices"
	"testing"
)

func TestPostings(t *testing.T) {
	a, b, c := new(int), new(int), new(int)
	tests := []struct {
		name   string
		add    []*int
		remove []*int
		want   []*int
	}{
		{"empty", nil, nil, nil},
		{"one", []*int{a}, nil, []*int{a}},
		{"order kept", []*int{a, b, c}, nil, []*int{a, b, c}},
		{"head removed", []*int{a, b, c}, []*int{a}, []*int{b, c}},
		{"middle removed", []*int{a, b, c}, []*int{b}, []*int{a, c}},
		{"all removed", []*int{a, b}, []*int{b, a}, nil},
		{"absent", []*int{a}, []*int{c}, []*int{a}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p postings[*int]
			for _, x := range tt.add {
				p.add(x)
			}
			empty := false
			for _, x := range tt.remove {
				empty = p.remove(x)
			}
			got := slices.Collect(p.all())
			if !slices.Equal(got, tt.want) {
				t.Errorf("items = %v, want %v", got, tt.want)
			}
			if len(tt.remove) > 0 && empty != (len(tt.want) == 0) {
				t.Errorf("remove reported empty = %v with %d items left", empty, len(got))
			}
		})
	}
}
