// Package par holds the small helpers that spread CPU-bound work over the
// available cores, shared by the engine and the merge graph.
package par

import (
	"runtime"
	"slices"
	"sync"
)

// Sort sorts s by cmp like [slices.SortFunc], the two halves on two
// goroutines when s is large (sorting a million records by reference takes
// about a second on one core). cmp must be safe for concurrent use. Like
// slices.SortFunc it is not stable.
func Sort[T any](s []T, cmp func(a, b T) int) {
	if len(s) < 1<<14 || runtime.GOMAXPROCS(0) < 2 {
		slices.SortFunc(s, cmp)
		return
	}
	mid := len(s) / 2
	var wg sync.WaitGroup
	wg.Go(func() { slices.SortFunc(s[:mid], cmp) })
	slices.SortFunc(s[mid:], cmp)
	wg.Wait()
	merged := make([]T, 0, len(s))
	a, b := s[:mid], s[mid:]
	for len(a) > 0 && len(b) > 0 {
		if cmp(b[0], a[0]) < 0 {
			merged = append(merged, b[0])
			b = b[1:]
		} else {
			merged = append(merged, a[0])
			a = a[1:]
		}
	}
	merged = append(append(merged, a...), b...)
	copy(s, merged)
}
