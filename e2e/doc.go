// Package e2e holds sitrep's end-to-end tests and benchmarks: the built
// `sitrep` binary, run as the processes an operator runs, against the fake
// Telegram and Discord servers (telegramtest, discordtest), a feed server
// built from the shared corpus, and Redis servers of the tests' own, which
// they restart, kill and protect with a password.
//
// Redis is needed (redis-server on the PATH), and so is the shared test data
// (SITREP_SHARED_DIR, or a shared/ directory above the working directory):
// without them the tests are skipped, except when CI is set, where they
// fail. `go test -short` skips them too. The benchmarks are run on demand:
//
//	go test ./e2e -run '^$' -bench . -benchtime 1x
package e2e
