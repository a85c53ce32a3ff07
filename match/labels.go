package match

import (
	"context"
	"fmt"

	"github.com/unifyhq/unify/profile"
)

// LabelledPair is a pair of records a person has judged.
type LabelledPair struct {
	A, B  profile.Ref
	Match bool
}

// TrainLabelled estimates a model with the help of labelled pairs: m from
// the pairs labelled as matches (with add-half smoothing), u from random
// pairs as in [Train] (labelled non-matches are usually hard cases picked
// for review, so they describe non-matches badly), and the prior by EM over
// the blocked pairs with m and u fixed. Every labelled ref must be among
// recs.
func TrainLabelled(ctx context.Context, recs []*profile.Record, labels []LabelledPair, s Settings) (*Matcher, error) {
	m, err := Train(ctx, recs, s)
	if err != nil {
		return nil, err
	}
	byRef := make(map[profile.Ref]*Prepared, len(recs))
	for _, p := range m.PrepareAll(recs) {
		byRef[p.Ref] = p
	}
	comps := m.sc.comps
	counts := make([][]float64, len(comps))
	for i := range comps {
		counts[i] = make([]float64, len(comps[i].Levels))
	}
	matches := 0
	for _, l := range labels {
		a, okA := byRef[l.A]
		b, okB := byRef[l.B]
		if !okA || !okB {
			return nil, fmt.Errorf("match: labelled pair %v-%v names a record not in the training set", l.A, l.B)
		}
		if !l.Match {
			continue
		}
		matches++
		for i := range comps {
			if lv := comps[i].Compare(a, b); lv >= 0 {
				counts[i][lv]++
			}
		}
	}
	if matches == 0 {
		return nil, fmt.Errorf("%w: no pair is labelled as a match", ErrNoData)
	}
	model := *m.sc.model
	model.Comparisons = make([]ComparisonModel, len(m.sc.model.Comparisons))
	mm := make([][]float64, len(comps))
	u := make([][]float64, len(comps))
	for i, c := range m.sc.model.Comparisons {
		c.Levels = append([]LevelModel(nil), c.Levels...)
		var total float64
		for _, n := range counts[i] {
			total += n
		}
		mm[i] = make([]float64, len(c.Levels))
		u[i] = make([]float64, len(c.Levels))
		for l := range c.Levels {
			if total > 0 {
				c.Levels[l].M = (counts[i][l] + 0.5) / (total + 0.5*float64(len(c.Levels)))
			}
			mm[i][l] = c.Levels[l].M
			u[i][l] = c.Levels[l].U
		}
		model.Comparisons[i] = c
	}
	// Re-estimate the match share of the blocked pairs with the new m.
	ps := m.PrepareAll(recs)
	bl := m.blocker.index(ps)
	pats := map[pattern]int64{}
	var n int64
	m.blocker.forEachPair(bl, 0, 1, false, func(i, j int32, _ int) {
		pats[comparePattern(comps, ps[i], ps[j], nil)]++
		n++
	})
	res := em(pats, comps, u, mm, false, 200)
	possible := possiblePairs(ps, m.settings.Mode)
	model.Prior = min(max(res.lambda*float64(n)/float64(possible), 1e-12), 1-1e-9)
	model.Trained.BlockedMatches = res.lambda
	model.Trained.Labelled = len(labels)
	return NewMatcher(&model, m.settings)
}
