package memo_test

import (
	"testing"

	"github.com/sitrepbot/sitrep/internal/memo"
)

func TestCache(t *testing.T) {
	c := memo.New[int, string](2)
	if _, ok := c.Get(1); ok {
		t.Fatal("an empty cache has 1")
	}
	c.Put(1, "one")
	c.Put(2, "two")
	if v, ok := c.Get(1); !ok || v != "one" {
		t.Errorf("Get(1) = %q, %v; want one", v, ok)
	}
	c.Put(3, "three") // full: starts again
	if _, ok := c.Get(1); ok || c.Len() != 1 {
		t.Errorf("after a third Put: 1 kept (%v), %d kept; want only 3", ok, c.Len())
	}
	if v, ok := c.Get(3); !ok || v != "three" {
		t.Errorf("Get(3) = %q, %v; want three", v, ok)
	}
}
