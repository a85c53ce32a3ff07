// Package refidx maps record refs to positions in a slice its owner keeps.
//
// A map[profile.Ref]int32 holds a copy of every ref's two string headers
// (32 bytes) in each slot, and the Go map's slots, control bytes and growth
// slack come to 80-130 bytes a record at a million records. An [Index]
// keeps no refs: each slot is 8 bytes, a 32-bit hash tag and the position,
// and a lookup asks the owner which ref sits at a candidate position. The
// owner already holds the ref there (in its record), so nothing is stored
// twice, and a lookup is exact: a tag that matches by chance is checked
// against the ref itself.
//
// The table uses open addressing with linear probing at a load of at most
// one half, and deletes by shifting later entries of a probe run back
// (Knuth's algorithm R), so no tombstones build up under churn.
//
// An Index is not safe for concurrent use when any goroutine modifies it;
// concurrent lookups are safe.
package refidx

import (
	"hash/maphash"

	"github.com/unifyhq/unify/profile"
)

// An Index maps refs to non-negative int32 positions. The zero Index is
// empty and ready to use.
type Index struct {
	seed  maphash.Seed
	slots []uint64 // tag<<32 | position+1; 0 marks an empty slot
	n     int
}

// At reports the ref at a position the index holds. The index calls it to
// confirm a match, so it must answer for every position put in the index
// and not yet deleted.
type At func(pos int32) profile.Ref

// Len returns the number of refs in the index.
func (x *Index) Len() int { return x.n }

// tag returns r's 32-bit hash. Its low bits also choose the home slot, so
// deletion can move entries without hashing their refs again.
func (x *Index) tag(r profile.Ref) uint64 {
	return maphash.Comparable(x.seed, r) >> 32
}

// Get returns the position of r.
func (x *Index) Get(r profile.Ref, at At) (int32, bool) {
	if x.n == 0 {
		return 0, false
	}
	t := x.tag(r)
	mask := uint64(len(x.slots) - 1)
	for i := t & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return 0, false
		}
		if s>>32 == t {
			if pos := int32(uint32(s) - 1); at(pos) == r {
				return pos, true
			}
		}
	}
}

// Put maps r to pos, replacing the position r had, and reports whether r
// is new. at must already report r at pos.
func (x *Index) Put(r profile.Ref, pos int32, at At) bool {
	if pos < 0 {
		panic("refidx: negative position")
	}
	if 2*(x.n+1) > len(x.slots) {
		x.grow(x.n + 1)
	}
	t := x.tag(r)
	mask := uint64(len(x.slots) - 1)
	v := t<<32 | uint64(uint32(pos)+1)
	for i := t & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			x.slots[i] = v
			x.n++
			return true
		}
		if s>>32 == t && at(int32(uint32(s)-1)) == r {
			x.slots[i] = v
			return false
		}
	}
}

// Delete removes r and reports whether it was there.
func (x *Index) Delete(r profile.Ref, at At) bool {
	if x.n == 0 {
		return false
	}
	t := x.tag(r)
	mask := uint64(len(x.slots) - 1)
	i := t & mask
	for {
		s := x.slots[i]
		if s == 0 {
			return false
		}
		if s>>32 == t && at(int32(uint32(s)-1)) == r {
			break
		}
		i = (i + 1) & mask
	}
	// Shift back each later entry of the run whose home is not in (i, j].
	for j := (i + 1) & mask; ; j = (j + 1) & mask {
		s := x.slots[j]
		if s == 0 {
			break
		}
		home := (s >> 32) & mask
		if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
			x.slots[i] = s
			i = j
		}
	}
	x.slots[i] = 0
	x.n--
	return true
}

// Reserve makes room for n more refs without growing on the way.
func (x *Index) Reserve(n int) {
	if 2*(x.n+n) > len(x.slots) {
		x.grow(x.n + n)
	}
}

// Reset empties the index, keeping its table.
func (x *Index) Reset() {
	clear(x.slots)
	x.n = 0
}

// grow moves the entries into a table for at least n refs at a load of at
// most one half.
func (x *Index) grow(n int) {
	size := 8
	for size < 2*n {
		size <<= 1
	}
	if x.slots == nil {
		x.seed = maphash.MakeSeed()
	}
	old := x.slots
	x.slots = make([]uint64, size)
	mask := uint64(size - 1)
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := (s >> 32) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = s
	}
}
