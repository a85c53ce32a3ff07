package unify

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestKeyIndexModel runs random adds and removes against keyIndex and a
// map of sets. The hashes come from a small set that collides in a small
// table (equal low bits, and 0), so probing, growth and backward-shift
// deletion all run.
func TestKeyIndexModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := newKeyIndexSize(4)
		hashes := []uint64{0, 1, 2, 3, 4, 5, 8, 16, 17, 1 << 40, 1<<40 | 1, 1<<63 | 3, 7, 15, 31, 64}
		model := map[uint64][]int32{}
		for range rapid.IntRange(1, 300).Draw(t, "steps") {
			h := rapid.SampledFrom(hashes).Draw(t, "h")
			rec := rapid.Int32Range(0, 6).Draw(t, "rec")
			sh := slotHash(h)
			if rapid.Bool().Draw(t, "add") {
				if !slices.Contains(model[sh], rec) {
					x.add(h, rec)
					model[sh] = append(model[sh], rec)
				}
			} else {
				x.remove(h, rec)
				if i := slices.Index(model[sh], rec); i >= 0 {
					model[sh] = slices.Delete(model[sh], i, i+1)
				}
				if len(model[sh]) == 0 {
					delete(model, sh)
				}
			}
			for _, h := range hashes {
				got := x.appendRecs(nil, h)
				want := slices.Clone(model[slotHash(h)])
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Fatalf("under %#x: got %v, want %v", h, got, want)
				}
			}
			occupied := 0
			for _, h := range x.hs {
				if h != 0 {
					occupied++
				}
			}
			if occupied != x.used || x.used != len(model) {
				t.Fatalf("%d occupied slots, used %d, %d keys", occupied, x.used, len(model))
			}
			live, free := 0, 0
			for _, recs := range model {
				live += len(recs)
			}
			for e := x.free; e >= 0; e = x.ents[e].next {
				free++
			}
			if live+free != len(x.ents) {
				t.Fatalf("%d entries: %d live, %d free", len(x.ents), live, free)
			}
			if x.used*4 > len(x.hs)*3 {
				t.Fatalf("%d keys in %d slots", x.used, len(x.hs))
			}
		}
	})
}
