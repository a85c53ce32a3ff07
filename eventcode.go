package unify

import (
	"encoding/binary"
	"math"
	"slices"
	"time"

	"github.com/unifyhq/unify/profile"
)

// The memory store keeps each event as one string: at the generator's
// 2.8 million events for a million records, a profile.Event (200 bytes of
// struct, its row's text and the slices' slack) took about 370 bytes, the
// packed string about a third of that. Locations are kept in a table of
// the store's, so that an event's time comes back with the very location
// it went in with, named zones included.

// Flags of a packed event: which optional parts follow.
const (
	evID = 1 << iota
	evTime
	evChannel
	evDevice
	evRegion
	evCampaign
	evOrderID
	evAmount
	evCurrency
	evAttrs
)

// eventZones numbers the locations of the events' times.
type eventZones struct {
	locs []*time.Location
	idx  map[*time.Location]uint64
	// byOffset numbers unnamed fixed zones by their offset: time.Parse
	// makes a new one for every time it reads with an offset, and one
	// entry per event would grow the table with the events.
	byOffset map[int]uint64
}

// number returns loc's number, adding it when new. The caller holds the
// store's write lock.
func (z *eventZones) number(loc *time.Location) uint64 {
	if n, ok := z.idx[loc]; ok {
		return n
	}
	if z.idx == nil {
		z.idx, z.byOffset = map[*time.Location]uint64{}, map[int]uint64{}
	}
	off := 0
	unnamed := loc.String() == ""
	if unnamed {
		_, off = time.Unix(0, 0).In(loc).Zone()
		if n, ok := z.byOffset[off]; ok {
			return n
		}
	}
	n := uint64(len(z.locs))
	z.locs = append(z.locs, loc)
	z.idx[loc] = n
	if unnamed {
		z.byOffset[off] = n
	}
	return n
}

// packEvent appends e's packed form to buf. Attributes are written in key
// order, so equal events pack to equal strings.
func packEvent(buf []byte, e *profile.Event, z *eventZones) []byte {
	var flags uint64
	set := func(bit uint64, present bool) {
		if present {
			flags |= bit
		}
	}
	set(evID, e.ID != "")
	set(evTime, !e.Time.IsZero())
	set(evChannel, e.Channel != "")
	set(evDevice, e.Device != "")
	set(evRegion, e.Region != "")
	set(evCampaign, e.Campaign != "")
	set(evOrderID, e.OrderID != "")
	set(evAmount, math.Float64bits(e.Amount) != 0) // -0 is not 0 here
	set(evCurrency, e.Currency != "")
	set(evAttrs, len(e.Attrs) > 0)
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	buf = binary.AppendUvarint(buf, flags)
	str(e.Record.Source)
	str(e.Record.Key)
	str(string(e.Type))
	if flags&evID != 0 {
		str(e.ID)
	}
	if flags&evTime != 0 {
		buf = binary.AppendVarint(buf, e.Time.Unix())
		buf = binary.AppendUvarint(buf, uint64(e.Time.Nanosecond()))
		buf = binary.AppendUvarint(buf, z.number(e.Time.Location()))
	}
	for _, p := range []struct {
		bit uint64
		s   string
	}{{evChannel, string(e.Channel)}, {evDevice, e.Device}, {evRegion, e.Region}, {evCampaign, e.Campaign}, {evOrderID, e.OrderID}} {
		if flags&p.bit != 0 {
			str(p.s)
		}
	}
	if flags&evAmount != 0 {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(e.Amount))
	}
	if flags&evCurrency != 0 {
		str(e.Currency)
	}
	if flags&evAttrs != 0 {
		keys := make([]string, 0, len(e.Attrs))
		for k := range e.Attrs {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		buf = binary.AppendUvarint(buf, uint64(len(keys)))
		for _, k := range keys {
			str(k)
			str(e.Attrs[k])
		}
	}
	return buf
}

// unpackEvent reads what packEvent wrote. Its strings share s, and its
// attributes are a map of its own. s is only ever the store's own.
func unpackEvent(s string, locs []*time.Location) profile.Event {
	i := 0
	uv := func() uint64 {
		var x uint64
		for shift := 0; ; shift += 7 {
			c := s[i]
			i++
			x |= uint64(c&0x7f) << shift
			if c < 0x80 {
				return x
			}
		}
	}
	str := func() string {
		n := int(uv())
		v := s[i : i+n]
		i += n
		return v
	}
	var e profile.Event
	flags := uv()
	e.Record.Source = str()
	e.Record.Key = str()
	e.Type = profile.EventType(str())
	if flags&evID != 0 {
		e.ID = str()
	}
	if flags&evTime != 0 {
		u := uv()
		sec := int64(u >> 1)
		if u&1 != 0 {
			sec = ^sec
		}
		nsec := int64(uv())
		e.Time = time.Unix(sec, nsec).In(locs[uv()])
	}
	if flags&evChannel != 0 {
		e.Channel = profile.Channel(str())
	}
	if flags&evDevice != 0 {
		e.Device = str()
	}
	if flags&evRegion != 0 {
		e.Region = str()
	}
	if flags&evCampaign != 0 {
		e.Campaign = str()
	}
	if flags&evOrderID != 0 {
		e.OrderID = str()
	}
	if flags&evAmount != 0 {
		var bits uint64
		for k := range 8 {
			bits |= uint64(s[i+k]) << (8 * k)
		}
		e.Amount = math.Float64frombits(bits)
		i += 8
	}
	if flags&evCurrency != 0 {
		e.Currency = str()
	}
	if flags&evAttrs != 0 {
		n := int(uv())
		e.Attrs = make(map[string]string, n)
		for range n {
			k := str()
			e.Attrs[k] = str()
		}
	}
	return e
}
