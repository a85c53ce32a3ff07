//go:build debug

// Run with: go test -tags debug -run TestQualityReport -v ./match
// It prints a threshold sweep, blocking and model details per data set.

package match

import (
	"context"
	"strconv"
	"testing"

	"github.com/unifyhq/unify/match/eval"
	"github.com/unifyhq/unify/profile"
)

func TestQualityReport(t *testing.T) {
	for _, ds := range datasets {
		var recs []*profile.Record
		truth := eval.Truth{}
		for _, f := range ds.files {
			r, tr := loadCSV(t, f[0], f[1])
			recs = append(recs, r...)
			for k, v := range tr {
				truth[k] = v
			}
		}
		m, err := Train(context.Background(), recs, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		ps := m.PrepareAll(recs)
		links, diag, err := m.Links(context.Background(), ps, 0)
		if err != nil {
			t.Fatal(err)
		}
		refs := make([]profile.Ref, len(recs))
		for i, r := range recs {
			refs[i] = r.Ref()
		}
		el := make([]eval.Link, len(links))
		for i, l := range links {
			el[i] = eval.Link{A: l.A, B: l.B, Prob: l.Prob}
		}
		ths := []float64{0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999}
		pts, err := eval.Sweep(refs, el, ths, truth)
		if err != nil {
			t.Fatal(err)
		}
		lm, _ := eval.Links(refs, el, m.Threshold(), truth)
		cands := make([][2]profile.Ref, len(links))
		for i, l := range links {
			cands[i] = [2]profile.Ref{l.A, l.B}
		}
		tp, _ := truth.TruePairs(refs)
		bq, _ := eval.BlockingQuality(cands, diag.PossiblePairs, tp, truth)
		t.Logf("  blocking: pair completeness %.4f (%d of %d true pairs)", bq.PairCompleteness, bq.TrueCandidates, bq.TruePairs)
		for _, r := range diag.Rules {
			t.Logf("    rule %-28s pairs %6d blocks %5d largest %v", r.Name, r.Pairs, r.Blocks, r.Largest[:min(1, len(r.Largest))])
		}
		t.Logf("%s: %d records, %d candidate pairs, RR %.5f, prior %.3g, blocked match share %.4f, EM iters %d",
			ds.name, len(recs), diag.Pairs, diag.ReductionRatio, m.Model().Prior, m.Model().Trained.BlockedMatches, m.Model().Trained.EMIterations)
		t.Logf("  links@%.2f: %v", m.Threshold(), lm)
		for _, p := range pts {
			t.Logf("  clusters@%.3f: %v  clusters=%d", p.Threshold, p.Metrics, p.Clusters)
		}
		for _, se := range m.Model().Trained.Sessions {
			t.Logf("    session %-30s pairs %6d share %.3f iters %d excl %v", se.Rule, se.Pairs, se.MatchShare, se.Iterations, se.Excluded)
		}
		for _, c := range m.Model().Comparisons {
			s := c.Name + ":"
			for _, l := range c.Levels {
				s += " " + l.Label + "=" + strconv.FormatFloat(l.M, 'f', 3, 64) + "/" + strconv.FormatFloat(l.U, 'g', 2, 64)
			}
			t.Log("   ", s)
		}
	}
}
