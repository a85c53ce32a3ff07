package unify

import (
	"context"
	"fmt"
	"maps"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unifyhq/unify/profile"
	"pgregory.net/rapid"
)

// TestEventCodeRoundTrip: the memory store gives back every event as it
// was added, whatever its fields, its time's location (UTC, Local, a named
// fixed zone) and its attributes.
func TestEventCodeRoundTrip(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	minus := time.FixedZone("", -5*3600-1800)
	rapid.Check(t, func(t *rapid.T) {
		s := NewMemoryStore()
		text := rapid.StringMatching(`[a-zA-Z0-9_ é-]{0,12}`)
		n := rapid.IntRange(1, 20).Draw(t, "n")
		var evs []profile.Event
		offsets := map[int]bool{}           // of the unnamed zones made per event
		shared := map[*time.Location]bool{} // zones used by several events
		for range n {
			e := profile.Event{
				ID:       text.Draw(t, "id"),
				Record:   profile.Ref{Source: rapid.SampledFrom([]string{"crm", "shop"}).Draw(t, "src"), Key: rapid.SampledFrom([]string{"1", "2", "3"}).Draw(t, "key")},
				Type:     profile.EventType(rapid.SampledFrom([]string{"purchase", "visit", ""}).Draw(t, "type")),
				Channel:  profile.Channel(text.Draw(t, "channel")),
				Device:   text.Draw(t, "device"),
				Region:   text.Draw(t, "region"),
				Campaign: text.Draw(t, "campaign"),
				OrderID:  text.Draw(t, "order"),
				Amount:   rapid.SampledFrom([]float64{0, 12.5, -3, 1e-9, math.MaxFloat64, math.Inf(1), math.Copysign(0, -1)}).Draw(t, "amount"),
				Currency: rapid.SampledFrom([]string{"", "EUR"}).Draw(t, "currency"),
			}
			if rapid.Bool().Draw(t, "timed") {
				// A new unnamed zone per event, as time.Parse makes for an
				// offset, besides shared ones.
				// Quarter hours: FixedZone caches unnamed zones of whole
				// hours, so those would not make a new one.
				off := 3600*rapid.IntRange(-12, 13).Draw(t, "offset") + 900
				loc := rapid.SampledFrom([]*time.Location{time.UTC, time.Local, cet, minus, nil}).Draw(t, "loc")
				if loc == nil {
					loc = time.FixedZone("", off)
					offsets[off] = true
				} else {
					shared[loc] = true
				}
				e.Time = time.Unix(rapid.Int64Range(-1e10, 1e10).Draw(t, "sec"), rapid.Int64Range(0, 999_999_999).Draw(t, "nsec")).In(loc)
			}
			if k := rapid.IntRange(0, 3).Draw(t, "attrs"); k > 0 {
				e.Attrs = map[string]string{}
				for j := range k {
					e.Attrs[text.Draw(t, "k")+string(rune('a'+j))] = text.Draw(t, "v")
				}
			}
			evs = append(evs, e)
		}
		byRef := map[profile.Ref][]profile.Event{}
		for _, e := range evs {
			e.Attrs = maps.Clone(e.Attrs)
			byRef[e.Record] = append(byRef[e.Record], e)
		}
		if err := s.AddEvents(context.Background(), evs); err != nil {
			t.Fatal(err)
		}
		if len(s.zones.locs) != len(shared)+len(offsets) {
			t.Fatalf("%d locations numbered for %d shared zones and %d offsets", len(s.zones.locs), len(shared), len(offsets))
		}
		// Changing the caller's events afterwards changes nothing stored.
		for i := range evs {
			if evs[i].Attrs != nil {
				evs[i].Attrs["changed"] = "x"
			}
			evs[i].Device = "changed"
		}
		for ref, want := range byRef {
			got, err := s.Events(context.Background(), ref)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%v: %d events, want %d", ref, len(got), len(want))
			}
			for i := range want {
				w, g := want[i], got[i]
				if !w.Time.Equal(g.Time) || w.Time.Location().String() != g.Time.Location().String() || w.Time.String() != g.Time.String() {
					t.Fatalf("%v event %d: time %v, want %v", ref, i, g.Time, w.Time)
				}
				if name := w.Time.Location().String(); name != "" && w.Time.Location() != g.Time.Location() {
					t.Fatalf("%v event %d: location %p (%s), want %p", ref, i, g.Time.Location(), name, w.Time.Location())
				}
				if math.Float64bits(w.Amount) != math.Float64bits(g.Amount) {
					t.Fatalf("amount %v, want %v", g.Amount, w.Amount)
				}
				w.Time, g.Time, w.Amount, g.Amount = time.Time{}, time.Time{}, 0, 0
				if d := cmp.Diff(w, g); d != "" {
					t.Fatalf("%v event %d (-want +got):\n%s", ref, i, d)
				}
			}
		}
	})
}

// TestEventZonesByOffset: time.Parse makes a new unnamed zone for every
// time it reads with an offset; the store numbers them by offset, so its
// table does not grow with the events.
func TestEventZonesByOffset(t *testing.T) {
	s := NewMemoryStore()
	var evs []profile.Event
	for i := range 100 {
		tm, err := time.Parse(time.RFC3339, fmt.Sprintf("2024-01-%02dT10:00:00+05:45", 1+i%28))
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, profile.Event{Record: profile.Ref{Source: "s", Key: "1"}, Type: "visit", Time: tm})
	}
	if evs[0].Time.Location() == evs[1].Time.Location() {
		t.Skip("time.Parse shares unnamed zones here; nothing to check")
	}
	if err := s.AddEvents(context.Background(), evs); err != nil {
		t.Fatal(err)
	}
	if len(s.zones.locs) != 1 {
		t.Fatalf("%d locations numbered for one offset", len(s.zones.locs))
	}
	got, _ := s.Events(context.Background(), profile.Ref{Source: "s", Key: "1"})
	for i := range got {
		if got[i].Time.String() != evs[i].Time.String() {
			t.Fatalf("event %d: %v, want %v", i, got[i].Time, evs[i].Time)
		}
	}
}
