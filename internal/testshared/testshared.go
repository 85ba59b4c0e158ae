// Package testshared finds the shared test material that sits beside a
// checkout: the labeled news corpus (corpus/), the platforms' API
// specifications (specs/) and the feed parser suite (testdata/). Tests use it
// so that one rule locates it everywhere.
package testshared

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared directory: $SITREP_SHARED_DIR when set, else the
// first directory named "shared" with a corpus/ in it, walking up from the
// working directory. Without one the test is skipped, or fails when CI is
// set (CI always provides it).
func Dir(tb testing.TB) string {
	tb.Helper()
	if d, ok := find(); ok {
		return d
	}
	if os.Getenv("CI") != "" {
		tb.Fatal("testshared: no shared/ directory above the working directory and SITREP_SHARED_DIR is not set (CI is set, so this fails)")
	}
	tb.Skip("SKIP: no shared/ test material found; set SITREP_SHARED_DIR to run this test")
	return ""
}

// Path returns the path of rel (e.g. "corpus/articles.jsonl") in Dir.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	return filepath.Join(Dir(tb), filepath.FromSlash(rel))
}

func find() (string, bool) {
	if d := os.Getenv("SITREP_SHARED_DIR"); d != "" {
		return d, true
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		candidate := filepath.Join(dir, "shared")
		if st, err := os.Stat(filepath.Join(candidate, "corpus")); err == nil && st.IsDir() {
			return candidate, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
