package unify

import (
	"github.com/unifyhq/unify/internal/refidx"
	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/profile"
)

// held is what the engine holds for a record: the record packed, and its
// prepared form, whose strings share the packed text.
type held struct {
	p   *match.Prepared
	rec profile.Packed
}

// heldSet is the engine's records by ref: a slice of held records and an
// index of refs to positions in it. A map[profile.Ref]held cost 133 MB at
// a million records; the index keeps no copy of the refs (they are in the
// packed text), so the two come to about 40 MB.
//
// Lookups are safe for concurrent use; changes are not (the engine's
// write lock covers them).
type heldSet struct {
	idx  refidx.Index
	all  []held  // by position; a free position has a nil p
	free []int32 // free positions
}

func (s *heldSet) at(pos int32) profile.Ref { return s.all[pos].rec.Ref() }

// get returns the record held for ref, or the zero held.
func (s *heldSet) get(ref profile.Ref) held {
	if pos, ok := s.idx.Get(ref, s.at); ok {
		return s.all[pos]
	}
	return held{}
}

// has reports whether a record is held for ref.
func (s *heldSet) has(ref profile.Ref) bool {
	_, ok := s.idx.Get(ref, s.at)
	return ok
}

// set holds h (whose p must not be nil) for its record's ref, in place of
// any record held for it.
func (s *heldSet) set(h held) {
	ref := h.rec.Ref()
	if pos, ok := s.idx.Get(ref, s.at); ok {
		s.all[pos] = h
		return
	}
	var pos int32
	if n := len(s.free); n > 0 {
		pos = s.free[n-1]
		s.free = s.free[:n-1]
		s.all[pos] = h
	} else {
		pos = int32(len(s.all))
		s.all = append(s.all, h)
	}
	s.idx.Put(ref, pos, s.at)
}

// del drops the record held for ref, if any.
func (s *heldSet) del(ref profile.Ref) {
	pos, ok := s.idx.Get(ref, s.at)
	if !ok {
		return
	}
	s.idx.Delete(ref, s.at)
	s.all[pos] = held{}
	s.free = append(s.free, pos)
}

// len returns the number of records held.
func (s *heldSet) len() int { return s.idx.Len() }

// reserve makes room for n more records.
func (s *heldSet) reserve(n int) {
	s.idx.Reserve(n)
	if extra := n - len(s.free); extra > 0 && cap(s.all)-len(s.all) < extra {
		s.all = append(make([]held, 0, len(s.all)+extra), s.all...)
	}
}

// each calls fn with every record held, in no particular order.
func (s *heldSet) each(fn func(held)) {
	for _, h := range s.all {
		if h.p != nil {
			fn(h)
		}
	}
}
