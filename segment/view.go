package segment

import (
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/unifyhq/unify/profile"
)

// View is what segments are evaluated on: one golden profile with the
// aggregates of its events and, once computed over the population, its RFM
// score and value tier. Build views with [Views] (or fill one by hand with
// aggregates from [Aggregator.Compute]).
//
// A nil Profile has no profile fields; a nil Agg has no events. A zero RFM
// or Tier means "not computed": rfm_* and value_tier are then missing.
type View struct {
	Profile *profile.Profile
	Agg     *Aggregates
	RFM     RFMScore
	Tier    ValueTier
}

// ID returns the profile's ID, or "" when the view has no profile.
func (v *View) ID() string {
	if v == nil || v.Profile == nil {
		return ""
	}
	return v.Profile.ID
}

var noAggregates = &Aggregates{}

func (v *View) agg() *Aggregates {
	if v.Agg == nil {
		return noAggregates
	}
	return v.Agg
}

// EventIndex finds the events of a profile: the events of its member
// records. It is built once from all events and is safe for concurrent
// reads.
type EventIndex struct {
	byRecord map[profile.Ref][]profile.Event
}

// IndexEvents groups events by the record they hang off. The events are
// copied as they are; their order within a record is kept.
func IndexEvents(events iter.Seq[profile.Event]) *EventIndex {
	x := &EventIndex{byRecord: map[profile.Ref][]profile.Event{}}
	for e := range events {
		x.byRecord[e.Record] = append(x.byRecord[e.Record], e)
	}
	return x
}

// For appends to dst the events of p's member records, member by member in
// p.Members order, and returns the extended slice.
func (x *EventIndex) For(dst []profile.Event, p *profile.Profile) []profile.Event {
	for _, m := range p.Members {
		dst = append(dst, x.byRecord[m]...)
	}
	return dst
}

// Unclaimed returns the records that have events but are members of none of
// the profiles, sorted. Their events are in no view: report them rather than
// lose them silently.
func (x *EventIndex) Unclaimed(profiles []*profile.Profile) []profile.Ref {
	claimed := make(map[profile.Ref]bool)
	for _, p := range profiles {
		for _, m := range p.Members {
			claimed[m] = true
		}
	}
	var out []profile.Ref
	for r := range x.byRecord {
		if !claimed[r] {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, profile.Ref.Compare)
	return out
}

// Views builds one view per profile, in order, with aggregates of the
// profile's events as of now. It is an error wrapping [ErrDuplicateProfile]
// when two profiles share an ID, and one wrapping [ErrInvalidEvent] that
// names the profile and the event when an event is bad. RFM and tiers
// are left unset: see [ScoreRFM] and [AssignTiers].
func Views(now time.Time, profiles []*profile.Profile, events *EventIndex, ag *Aggregator) ([]*View, error) {
	seen := make(map[string]bool, len(profiles))
	views := make([]*View, len(profiles))
	var buf []profile.Event
	for i, p := range profiles {
		if seen[p.ID] {
			return nil, fmt.Errorf("%w: %q (profile %d)", ErrDuplicateProfile, p.ID, i)
		}
		seen[p.ID] = true
		buf = buf[:0]
		if events != nil {
			buf = events.For(buf, p)
		}
		a, err := ag.compute(now, buf, p.ID)
		if err != nil {
			return nil, err
		}
		views[i] = &View{Profile: p, Agg: a}
	}
	return views, nil
}
