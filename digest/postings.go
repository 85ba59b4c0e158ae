package digest

import (
	"iter"
	"slices"
)

// postings is the list of items filed under one key of an index (articles
// under a shingle, developments under a term). Most keys hold one item, so
// the first is kept inline and only the others take an array of their own:
// an index that is a map of postings allocates nothing for most keys.
// Items keep the order they were added in; the zero T marks "none".
type postings[T comparable] struct {
	head T
	tail []T
}

// add appends x.
func (p *postings[T]) add(x T) {
	var zero T
	if p.head == zero {
		p.head = x
		return
	}
	p.tail = append(p.tail, x)
}

// remove removes x if present and reports whether p is now empty.
func (p *postings[T]) remove(x T) (empty bool) {
	var zero T
	switch {
	case p.head == x && len(p.tail) == 0:
		p.head = zero
	case p.head == x:
		p.head = p.tail[0]
		p.tail = slices.Delete(p.tail, 0, 1)
	default:
		p.tail = without(p.tail, x)
	}
	return p.head == zero
}

// all yields the items in the order they were added.
func (p postings[T]) all() iter.Seq[T] {
	return func(yield func(T) bool) {
		var zero T
		if p.head == zero || !yield(p.head) {
			return
		}
		for _, x := range p.tail {
			if !yield(x) {
				return
			}
		}
	}
}
