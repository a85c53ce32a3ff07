package segment

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/unifyhq/unify/profile"
)

// ChangeKind says whether a profile entered or left a segment.
type ChangeKind uint8

// Membership changes.
const (
	Entered ChangeKind = iota + 1
	Exited
)

// String returns "entered" or "exited".
func (k ChangeKind) String() string {
	switch k {
	case Entered:
		return "entered"
	case Exited:
		return "exited"
	}
	return fmt.Sprintf("ChangeKind(%d)", uint8(k))
}

// MarshalText writes the kind as its name, for JSON.
func (k ChangeKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads "entered" or "exited".
func (k *ChangeKind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "entered":
		*k = Entered
	case "exited":
		*k = Exited
	default:
		return fmt.Errorf("%w: change kind %q: want entered or exited", ErrSyntax, b)
	}
	return nil
}

// Change is one membership change: a profile entered or exited a segment.
type Change struct {
	Segment   string     `json:"segment"`
	ProfileID string     `json:"profile_id"`
	Kind      ChangeKind `json:"kind"`
	// Into is set on an exit caused by a merge: the profile that absorbed
	// this one (the after profile listing it as an alias, else the one
	// holding most of its member records).
	Into string `json:"into,omitempty"`
	// From is set on an entry of a profile that did not exist before (a
	// split, or a new profile built from known records): the before profile
	// that held most of its member records.
	From string `json:"from,omitempty"`
}

// Evaluate compares one profile before and after a change and appends the
// membership change, if any, to dst. A nil before means the profile is new;
// a nil after means it is gone. When before and after carry different
// profile IDs, the before profile exits and the after profile enters. For
// whole populations with merges and splits use [Diff].
func (s *Segment) Evaluate(dst []Change, before, after *View) []Change {
	was, is := s.Match(before), s.Match(after)
	if before != nil && after != nil && before.ID() != after.ID() {
		if was {
			dst = append(dst, Change{Segment: s.name, ProfileID: before.ID(), Kind: Exited})
		}
		if is {
			dst = append(dst, Change{Segment: s.name, ProfileID: after.ID(), Kind: Entered})
		}
		return dst
	}
	switch {
	case is && !was:
		return append(dst, Change{Segment: s.name, ProfileID: after.ID(), Kind: Entered})
	case was && !is:
		return append(dst, Change{Segment: s.name, ProfileID: before.ID(), Kind: Exited})
	}
	return dst
}

// Diff evaluates the segments on two states of a population (before and
// after an update, a merge or a split) and returns every membership change,
// sorted by profile ID, then segment order, then kind (exits first).
// Profiles are matched by ID: an ID only before has exited every segment it
// was in (with Into naming where its records went), an ID only after has
// entered (with From naming where its records were). The error wraps
// [ErrDuplicateProfile] when an ID occurs twice in one state.
func Diff(segs []*Segment, before, after []*View) ([]Change, error) {
	b, err := byID(before)
	if err != nil {
		return nil, fmt.Errorf("before: %w", err)
	}
	a, err := byID(after)
	if err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	// Lineage for profiles present on one side only.
	aliasOf := map[string]string{}
	for _, v := range after {
		if v != nil && v.Profile != nil {
			for _, al := range v.Profile.Aliases {
				aliasOf[al] = v.Profile.ID
			}
		}
	}
	owner := func(views []*View) map[profile.Ref]string {
		m := map[profile.Ref]string{}
		for _, v := range views {
			if v != nil && v.Profile != nil {
				for _, r := range v.Profile.Members {
					m[r] = v.Profile.ID
				}
			}
		}
		return m
	}
	ownerBefore, ownerAfter := owner(before), owner(after)

	ids := make([]string, 0, len(b)+len(a))
	for id := range b {
		ids = append(ids, id)
	}
	for id := range a {
		if _, ok := b[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)

	var out []Change
	for _, id := range ids {
		vb, va := b[id], a[id]
		var into, from string
		if va == nil {
			if into = aliasOf[id]; into == "" {
				into = mostMembers(vb, ownerAfter)
			}
		}
		if vb == nil {
			from = mostMembers(va, ownerBefore)
		}
		for _, s := range segs {
			was, is := s.Match(vb), s.Match(va)
			switch {
			case was && !is:
				out = append(out, Change{Segment: s.name, ProfileID: id, Kind: Exited, Into: into})
			case is && !was:
				out = append(out, Change{Segment: s.name, ProfileID: id, Kind: Entered, From: from})
			}
		}
	}
	return out, nil
}

func byID(views []*View) (map[string]*View, error) {
	m := make(map[string]*View, len(views))
	for i, v := range views {
		if v == nil {
			continue
		}
		id := v.ID()
		if _, dup := m[id]; dup {
			return nil, fmt.Errorf("%w: %q (view %d)", ErrDuplicateProfile, id, i)
		}
		m[id] = v
	}
	return m, nil
}

// mostMembers returns the profile in owner holding most of v's member
// records (ties: the smallest ID), or "".
func mostMembers(v *View, owner map[profile.Ref]string) string {
	if v == nil || v.Profile == nil {
		return ""
	}
	counts := map[string]int{}
	for _, r := range v.Profile.Members {
		if id, ok := owner[r]; ok && id != v.Profile.ID {
			counts[id]++
		}
	}
	best, bestN := "", 0
	for id, n := range counts {
		if n > bestN || n == bestN && cmp.Less(id, best) {
			best, bestN = id, n
		}
	}
	return best
}

// Names of the built-in segments.
const (
	SegmentLapsed        = "lapsed"
	SegmentNew           = "new"
	SegmentMultiChannel  = "multi_channel"
	SegmentComplaintRisk = "complaint_risk"
	SegmentVIP           = "vip"
)

// BuiltinOptions parameterise the built-in segments. Zero values take the
// defaults in brackets; they are common starting points, not tuned to any
// data set, so set them for your business's purchase cycle.
type BuiltinOptions struct {
	LapsedAfter     Window  // no event for this long [180d]
	NewWithin       Window  // first event this recent [30d]
	MultiChannelMin int     // at least this many channels [2]
	ComplaintWindow Window  // complaints counted in this window [90d]
	ComplaintMin    int     // at least this many complaints in the window [2]
	ComplaintRatio  float64 // or at least this many complaints per order (all time) [0.5]; negative disables
}

// Builtins returns the built-in segments, written in the condition
// language (see each segment's String):
//
//	lapsed          last_seen before 180d
//	new             first_seen within 30d
//	multi_channel   channel_count >= 2
//	complaint_risk  count(complaint, 90d) >= 2 or complaint_ratio >= 0.5
//	vip             value_tier = "vip"   (after AssignTiers)
//
// The error wraps [ErrType] when an option is out of range.
func Builtins(opts BuiltinOptions) ([]*Segment, error) {
	def := func(w, d Window) Window {
		if w.IsZero() {
			return d
		}
		return w
	}
	lapsed, newW, cw := def(opts.LapsedAfter, Days(180)), def(opts.NewWithin, Days(30)), def(opts.ComplaintWindow, Days(90))
	mc, cmin, ratio := opts.MultiChannelMin, opts.ComplaintMin, opts.ComplaintRatio
	if mc == 0 {
		mc = 2
	}
	if cmin == 0 {
		cmin = 2
	}
	if ratio == 0 {
		ratio = 0.5
	}
	complaint := Ge(Count(string(profile.Complaint), cw), cmin)
	if ratio > 0 {
		complaint = Or(complaint, Ge("complaint_ratio", ratio))
	}
	defs := []struct {
		name string
		e    Expr
	}{
		{SegmentLapsed, Before("last_seen", lapsed)},
		{SegmentNew, Within("first_seen", newW)},
		{SegmentMultiChannel, Ge("channel_count", mc)},
		{SegmentComplaintRisk, complaint},
		{SegmentVIP, Eq("value_tier", string(TierVIP))},
	}
	out := make([]*Segment, len(defs))
	for i, d := range defs {
		s, err := Compile(d.name, d.e)
		if err != nil {
			return nil, fmt.Errorf("segment: built-in %q: %w", d.name, err)
		}
		out[i] = s
	}
	return out, nil
}
