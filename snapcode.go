package unify

import (
	"encoding/binary"
	"errors"

	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// The memory store keeps an engine's checkpoint in a compact binary form
// until an engine opening the store asks for the JSON document. As a
// merge.Snapshot value a million records' checkpoint held 84 MB of slices
// and string headers for the collector to scan; encoded, it is about 35 MB
// without pointers, and encoding takes a fraction of what JSON does.
//
// The form: three counters, the profiles (ID, anchor, members with their
// tenure, the profile the ID was taken back from), then the aliases. Integers are varints; a string is its length
// then its bytes; a record's source, one of a few, is a number into the
// sources met so far, or 0 and the string the first time.

// encodeSnapshot returns snap in the compact form.
func encodeSnapshot(snap *merge.Snapshot) []byte {
	e := snapEncoder{sources: map[string]uint64{}}
	n := 64
	for _, p := range snap.Profiles {
		n += 40 + 16*len(p.Members)
	}
	e.b = make([]byte, 0, n)
	e.uint(snap.AliasSeq)
	e.uint(snap.Tick)
	e.int(int64(snap.MaxCounter))
	e.uint(uint64(len(snap.Profiles)))
	for _, p := range snap.Profiles {
		e.str(p.ID)
		e.ref(p.Anchor)
		e.uint(uint64(len(p.Members)))
		for _, m := range p.Members {
			e.ref(m.Ref)
			e.uint(m.Joined)
		}
		e.str(p.TakenFrom)
	}
	e.uint(uint64(len(snap.Aliases)))
	for _, a := range snap.Aliases {
		e.str(a.ID)
		e.str(a.Target)
		e.ref(a.Anchor)
		e.uint(a.Seq)
	}
	return e.b
}

type snapEncoder struct {
	b       []byte
	sources map[string]uint64
}

func (e *snapEncoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *snapEncoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }

func (e *snapEncoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *snapEncoder) ref(r profile.Ref) {
	if i, ok := e.sources[r.Source]; ok {
		e.uint(i)
	} else {
		e.sources[r.Source] = uint64(len(e.sources) + 1)
		e.uint(0)
		e.str(r.Source)
	}
	e.str(r.Key)
}

// errSnapCode reports a compact checkpoint that does not decode: a bug,
// since only encodeSnapshot writes them.
var errSnapCode = errors.New("unify: memory store: corrupt compact checkpoint")

// decodeSnapshot reads what encodeSnapshot wrote.
func decodeSnapshot(b []byte) (*merge.Snapshot, error) {
	d := snapDecoder{b: b}
	snap := &merge.Snapshot{AliasSeq: d.uint(), Tick: d.uint(), MaxCounter: int(d.int())}
	if n := d.count(); n > 0 {
		snap.Profiles = make([]merge.SnapshotProfile, n)
		for i := range snap.Profiles {
			p := &snap.Profiles[i]
			p.ID = d.str()
			p.Anchor = d.ref()
			if n := d.count(); n > 0 {
				p.Members = make([]merge.SnapshotMember, n)
			}
			for j := range p.Members {
				p.Members[j] = merge.SnapshotMember{Ref: d.ref(), Joined: d.uint()}
			}
			p.TakenFrom = d.str()
		}
	}
	if n := d.count(); n > 0 {
		snap.Aliases = make([]merge.SnapshotAlias, n)
		for i := range snap.Aliases {
			snap.Aliases[i] = merge.SnapshotAlias{ID: d.str(), Target: d.str(), Anchor: d.ref(), Seq: d.uint()}
		}
	}
	if d.bad || len(d.b) != 0 {
		return nil, errSnapCode
	}
	return snap, nil
}

type snapDecoder struct {
	b       []byte
	sources []string
	bad     bool
}

func (d *snapDecoder) uint() uint64 { return readVarint(d, binary.Uvarint) }
func (d *snapDecoder) int() int64   { return readVarint(d, binary.Varint) }

// readVarint reads one varint with read (binary.Uvarint or Varint).
func readVarint[T uint64 | int64](d *snapDecoder, read func([]byte) (T, int)) T {
	v, n := read(d.b)
	if n <= 0 {
		d.bad, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length, bounded by the bytes left (each item takes one or
// more), so a corrupt length cannot ask for a huge allocation.
func (d *snapDecoder) count() int {
	v := d.uint()
	if v > uint64(len(d.b)) {
		d.bad, d.b = true, nil
		return 0
	}
	return int(v)
}

func (d *snapDecoder) str() string {
	n := d.count()
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *snapDecoder) ref() profile.Ref {
	var r profile.Ref
	switch i := d.uint(); {
	case i == 0 && !d.bad:
		r.Source = d.str()
		d.sources = append(d.sources, r.Source)
	case i >= 1 && i <= uint64(len(d.sources)):
		r.Source = d.sources[i-1]
	default:
		d.bad, d.b = true, nil
	}
	r.Key = d.str()
	return r
}
