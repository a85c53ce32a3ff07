package unify

// keyIndex maps 64-bit key hashes to lists of record numbers, for the
// memory store's candidate index. A Go map from hash to []int32 costs a
// slice (a pointer the collector scans, and an allocation) per key, and a
// million records have several million keys. keyIndex instead keeps an
// open-addressing table of hashes (linear probing, backward-shift
// deletion, so no tombstones build up) whose slots head singly linked
// lists in one entry array: two flat arrays without pointers.
//
// It is not safe for concurrent use; the memory store locks around it.
type keyIndex struct {
	hs    []uint64 // slot hashes; 0 marks an empty slot
	heads []int32  // first entry of each occupied slot's list
	used  int      // occupied slots
	ents  []keyEntry
	free  int32 // first entry of the free list, or -1
}

type keyEntry struct {
	rec  int32 // record number
	next int32 // next entry in the list, or -1
}

func newKeyIndex() *keyIndex { return newKeyIndexSize(1024) }

// newKeyIndexSize returns an index of the given number of slots, a power
// of two.
func newKeyIndexSize(slots int) *keyIndex {
	return &keyIndex{hs: make([]uint64, slots), heads: make([]int32, slots), free: -1}
}

// slotHash maps a key hash to the one stored: 0 marks empty slots, so a
// key hashing to 0 shares 1's list (a collision only adds a candidate
// that scoring rejects).
func slotHash(h uint64) uint64 {
	if h == 0 {
		return 1
	}
	return h
}

// find returns the slot holding h, or the empty slot where it would go.
func (x *keyIndex) find(h uint64) (int, bool) {
	mask := len(x.hs) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		switch x.hs[i] {
		case h:
			return i, true
		case 0:
			return i, false
		}
	}
}

// add puts rec under h. It does not check whether rec is there already.
func (x *keyIndex) add(h uint64, rec int32) {
	h = slotHash(h)
	if (x.used+1)*4 > len(x.hs)*3 {
		x.grow()
	}
	e := x.free
	if e >= 0 {
		x.free = x.ents[e].next
	} else {
		e = int32(len(x.ents))
		x.ents = append(x.ents, keyEntry{})
	}
	i, ok := x.find(h)
	next := int32(-1)
	if ok {
		next = x.heads[i]
	} else {
		x.hs[i] = h
		x.used++
	}
	x.ents[e] = keyEntry{rec: rec, next: next}
	x.heads[i] = e
}

// remove takes rec from under h, if it is there.
func (x *keyIndex) remove(h uint64, rec int32) {
	h = slotHash(h)
	i, ok := x.find(h)
	if !ok {
		return
	}
	prev := int32(-1)
	for e := x.heads[i]; e >= 0; prev, e = e, x.ents[e].next {
		if x.ents[e].rec != rec {
			continue
		}
		if prev < 0 {
			x.heads[i] = x.ents[e].next
		} else {
			x.ents[prev].next = x.ents[e].next
		}
		x.ents[e] = keyEntry{rec: -1, next: x.free}
		x.free = e
		break
	}
	if x.heads[i] < 0 {
		x.deleteSlot(i)
	}
}

// deleteSlot empties slot i and shifts back the entries after it that
// probed past it, so every key stays reachable from its home slot.
func (x *keyIndex) deleteSlot(i int) {
	mask := len(x.hs) - 1
	for j := (i + 1) & mask; x.hs[j] != 0; j = (j + 1) & mask {
		home := int(x.hs[j]) & mask
		// The key at j stays if its home lies cyclically in (i, j].
		if i <= j && i < home && home <= j || i > j && (i < home || home <= j) {
			continue
		}
		x.hs[i], x.heads[i] = x.hs[j], x.heads[j]
		i = j
	}
	x.hs[i], x.heads[i] = 0, 0
	x.used--
}

// grow doubles the table.
func (x *keyIndex) grow() {
	hs, heads := x.hs, x.heads
	x.hs = make([]uint64, 2*len(hs))
	x.heads = make([]int32, 2*len(hs))
	for i, h := range hs {
		if h != 0 {
			j, _ := x.find(h)
			x.hs[j], x.heads[j] = h, heads[i]
		}
	}
}

// appendRecs appends the records under h to dst.
func (x *keyIndex) appendRecs(dst []int32, h uint64) []int32 {
	i, ok := x.find(slotHash(h))
	if !ok {
		return dst
	}
	for e := x.heads[i]; e >= 0; e = x.ents[e].next {
		dst = append(dst, x.ents[e].rec)
	}
	return dst
}
