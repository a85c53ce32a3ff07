// Package eval measures entity-resolution quality against ground truth:
// pairwise precision, recall and F1 of clusters or links, B-cubed precision
// and recall, a threshold sweep (a precision-recall curve over match
// probability thresholds), and blocking reduction ratio and pair
// completeness.
//
// # Ground truth
//
// Truth is a map from record reference to a true entity label (a person
// ID). Every record evaluated must have a label; records missing from the
// truth are reported as an error rather than silently ignored.
//
// # Counting
//
// Pairwise metrics count unordered record pairs. A clustering "predicts"
// every pair inside a cluster (the transitive closure), so cluster-level
// figures are what a user of the merged profiles sees; link-level figures
// count only the scored links.
package eval

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/unifyhq/unify/profile"
)

// ErrNoTruth means a record has no ground-truth label.
var ErrNoTruth = errors.New("eval: record has no ground-truth label")

// Truth maps each record to its true entity.
type Truth map[profile.Ref]string

// Metrics are pairwise confusion counts and the derived scores.
type Metrics struct {
	TruePositives  int64   `json:"true_positives"`
	FalsePositives int64   `json:"false_positives"`
	FalseNegatives int64   `json:"false_negatives"`
	Precision      float64 `json:"precision"`
	Recall         float64 `json:"recall"`
	F1             float64 `json:"f1"`
}

func newMetrics(tp, predicted, actual int64) Metrics {
	m := Metrics{TruePositives: tp, FalsePositives: predicted - tp, FalseNegatives: actual - tp}
	if predicted > 0 {
		m.Precision = float64(tp) / float64(predicted)
	} else {
		m.Precision = 1
	}
	if actual > 0 {
		m.Recall = float64(tp) / float64(actual)
	} else {
		m.Recall = 1
	}
	if m.Precision+m.Recall > 0 {
		m.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
	}
	return m
}

// String formats the metrics on one line.
func (m Metrics) String() string {
	return fmt.Sprintf("P %.4f  R %.4f  F1 %.4f  (TP %d, FP %d, FN %d)",
		m.Precision, m.Recall, m.F1, m.TruePositives, m.FalsePositives, m.FalseNegatives)
}

func pairs(n int64) int64 { return n * (n - 1) / 2 }

// TruePairs returns the number of true matching pairs among refs.
func (t Truth) TruePairs(refs []profile.Ref) (int64, error) {
	count := map[string]int64{}
	for _, r := range refs {
		l, ok := t[r]
		if !ok {
			return 0, fmt.Errorf("%w: %v", ErrNoTruth, r)
		}
		count[l]++
	}
	var n int64
	for _, c := range count {
		n += pairs(c)
	}
	return n, nil
}

// Clusters scores a clustering (a map from record to predicted cluster)
// against the truth, pair by pair. Every record of the clustering must have
// a truth label; true pairs are counted over the clustered records only.
func Clusters(pred map[profile.Ref]string, truth Truth) (Metrics, error) {
	type key struct{ p, t string }
	joint := map[key]int64{}
	predSize := map[string]int64{}
	trueSize := map[string]int64{}
	for r, p := range pred {
		t, ok := truth[r]
		if !ok {
			return Metrics{}, fmt.Errorf("%w: %v", ErrNoTruth, r)
		}
		joint[key{p, t}]++
		predSize[p]++
		trueSize[t]++
	}
	var tp, predicted, actual int64
	for _, n := range joint {
		tp += pairs(n)
	}
	for _, n := range predSize {
		predicted += pairs(n)
	}
	for _, n := range trueSize {
		actual += pairs(n)
	}
	return newMetrics(tp, predicted, actual), nil
}

// BCubed returns B-cubed precision and recall of a clustering: the average
// over records of the share of its predicted cluster that truly matches it,
// and of its true cluster that it was clustered with.
func BCubed(pred map[profile.Ref]string, truth Truth) (precision, recall float64, err error) {
	type key struct{ p, t string }
	joint := map[key]float64{}
	predSize := map[string]float64{}
	trueSize := map[string]float64{}
	for r, p := range pred {
		t, ok := truth[r]
		if !ok {
			return 0, 0, fmt.Errorf("%w: %v", ErrNoTruth, r)
		}
		joint[key{p, t}]++
		predSize[p]++
		trueSize[t]++
	}
	if len(pred) == 0 {
		return 1, 1, nil
	}
	// Sum in a fixed order: floating-point addition is not associative, and
	// map order would change the last digits from run to run.
	keys := make([]key, 0, len(joint))
	for k := range joint {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.p, b.p); c != 0 {
			return c
		}
		return cmp.Compare(a.t, b.t)
	})
	for _, k := range keys {
		n := joint[k]
		precision += n * n / predSize[k.p]
		recall += n * n / trueSize[k.t]
	}
	return precision / float64(len(pred)), recall / float64(len(pred)), nil
}

// Link is a scored pair as evaluation needs it.
type Link struct {
	A, B profile.Ref
	Prob float64
}

// Links scores links at or above threshold as pairwise predictions (no
// transitive closure) against the truth over refs.
func Links(refs []profile.Ref, links []Link, threshold float64, truth Truth) (Metrics, error) {
	actual, err := truth.TruePairs(refs)
	if err != nil {
		return Metrics{}, err
	}
	var tp, predicted int64
	for _, l := range links {
		if l.Prob < threshold {
			continue
		}
		ta, oka := truth[l.A]
		tb, okb := truth[l.B]
		if !oka || !okb {
			return Metrics{}, fmt.Errorf("%w: link %v-%v", ErrNoTruth, l.A, l.B)
		}
		predicted++
		if ta == tb {
			tp++
		}
	}
	return newMetrics(tp, predicted, actual), nil
}

// Point is one threshold of a sweep.
type Point struct {
	Threshold float64 `json:"threshold"`
	Metrics
	Clusters int `json:"clusters"`
}

// Sweep computes cluster-level pairwise metrics of connected components over
// the links at or above each threshold, in one pass over the links sorted by
// probability. Thresholds may be in any order; points come back in the
// order given.
func Sweep(refs []profile.Ref, links []Link, thresholds []float64, truth Truth) ([]Point, error) {
	actual, err := truth.TruePairs(refs)
	if err != nil {
		return nil, err
	}
	idx := make(map[profile.Ref]int32, len(refs))
	for i, r := range refs {
		idx[r] = int32(i)
	}
	parent := make([]int32, len(refs))
	size := make([]int64, len(refs))
	labels := make([]map[string]int64, len(refs))
	for i, r := range refs {
		parent[i] = int32(i)
		size[i] = 1
		labels[i] = map[string]int64{truth[r]: 1}
	}
	var find func(int32) int32
	find = func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	sorted := slices.Clone(links)
	slices.SortFunc(sorted, func(a, b Link) int { return cmp.Compare(b.Prob, a.Prob) })
	order := make([]int, len(thresholds))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(thresholds[b], thresholds[a]) })
	out := make([]Point, len(thresholds))
	var tp, predicted int64
	clusters := len(refs)
	k := 0
	for _, oi := range order {
		t := thresholds[oi]
		for k < len(sorted) && sorted[k].Prob >= t {
			l := sorted[k]
			k++
			a, oka := idx[l.A]
			b, okb := idx[l.B]
			if !oka || !okb {
				return nil, fmt.Errorf("eval: link %v-%v names a record outside refs", l.A, l.B)
			}
			ra, rb := find(a), find(b)
			if ra == rb {
				continue
			}
			if size[ra] < size[rb] {
				ra, rb = rb, ra
			}
			predicted += size[ra] * size[rb]
			for lab, n := range labels[rb] {
				tp += n * labels[ra][lab]
			}
			for lab, n := range labels[rb] {
				labels[ra][lab] += n
			}
			labels[rb] = nil
			parent[rb] = ra
			size[ra] += size[rb]
			clusters--
		}
		out[oi] = Point{Threshold: t, Metrics: newMetrics(tp, predicted, actual), Clusters: clusters}
	}
	return out, nil
}

// Best returns the point with the highest F1 (the first on ties).
func Best(points []Point) Point {
	best := Point{}
	best.F1 = math.Inf(-1)
	for _, p := range points {
		if p.F1 > best.F1 {
			best = p
		}
	}
	return best
}

// Blocking measures candidate pairs: the reduction ratio against all
// possible pairs, and pair completeness (the share of true pairs that are
// candidates).
type Blocking struct {
	Candidates       int64   `json:"candidates"`
	PossiblePairs    int64   `json:"possible_pairs"`
	ReductionRatio   float64 `json:"reduction_ratio"`
	TruePairs        int64   `json:"true_pairs"`
	TrueCandidates   int64   `json:"true_candidates"`
	PairCompleteness float64 `json:"pair_completeness"`
}

// BlockingQuality evaluates candidate pairs over refs. possible is the
// number of pairs without blocking (it depends on whether within-source
// pairs count); truePairs counts the true pairs among those.
func BlockingQuality(candidates [][2]profile.Ref, possible, truePairs int64, truth Truth) (Blocking, error) {
	b := Blocking{Candidates: int64(len(candidates)), PossiblePairs: possible, TruePairs: truePairs}
	for _, c := range candidates {
		ta, oka := truth[c[0]]
		tb, okb := truth[c[1]]
		if !oka || !okb {
			return Blocking{}, fmt.Errorf("%w: candidate %v-%v", ErrNoTruth, c[0], c[1])
		}
		if ta == tb {
			b.TrueCandidates++
		}
	}
	if possible > 0 {
		b.ReductionRatio = 1 - float64(b.Candidates)/float64(possible)
	}
	if truePairs > 0 {
		b.PairCompleteness = float64(b.TrueCandidates) / float64(truePairs)
	} else {
		b.PairCompleteness = 1
	}
	return b, nil
}
