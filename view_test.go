package unify_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/internal/synth"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

// TestEachViewMatchesSegment checks the engine's views, built in two
// passes a chunk at a time, against a second implementation: segment.Views
// over every profile and every event at once, then AssignRFM and
// AssignTiers. The data is the generator's, with its events, over more
// than one chunk of profiles.
func TestEachViewMatchesSegment(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Records = 4000
	writeSynth(t, dir, cfg)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	e, err := unify.New(ctx, unify.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range cfg.Sources {
		err := readSource(ctx, filepath.Join(dir, s.Name+".csv"), s.Name, func(r *profile.Record) error {
			_, err := e.Add(ctx, r)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	// The same generator run again gives the events of those records.
	var events []profile.Event
	if _, err := synth.Generate(ctx, cfg, synth.SinkFuncs{EventFunc: func(ev *profile.Event) error {
		events = append(events, *ev)
		return nil
	}}); err != nil {
		t.Fatal(err)
	}
	if err := e.AddEvents(ctx, events...); err != nil {
		t.Fatal(err)
	}
	if e.NumProfiles() <= 1024 {
		t.Fatalf("%d profiles: want more than one chunk", e.NumProfiles())
	}

	rfm, tiers := segment.RFMOptions{}, segment.TierOptions{VIP: 0.1, High: 0.3}
	got, err := e.Views(ctx, rfm, tiers)
	if err != nil {
		t.Fatal(err)
	}

	var ps []*profile.Profile
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, &p)
	}
	ag, err := segment.NewAggregator(segment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := segment.Views(now, ps, segment.IndexEvents(slices.Values(events)), ag)
	if err != nil {
		t.Fatal(err)
	}
	segment.AssignRFM(want, rfm)
	if err := segment.AssignTiers(want, tiers); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d views, want %d", len(got), len(want))
	}
	scored, vip := 0, 0
	for i := range want {
		if d := cmp.Diff(want[i], got[i], cmpopts.IgnoreUnexported(segment.Aggregates{}), cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("view %d (%s) differs (-want +got):\n%s", i, want[i].ID(), d)
		}
		if got[i].RFM.R > 0 {
			scored++
		}
		if got[i].Tier == segment.TierVIP {
			vip++
		}
	}
	if scored == 0 || vip == 0 {
		t.Fatalf("%d views RFM-scored, %d VIPs: the data has no purchases", scored, vip)
	}

	// Stopping early, and a write in the loop body.
	n := 0
	for v, err := range e.EachView(ctx, rfm, tiers) {
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			if _, err := e.Delete(ctx, v.Profile.Members...); err != nil {
				t.Fatal(err)
			}
		}
		if n++; n == 1500 {
			break
		}
	}
	if n != 1500 {
		t.Fatalf("stopped after %d views", n)
	}

	// A cancelled context ends the iteration with its error, in either pass.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	yielded := 0
	for v, err := range e.EachView(cctx, rfm, tiers) {
		yielded++
		if !errors.Is(err, context.Canceled) || v != nil {
			t.Fatalf("cancelled: view %v, error %v", v, err)
		}
	}
	if yielded != 1 {
		t.Fatalf("cancelled: %d yields, want the error once", yielded)
	}
}

// TestViewSegmentsNeedingPopulation checks that View, which has no
// population to rank a profile in, reports the segments on RFM scores and
// value tiers as unevaluated instead of as non-members, and evaluates the
// rest.
func TestViewSegmentsNeedingPopulation(t *testing.T) {
	ctx := context.Background()
	segs := []*segment.Segment{
		segment.MustNew("buyers", `purchase_count >= 1`),
		segment.MustNew("champions", `rfm_segment = "Champions"`),
		// Unscored, this would hold every profile.
		segment.MustNew("not_lost", `not (rfm_segment = "Lost")`),
		segment.MustNew("vip_buyers", `purchase_count >= 1 and value_tier = "vip"`),
		segment.MustNew("quiet", `purchase_count = 0`),
	}
	e, _ := newResolvedWith(t, unify.Options{Segments: segs})
	ref := profile.Ref{Source: "crm", Key: "c0"}
	if err := e.AddEvents(ctx, profile.Event{Record: ref, ID: "o1", Type: profile.Purchase, Amount: 10, Time: time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	p, err := e.ProfileOf(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.View(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"buyers"}; !slices.Equal(v.Segments, want) {
		t.Errorf("segments %q, want %q", v.Segments, want)
	}
	if want := []string{"champions", "not_lost", "vip_buyers"}; !slices.Equal(v.Unevaluated, want) {
		t.Errorf("unevaluated %q, want %q", v.Unevaluated, want)
	}
}

// TestNewNilSegment checks that a nil configured segment is an error from
// New, not a panic in View.
func TestNewNilSegment(t *testing.T) {
	_, err := unify.New(context.Background(), unify.Options{Segments: []*segment.Segment{segment.MustNew("all", `events >= 0`), nil}})
	if !errors.Is(err, unify.ErrOptions) || !strings.Contains(err.Error(), "Segments[1] is nil") {
		t.Errorf("New with a nil segment: %v, want unify.ErrOptions naming Segments[1]", err)
	}
}
