package unify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"iter"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/unifyhq/unify/internal/refidx"
	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// MemoryStore is the in-memory [Store], the engine's default. It keeps
// records packed ([profile.Packed]), so it copies the records it is given
// and returns copies, and callers may change both. It keeps neither links
// nor golden profiles (it is not a [LinkStore] or a [ProfileStore]): the
// engine holds them in memory anyway. It is safe for concurrent use and
// keeps nothing across restarts.
type MemoryStore struct {
	mu sync.RWMutex
	// Records and the candidate index share one numbering: byRef numbers
	// every ref that has a stored record or index keys, and slots holds
	// both by number. The index holds 64-bit hashes of the keys, not the
	// keys: a record has a dozen or more, and a hash collision only adds a
	// candidate that scoring then rejects. Each of the many entries under
	// a key is a number, not a Ref.
	byRef      refidx.Index // numbers by ref; the refs are the slots' own
	slots      []memSlot
	free       []int32
	refsUnder  *keyIndex
	events     map[profile.Ref][]string // packed (eventcode.go)
	zones      eventZones               // the events' time locations
	assertions map[merge.Assertion]struct{}
	model      []byte
	modelValue *match.Model // a model not yet encoded; see putModelValue
	snapshot   []byte
	snapCode   []byte // a checkpoint not yet encoded as JSON; see putSnapshotValue
}

// memSlot is one numbered ref of a MemoryStore.
type memSlot struct {
	// rec is the stored record or, when stored is false, a record holding
	// only the ref (of one that has index keys but no stored record).
	rec    profile.Packed
	keys   []uint64 // the index's key hashes, sorted; nil when none
	stored bool
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{
		events:     map[profile.Ref][]string{},
		refsUnder:  newKeyIndex(),
		assertions: map[merge.Assertion]struct{}{},
	}
}

// number gives a ref that has none a free number, with sl in its slot.
func (s *MemoryStore) number(sl memSlot) (int32, error) {
	var n int32
	if k := len(s.free); k > 0 {
		n, s.free = s.free[k-1], s.free[:k-1]
		s.slots[n] = sl
	} else {
		if len(s.slots) == math.MaxInt32 {
			return 0, fmt.Errorf("unify: memory store holds %d records, its most", len(s.slots))
		}
		n = int32(len(s.slots))
		if len(s.slots) == cap(s.slots) {
			// Double: append grows a large slice by a quarter, and a
			// streamed bulk load would copy the slots (pointers and
			// all) a dozen times over.
			s.slots = slices.Grow(s.slots, len(s.slots))
		}
		s.slots = append(s.slots, sl)
	}
	s.byRef.Put(sl.rec.Ref(), n, s.refAt)
	return n, nil
}

// refAt returns the ref numbered n.
func (s *MemoryStore) refAt(n int32) profile.Ref { return s.slots[n].rec.Ref() }

// release frees number n of ref when it holds neither a record nor keys.
func (s *MemoryStore) release(ref profile.Ref, n int32) {
	sl := &s.slots[n]
	if sl.stored || len(sl.keys) > 0 {
		return
	}
	s.byRef.Delete(ref, s.refAt)
	s.slots[n] = memSlot{}
	s.free = append(s.free, n)
}

var _ Store = (*MemoryStore)(nil)

// reserve makes room for n records when the store is empty, so a bulk
// load does not grow its maps through every insert.
func (s *MemoryStore) reserve(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byRef.Len() == 0 {
		s.byRef.Reserve(n)
		s.slots = slices.Grow(s.slots, n)
	}
}

// PutRecords implements [RecordStore].
func (s *MemoryStore) PutRecords(ctx context.Context, recs []*profile.Record) error {
	packed := make([]profile.Packed, len(recs))
	for i, r := range recs {
		packed[i] = profile.Pack(r)
	}
	return s.putPacked(packed)
}

// putPacked stores packed records: the engine's way in, which shares the
// packed text with the engine's own copy rather than making another.
func (s *MemoryStore) putPacked(recs []profile.Packed) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		ref := r.Ref()
		n, ok := s.byRef.Get(ref, s.refAt)
		if !ok {
			if _, err := s.number(memSlot{rec: r, stored: true}); err != nil {
				return err
			}
			continue
		}
		s.slots[n].rec, s.slots[n].stored = r, true
	}
	return nil
}

// GetRecord implements [RecordStore].
func (s *MemoryStore) GetRecord(ctx context.Context, ref profile.Ref) (*profile.Record, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n, ok := s.byRef.Get(ref, s.refAt)
	if !ok || !s.slots[n].stored {
		return nil, fmt.Errorf("%w: record %v", ErrNotFound, ref)
	}
	return s.slots[n].rec.Record(), nil
}

// DeleteRecords implements [RecordStore].
func (s *MemoryStore) DeleteRecords(ctx context.Context, refs []profile.Ref) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ref := range refs {
		n, ok := s.byRef.Get(ref, s.refAt)
		if !ok || !s.slots[n].stored {
			continue
		}
		// Keep only the ref while the index still names it: the record's
		// values go now (erasure).
		sl := &s.slots[n]
		sl.stored = false
		if len(sl.keys) > 0 {
			sl.rec = profile.Pack(&profile.Record{Source: ref.Source, Key: ref.Key})
		}
		s.release(ref, n)
	}
	return nil
}

// Records implements [RecordStore]. It streams a snapshot taken when the
// iteration starts.
func (s *MemoryStore) Records(ctx context.Context) iter.Seq2[*profile.Record, error] {
	return func(yield func(*profile.Record, error) bool) {
		s.mu.RLock()
		snap := make([]profile.Packed, 0, s.byRef.Len())
		for _, sl := range s.slots {
			if sl.stored {
				snap = append(snap, sl.rec)
			}
		}
		s.mu.RUnlock()
		for _, r := range snap {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			if !yield(r.Record(), nil) {
				return
			}
		}
	}
}

// AddEvents implements [EventStore].
func (s *MemoryStore) AddEvents(ctx context.Context, evs []profile.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var buf []byte
	for i := range evs {
		e := &evs[i]
		buf = packEvent(buf[:0], e, &s.zones)
		// The record's ref is the map's key: the event's own copy would
		// keep the caller's strings (often slices of a whole input line).
		ref := e.Record
		if _, ok := s.events[ref]; !ok {
			ref = profile.Ref{Source: strings.Clone(ref.Source), Key: strings.Clone(ref.Key)}
		}
		s.events[ref] = append(s.events[ref], string(buf))
	}
	return nil
}

// Events implements [EventStore].
func (s *MemoryStore) Events(ctx context.Context, ref profile.Ref) ([]profile.Event, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	packed := s.events[ref]
	if len(packed) == 0 {
		return nil, nil
	}
	evs := make([]profile.Event, len(packed))
	for i, p := range packed {
		evs[i] = unpackEvent(p, s.zones.locs)
	}
	return evs, nil
}

// DeleteEvents implements [EventStore].
func (s *MemoryStore) DeleteEvents(ctx context.Context, ref profile.Ref) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.events, ref)
	return nil
}

// SetKeys implements [IndexStore].
func (s *MemoryStore) SetKeys(ctx context.Context, ref profile.Ref, keys []string) error {
	return s.setKeyHashes(ref, hashKeys(keys))
}

// hashKeys returns the index's hashes of keys, sorted and distinct. It
// needs no lock: the engine hashes a bulk load's keys on every core and
// hands the hashes to setKeyHashes on its one writing goroutine.
func hashKeys(keys []string) []uint64 {
	hs := make([]uint64, 0, len(keys))
	for _, k := range keys {
		hs = append(hs, slotHash(maphash.String(indexSeed, k)))
	}
	slices.Sort(hs)
	return slices.Compact(hs)
}

// setKeyHashes is SetKeys with the keys hashed by hashKeys.
func (s *MemoryStore) setKeyHashes(ref profile.Ref, hs []uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.byRef.Get(ref, s.refAt)
	if !ok && len(hs) == 0 {
		return nil
	}
	if !ok {
		// Keys for a ref with no stored record: the slot holds the ref.
		var err error
		if n, err = s.number(memSlot{rec: profile.Pack(&profile.Record{Source: ref.Source, Key: ref.Key})}); err != nil {
			return err
		}
	}
	sl := &s.slots[n]
	for _, h := range sl.keys {
		s.refsUnder.remove(h, n)
	}
	sl.keys = nil
	if len(hs) == 0 {
		s.release(ref, n)
		return nil
	}
	sl.keys = hs
	for _, h := range hs {
		s.refsUnder.add(h, n)
	}
	return nil
}

// indexSeed seeds the index's key hashes; it lives as long as the process,
// as the index does.
var indexSeed = maphash.MakeSeed()

// Lookup implements [IndexStore].
func (s *MemoryStore) Lookup(ctx context.Context, key string) ([]profile.Ref, error) {
	h := maphash.String(indexSeed, key)
	var buf [16]int32
	s.mu.RLock()
	defer s.mu.RUnlock()
	under := s.refsUnder.appendRecs(buf[:0], h)
	if len(under) == 0 {
		return nil, nil
	}
	out := make([]profile.Ref, len(under))
	for i, n := range under {
		out[i] = s.slots[n].rec.Ref()
	}
	return out, nil
}

func pairKey(a, b profile.Ref) [2]profile.Ref {
	if a.Compare(b) > 0 {
		a, b = b, a
	}
	return [2]profile.Ref{a, b}
}

// PutAssertion implements [AssertionStore].
func (s *MemoryStore) PutAssertion(ctx context.Context, a merge.Assertion) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.assertions[a] = struct{}{}
	return nil
}

// DeleteAssertion implements [AssertionStore].
func (s *MemoryStore) DeleteAssertion(ctx context.Context, a merge.Assertion) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.assertions, a)
	return nil
}

// Assertions implements [AssertionStore].
func (s *MemoryStore) Assertions(ctx context.Context) ([]merge.Assertion, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Collect(maps.Keys(s.assertions)), nil
}

// PutModel implements [ModelStore].
func (s *MemoryStore) PutModel(ctx context.Context, doc []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.model, s.modelValue = slices.Clone(doc), nil
	return nil
}

// putModelValue keeps an engine's trained model as the value it is; the
// document is written only if GetModel asks for it, which only an engine
// opening this store again does (at a million records the indented
// document took half a second at every Resolve). A matcher never changes
// its model (Forget makes a new one), so the value stays as it was put.
// A model that cannot be encoded (a NaN weight) fails at GetModel rather
// than at Resolve, as an out-of-range one fails at ReadModel.
func (s *MemoryStore) putModelValue(m *match.Model) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.model, s.modelValue = nil, m
}

// GetModel implements [ModelStore].
func (s *MemoryStore) GetModel(ctx context.Context) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.modelValue != nil {
		var buf bytes.Buffer
		if err := s.modelValue.WriteJSON(&buf); err != nil {
			return nil, err
		}
		s.model, s.modelValue = buf.Bytes(), nil
	}
	if s.model == nil {
		return nil, fmt.Errorf("%w: model", ErrNotFound)
	}
	return slices.Clone(s.model), nil
}

// PutSnapshot implements [SnapshotStore]. It keeps doc without copying it
// (a million records' snapshot is over 100 MB), as the interface allows:
// do not modify doc after the call.
func (s *MemoryStore) PutSnapshot(ctx context.Context, doc []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.snapshot, s.snapCode = doc, nil
	return nil
}

// putSnapshotValue keeps an engine's checkpoint in a compact binary form
// (see encodeSnapshot). The JSON document is written only if GetSnapshot
// asks for it, which only an engine opening this store again does: a
// checkpoint of a million records is a 100 MB document, and encoding it
// took a second and a few hundred megabytes at the end of every Resolve.
func (s *MemoryStore) putSnapshotValue(snap *merge.Snapshot) {
	code := encodeSnapshot(snap)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.snapshot, s.snapCode = nil, code
}

// GetSnapshot implements [SnapshotStore].
func (s *MemoryStore) GetSnapshot(ctx context.Context) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snapCode != nil {
		snap, err := decodeSnapshot(s.snapCode)
		if err != nil {
			return nil, err
		}
		doc, err := json.Marshal(snap)
		if err != nil {
			return nil, err
		}
		s.snapshot, s.snapCode = doc, nil
	}
	if s.snapshot == nil {
		return nil, fmt.Errorf("%w: snapshot", ErrNotFound)
	}
	return slices.Clone(s.snapshot), nil
}
