package telegramtest

import (
	"os"
	"path/filepath"
	"testing"
)

// SharedDir returns the directory of shared test material (the Bot API
// specification, the corpus): $SITREP_SHARED_DIR when set, else the first
// "shared" directory found walking up from the working directory. When none
// is found the test is skipped, or fails when CI is set.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	dir, ok := findShared()
	if !ok {
		if os.Getenv("CI") != "" {
			tb.Fatal("telegramtest: no shared/ directory above the working directory and SITREP_SHARED_DIR is not set (CI is set, so this fails)")
		}
		tb.Skip("SKIP: no shared/ directory above the working directory; set SITREP_SHARED_DIR")
	}
	return dir
}

func findShared() (string, bool) {
	if d := os.Getenv("SITREP_SHARED_DIR"); d != "" {
		return d, true
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		candidate := filepath.Join(dir, "shared")
		if st, err := os.Stat(filepath.Join(candidate, "specs", "telegram", "api.json")); err == nil && !st.IsDir() {
			return candidate, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
