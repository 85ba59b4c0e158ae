package telegramtest

import (
	"testing"

	"github.com/sitrepbot/sitrep/internal/testshared"
)

// SharedDir returns the directory of shared test material (the Bot API
// specification, the corpus); see internal/testshared.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	return testshared.Dir(tb)
}
