package par

import (
	"cmp"
	"slices"
	"sync/atomic"
	"testing"

	"pgregory.net/rapid"
)

// TestSortMatchesSlices compares Sort with slices.Sort on inputs on both
// sides of the size at which it splits the work.
func TestSortMatchesSlices(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.SampledFrom([]int{0, 1, 7, 1<<14 - 1, 1 << 14, 40000}).Draw(t, "n")
		seed := rapid.Int64().Draw(t, "seed")
		s := make([]int64, n)
		for i := range s {
			seed = seed*6364136223846793005 + 1442695040888963407
			s[i] = seed >> 50 // few distinct values: ties matter
		}
		want := slices.Clone(s)
		slices.Sort(want)
		Sort(s, cmp.Compare[int64])
		if !slices.Equal(s, want) {
			t.Fatalf("Sort of %d values differs from slices.Sort", n)
		}
	})
}

// TestDoCallsEachItemOnce checks that Do calls fn once per item, from
// workers numbered below Workers(n).
func TestDoCallsEachItemOnce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 5000).Draw(t, "n")
		calls := make([]int32, n)
		workers := Workers(n)
		var bad atomic.Bool
		Do(n, func(w, i int) {
			if w < 0 || w >= workers {
				bad.Store(true)
			}
			atomic.AddInt32(&calls[i], 1)
		})
		if bad.Load() {
			t.Fatalf("a worker index outside [0, %d)", workers)
		}
		for i, c := range calls {
			if c != 1 {
				t.Fatalf("item %d of %d called %d times", i, n, c)
			}
		}
	})
}
