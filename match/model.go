package match

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/unifyhq/unify/profile"
)

// ModelVersion is the version of the JSON model format written by
// [Model.WriteJSON]. Reading accepts this version only.
const ModelVersion = 1

// Sentinel errors of the match package.
var (
	// ErrModelMismatch means a model does not fit the comparisons it is used
	// with (different names or levels).
	ErrModelMismatch = errors.New("match: model does not fit the comparisons")
	// ErrModelVersion means a saved model has an unknown format version.
	ErrModelVersion = errors.New("match: unsupported model version")
	// ErrNoData means training found nothing to learn from.
	ErrNoData = errors.New("match: not enough data to train")
)

// Model holds the parameters of a Fellegi-Sunter model: the prior
// probability that two random records match, and for every comparison level
// the probability of that level among matches (m) and among non-matches (u),
// plus term-frequency tables. It is plain data: it saves to and loads from
// JSON, and a [Matcher] pairs it with the comparison functions.
type Model struct {
	Version int `json:"version"`
	// Prior is the probability that two records drawn at random from all
	// record pairs (not only the blocked ones) are the same person.
	Prior       float64           `json:"prior"`
	Comparisons []ComparisonModel `json:"comparisons"`
	// JointTF, when set, corrects the term-frequency evidence of two
	// comparisons that agree exactly at once (given and family name) for
	// values that occur together more often than their frequencies
	// multiplied say: Phuong and Nguyen are each rare overall, and often
	// met together, so agreeing on both is weaker evidence than the two
	// frequencies suggest.
	JointTF *JointTF `json:"joint_tf,omitempty"`
	// Household, when set, weakens agreement on a family name between
	// records that share a contact point (see [Household]). Training
	// leaves it nil where sharing a contact does not make sharing a family
	// name likelier.
	Household *Household `json:"household,omitempty"`
	// Trained describes how the parameters were estimated.
	Trained TrainingInfo `json:"trained"`
}

// ComparisonModel holds the parameters of one comparison.
type ComparisonModel struct {
	Name   string       `json:"name"`
	Levels []LevelModel `json:"levels"`
	// TFLevel is the level adjusted by term frequency, or -1.
	TFLevel int `json:"tf_level"`
	// TF maps a value to its relative frequency among records that have
	// the comparison's value: the chance that another such record, of
	// another person, holds it (corrected for the matches among its
	// holders). It lists values held by three or more records in training
	// whose frequency stays above TFDefault; the others, and values unseen
	// in training, have TFDefault.
	TF        map[string]float64 `json:"tf,omitempty"`
	TFDefault float64            `json:"tf_default,omitempty"`
}

// JointTF holds how often two comparisons' values occur together.
type JointTF struct {
	A      string       `json:"a"`
	B      string       `json:"b"`
	Values []JointValue `json:"values"`
}

// JointValue is the lift of one pair of values: how many times more often
// they occur together than independently (above 1 only).
type JointValue struct {
	A    string  `json:"a"`
	B    string  `json:"b"`
	Lift float64 `json:"lift"`
}

// Household corrects one dependence Fellegi-Sunter's independence
// assumption gets wrong: members of one household share a family name and
// an address, a landline or a family email at once. Among non-matching
// pairs that share a contact point, agreeing on the family name is common,
// not the one-in-thousands that random pairs show, so multiplying the two
// Bayes factors counts one household as one person (Linda and Joseph
// Penridge at one address score 0.99 without it).
//
// Training estimates U, the share of those non-matching pairs that agree
// exactly on the family name, from the blocked pairs that share a contact,
// each weighted by its non-match probability under the model without the
// family name (an E-step), shrunk towards the unconditional u when few
// pairs inform it. Scoring then takes the family name's exact agreement,
// for a pair that shares a contact, as log2(m/U) where that is weaker than
// the term-frequency evidence. LevelU does the same for the partial levels
// (a household whose name one source misspells: Century and Sentry at one
// address).
type Household struct {
	// Family names the family-name comparison whose levels are corrected.
	Family string `json:"family"`
	// Contacts lists what counts as a shared contact point.
	Contacts []ContactLevels `json:"contacts"`
	// U is P(family names agree exactly | shared contact, non-match).
	U float64 `json:"u"`
	// LevelU, when set, holds P(family-name level l | shared contact,
	// non-match) for every level of the family comparison; training sets
	// LevelU[0] to U, and scoring reads U for the exact level.
	// Training bounds a partial level's by U·m[l]/m[0]: housemates' one
	// name is misspelt as one person's is. Scoring corrects a partial level
	// (neither the first nor the last) as it does the exact one, where
	// LevelU is above the level's u.
	// Models trained before it have none and correct the exact level only.
	LevelU []float64 `json:"level_u,omitempty"`
	// NonMatches is the (probability-weighted) number of non-matching
	// training pairs with a shared contact behind U.
	NonMatches float64 `json:"non_matches"`
}

// ContactLevels names a comparison and the levels at which two records
// share a contact point through it.
type ContactLevels struct {
	Comparison string `json:"comparison"`
	Levels     []int  `json:"levels"`
}

// LevelModel holds m and u for one comparison level.
type LevelModel struct {
	Label string  `json:"label"`
	M     float64 `json:"m"`
	U     float64 `json:"u"`
	// Pairs counts the training pairs (blocked) that fell in the level.
	Pairs int64 `json:"pairs"`
	// UNamesake, when set, is u among different people who share a given
	// and a family name, for a level of a NameDerived comparison: scoring
	// uses it instead of U when the pair's family names agree exactly, if
	// it is higher. Sharing an email's local part at two providers is
	// rare among strangers and common among full namesakes.
	UNamesake float64 `json:"u_namesake,omitempty"`
}

// TrainingInfo records how a model was estimated.
type TrainingInfo struct {
	Records      int   `json:"records"`
	BlockedPairs int64 `json:"blocked_pairs"`
	RandomPairs  int64 `json:"random_pairs"`
	// NamesakePairs is how many pairs sharing a given name estimated the
	// u of NameDerived comparisons' partial levels (see
	// [Comparison.NameDerived]).
	NamesakePairs  int64   `json:"namesake_pairs,omitempty"`
	EMIterations   int     `json:"em_iterations"`
	EMConverged    bool    `json:"em_converged"`
	BlockedMatches float64 `json:"blocked_match_share"`
	Labelled       int     `json:"labelled_pairs,omitempty"`
	// Sessions lists the per-blocking-rule EM sessions that estimated m.
	Sessions []SessionInfo `json:"sessions,omitempty"`
}

// SessionInfo describes one EM training session.
type SessionInfo struct {
	Rule       string   `json:"rule"`
	Pairs      int64    `json:"pairs"`
	MatchShare float64  `json:"match_share"`
	Iterations int      `json:"iterations"`
	Converged  bool     `json:"converged"`
	Excluded   []string `json:"excluded,omitempty"`
}

// WriteJSON writes the model as indented JSON.
func (m *Model) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// ReadModel reads a model written by [Model.WriteJSON].
func ReadModel(r io.Reader) (*Model, error) {
	var m Model
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, fmt.Errorf("match: reading model: %w", err)
	}
	if m.Version != ModelVersion {
		return nil, fmt.Errorf("%w %d (want %d)", ErrModelVersion, m.Version, ModelVersion)
	}
	if !(m.Prior > 0 && m.Prior < 1) {
		return nil, fmt.Errorf("match: reading model: prior %v outside (0, 1)", m.Prior)
	}
	for _, c := range m.Comparisons {
		for _, l := range c.Levels {
			if !(l.M > 0 && l.M <= 1 && l.U > 0 && l.U <= 1) {
				return nil, fmt.Errorf("match: reading model: %s level %q has m=%v u=%v outside (0, 1]", c.Name, l.Label, l.M, l.U)
			}
		}
	}
	return &m, nil
}

// check verifies that the model fits the comparisons, in order.
func (m *Model) check(comps []Comparison) error {
	if len(m.Comparisons) != len(comps) {
		return fmt.Errorf("%w: model has %d comparisons, settings %d", ErrModelMismatch, len(m.Comparisons), len(comps))
	}
	for i, c := range comps {
		mc := m.Comparisons[i]
		if mc.Name != c.Name || len(mc.Levels) != len(c.Levels) {
			return fmt.Errorf("%w: comparison %d is %q with %d levels in the model, %q with %d in the settings",
				ErrModelMismatch, i, mc.Name, len(mc.Levels), c.Name, len(c.Levels))
		}
		for j := range c.Levels {
			if mc.Levels[j].Label != c.Levels[j] {
				return fmt.Errorf("%w: %s level %d is %q in the model, %q in the settings",
					ErrModelMismatch, c.Name, j, mc.Levels[j].Label, c.Levels[j])
			}
		}
	}
	return nil
}

// scorer is a model compiled for fast scoring: log2 Bayes factors per level.
type scorer struct {
	comps      []Comparison
	model      *Model
	log2BF     [][]float64
	priorLogit float64 // log2(prior / (1 - prior))
	// tfLog2M is log2(m) of the TF level, used with the value's frequency.
	tfLog2M []float64
	// jointA and jointB index the comparisons of the model's JointTF, or
	// are -1; joint holds its frequencies.
	jointA, jointB int
	joint          map[[2]string]float64
	// hhFamily indexes the Household family comparison, or is -1;
	// hhContact[i] has bit l set when level l of comparison i is a shared
	// contact; hhLog2BF[l] is log2(m/U) of the family name's level l, NaN
	// for levels not corrected.
	hhFamily  int
	hhContact []uint64
	hhLog2BF  []float64
	// nsFamily indexes the family-name comparison, or is -1; nsLog2BF[i][l]
	// is log2(m/UNamesake) where a level has UNamesake, else NaN (nil for
	// comparisons with none).
	nsFamily int
	nsLog2BF [][]float64
}

// maxNamesakeTerms bounds the comparisons with UNamesake levels that
// scoring tracks per pair without allocating.
const maxNamesakeTerms = 4

// levelHit is comparison i at level l, with evidence bf.
type levelHit struct {
	i  int
	l  Level
	bf float64
}

func newScorer(m *Model, comps []Comparison) (*scorer, error) {
	if err := m.check(comps); err != nil {
		return nil, err
	}
	s := &scorer{comps: comps, model: m, priorLogit: math.Log2(m.Prior / (1 - m.Prior)), jointA: -1, jointB: -1}
	if j := m.JointTF; j != nil {
		for i, c := range comps {
			switch c.Name {
			case j.A:
				s.jointA = i
			case j.B:
				s.jointB = i
			}
		}
		if s.jointA < 0 || s.jointB < 0 {
			return nil, fmt.Errorf("%w: joint term frequencies name %q and %q", ErrModelMismatch, j.A, j.B)
		}
		s.joint = make(map[[2]string]float64, len(j.Values))
		for _, v := range j.Values {
			s.joint[[2]string{v.A, v.B}] = v.Lift
		}
	}
	s.hhFamily = -1
	if h := m.Household; h != nil {
		s.hhFamily = slices.IndexFunc(comps, func(c Comparison) bool { return c.Name == h.Family })
		if s.hhFamily < 0 || len(m.Comparisons[s.hhFamily].Levels) == 0 || !(h.U > 0 && h.U <= 1) {
			return nil, fmt.Errorf("%w: household correction on %q with u %v", ErrModelMismatch, h.Family, h.U)
		}
		levels := m.Comparisons[s.hhFamily].Levels
		if h.LevelU != nil && len(h.LevelU) != len(levels) {
			return nil, fmt.Errorf("%w: household correction on %q has %d level u, the comparison %d levels", ErrModelMismatch, h.Family, len(h.LevelU), len(levels))
		}
		for _, u := range h.LevelU {
			if !(u > 0 && u <= 1) {
				return nil, fmt.Errorf("%w: household correction on %q with level u %v", ErrModelMismatch, h.Family, u)
			}
		}
		s.hhContact = make([]uint64, len(comps))
		for _, cl := range h.Contacts {
			i := slices.IndexFunc(comps, func(c Comparison) bool { return c.Name == cl.Comparison })
			if i < 0 {
				return nil, fmt.Errorf("%w: household contact %q", ErrModelMismatch, cl.Comparison)
			}
			for _, l := range cl.Levels {
				if l < 0 || l >= len(comps[i].Levels) || l >= 64 {
					return nil, fmt.Errorf("%w: household contact %q level %d", ErrModelMismatch, cl.Comparison, l)
				}
				s.hhContact[i] |= 1 << l
			}
		}
		s.hhLog2BF = make([]float64, len(levels))
		for l := range levels {
			s.hhLog2BF[l] = math.NaN()
			switch {
			case l == 0:
				s.hhLog2BF[l] = math.Log2(levels[l].M / h.U)
			case h.LevelU != nil && l < len(levels)-1 && h.LevelU[l] > levels[l].U:
				s.hhLog2BF[l] = math.Log2(levels[l].M / h.LevelU[l])
			}
		}
	}
	s.nsFamily = slices.IndexFunc(comps, func(c Comparison) bool { return c.Name == string(profile.FieldFamilyName) })
	s.log2BF = make([][]float64, len(comps))
	s.tfLog2M = make([]float64, len(comps))
	for i, c := range m.Comparisons {
		for l, lm := range c.Levels {
			if lm.UNamesake > 0 && s.nsFamily >= 0 {
				if s.nsLog2BF == nil {
					s.nsLog2BF = make([][]float64, len(comps))
				}
				if s.nsLog2BF[i] == nil {
					s.nsLog2BF[i] = make([]float64, len(c.Levels))
					for k := range s.nsLog2BF[i] {
						s.nsLog2BF[i][k] = math.NaN()
					}
				}
				s.nsLog2BF[i][l] = math.Log2(lm.M / lm.UNamesake)
			}
		}
	}
	for i, c := range m.Comparisons {
		s.log2BF[i] = make([]float64, len(c.Levels))
		for j, l := range c.Levels {
			s.log2BF[i][j] = math.Log2(l.M / l.U)
		}
		if c.TFLevel >= 0 && c.TFLevel < len(c.Levels) {
			s.tfLog2M[i] = math.Log2(c.Levels[c.TFLevel].M)
		}
	}
	return s, nil
}

// tfLog2BF returns the term-frequency adjusted log2 Bayes factor of
// comparison i's TF level for the agreed value v: log2(m / freq(v)). The
// frequency never exceeds the level's u, so a common value weakens the
// evidence and a rare one strengthens it.
func (s *scorer) tfLog2BF(i int, v string) float64 {
	f := s.tfFreq(i, v)
	if f <= 0 {
		return s.log2BF[i][s.model.Comparisons[i].TFLevel]
	}
	return s.tfLog2M[i] - math.Log2(f)
}

// tfFreq returns the frequency of value v of comparison i (its default
// for values unseen in training).
func (s *scorer) tfFreq(i int, v string) float64 {
	c := &s.model.Comparisons[i]
	f, ok := c.TF[v]
	if !ok {
		f = c.TFDefault
	}
	return f
}

// jointCorrection returns the log2 correction to add when comparisons
// jointA and jointB both agreed on values va and vb with term-frequency
// evidence: minus log2 of the pair's lift, or 0.
func (s *scorer) jointCorrection(va, vb string) float64 {
	lift, ok := s.joint[[2]string{va, vb}]
	if !ok || lift <= 1 {
		return 0
	}
	return -math.Log2(lift)
}

// weight returns the total match weight (log2 odds) of a pair, and fills
// levels when it is non-nil. It does not allocate.
func (s *scorer) weight(a, b *Prepared, levels []Level) float64 {
	w := s.priorLogit
	var va, vb string    // values agreed with TF evidence by the joint pair
	family := math.NaN() // the family name's evidence, at a level the household corrects
	var familyLevel Level
	contact := false
	var ns [maxNamesakeTerms]levelHit // NameDerived levels with UNamesake
	nns := 0
	sameFamily := false
	for i := range s.comps {
		c := &s.comps[i]
		l := c.Compare(a, b)
		if levels != nil {
			levels[i] = l
		}
		if l < 0 {
			continue
		}
		if s.hhContact != nil && s.hhContact[i]&(1<<l) != 0 {
			contact = true
		}
		bf := s.log2BF[i][l]
		if c.TFValue != nil && l == c.TFLevel && s.model.Comparisons[i].TFLevel >= 0 {
			if v := c.TFValue(a); v != "" && v == c.TFValue(b) {
				bf = s.tfLog2BF(i, v)
				switch i {
				case s.jointA:
					va = v
				case s.jointB:
					vb = v
				}
			}
		}
		if i == s.hhFamily && !math.IsNaN(s.hhLog2BF[l]) {
			family, familyLevel = bf, l
		}
		if i == s.nsFamily && l == 0 {
			sameFamily = true
		}
		if s.nsLog2BF != nil && s.nsLog2BF[i] != nil && !math.IsNaN(s.nsLog2BF[i][l]) && nns < maxNamesakeTerms {
			ns[nns] = levelHit{i, l, bf}
			nns++
		}
		w += bf
	}
	if sameFamily {
		for _, h := range ns[:nns] {
			w += s.namesakeCorrection(h)
		}
	}
	var joint float64
	if va != "" && vb != "" {
		joint = s.jointCorrection(va, vb)
	}
	if corr, ok := s.householdCorrection(family+joint, familyLevel, contact); ok {
		// The household correction replaces the family name's evidence,
		// its joint correction with the given name included.
		return w + joint + corr
	}
	return w + joint
}

// namesakeCorrection returns the log2 correction for a NameDerived
// comparison's level when the family names agree exactly: its evidence
// becomes log2(m/UNamesake) where that is weaker.
func (s *scorer) namesakeCorrection(h levelHit) float64 {
	return min(0, s.nsLog2BF[h.i][h.l]-h.bf)
}

// householdCorrection returns the log2 correction for a pair whose family
// names agree at level l with evidence family (NaN when not at a level the
// household corrects; any joint correction included) and that shares a
// contact point, and whether it applies: the family name then counts
// log2(m/U) (see [Household]) when that is weaker.
func (s *scorer) householdCorrection(family float64, l Level, contact bool) (float64, bool) {
	if !contact || math.IsNaN(family) || s.hhLog2BF[l] >= family {
		return 0, false
	}
	return s.hhLog2BF[l] - family, true
}

// probability converts a log2-odds weight into a probability.
func probability(w float64) float64 {
	return 1 / (1 + math.Exp2(-w))
}

// maxComparisons bounds the comparisons a model may have: the EM training
// groups pairs by their level vectors, stored in fixed-size arrays.
const maxComparisons = 32

type pattern [maxComparisons]Level

// emResult is the outcome of one EM run.
type emResult struct {
	m         [][]float64
	lambda    float64
	iters     int
	converged bool
}

// initialM is EM's starting point: agreement is likely among matches, with
// weights (n-l)^2 over a comparison's n levels, normalized.
func initialM(comps []Comparison) [][]float64 {
	m := make([][]float64, len(comps))
	for i, c := range comps {
		n := len(c.Levels)
		m[i] = make([]float64, n)
		var s float64
		for l := range n {
			m[i][l] = float64((n - l) * (n - l))
			s += m[i][l]
		}
		for l := range n {
			m[i][l] /= s
		}
	}
	return m
}

// hidden marks level l of a comparison a pair agrees on by construction,
// the blocking rule's own: em does not take it for evidence that the pair
// matches, but counts it towards m once the pair's match probability is
// known from its other comparisons. It is its own inverse, and its values
// lie below Missing and Covered.
func hidden(l Level) Level { return -3 - l }

// em runs expectation-maximisation for m and the match share lambda of the
// pairs summarised by patterns, with u held fixed. u comes from random
// pairs, so a population of candidate pairs that mostly agree on a common
// name cannot drag u upwards (the drift that makes unconstrained EM call
// every same-name pair a match). With updateM false only lambda is
// estimated. m0 is copied, not modified. Levels marked [hidden] count
// towards m only.
func em(patterns map[pattern]int64, comps []Comparison, u, m0 [][]float64, updateM bool, maxIter int) emResult {
	type pc struct {
		p pattern
		n float64
	}
	ps := make([]pc, 0, len(patterns))
	var total float64
	for p, n := range patterns {
		ps = append(ps, pc{p, float64(n)})
		total += float64(n)
	}
	// Deterministic order: map iteration order must not change results.
	slices.SortFunc(ps, func(a, b pc) int {
		for i := range a.p {
			if a.p[i] != b.p[i] {
				return int(a.p[i]) - int(b.p[i])
			}
		}
		return 0
	})
	m := make([][]float64, len(m0))
	for i := range m0 {
		m[i] = slices.Clone(m0[i])
	}
	res := emResult{m: m, lambda: 0.1}
	if total == 0 {
		return res
	}
	lambda := 0.1
	const floor = 1e-6
	acc := make([][]float64, len(comps))
	accTot := make([]float64, len(comps))
	for i := range acc {
		acc[i] = make([]float64, len(comps[i].Levels))
	}
	for iter := 1; iter <= maxIter; iter++ {
		res.iters = iter
		for i := range acc {
			clear(acc[i])
			accTot[i] = 0
		}
		var matchMass float64
		for _, x := range ps {
			lm, lu := math.Log(lambda), math.Log(1-lambda)
			for i := range comps {
				l := x.p[i]
				if l < 0 {
					continue
				}
				lm += math.Log(m[i][l])
				lu += math.Log(u[i][l])
			}
			post := 1 / (1 + math.Exp(lu-lm))
			w := post * x.n
			matchMass += w
			if !updateM {
				continue
			}
			for i := range comps {
				l := x.p[i]
				if l == Missing || l == Covered {
					continue
				}
				if l < 0 {
					l = hidden(l)
				}
				acc[i][l] += w
				accTot[i] += w
			}
		}
		newLambda := math.Min(math.Max(matchMass/total, 1e-9), 1-1e-9)
		delta := math.Abs(newLambda - lambda)
		lambda = newLambda
		if updateM {
			for i := range comps {
				if accTot[i] == 0 {
					continue
				}
				// Half a pair of pseudo-count per level (add-half smoothing,
				// as for u): on a few dozen records a level no match fell in
				// would otherwise get m at the floor, a 20-bit veto.
				var s float64
				den := accTot[i] + 0.5*float64(len(acc[i]))
				for l := range acc[i] {
					v := math.Max((acc[i][l]+0.5)/den, floor)
					s += v
					acc[i][l] = v
				}
				for l := range acc[i] {
					v := acc[i][l] / s
					delta = math.Max(delta, math.Abs(v-m[i][l]))
					m[i][l] = v
				}
			}
		}
		if delta < 1e-7 {
			res.converged = true
			break
		}
	}
	res.lambda = lambda
	return res
}
