package unify_test

import (
	"context"
	"testing"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/internal/benchdata"
	"github.com/unifyhq/unify/match/eval"
	"github.com/unifyhq/unify/profile"
)

// TestEngineQuality runs the whole pipeline with default settings and no
// labels (ingest with automatic mapping, training, blocking, scoring,
// guarded clustering) on each benchmark set and checks cluster-level
// pairwise F1 against the truth. The same defaults serve all three sets.
func TestEngineQuality(t *testing.T) {
	want := map[string]float64{"febrl1": 0.999, "febrl4": 0.999, "fake_1000": 0.94}
	for _, s := range benchdata.Sets {
		t.Run(s.Name, func(t *testing.T) {
			ctx := context.Background()
			recs, truth, err := benchdata.Load(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			e, err := unify.New(ctx, unify.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Add(ctx, recs...); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Resolve(ctx, false); err != nil {
				t.Fatal(err)
			}
			pred := map[profile.Ref]string{}
			for p, err := range e.Profiles(ctx) {
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range p.Members {
					pred[m] = p.ID
				}
			}
			if len(pred) != len(recs) {
				t.Fatalf("%d records in profiles, %d added", len(pred), len(recs))
			}
			got, err := eval.Clusters(pred, truth)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %v", s.Name, got)
			if got.F1 < want[s.Name] {
				t.Errorf("%s: F1 %.4f < %.4f", s.Name, got.F1, want[s.Name])
			}
		})
	}
}
