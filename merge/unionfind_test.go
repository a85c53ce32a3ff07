package merge

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/unifyhq/unify/profile"
	"pgregory.net/rapid"
)

// TestUnionFindMatchesNaive compares the forest with a labelling by
// repeated relabelling, over random unions.
func TestUnionFindMatchesNaive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 40).Draw(t, "n")
		uf := NewUnionFind(n)
		naive := make([]int, n)
		for i := range naive {
			naive[i] = i
		}
		for range rapid.IntRange(0, 60).Draw(t, "unions") {
			a := rapid.IntRange(0, n-1).Draw(t, "a")
			b := rapid.IntRange(0, n-1).Draw(t, "b")
			apart := naive[a] != naive[b]
			if got := uf.Union(int32(a), int32(b)); got != apart {
				t.Fatalf("Union(%d, %d) = %v, want %v", a, b, got, apart)
			}
			from, to := naive[b], naive[a]
			for i := range naive {
				if naive[i] == from {
					naive[i] = to
				}
			}
		}
		labels := uf.Labels()
		for i := range n {
			smallest := i
			for j := range n {
				if naive[j] == naive[i] {
					smallest = min(smallest, j)
				}
			}
			if int(labels[i]) != smallest {
				t.Fatalf("label of %d = %d, want %d", i, labels[i], smallest)
			}
			size := 0
			for j := range n {
				if naive[j] == naive[i] {
					size++
				}
			}
			if uf.Size(int32(i)) != size {
				t.Fatalf("Size(%d) = %d, want %d", i, uf.Size(int32(i)), size)
			}
		}
	})
}

func TestSortEdgesRadix(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 100, 5000, 70000} {
		edges := make([]cedge, n)
		for i := range edges {
			edges[i] = cedge{a: int32(rng.IntN(1 << 20)), b: int32(rng.IntN(1 << 31)), p: float64(i)}
		}
		want := slices.Clone(edges)
		slices.SortStableFunc(want, func(x, y cedge) int {
			if c := cmp.Compare(x.a, y.a); c != 0 {
				return c
			}
			return cmp.Compare(x.b, y.b)
		})
		sortEdges(edges)
		if n >= 1<<12 && !slices.Equal(edges, want) {
			t.Fatalf("n=%d: radix order differs (and must be stable)", n)
		}
		if !slices.IsSortedFunc(edges, func(x, y cedge) int {
			if c := cmp.Compare(x.a, y.a); c != 0 {
				return c
			}
			return cmp.Compare(x.b, y.b)
		}) {
			t.Fatalf("n=%d: not sorted", n)
		}
	}
}

// TestRefIndexMatchesMap compares the ref index with a Go map under random
// puts, gets and deletes (a small universe, so probe runs collide and
// deletions shift entries).
func TestRefIndexMatchesMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := newRefIndex(0)
		m := map[profile.Ref]int32{}
		for i := range rapid.IntRange(0, 300).Draw(t, "ops") {
			r := profile.Ref{Source: "s", Key: strconv.Itoa(rapid.IntRange(0, 40).Draw(t, "key"))}
			switch rapid.IntRange(0, 2).Draw(t, "op") {
			case 0:
				x.put(r, int32(i))
				m[r] = int32(i)
			case 1:
				x.del(r)
				delete(m, r)
			}
			for k, v := range m {
				if got, ok := x.get(k); !ok || got != v {
					t.Fatalf("get(%v) = %d, %v; want %d", k, got, ok, v)
				}
			}
			if got, ok := x.get(r); ok != (m[r] != 0 || func() bool { _, ok := m[r]; return ok }()) {
				t.Fatalf("get(%v) = %d, %v after op", r, got, ok)
			}
			if x.len() != len(m) {
				t.Fatalf("len = %d, want %d", x.len(), len(m))
			}
		}
	})
}
