package digest_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// TestAddAllMatchesAdd replays copies of the corpus (with repeats, thin
// articles and articles out of order among them) through Add one by one
// and through AddAll: the outcomes, the developments forgotten on the way
// and the final digest must be the same.
func TestAddAllMatchesAdd(t *testing.T) {
	recs := scaled(mustLoadCorpus(t), 700)
	var arts []digest.Article
	for i, r := range recs {
		arts = append(arts, r.Article)
		switch i % 50 {
		case 7: // the same article again
			arts = append(arts, r.Article)
		case 19: // a thin copy from another outlet
			a := r.Article
			a.ID, a.URL, a.Source, a.Content = a.ID+"-thin", a.URL+"-thin", "Thin Wire", ""
			arts = append(arts, a)
		case 31: // late: a day before the articles around it
			a := r.Article
			a.ID, a.URL, a.Published = a.ID+"-late", a.URL+"-late", a.Published.Add(-24*time.Hour)
			arts = append(arts, a)
		}
	}
	arts = append(arts, digest.Article{ID: "empty", Source: "X", Published: arts[len(arts)-1].Published})

	run := func(all bool) ([]digest.Outcome, []digest.Development, digest.Digest) {
		var expired []digest.Development
		e := digest.NewEngine(digest.Options{OnExpire: func(d digest.Development) { expired = append(expired, d) }})
		var outs []digest.Outcome
		if all {
			outs = e.AddAll(arts)
		} else {
			for _, a := range arts {
				outs = append(outs, e.Add(a))
			}
		}
		now := arts[len(arts)-1].Published
		return outs, expired, e.Digest(now, time.Time{}, 0)
	}
	wantOuts, wantExpired, wantDigest := run(false)
	gotOuts, gotExpired, gotDigest := run(true)
	if len(gotOuts) != len(arts) {
		t.Fatalf("AddAll returned %d outcomes for %d articles", len(gotOuts), len(arts))
	}
	for i := range wantOuts {
		if gotOuts[i] != wantOuts[i] {
			t.Fatalf("article %d (%s): AddAll %+v, Add %+v", i, arts[i].ID, gotOuts[i], wantOuts[i])
		}
	}
	if !reflect.DeepEqual(gotExpired, wantExpired) {
		t.Errorf("AddAll forgot %d developments, Add %d, or not the same", len(gotExpired), len(wantExpired))
	}
	if !reflect.DeepEqual(gotDigest, wantDigest) {
		t.Errorf("digests differ: AddAll %d developments, Add %d", len(gotDigest.Developments), len(wantDigest.Developments))
	}
	dropped := map[string]int{}
	for _, o := range wantOuts {
		dropped[o.Dropped]++
	}
	if dropped[digest.DropDuplicate] == 0 || dropped[digest.DropEmpty] == 0 || len(wantExpired) == 0 {
		t.Errorf("the replay misses a case: drops %v, %d expired", dropped, len(wantExpired))
	}
}

// TestAddAllEmpty: nothing to add, nothing returned.
func TestAddAllEmpty(t *testing.T) {
	if got := digest.NewEngine(digest.Options{}).AddAll(nil); len(got) != 0 {
		t.Errorf("AddAll(nil) = %v", got)
	}
}
