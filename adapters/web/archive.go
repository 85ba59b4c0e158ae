package web

import (
	"cmp"
	"slices"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// The store keeps editions: after each poll, the developments new or updated
// since the previous edition. A reader wants what happened, not the last
// delta, so the archive merges editions: each development once, as of its
// newest appearance.

// item is one development, marked new or updated as in the newest edition
// that carried it.
type item struct {
	digest.Development
	New bool
}

// front is what the front page and /digest.json show: the developments of
// the editions of one period, best first.
type front struct {
	Generated time.Time // of the newest edition; now when there is none
	Since     time.Time // Generated less the period
	Items     []item
}

// frontPage merges the editions (newest first) generated in the window
// before the newest one and ranks their developments as the engine does:
// by score, then by latest update.
func frontPage(editions []digest.Digest, now time.Time, window time.Duration, limit int) front {
	f := front{Generated: now}
	if len(editions) > 0 {
		f.Generated = editions[0].Generated
	}
	f.Since = f.Generated.Add(-window)
	f.Items = merge(editions, func(d digest.Digest) bool { return !d.Generated.Before(f.Since) })
	slices.SortStableFunc(f.Items, func(a, b item) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), b.Updated.Compare(a.Updated), cmp.Compare(a.ID, b.ID))
	})
	if len(f.Items) > limit {
		f.Items = f.Items[:limit]
	}
	return f
}

// latest returns up to limit developments of the editions, most recently
// updated first: the Atom feed's entries.
func latest(editions []digest.Digest, limit int) []item {
	items := merge(editions, func(digest.Digest) bool { return true })
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Or(b.Updated.Compare(a.Updated), cmp.Compare(a.ID, b.ID))
	})
	if len(items) > limit {
		items = items[:limit]
	}
	return items
}

// merge returns each development of the kept editions (newest first) once,
// as of the newest edition that carried it.
func merge(editions []digest.Digest, keep func(digest.Digest) bool) []item {
	seen := map[string]bool{}
	var items []item
	for _, e := range editions {
		if !keep(e) {
			continue
		}
		for _, d := range e.Developments {
			if seen[d.ID] {
				continue
			}
			seen[d.ID] = true
			items = append(items, item{Development: d, New: d.IsNew(e.Since)})
		}
	}
	return items
}

// asDigest returns the front page as a digest, for /digest.json.
func (f front) asDigest() digest.Digest {
	d := digest.Digest{Generated: f.Generated, Since: f.Since, Developments: make([]digest.Development, len(f.Items))}
	for i, it := range f.Items {
		d.Developments[i] = it.Development
	}
	return d
}
