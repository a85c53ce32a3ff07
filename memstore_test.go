package unify_test

import (
	"context"
	"slices"
	"testing"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/storetest"
	"pgregory.net/rapid"
)

func TestMemoryStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) unify.Store { return unify.NewMemoryStore() })
}

// TestMemoryStoreIndexModel runs random SetKeys sequences against the
// memory store's numbered index and a plain map of sets: every Lookup must
// agree.
func TestMemoryStoreIndexModel(t *testing.T) {
	ctx := context.Background()
	refs := []profile.Ref{{Source: "a", Key: "1"}, {Source: "a", Key: "2"}, {Source: "b", Key: "1"}, {Source: "b", Key: "2"}, {Source: "c", Key: "9"}}
	keys := []string{"k1", "k2", "k3", "k4"}
	rapid.Check(t, func(t *rapid.T) {
		s := unify.NewMemoryStore()
		model := map[profile.Ref][]string{}
		for range rapid.IntRange(1, 40).Draw(t, "steps") {
			ref := rapid.SampledFrom(refs).Draw(t, "ref")
			ks := rapid.SliceOfN(rapid.SampledFrom(keys), 0, 3).Draw(t, "keys")
			if err := s.SetKeys(ctx, ref, ks); err != nil {
				t.Fatal(err)
			}
			model[ref] = ks
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
		}
	})
}
