// Package par holds the small helpers that spread CPU-bound work over the
// available cores, shared by the engine, matching and the merge graph.
package par

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Workers returns how many goroutines [Do] runs for n items: GOMAXPROCS,
// or fewer when there are fewer items.
func Workers(n int) int { return max(min(runtime.GOMAXPROCS(0), n), 0) }

// Do calls fn(w, i) once for each i in [0, n), taking the items in order
// from a shared counter on Workers(n) goroutines, and returns when every
// call has returned. w, from 0 to Workers(n)-1, names the goroutine, so fn
// can keep scratch per worker. fn must be safe to run for different items
// at once.
func Do(n int, fn func(w, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range Workers(n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(w, i)
			}
		})
	}
	wg.Wait()
}

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
