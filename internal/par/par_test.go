package par

import (
	"cmp"
	"slices"
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
