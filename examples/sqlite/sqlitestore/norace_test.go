//go:build !race

package sqlitestore_test

// raceEnabled reports whether the tests run under the race detector,
// which makes the pure-Go SQLite many times slower.
const raceEnabled = false
