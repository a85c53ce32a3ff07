package merge

import (
	"hash/maphash"

	"github.com/unifyhq/unify/profile"
)

// refIndex maps record refs to dense node ids: the one hot lookup of bulk
// loads (two per link). Keys are 128-bit keyed hashes of the refs (two
// independent random seeds), kept in an open-addressing table with linear
// probing, so a lookup costs one hash and usually one cache line instead of
// hashing twice and chasing the ref's strings: about three times faster
// than a map[profile.Ref]int32 at a million records. Two distinct refs are
// confused only if they agree on 128 random bits; for a billion refs the
// odds are below 10^-20.
type refIndex struct {
	s1, s2 maphash.Seed
	slots  []refSlot
	mask   uint64
	n      int
}

type refKey [2]uint64

type refSlot struct {
	k refKey
	v int64 // value + 1; 0 marks an empty slot
}

func newRefIndex(n int) refIndex {
	x := refIndex{s1: maphash.MakeSeed(), s2: maphash.MakeSeed()}
	x.alloc(n)
	return x
}

// alloc sizes the table for n keys at a load of at most one half.
func (x *refIndex) alloc(n int) {
	size := 8
	for size < 2*n {
		size <<= 1
	}
	x.slots = make([]refSlot, size)
	x.mask = uint64(size - 1)
}

func (x *refIndex) key(r profile.Ref) refKey {
	return refKey{maphash.Comparable(x.s1, r), maphash.Comparable(x.s2, r)}
}

func (x *refIndex) get(r profile.Ref) (int32, bool) { return x.getKey(x.key(r)) }

func (x *refIndex) getKey(k refKey) (int32, bool) {
	v, ok := x.getVal(k)
	return int32(v), ok
}

// getVal returns the value stored for k: a node id, or any non-negative
// int64 a sibling index keeps.
func (x *refIndex) getVal(k refKey) (int64, bool) {
	for i := k[0] & x.mask; ; i = (i + 1) & x.mask {
		s := &x.slots[i]
		if s.v == 0 {
			return 0, false
		}
		if s.k == k {
			return s.v - 1, true
		}
	}
}

// sibling returns an empty index with the same seeds, so keys computed
// for one serve both.
func (x *refIndex) sibling(n int) refIndex {
	y := refIndex{s1: x.s1, s2: x.s2}
	y.alloc(n)
	return y
}

func (x *refIndex) put(r profile.Ref, id int32) { x.putKey(x.key(r), id) }

// reserve makes room for n more keys without rehashing on the way.
func (x *refIndex) reserve(n int) {
	if 2*(x.n+n) <= len(x.slots) {
		return
	}
	old := x.slots
	x.alloc(x.n + n)
	for _, s := range old {
		if s.v != 0 {
			x.insert(s.k, s.v)
		}
	}
}

func (x *refIndex) putKey(k refKey, id int32) { x.putVal(k, int64(id)) }

func (x *refIndex) putVal(k refKey, v int64) {
	if 2*(x.n+1) > len(x.slots) {
		old := x.slots
		x.alloc(2 * (x.n + 1))
		for _, s := range old {
			if s.v != 0 {
				x.insert(s.k, s.v)
			}
		}
	}
	if x.insert(k, v+1) {
		x.n++
	}
}

// insert stores k -> v (v = value + 1) and reports whether k is new.
func (x *refIndex) insert(k refKey, v int64) bool {
	for i := k[0] & x.mask; ; i = (i + 1) & x.mask {
		s := &x.slots[i]
		if s.v == 0 {
			s.k, s.v = k, v
			return true
		}
		if s.k == k {
			s.v = v
			return false
		}
	}
}

// del removes r, shifting later entries of its probe run back so lookups
// never need tombstones (Knuth's algorithm R).
func (x *refIndex) del(r profile.Ref) {
	k := x.key(r)
	i := k[0] & x.mask
	for {
		s := &x.slots[i]
		if s.v == 0 {
			return
		}
		if s.k == k {
			break
		}
		i = (i + 1) & x.mask
	}
	x.n--
	for j := i; ; {
		j = (j + 1) & x.mask
		if x.slots[j].v == 0 {
			x.slots[i] = refSlot{}
			return
		}
		// Entry j stays if its home h lies cyclically in (i, j].
		h := x.slots[j].k[0] & x.mask
		if i <= j && i < h && h <= j || i > j && (i < h || h <= j) {
			continue
		}
		x.slots[i] = x.slots[j]
		i = j
	}
}

func (x *refIndex) len() int { return x.n }
