package merge

import (
	"fmt"
	"math"
	"slices"

	"github.com/unifyhq/unify/profile"
)

// Method chooses how links become clusters.
type Method uint8

// The clustering methods.
const (
	// Greedy (the default) joins clusters along links in descending order of
	// probability and checks every join against the members already there:
	// cannot-links, the size cap, cohesion and weak bridges. See the package
	// documentation, section "Clustering".
	Greedy Method = iota
	// Components is plain transitive closure: every link at or above the
	// threshold joins its two records' clusters. Only assertions are honoured;
	// the other guards are off. It is the fastest method and the baseline that
	// other tools (Splink, Zingg) use, and it chains: one wrong link joins two
	// people, however many records each has.
	Components
)

// String returns "greedy" or "components".
func (m Method) String() string {
	switch m {
	case Greedy:
		return "greedy"
	case Components:
		return "components"
	}
	return fmt.Sprintf("Method(%d)", uint8(m))
}

// Options configure clustering, survivorship and profile IDs. The zero value
// is ready to use: each zero field means its documented default. A negative
// value turns an optional guard off.
//
// The defaults are principled rather than tuned to a data set, except where
// said: the threshold is the point where a match is more likely than not,
// the bridge bar asks 9:1 odds of a lone link before it joins two groups,
// the veto asks 1024:1 evidence against, and the cohesion bar (measured, see
// Cohesion) asks that the pairs compared across a join are not
// overwhelmingly non-matches. Tune them with labelled data.
type Options struct {
	// Method chooses the clustering method; Greedy by default.
	Method Method

	// Threshold is the probability at or above which a link may join two
	// records' clusters. Default 0.5; must be in (0, 1].
	Threshold float64

	// Cohesion is the least average probability over every scored pair
	// across a join (one record from each side). Unscored pairs carry no
	// evidence and are left out. Fellegi-Sunter probabilities sit near 0 or
	// 1, so the average is about the share of compared pairs that look like
	// a match. Default 0.2 (one in five); negative disables. It stops a link
	// from pulling together groups whose records were compared across and
	// mostly found different. Unlike the other defaults this one was chosen
	// by measurement, not derived: on fake_1000 with a simple
	// Fellegi-Sunter scorer, bars of 0.3 and up cost recall on messy
	// records (pairwise F1 0.91 at 0.2, 0.84 at 0.5), while 0.2 kept F1
	// within 0.02 of plain components and raised precision at low
	// thresholds. Retune it with labelled data.
	Cohesion float64

	// Bridge is the least probability of a link that alone joins two groups
	// of two or more records each: when no other scored pair across the join
	// reaches Threshold. Default 0.9; negative disables. It cuts the weak
	// bridges through which connected components chain two people together.
	Bridge float64

	// Veto makes a scored pair whose Weight (log2 Bayes factor) is at or
	// below -Veto a cannot-link: strong evidence that the two records are
	// different people. Default 10 (1024:1 against); negative disables.
	// Links with unknown weight (0) never veto.
	Veto float64

	// VetoProb makes a scored pair whose probability is at or below it a
	// cannot-link. Default 0 (off). Prefer Veto when the scorer reports
	// weights: a low probability may be a tiny prior, not evidence against.
	VetoProb float64

	// MaxClusterSize caps the number of records in one cluster; 0 means no
	// cap. A join that would exceed it is refused.
	MaxClusterSize int

	// StrongIDs lists identifier types (the <type> of "id:<type>") that one
	// person holds at most one value of, such as "national" or "passport".
	// Two records whose values of such a type are disjoint (compared by
	// normalized value) are a cannot-link. Default: none, because which
	// identifiers are trustworthy depends on the sources: a CRM key, for
	// example, differs between two duplicate CRM records of one person, and a
	// typo in a national ID would forbid a true match.
	StrongIDs []string

	// DistinctSources lists sources known to hold each person at most once
	// (already deduplicated). Two records of the same listed source are a
	// cannot-link. Listing both sources of a two-source linkage (FEBRL4
	// style) makes the clustering one-to-one.
	DistinctSources []string

	// MutualBest, with DistinctSources, keeps a link between records of two
	// different listed sources only if each record is the other's best link
	// into that source (highest probability, ties to the smaller ref). This
	// is stricter than greedy one-to-one assignment: a record whose best
	// partner was taken stays unlinked rather than taking its second choice.
	MutualBest bool

	// Survivorship chooses the golden values; the zero value uses the
	// defaults of [Survivorship].
	Survivorship Survivorship

	// Score, when set, scores a pair of records on demand. The greedy
	// guards weigh every pair across a join: pairs the host did not score
	// (blocking compares only some) are scored with it when a join is
	// considered, so cohesion and vetoes see the whole evidence, not only
	// the pairs that happened to share a blocking key. It must be a pure
	// function of the two records (batch and incremental runs must agree)
	// and safe for concurrent use; ok false means the records have nothing
	// to compare, and the pair then carries no evidence.
	Score func(a, b profile.Ref) (prob, weight float64, ok bool)

	// IDSalt is mixed into every profile ID. IDs are a hash of a source
	// record's reference, so without a salt anyone holding a reference can
	// recompute its ID; set a secret salt when that matters. Changing it
	// changes every ID.
	IDSalt string
}

// config is Options with defaults applied and lookups prepared.
type config struct {
	method     Method
	threshold  float64
	cohesion   float64 // < 0: off
	bridge     float64 // < 0: off
	veto       float32 // weight at or below which a pair vetoes; +Inf when off
	vetoProb   float64 // probability at or below which a pair vetoes; < 0 when off
	maxSize    int
	strongIDs  []string
	distinct   map[string]int32 // source -> index
	mutualBest bool
	surv       *survivor
	salt       string
	score      func(a, b profile.Ref) (float64, float64, bool)
}

func (o Options) config() (*config, error) {
	c := &config{method: o.Method, maxSize: o.MaxClusterSize, mutualBest: o.MutualBest, salt: o.IDSalt, score: o.Score}
	bad := func(format string, args ...any) (*config, error) {
		return nil, fmt.Errorf("%w: "+format, append([]any{ErrInvalidOptions}, args...)...)
	}
	if o.Method > Components {
		return bad("unknown method %d", o.Method)
	}
	for _, v := range []struct {
		name string
		v    float64
	}{{"Threshold", o.Threshold}, {"Cohesion", o.Cohesion}, {"Bridge", o.Bridge}, {"Veto", o.Veto}, {"VetoProb", o.VetoProb}} {
		if math.IsNaN(v.v) || math.IsInf(v.v, 0) {
			return bad("%s is %v", v.name, v.v)
		}
	}
	switch {
	case o.Threshold == 0:
		c.threshold = 0.5
	case o.Threshold < 0 || o.Threshold > 1:
		return bad("Threshold %v is outside (0, 1]", o.Threshold)
	default:
		c.threshold = o.Threshold
	}
	switch {
	case o.Cohesion == 0:
		c.cohesion = 0.2
	case o.Cohesion > 1:
		return bad("Cohesion %v is above 1", o.Cohesion)
	default:
		c.cohesion = o.Cohesion
	}
	switch {
	case o.Bridge == 0:
		c.bridge = 0.9
	case o.Bridge > 1:
		return bad("Bridge %v is above 1", o.Bridge)
	default:
		c.bridge = o.Bridge
	}
	switch {
	case o.Veto == 0:
		c.veto = -10
	case o.Veto < 0:
		c.veto = float32(math.Inf(-1))
	default:
		c.veto = -float32(o.Veto)
	}
	switch {
	case o.VetoProb == 0 || o.VetoProb < 0:
		c.vetoProb = -1
	case o.VetoProb >= c.threshold:
		return bad("VetoProb %v must be below Threshold %v", o.VetoProb, c.threshold)
	default:
		c.vetoProb = o.VetoProb
	}
	if o.MaxClusterSize < 0 {
		return bad("MaxClusterSize %d is negative", o.MaxClusterSize)
	}
	for _, t := range o.StrongIDs {
		if t == "" {
			return bad("StrongIDs holds an empty identifier type")
		}
	}
	c.strongIDs = slices.Clone(o.StrongIDs)
	slices.Sort(c.strongIDs)
	c.strongIDs = slices.Compact(c.strongIDs)
	if len(o.DistinctSources) > 0 {
		c.distinct = make(map[string]int32, len(o.DistinctSources))
		srcs := slices.Clone(o.DistinctSources)
		slices.Sort(srcs)
		for _, s := range slices.Compact(srcs) {
			if s == "" {
				return bad("DistinctSources holds an empty source")
			}
			c.distinct[s] = int32(len(c.distinct))
		}
	}
	if o.MutualBest && len(c.distinct) < 2 {
		return bad("MutualBest needs at least two DistinctSources")
	}
	s, err := o.Survivorship.compile()
	if err != nil {
		return nil, err
	}
	c.surv = s
	return c, nil
}

// vetoes reports whether a scored pair is a cannot-link by the veto guards.
func (c *config) vetoes(prob float64, weight float32) bool {
	return c.method == Greedy && (weight <= c.veto || prob <= c.vetoProb)
}
