package profile

import (
	"encoding/binary"
	"slices"
	"sync"
	"time"
)

// Packed is a [Record] in compact, immutable form: every value in one
// string, and no other pointers. It is how the engine and the merge graph
// hold records, a million of them at a time: a Record is a 540-byte struct
// of string headers plus its text in a dozen separate allocations, while a
// Packed record is 16 bytes plus its text, once (a normalized value equal to
// its raw form is stored once), and the garbage collector never looks
// inside it.
//
// The zero Packed holds no record. Build one with [Pack]; [Packed.Record]
// and [Packed.Decode] give the record back. The record's strings share the
// packed text, so decoding allocates only the struct and its slices.
// Equal records pack to equal strings (attributes are sorted), so two
// Packed values compare with ==. A Packed value is safe for concurrent use.
type Packed struct{ s string }

// Field groups a packed record holds, in the order written.
const (
	packName = 1 << iota
	packEmails
	packPhones
	packAddresses
	packBirthDate
	packGender
	packIDs
	packConsents
	packAttrs
	packObserved
)

// Observed-time zone tags; any other value is a zone offset in seconds,
// shifted past them.
const (
	zoneUTC   = 0
	zoneLocal = 1 // time.Local, whose offset at the instant is recomputed
	zoneShift = 2
)

// Pack packs r. It copies every value: r may change afterwards. Empty
// slices and maps come back nil, and an observed time keeps its instant and
// its zone offset (time.UTC and time.Local as such) but not its monotonic
// reading or a named zone other than those two, as with time.Time's
// MarshalBinary. A nil r packs to the zero Packed.
func Pack(r *Record) Packed {
	if r == nil {
		return Packed{}
	}
	b := packBufs.Get().(*packBuf)
	defer func() {
		if cap(b.buf) > 1<<16 {
			b.buf = nil // one huge record should not pin its buffer
		}
		packBufs.Put(b)
	}()
	b.buf = b.buf[:0]
	b.str(r.Source)
	b.str(r.Key)
	var groups uint64
	n := r.Name
	if n != (Name{}) {
		groups |= packName
	}
	if len(r.Emails) > 0 {
		groups |= packEmails
	}
	if len(r.Phones) > 0 {
		groups |= packPhones
	}
	if len(r.Addresses) > 0 {
		groups |= packAddresses
	}
	if r.BirthDate != (DateValue{}) {
		groups |= packBirthDate
	}
	if !r.Gender.IsZero() {
		groups |= packGender
	}
	if len(r.IDs) > 0 {
		groups |= packIDs
	}
	if len(r.Consents) > 0 {
		groups |= packConsents
	}
	if len(r.Attrs) > 0 {
		groups |= packAttrs
	}
	if !r.Observed.IsZero() {
		groups |= packObserved
	}
	b.uvarint(groups)
	if groups&packObserved != 0 {
		t := r.Observed
		zone := int64(zoneUTC)
		switch loc := t.Location(); {
		case loc == time.UTC:
		case loc == time.Local:
			zone = zoneLocal
		default:
			_, off := t.Zone()
			zone = int64(off)
			if zone >= 0 {
				zone += zoneShift
			}
		}
		b.varint(t.Unix())
		b.uvarint(uint64(t.Nanosecond()))
		b.varint(zone)
	}
	if groups&packName != 0 {
		b.texts(&n.Full, &n.Honorific, &n.Given, &n.Middle, &n.Family, &n.Suffix)
	}
	if groups&packEmails != 0 {
		b.uvarint(uint64(len(r.Emails)))
		for _, e := range r.Emails {
			b.str(e.Raw)
			b.same(e.Address, e.Raw)
			b.same(e.Canonical, e.Address)
		}
	}
	if groups&packPhones != 0 {
		b.uvarint(uint64(len(r.Phones)))
		for _, p := range r.Phones {
			b.str(p.Raw)
			b.same(p.E164, p.Raw)
		}
	}
	if groups&packAddresses != 0 {
		b.uvarint(uint64(len(r.Addresses)))
		for i := range r.Addresses {
			a := &r.Addresses[i]
			b.texts(&a.HouseNumber, &a.Street, &a.Line2, &a.Locality, &a.Region, &a.Postcode, &a.Country)
		}
	}
	if groups&packBirthDate != 0 {
		b.str(r.BirthDate.Raw)
		d := r.BirthDate.Date
		b.varint(int64(d.Year))
		b.varint(int64(d.Month))
		b.varint(int64(d.Day))
	}
	if groups&packGender != 0 {
		b.texts(&r.Gender)
	}
	if groups&packIDs != 0 {
		b.uvarint(uint64(len(r.IDs)))
		for _, id := range r.IDs {
			b.str(id.Type)
			b.str(id.Raw)
			b.same(id.Value, id.Raw)
		}
	}
	if groups&packConsents != 0 {
		b.uvarint(uint64(len(r.Consents)))
		for _, c := range r.Consents {
			b.str(c.Purpose)
			b.str(c.Raw)
			var flags uint64
			if c.Granted {
				flags |= 1
			}
			if c.Known {
				flags |= 2
			}
			b.uvarint(flags)
		}
	}
	if groups&packAttrs != 0 {
		keys := make([]string, 0, len(r.Attrs))
		for k := range r.Attrs {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.uvarint(uint64(len(keys)))
		for _, k := range keys {
			b.str(k)
			b.str(r.Attrs[k])
		}
	}
	return Packed{string(b.buf)}
}

// packBufs holds the buffers Pack writes in before it copies the result,
// exactly sized, into the string it returns.
var packBufs = sync.Pool{New: func() any { return new(packBuf) }}

type packBuf struct{ buf []byte }

func (b *packBuf) uvarint(x uint64) { b.buf = binary.AppendUvarint(b.buf, x) }
func (b *packBuf) varint(x int64)   { b.buf = binary.AppendVarint(b.buf, x) }

func (b *packBuf) str(s string) {
	b.uvarint(uint64(len(s)))
	b.buf = append(b.buf, s...)
}

// same writes s as 0 when it equals prev (the common case of a normalized
// form equal to the raw one), else as its length plus one and its bytes.
func (b *packBuf) same(s, prev string) {
	if s == prev {
		b.uvarint(0)
		return
	}
	b.uvarint(uint64(len(s)) + 1)
	b.buf = append(b.buf, s...)
}

// texts writes a bit set of the non-zero texts, then each of them.
func (b *packBuf) texts(ts ...*Text) {
	var present uint64
	for i, t := range ts {
		if !t.IsZero() {
			present |= 1 << i
		}
	}
	b.uvarint(present)
	for _, t := range ts {
		if t.IsZero() {
			continue
		}
		b.str(t.Raw)
		b.same(t.Norm, t.Raw)
		b.same(t.Key, t.Norm)
	}
}

// IsZero reports whether p holds no record.
func (p Packed) IsZero() bool { return p.s == "" }

// Size returns the number of bytes p's text takes.
func (p Packed) Size() int { return len(p.s) }

// Ref returns the packed record's reference, without allocating.
func (p Packed) Ref() Ref {
	if p.s == "" {
		return Ref{}
	}
	d := unpacker{s: p.s}
	return Ref{Source: d.str(), Key: d.str()}
}

// Observed returns the packed record's observed time, without allocating
// (except for a fixed zone offset not seen before).
func (p Packed) Observed() time.Time {
	if p.s == "" {
		return time.Time{}
	}
	d := unpacker{s: p.s}
	d.str()
	d.str()
	if d.uvarint()&packObserved == 0 {
		return time.Time{}
	}
	return d.time()
}

// Record returns a new record holding p's values, or nil for the zero
// Packed. Its strings share p's text; the record is the caller's.
func (p Packed) Record() *Record {
	if p.s == "" {
		return nil
	}
	r := new(Record)
	p.Decode(r)
	return r
}

// Decode sets *r to the packed record, reusing r's slices and map (their
// old contents are overwritten: do not decode into a record whose slices
// someone else holds). Decoding the zero Packed zeroes r.
func (p Packed) Decode(r *Record) {
	emails, phones, addrs, ids, consents, attrs := r.Emails[:0], r.Phones[:0], r.Addresses[:0], r.IDs[:0], r.Consents[:0], r.Attrs
	*r = Record{}
	if p.s == "" {
		return
	}
	d := unpacker{s: p.s}
	r.Source = d.str()
	r.Key = d.str()
	groups := d.uvarint()
	if groups&packObserved != 0 {
		r.Observed = d.time()
	}
	if groups&packName != 0 {
		n := &r.Name
		d.texts(&n.Full, &n.Honorific, &n.Given, &n.Middle, &n.Family, &n.Suffix)
	}
	if groups&packEmails != 0 {
		for range d.uvarint() {
			var e Email
			e.Raw = d.str()
			e.Address = d.same(e.Raw)
			e.Canonical = d.same(e.Address)
			emails = append(emails, e)
		}
		r.Emails = emails
	}
	if groups&packPhones != 0 {
		for range d.uvarint() {
			var ph Phone
			ph.Raw = d.str()
			ph.E164 = d.same(ph.Raw)
			phones = append(phones, ph)
		}
		r.Phones = phones
	}
	if groups&packAddresses != 0 {
		for range d.uvarint() {
			addrs = append(addrs, Address{})
			a := &addrs[len(addrs)-1]
			d.texts(&a.HouseNumber, &a.Street, &a.Line2, &a.Locality, &a.Region, &a.Postcode, &a.Country)
		}
		r.Addresses = addrs
	}
	if groups&packBirthDate != 0 {
		r.BirthDate.Raw = d.str()
		r.BirthDate.Date = Date{Year: int(d.varint()), Month: int(d.varint()), Day: int(d.varint())}
	}
	if groups&packGender != 0 {
		d.texts(&r.Gender)
	}
	if groups&packIDs != 0 {
		for range d.uvarint() {
			var id Identifier
			id.Type = d.str()
			id.Raw = d.str()
			id.Value = d.same(id.Raw)
			ids = append(ids, id)
		}
		r.IDs = ids
	}
	if groups&packConsents != 0 {
		for range d.uvarint() {
			var c Consent
			c.Purpose = d.str()
			c.Raw = d.str()
			flags := d.uvarint()
			c.Granted, c.Known = flags&1 != 0, flags&2 != 0
			consents = append(consents, c)
		}
		r.Consents = consents
	}
	if groups&packAttrs != 0 {
		n := d.uvarint()
		if attrs == nil {
			attrs = make(map[string]string, n)
		} else {
			clear(attrs)
		}
		for range n {
			k := d.str()
			attrs[k] = d.str()
		}
		r.Attrs = attrs
	}
}

// unpacker reads what packBuf wrote. Its input is only ever a string Pack
// made, so it does not check for truncation.
type unpacker struct {
	s string
	i int
}

func (d *unpacker) uvarint() uint64 {
	var x uint64
	for shift := 0; ; shift += 7 {
		c := d.s[d.i]
		d.i++
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return x
		}
	}
}

func (d *unpacker) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (d *unpacker) str() string {
	n := int(d.uvarint())
	s := d.s[d.i : d.i+n]
	d.i += n
	return s
}

func (d *unpacker) same(prev string) string {
	n := int(d.uvarint())
	if n == 0 {
		return prev
	}
	n--
	s := d.s[d.i : d.i+n]
	d.i += n
	return s
}

func (d *unpacker) texts(ts ...*Text) {
	present := d.uvarint()
	for i, t := range ts {
		if present&(1<<i) == 0 {
			continue
		}
		t.Raw = d.str()
		t.Norm = d.same(t.Raw)
		t.Key = d.same(t.Norm)
	}
}

func (d *unpacker) time() time.Time {
	sec := d.varint()
	nsec := int64(d.uvarint())
	zone := d.varint()
	t := time.Unix(sec, nsec)
	switch {
	case zone == zoneUTC:
		return t.UTC()
	case zone == zoneLocal:
		return t // time.Unix gives local time
	case zone > 0:
		zone -= zoneShift
	}
	return t.In(fixedZone(int(zone)))
}

// fixedZones caches the zones of decoded offsets: time.FixedZone allocates,
// and a data set has a handful of offsets.
var fixedZones sync.Map // int -> *time.Location

func fixedZone(off int) *time.Location {
	if l, ok := fixedZones.Load(off); ok {
		return l.(*time.Location)
	}
	l, _ := fixedZones.LoadOrStore(off, time.FixedZone("", off))
	return l.(*time.Location)
}
