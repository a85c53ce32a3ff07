package segment_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
	"pgregory.net/rapid"
)

func spender(p *profile.Profile, spend float64) *segment.View {
	return &segment.View{Profile: p, Agg: &segment.Aggregates{Now: fixtureNow, Spend: spend}}
}

func TestEvaluate(t *testing.T) {
	vip := segment.MustNew("vip", `total_spend >= 1000`)
	p := profileID("P")
	for _, tc := range []struct {
		name          string
		before, after *segment.View
		want          []segment.Change
	}{
		{"enters", spender(p, 10), spender(p, 2000), []segment.Change{{Segment: "vip", ProfileID: "P", Kind: segment.Entered}}},
		{"exits", spender(p, 2000), spender(p, 10), []segment.Change{{Segment: "vip", ProfileID: "P", Kind: segment.Exited}}},
		{"stays", spender(p, 2000), spender(p, 3000), nil},
		{"stays out", spender(p, 1), spender(p, 2), nil},
		{"new profile", nil, spender(p, 2000), []segment.Change{{Segment: "vip", ProfileID: "P", Kind: segment.Entered}}},
		{"gone", spender(p, 2000), nil, []segment.Change{{Segment: "vip", ProfileID: "P", Kind: segment.Exited}}},
		{"different IDs", spender(p, 2000), spender(profileID("Q"), 2000), []segment.Change{
			{Segment: "vip", ProfileID: "P", Kind: segment.Exited},
			{Segment: "vip", ProfileID: "Q", Kind: segment.Entered},
		}},
	} {
		got := vip.Evaluate(nil, tc.before, tc.after)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestDiffMergeSplit(t *testing.T) {
	segs := []*segment.Segment{
		segment.MustNew("vip", `total_spend >= 1000`),
		segment.MustNew("big", `total_spend >= 3000`),
	}
	a1, b2, c3, c4 := profile.Ref{Source: "a", Key: "1"}, profile.Ref{Source: "b", Key: "2"}, profile.Ref{Source: "c", Key: "3"}, profile.Ref{Source: "c", Key: "4"}
	before := []*segment.View{
		spender(profileID("P1", a1), 1500),
		spender(profileID("P2", b2), 2000),
		spender(profileID("P3", c3, c4), 500),
	}
	// P2 merged into P1; P3 split into P3 and P4.
	merged := profileID("P1", a1, b2)
	merged.Aliases = []string{"P2"}
	after := []*segment.View{
		spender(profileID("P4", c4), 1200),
		spender(merged, 3500),
		spender(profileID("P3", c3), 100),
	}
	want := []segment.Change{
		{Segment: "big", ProfileID: "P1", Kind: segment.Entered},
		{Segment: "vip", ProfileID: "P2", Kind: segment.Exited, Into: "P1"},
		{Segment: "vip", ProfileID: "P4", Kind: segment.Entered, From: "P3"},
	}
	got, err := segment.Diff(segs, before, after)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	// Without the alias, the records tell where P2 went.
	merged.Aliases = nil
	got, _ = segment.Diff(segs, before, after)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff without aliases (-want +got):\n%s", diff)
	}
	if _, err := segment.Diff(segs, append(before, before[0]), after); !errors.Is(err, segment.ErrDuplicateProfile) {
		t.Errorf("duplicate before: %v", err)
	}
	if _, err := segment.Diff(segs, before, append(after, after[0])); !errors.Is(err, segment.ErrDuplicateProfile) {
		t.Errorf("duplicate after: %v", err)
	}
}

// Segment membership does not depend on the order of the profiles: Diff
// against an empty state lists the same entries whatever the order, and
// they agree with Match on each view.
func TestMembershipOrderIndependent(t *testing.T) {
	segs := benchSegments(t)
	views := synthViews(t, 300, 9)
	base, err := segment.Diff(segs, nil, views)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range views {
		for _, s := range segs {
			if s.Match(v) {
				n++
			}
		}
	}
	if len(base) != n || n == 0 {
		t.Fatalf("Diff lists %d entries, Match finds %d", len(base), n)
	}
	rapid.Check(t, func(t *rapid.T) {
		perm := rapid.Permutation(views).Draw(t, "order")
		got, err := segment.Diff(segs, nil, perm)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(base, got); diff != "" {
			t.Fatalf("order changed membership (-want +got):\n%s", diff)
		}
	})
}

func TestChangeJSON(t *testing.T) {
	in := []segment.Change{
		{Segment: "vip", ProfileID: "P2", Kind: segment.Exited, Into: "P1"},
		{Segment: "vip", ProfileID: "P4", Kind: segment.Entered, From: "P3"},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `[{"segment":"vip","profile_id":"P2","kind":"exited","into":"P1"},{"segment":"vip","profile_id":"P4","kind":"entered","from":"P3"}]`
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var out []segment.Change
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if err := json.Unmarshal([]byte(`[{"kind":"left"}]`), &out); !errors.Is(err, segment.ErrSyntax) {
		t.Errorf("bad kind: %v", err)
	}
}
