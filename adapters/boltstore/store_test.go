package boltstore_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/bot/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) bot.Store {
		s, err := boltstore.Open(filepath.Join(t.TempDir(), "sitrep.db"), boltstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestOpenLockedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sitrep.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = boltstore.Open(path, boltstore.Options{})
	if err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("second Open error = %v, want 'in use by another process'", err)
	}
}
