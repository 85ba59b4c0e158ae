package digest_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sitrepbot/sitrep/digest"
)

// replay adds records to a new engine made with opts and returns it with
// the development of each kept article.
func replay(tb testing.TB, opts digest.Options, recs []record) (*digest.Engine, map[string]string) {
	tb.Helper()
	e := digest.NewEngine(opts)
	devs := map[string]string{}
	for _, r := range recs {
		if o := e.Add(r.Article); o.Dropped == "" {
			devs[r.ID] = o.DevelopmentID
		}
	}
	return e, devs
}

// all returns every development the engine holds, as a digest would.
func all(e *digest.Engine, now time.Time) digest.Digest {
	return e.Digest(now, time.Time{}, 0)
}

var idPattern = regexp.MustCompile(`^[a-z2-7]{7}$`)

func TestDevelopmentIDs(t *testing.T) {
	recs := mustLoadCorpus(t)
	_, first := replay(t, digest.Options{}, recs)
	_, again := replay(t, digest.Options{}, recs)
	for id, dev := range first {
		if !idPattern.MatchString(dev) {
			t.Fatalf("development ID %q is not 7 lower-case base32 characters", dev)
		}
		if again[id] != dev {
			t.Errorf("article %s: development %q on the first replay, %q on the second", id, dev, again[id])
		}
	}
	// A restart that replays a shorter history: once the replay has covered
	// a window, the engine has forgotten what it missed, so it decides as
	// the one that saw everything, with the same IDs.
	start := recs[0].Published.Add(24 * time.Hour)
	cut, _ := slices.BinarySearchFunc(recs, start, func(r record, t time.Time) int { return r.Published.Compare(t) })
	_, later := replay(t, digest.Options{}, recs[cut:])
	settled := recs[cut].Published.Add(72 * time.Hour)
	n := 0
	for _, r := range recs[cut:] {
		if r.Published.Before(settled) {
			continue
		}
		n++
		if later[r.ID] != first[r.ID] {
			t.Errorf("article %s: development %q after replaying from %s, %q after replaying all", r.ID, later[r.ID], start, first[r.ID])
		}
	}
	if n == 0 {
		t.Fatal("no article a window after the cut")
	}
}

func TestDeterministic(t *testing.T) {
	recs := mustLoadCorpus(t)
	now := recs[len(recs)-1].Published
	var outs [][]byte
	for range 3 {
		e, _ := replay(t, digest.Options{}, recs)
		d := all(e, now)
		d.ID = "x"
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, dev := range d.Developments {
			full, _ := e.Development(dev.ID)
			j, _ := json.Marshal(full)
			b = append(b, j...)
		}
		outs = append(outs, b)
	}
	for i := 1; i < len(outs); i++ {
		if !bytes.Equal(outs[0], outs[i]) {
			t.Fatalf("replay %d gave different output than replay 0", i)
		}
	}
}

func TestSummaries(t *testing.T) {
	for _, variant := range []struct {
		name string
		recs func([]record) []record
	}{{"full", slices.Clone[[]record]}, {"thin", thin}} {
		t.Run(variant.name, func(t *testing.T) {
			recs := variant.recs(mustLoadCorpus(t))
			var devs []digest.Development
			e, _ := replay(t, digest.Options{OnExpire: func(d digest.Development) { devs = append(devs, d) }}, recs)
			devs = append(devs, all(e, recs[len(recs)-1].Published).Developments...)
			for _, d := range devs {
				checkSummary(t, d, 320)
			}
		})
	}
}

// checkSummary checks the rules of a development's summary: at most max
// characters, one or two sentences, none starting with a word that points
// back, none cut inside a word, no sentence twice; a headline; outlets once.
func checkSummary(t *testing.T, d digest.Development, max int) {
	t.Helper()
	if d.Headline == "" {
		t.Errorf("%s: empty headline", d.ID)
	}
	if n := utf8.RuneCountInString(d.Summary); n > max {
		t.Errorf("%s: summary of %d characters, want at most %d: %q", d.ID, n, max, d.Summary)
	}
	if d.Summary != "" {
		last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(d.Summary, `"'’”»)`))
		if !strings.ContainsRune(".!?…", last) {
			t.Errorf("%s: summary ends mid-sentence: %q", d.ID, d.Summary)
		}
		sents := digest.Sentences(d.Summary)
		for i, s := range sents {
			first := strings.ToLower(strings.TrimFunc(strings.Fields(s)[0], func(r rune) bool { return !unicode.IsLetter(r) }))
			if slices.Contains([]string{"he", "she", "it", "they", "this", "these", "that", "those", "his", "her", "its", "their", "but", "however", "also", "and"}, first) {
				t.Errorf("%s: sentence starts with a dangling %q: %q", d.ID, first, s)
			}
			if slices.Contains(sents[:i], s) {
				t.Errorf("%s: sentence twice: %q", d.ID, s)
			}
		}
	}
	seen := map[string]bool{}
	for _, s := range d.Sources {
		if seen[s.Name] {
			t.Errorf("%s: outlet %q listed twice", d.ID, s.Name)
		}
		seen[s.Name] = true
	}
}
