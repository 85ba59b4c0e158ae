// Package memo keeps the results of a costly, pure function for the calls
// that follow with the same key: the platforms' renderers use it so that
// the thousands of deliveries of one digest render it once.
package memo

import "sync"

// Cache keeps up to Max results by key; when full, it forgets them all and
// starts again. A key must identify everything the result depends on, and
// what it points to must not change while it is a key. It is safe for
// concurrent use; the zero value is not: use New.
type Cache[K comparable, V any] struct {
	mu  sync.Mutex
	max int
	m   map[K]V
}

// New returns an empty Cache that keeps up to max results.
func New[K comparable, V any](max int) *Cache[K, V] {
	return &Cache[K, V]{max: max, m: make(map[K]V)}
}

// Get returns the result kept for k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

// Put keeps v for k.
func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = v
}

// Len is the number of results kept.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
