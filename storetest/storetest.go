// Package storetest is a conformance suite for implementations of
// [unify.Store], in the manner of testing/fstest: an implementation's own
// tests call [Run] with a constructor for empty stores.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) unify.Store { return mystore.New(t.TempDir()) })
//	}
package storetest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// Run checks that stores made by newStore behave as [unify.Store]
// requires. newStore must return an empty store each time it is called.
func Run(t *testing.T, newStore func(t *testing.T) unify.Store) {
	t.Run("Records", func(t *testing.T) { testRecords(t, newStore(t)) })
	t.Run("Events", func(t *testing.T) { testEvents(t, newStore(t)) })
	t.Run("Index", func(t *testing.T) { testIndex(t, newStore(t)) })
	t.Run("Links", func(t *testing.T) {
		ls, ok := newStore(t).(unify.LinkStore)
		if !ok {
			t.Skip("the store does not implement unify.LinkStore")
		}
		testLinks(t, ls)
	})
	t.Run("Assertions", func(t *testing.T) { testAssertions(t, newStore(t)) })
	t.Run("Profiles", func(t *testing.T) {
		ps, ok := newStore(t).(unify.ProfileStore)
		if !ok {
			t.Skip("the store does not implement unify.ProfileStore")
		}
		testProfiles(t, ps)
	})
	t.Run("Model", func(t *testing.T) { testModel(t, newStore(t)) })
	t.Run("Snapshot", func(t *testing.T) {
		ss, ok := newStore(t).(unify.SnapshotStore)
		if !ok {
			t.Skip("the store does not implement unify.SnapshotStore")
		}
		testSnapshot(t, ss)
	})
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, newStore(t)) })
	t.Run("Tx", func(t *testing.T) { testTx(t, newStore(t)) })
}

var ctx = context.Background()

// sampleRecord returns a record using every part of the data model, so a
// store that drops a field fails the round trip.
func sampleRecord(source, key string) *profile.Record {
	r := &profile.Record{
		Source:   source,
		Key:      key,
		Observed: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC),
		Name: profile.Name{
			Full:   profile.Text{Raw: "Dr. José Ñúñez Jr.", Norm: "José Ñúñez", Key: "jose nunez"},
			Given:  profile.Text{Raw: "José", Norm: "José", Key: "jose"},
			Family: profile.Text{Raw: "Ñúñez", Norm: "Ñúñez", Key: "nunez"},
			Suffix: profile.Text{Raw: "Jr.", Norm: "Jr", Key: "jr"},
		},
		Emails:    []profile.Email{{Raw: " Jose@Example.com", Address: "jose@example.com", Canonical: "jose@example.com"}, {Raw: "bad@", Address: "", Canonical: ""}},
		Phones:    []profile.Phone{{Raw: "0412 345 678", E164: "+61412345678"}},
		Addresses: []profile.Address{{Street: profile.Text{Raw: "1 Main Street", Norm: "1 Main Street", Key: "1 main st"}, Postcode: profile.Text{Raw: "2000", Norm: "2000", Key: "2000"}, Country: profile.Text{Raw: "Australia", Norm: "AU", Key: "au"}}},
		BirthDate: profile.DateValue{Raw: "1980", Date: profile.Date{Year: 1980}},
		Gender:    profile.Text{Raw: "M", Norm: "m", Key: "m"},
		IDs:       []profile.Identifier{{Type: "loyalty", Raw: "L-1", Value: "l1"}},
		Consents:  []profile.Consent{{Purpose: "email", Raw: "yes", Granted: true, Known: true}},
		Attrs:     map[string]string{"tier": "gold", "note": "日本語"},
	}
	return r
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func testRecords(t *testing.T, s unify.Store) {
	a, b := sampleRecord("crm", "1"), sampleRecord("shop", "x/1")
	if err := s.PutRecords(ctx, []*profile.Record{a, b}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetRecord(ctx, a.Ref())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("GetRecord round trip (-put +got):\n%s", diff)
	}
	// What GetRecord returns is the caller's to change. (What PutRecords
	// is given, a store may keep: callers must not change it.)
	got.Name.Given.Raw = "changed"
	got.Attrs["tier"] = "changed"
	again, _ := s.GetRecord(ctx, a.Ref())
	if again.Name.Given.Raw != "José" || again.Attrs["tier"] != "gold" {
		t.Error("changing a record GetRecord returned changed the store")
	}
	// Replace.
	b2 := sampleRecord("shop", "x/1")
	b2.Name.Given = profile.Text{Raw: "Ana", Norm: "Ana", Key: "ana"}
	if err := s.PutRecords(ctx, []*profile.Record{b2}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetRecord(ctx, b2.Ref()); got == nil || got.Name.Given.Key != "ana" {
		t.Error("PutRecords did not replace the record")
	}
	all := collect(t, s.Records(ctx))
	if len(all) != 2 {
		t.Errorf("Records yields %d records, want 2", len(all))
	}
	if err := s.DeleteRecords(ctx, []profile.Ref{a.Ref(), {Source: "none", Key: "none"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetRecord(ctx, a.Ref()); !errors.Is(err, unify.ErrNotFound) {
		t.Errorf("GetRecord after delete: %v, want ErrNotFound", err)
	}
	if n := len(collect(t, s.Records(ctx))); n != 1 {
		t.Errorf("Records after delete yields %d, want 1", n)
	}
}

func testEvents(t *testing.T, s unify.Store) {
	r1, r2 := profile.Ref{Source: "shop", Key: "1"}, profile.Ref{Source: "shop", Key: "2"}
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	evs := []profile.Event{
		{ID: "o1", Record: r1, Type: profile.Purchase, Time: when, Channel: profile.ChannelWeb, Amount: 12.5, Currency: "AUD", OrderID: "o1", Attrs: map[string]string{"sku": "x"}},
		{ID: "t1", Record: r1, Type: profile.Complaint, Time: when.Add(time.Hour), Channel: profile.ChannelEmail},
		{ID: "o2", Record: r2, Type: profile.Purchase, Time: when, Amount: 3},
	}
	if err := s.AddEvents(ctx, evs); err != nil {
		t.Fatal(err)
	}
	got, err := s.Events(ctx, r1)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(evs[:2], got, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("Events(r1) (-want +got):\n%s", diff)
	}
	if err := s.DeleteEvents(ctx, r1); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Events(ctx, r1); len(got) != 0 {
		t.Errorf("events remain after DeleteEvents: %v", got)
	}
	if got, _ := s.Events(ctx, r2); len(got) != 1 {
		t.Errorf("DeleteEvents(r1) touched r2's events: %v", got)
	}
}

func sortRefs(rs []profile.Ref) []profile.Ref {
	slices.SortFunc(rs, profile.Ref.Compare)
	return rs
}

func testIndex(t *testing.T, s unify.Store) {
	a, b, c := profile.Ref{Source: "s", Key: "a"}, profile.Ref{Source: "s", Key: "b"}, profile.Ref{Source: "t", Key: "a"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetKeys(ctx, a, []string{"email:x", "name:smith"}))
	must(s.SetKeys(ctx, b, []string{"name:smith"}))
	must(s.SetKeys(ctx, c, []string{"email:x"}))
	got, err := s.Lookup(ctx, "name:smith")
	must(err)
	if diff := cmp.Diff([]profile.Ref{a, b}, sortRefs(got)); diff != "" {
		t.Errorf("Lookup(name:smith) (-want +got):\n%s", diff)
	}
	// Replacing keys removes the old ones.
	must(s.SetKeys(ctx, a, []string{"phone:1"}))
	got, _ = s.Lookup(ctx, "email:x")
	if diff := cmp.Diff([]profile.Ref{c}, sortRefs(got)); diff != "" {
		t.Errorf("after SetKeys replaced a's keys, Lookup(email:x) (-want +got):\n%s", diff)
	}
	must(s.SetKeys(ctx, b, nil))
	if got, _ := s.Lookup(ctx, "name:smith"); len(got) != 0 {
		t.Errorf("Lookup(name:smith) after removals = %v", got)
	}
	if got, _ := s.Lookup(ctx, "never"); len(got) != 0 {
		t.Errorf("Lookup of an unknown key = %v", got)
	}
	// A removed record comes back, and a new one takes its place.
	d := profile.Ref{Source: "t", Key: "d"}
	must(s.SetKeys(ctx, d, []string{"name:smith"}))
	must(s.SetKeys(ctx, b, []string{"email:x"}))
	got, _ = s.Lookup(ctx, "name:smith")
	if diff := cmp.Diff([]profile.Ref{d}, sortRefs(got)); diff != "" {
		t.Errorf("Lookup(name:smith) after re-adding (-want +got):\n%s", diff)
	}
	got, _ = s.Lookup(ctx, "email:x")
	if diff := cmp.Diff([]profile.Ref{b, c}, sortRefs(got)); diff != "" {
		t.Errorf("Lookup(email:x) after re-adding (-want +got):\n%s", diff)
	}
}

func testLinks(t *testing.T, s unify.LinkStore) {
	a, b, c := profile.Ref{Source: "s", Key: "a"}, profile.Ref{Source: "s", Key: "b"}, profile.Ref{Source: "s", Key: "c"}
	if err := s.PutLinks(ctx, []merge.Link{{A: a, B: b, Prob: 0.9, Weight: 3}, {A: c, B: b, Prob: 0.2, Weight: -2}}); err != nil {
		t.Fatal(err)
	}
	// Same unordered pair replaces.
	if err := s.PutLinks(ctx, []merge.Link{{A: b, B: a, Prob: 0.95, Weight: 4}}); err != nil {
		t.Fatal(err)
	}
	links := collect(t, s.Links(ctx))
	if len(links) != 2 {
		t.Fatalf("Links yields %d links, want 2: %v", len(links), links)
	}
	for _, l := range links {
		if (l.A == a || l.B == a) && l.Prob != 0.95 {
			t.Errorf("link a-b not replaced: %+v", l)
		}
	}
	if err := s.DeleteLinks(ctx, b); err != nil {
		t.Fatal(err)
	}
	if links := collect(t, s.Links(ctx)); len(links) != 0 {
		t.Errorf("links touching b remain: %v", links)
	}
}

func testAssertions(t *testing.T, s unify.Store) {
	a, b := profile.Ref{Source: "s", Key: "a"}, profile.Ref{Source: "s", Key: "b"}
	as := []merge.Assertion{merge.AssertNotSame(a, b), merge.AssertDetached(a)}
	for _, x := range as {
		if err := s.PutAssertion(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutAssertion(ctx, as[0]); err != nil {
		t.Fatal(err)
	}
	got, err := s.Assertions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("Assertions = %v, want the 2 distinct ones", got)
	}
	if err := s.DeleteAssertion(ctx, as[0]); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Assertions(ctx)
	if len(got) != 1 || got[0] != as[1] {
		t.Errorf("after delete, Assertions = %v", got)
	}
}

func testProfiles(t *testing.T, s unify.ProfileStore) {
	p := profile.Profile{
		ID:      "p_1",
		Aliases: []string{"p_2"},
		Members: []profile.Ref{{Source: "crm", Key: "1"}, {Source: "shop", Key: "9"}},
		Fields: map[profile.Field][]profile.GoldenValue{
			profile.FieldGivenName: {{Value: "José", Raw: "jose", From: profile.Ref{Source: "crm", Key: "1"}, Observed: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Rule: "most_frequent"}},
			profile.FieldEmail:     {{Value: "a@x.com", From: profile.Ref{Source: "crm", Key: "1"}, Rule: "union"}, {Value: "b@y.com", From: profile.Ref{Source: "shop", Key: "9"}, Rule: "union"}},
		},
		Updated: time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC),
	}
	if err := s.PutProfiles(ctx, []profile.Profile{p, {ID: "p_3", Members: []profile.Ref{{Source: "x", Key: "y"}}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetProfile(ctx, "p_1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("profile round trip (-put +got):\n%s", diff)
	}
	if n := len(collect(t, s.Profiles(ctx))); n != 2 {
		t.Errorf("Profiles yields %d, want 2", n)
	}
	if err := s.DeleteProfiles(ctx, []string{"p_1", "p_missing"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetProfile(ctx, "p_1"); !errors.Is(err, unify.ErrNotFound) {
		t.Errorf("GetProfile after delete: %v", err)
	}
}

func testModel(t *testing.T, s unify.Store) {
	if _, err := s.GetModel(ctx); !errors.Is(err, unify.ErrNotFound) {
		t.Errorf("GetModel on an empty store: %v, want ErrNotFound", err)
	}
	for _, doc := range []string{`{"version":1}`, `{"version":2}`} {
		if err := s.PutModel(ctx, []byte(doc)); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetModel(ctx)
		if err != nil || string(got) != doc {
			t.Errorf("GetModel = %q, %v; want %q", got, err, doc)
		}
	}
}

func testSnapshot(t *testing.T, s unify.SnapshotStore) {
	if _, err := s.GetSnapshot(ctx); !errors.Is(err, unify.ErrNotFound) {
		t.Errorf("GetSnapshot on an empty store: %v, want ErrNotFound", err)
	}
	for _, doc := range []string{`{"profiles":[]}`, `{"profiles":[{"id":"p_1"}],"tick":2}`} {
		if err := s.PutSnapshot(ctx, []byte(doc)); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetSnapshot(ctx)
		if err != nil || string(got) != doc {
			t.Errorf("GetSnapshot = %q, %v; want %q", got, err, doc)
		}
	}
}

func testConcurrent(t *testing.T, s unify.Store) {
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				r := sampleRecord(fmt.Sprint("src", w), fmt.Sprint(i))
				if err := s.PutRecords(ctx, []*profile.Record{r}); err != nil {
					t.Error(err)
					return
				}
				if err := s.SetKeys(ctx, r.Ref(), []string{fmt.Sprint("k", i)}); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.GetRecord(ctx, r.Ref()); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Lookup(ctx, fmt.Sprint("k", i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := len(collect(t, s.Records(ctx))); n != 200 {
		t.Errorf("after concurrent writes Records yields %d, want 200", n)
	}
}

func testTx(t *testing.T, s unify.Store) {
	tx, ok := s.(unify.Transactor)
	if !ok {
		t.Skip("the store does not implement unify.Transactor")
	}
	r := sampleRecord("s", "committed")
	if err := tx.Tx(ctx, func(s unify.Store) error { return s.PutRecords(ctx, []*profile.Record{r}) }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetRecord(ctx, r.Ref()); err != nil {
		t.Errorf("committed record missing: %v", err)
	}
	boom := errors.New("boom")
	rolled := sampleRecord("s", "rolled-back")
	err := tx.Tx(ctx, func(s unify.Store) error {
		if err := s.PutRecords(ctx, []*profile.Record{rolled}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("Tx returned %v, want the function's error", err)
	}
	if _, err := s.GetRecord(ctx, rolled.Ref()); !errors.Is(err, unify.ErrNotFound) {
		t.Errorf("a rolled-back write is visible: %v", err)
	}
}

// ProfileMap is an in-memory [unify.ProfileStore] for tests, as
// testing/fstest.MapFS is a file system: embed it beside a store that does
// not keep profiles (the memory store) to get one that does, as a host's
// database would. It copies profiles in and out. The zero value is ready
// to use, and it is safe for concurrent use.
type ProfileMap struct {
	mu sync.Mutex
	m  map[string]profile.Profile
}

var _ unify.ProfileStore = (*ProfileMap)(nil)

// PutProfiles implements [unify.ProfileStore].
func (pm *ProfileMap) PutProfiles(ctx context.Context, ps []profile.Profile) error {
	pm.mu.Lock()
	defer pm.mu.Unlock()
	if pm.m == nil {
		pm.m = map[string]profile.Profile{}
	}
	for _, p := range ps {
		pm.m[p.ID] = p.Clone()
	}
	return nil
}

// DeleteProfiles implements [unify.ProfileStore].
func (pm *ProfileMap) DeleteProfiles(ctx context.Context, ids []string) error {
	pm.mu.Lock()
	defer pm.mu.Unlock()
	for _, id := range ids {
		delete(pm.m, id)
	}
	return nil
}

// GetProfile implements [unify.ProfileStore].
func (pm *ProfileMap) GetProfile(ctx context.Context, id string) (profile.Profile, error) {
	pm.mu.Lock()
	defer pm.mu.Unlock()
	p, ok := pm.m[id]
	if !ok {
		return profile.Profile{}, fmt.Errorf("%w: profile %q", unify.ErrNotFound, id)
	}
	return p.Clone(), nil
}

// Profiles implements [unify.ProfileStore]. It streams a copy taken when
// the iteration starts.
func (pm *ProfileMap) Profiles(ctx context.Context) iter.Seq2[profile.Profile, error] {
	return func(yield func(profile.Profile, error) bool) {
		pm.mu.Lock()
		snap := make([]profile.Profile, 0, len(pm.m))
		for _, p := range pm.m {
			snap = append(snap, p.Clone())
		}
		pm.mu.Unlock()
		for _, p := range snap {
			if !yield(p, nil) {
				return
			}
		}
	}
}
