package redisstore_test

import (
	"testing"

	"github.com/sitrepbot/sitrep/adapters/redisstore"
	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/bot/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) bot.Store {
		rdb, prefix := redistest.Client(t)
		return redisstore.New(rdb, redisstore.Options{Prefix: prefix})
	})
}

func TestOpenRedactsPassword(t *testing.T) {
	_, err := redisstore.Open("redis://user:hunter2@host:notaport/0", redisstore.Options{})
	if err == nil {
		t.Fatal("Open(bad port) succeeded, want an error")
	}
	if got := err.Error(); contains(got, "hunter2") {
		t.Errorf("error %q contains the password", got)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
