package unify_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/storetest"
	"pgregory.net/rapid"
)

func TestMemoryStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) unify.Store { return unify.NewMemoryStore() })
}

// profileStore is a memory store that also keeps golden profiles, as a
// host's own database would: the tests of the engine's profile writes use
// it.
type profileStore struct {
	*unify.MemoryStore
	storetest.ProfileMap
}

func newProfileStore() *profileStore {
	return &profileStore{MemoryStore: unify.NewMemoryStore()}
}

func TestProfileStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) unify.Store { return newProfileStore() })
}

// TestProfileStoreFollowsEngine checks that a ProfileStore holds exactly
// the engine's profiles after a bulk load larger than one write batch and
// after incremental changes.
func TestProfileStoreFollowsEngine(t *testing.T) {
	ctx := context.Background()
	store := newProfileStore()
	e, err := unify.New(ctx, unify.Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	var recs []*profile.Record
	for i := range 10000 {
		recs = append(recs, testRecord(fmt.Sprint(i), "Ann", fmt.Sprintf("lee%d", i/2), fmt.Sprintf("ann%d@example.com", i/2)))
	}
	if _, err := e.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Delete(ctx, recs[0].Ref(), recs[1].Ref()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Add(ctx, recs[0]); err != nil {
		t.Fatal(err)
	}
	want := map[string]profile.Profile{}
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		want[p.ID] = p
	}
	if len(want) < 4096 {
		t.Fatalf("only %d profiles: not more than one write batch", len(want))
	}
	got := map[string]profile.Profile{}
	for p, err := range store.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got[p.ID] = p
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("store's profiles differ from the engine's (-engine +store):\n%s", diff)
	}
}

// TestMemoryStoreIndexModel runs random sequences of record writes,
// deletes and SetKeys against the memory store, whose records and index
// share one numbering, and against plain maps: every Lookup, GetRecord and
// Records must agree, and a deleted record's values must be gone even
// while the index still names it.
func TestMemoryStoreIndexModel(t *testing.T) {
	ctx := context.Background()
	refs := []profile.Ref{{Source: "a", Key: "1"}, {Source: "a", Key: "2"}, {Source: "b", Key: "1"}, {Source: "b", Key: "2"}, {Source: "c", Key: "9"}}
	keys := []string{"k1", "k2", "k3", "k4"}
	rapid.Check(t, func(t *rapid.T) {
		s := unify.NewMemoryStore()
		model := map[profile.Ref][]string{}
		stored := map[profile.Ref]string{} // ref -> given name
		for step := range rapid.IntRange(1, 40).Draw(t, "steps") {
			ref := rapid.SampledFrom(refs).Draw(t, "ref")
			switch rapid.IntRange(0, 2).Draw(t, "op") {
			case 0:
				ks := rapid.SliceOfN(rapid.SampledFrom(keys), 0, 3).Draw(t, "keys")
				if err := s.SetKeys(ctx, ref, ks); err != nil {
					t.Fatal(err)
				}
				model[ref] = ks
			case 1:
				given := fmt.Sprint("name", step)
				r := &profile.Record{Source: ref.Source, Key: ref.Key}
				r.Name.Given = profile.Text{Raw: given, Norm: given, Key: given}
				if err := s.PutRecords(ctx, []*profile.Record{r}); err != nil {
					t.Fatal(err)
				}
				stored[ref] = given
			case 2:
				if err := s.DeleteRecords(ctx, []profile.Ref{ref}); err != nil {
					t.Fatal(err)
				}
				delete(stored, ref)
			}
			for _, k := range keys {
				var want []profile.Ref
				for _, r := range refs {
					if slices.Contains(model[r], k) {
						want = append(want, r)
					}
				}
				got, err := s.Lookup(ctx, k)
				if err != nil {
					t.Fatal(err)
				}
				slices.SortFunc(got, profile.Ref.Compare)
				if !slices.Equal(got, want) {
					t.Fatalf("Lookup(%s) = %v, want %v", k, got, want)
				}
			}
			for _, r := range refs {
				got, err := s.GetRecord(ctx, r)
				want, ok := stored[r]
				switch {
				case ok && err != nil:
					t.Fatalf("GetRecord(%v): %v, want the record", r, err)
				case ok && (got.Ref() != r || got.Name.Given.Norm != want):
					t.Fatalf("GetRecord(%v) = %v %q, want given name %q", r, got.Ref(), got.Name.Given.Norm, want)
				case !ok && !errors.Is(err, unify.ErrNotFound):
					t.Fatalf("GetRecord(%v) = %v, %v; want ErrNotFound", r, got, err)
				}
			}
			all := map[profile.Ref]string{}
			for r, err := range s.Records(ctx) {
				if err != nil {
					t.Fatal(err)
				}
				all[r.Ref()] = r.Name.Given.Norm
			}
			if !maps.Equal(all, stored) {
				t.Fatalf("Records() = %v, want %v", all, stored)
			}
		}
	})
}
