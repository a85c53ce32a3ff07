package match

import (
	"cmp"
	"context"
	"fmt"
	"hash/maphash"
	"maps"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/unifyhq/unify/internal/par"
	"github.com/unifyhq/unify/profile"
)

// DefaultThreshold is the match probability at or above which a pair is
// called a match when Settings.Threshold is zero. Fellegi-Sunter match
// probabilities are posterior probabilities, so 0.5 is the point where a
// match becomes more likely than not; it was not tuned on any data set.
const DefaultThreshold = 0.5

// Settings configure matching. The zero value uses the defaults throughout.
type Settings struct {
	// Comparisons used by the model. Nil means [DefaultComparisons] plus an
	// [IDComparison] for every identifier type present in the training
	// records and an [AttrComparison] for every one of the [KnownAttrs]
	// present in them.
	Comparisons []Comparison
	// Attrs names custom attributes (the keys of profile.Record.Attrs,
	// without "attr:") to compare as well, each by [AttrComparison]: a
	// birth place or an occupation that the field vocabulary has no place
	// for. They are added to Comparisons (or to its default), and the
	// model learns their weights from the data as it does the others'.
	// A model trained with them brings them back when loaded.
	Attrs []string
	// Blocking rules. Nil means [DefaultBlockingRules].
	Blocking []BlockingRule
	// Rules are deterministic rules that override the model.
	Rules []Rule
	// Mode says which pairs are candidates (default LinkAndDedupe).
	Mode PairMode
	// MaxBlockSize caps block sizes (0 = DefaultMaxBlockSize).
	MaxBlockSize int
	// MaxSingleKeyBlock caps the blocks in which records that share only
	// one key are compared (0 = DefaultMaxSingleKeyBlock, negative = no
	// cap); see [Blocker.MaxSingleKeyBlock].
	MaxSingleKeyBlock int
	// Threshold is the match probability for a link (0 = DefaultThreshold).
	Threshold float64
	// Nicknames gives the nickname level of given-name comparisons its
	// equivalences. Nil means profile.DefaultNicknames(), as in the
	// engine; NoNicknames turns the level off.
	Nicknames Nicknames
	// RandomPairs is how many random pairs estimate u (0 = 300,000; all
	// pairs when there are fewer).
	RandomPairs int
	// Seed makes the random pair sample reproducible.
	Seed uint64
	// Workers is the number of goroutines scoring pairs (0 = GOMAXPROCS).
	Workers int
	// MaxEMIterations bounds EM (0 = 200).
	MaxEMIterations int
}

// ReadsRecords reports whether a comparison, blocking rule or rule of s may
// read [Prepared].Record: one this package did not build, or one it built
// from a function of the record ([StringComparison], [NumericComparison],
// [DateDiffComparison], [GeoComparison]). The defaults never do. A host
// that holds records in another form (the unify engine packs them) keeps
// them behind the prepared forms only when this is true.
func (s Settings) ReadsRecords() bool {
	for _, c := range s.Comparisons {
		if !c.own {
			return true
		}
	}
	for _, b := range s.Blocking {
		if !b.own {
			return true
		}
	}
	for _, r := range s.Rules {
		if !r.own {
			return true
		}
	}
	return false
}

// DefaultComparisons returns the comparisons for the field vocabulary:
// given name, family name, the whole name when it could not be split, birth
// date, email, phone, the street address (one comparison), the town, region
// and country (each only when nothing finer is on both records) and gender. Identifier comparisons are added per type by [Train].
func DefaultComparisons() []Comparison {
	cs := []Comparison{
		GivenNameComparison(),
		FamilyNameComparison(),
		FullNameComparison(),
		BirthDateComparison(),
		EmailComparison(),
		PhoneComparison(),
	}
	cs = append(cs, AddressComparison())
	cs = append(cs, placeComparisons()...)
	return append(cs, GenderComparison())
}

// Matcher scores record pairs with a trained Fellegi-Sunter model and
// deterministic rules. It is safe for concurrent use.
type Matcher struct {
	settings Settings
	prep     Preparer
	blocker  *Blocker
	sc       *scorer
}

// Link is a scored candidate pair.
type Link struct {
	A, B profile.Ref
	// Prob is the match probability in [0, 1].
	Prob float64
	// Weight is the match weight: log2 of the posterior odds, the prior
	// included. merge.Link.Weight is the evidence alone: give merge
	// Weight - Matcher.PriorWeight(), or its veto reads the prior as
	// evidence against.
	Weight float64
	// Rule names the deterministic rule that decided the pair, if any.
	Rule string `json:",omitempty"`
}

// NewMatcher pairs a trained (or loaded) model with settings. The model
// must fit the settings' comparisons, which for default settings depend on
// the identifier types seen in training: pass the same comparisons, or use
// [Model.Comparisons] names to rebuild them. With nil Comparisons the
// defaults are rebuilt from the model's names, its identifier and
// attribute comparisons included, and the matcher prepares the attributes
// the model compares.
func NewMatcher(m *Model, s Settings) (*Matcher, error) {
	for _, c := range m.Comparisons {
		if name, ok := profile.Field(c.Name).AttrName(); ok && !slices.Contains(s.Attrs, name) {
			s.Attrs = append(slices.Clip(s.Attrs), name)
		}
	}
	if s.Comparisons == nil {
		s.Comparisons = comparisonsForModel(m)
	}
	s.Comparisons = withAttrs(s.Comparisons, s.Attrs)
	sc, err := newScorer(m, s.Comparisons)
	if err != nil {
		return nil, err
	}
	return newMatcher(s, sc), nil
}

// comparisonsForModel rebuilds default comparisons, with an identifier
// comparison for every "id:" comparison the model has and an attribute
// comparison for every "attr:" one.
func comparisonsForModel(m *Model) []Comparison {
	cs := DefaultComparisons()
	for _, c := range m.Comparisons {
		if typ, ok := profile.Field(c.Name).IDType(); ok {
			cs = append(cs, IDComparison(typ))
		} else if name, ok := profile.Field(c.Name).AttrName(); ok {
			cs = append(cs, AttrComparison(name))
		}
	}
	return cs
}

func newMatcher(s Settings, sc *scorer) *Matcher {
	if s.Blocking == nil {
		s.Blocking = DefaultBlockingRules()
	}
	if s.Threshold == 0 {
		s.Threshold = DefaultThreshold
	}
	if s.Workers <= 0 {
		s.Workers = runtime.GOMAXPROCS(0)
	}
	return &Matcher{
		settings: s,
		prep:     Preparer{Nicknames: s.Nicknames, Attrs: s.Attrs},
		blocker:  &Blocker{Rules: s.Blocking, MaxBlockSize: s.MaxBlockSize, MaxSingleKeyBlock: s.MaxSingleKeyBlock, Mode: s.Mode},
		sc:       sc,
	}
}

// Model returns the matcher's model. It must not be modified.
func (m *Matcher) Model() *Model { return m.sc.model }

// Threshold returns the match probability threshold in use.
func (m *Matcher) Threshold() float64 { return m.settings.Threshold }

// Blocker returns the matcher's blocker.
func (m *Matcher) Blocker() *Blocker { return m.blocker }

// Prepare compiles a record for comparison.
func (m *Matcher) Prepare(r *profile.Record) *Prepared { return m.prep.Prepare(r) }

// Preparer returns the Preparer that Prepare uses: a host that prepares
// records itself must use one like it, with the same nicknames and the
// attributes of the model ([Settings.Attrs]).
func (m *Matcher) Preparer() Preparer { return m.prep }

// PrepareAll compiles records in parallel.
func (m *Matcher) PrepareAll(recs []*profile.Record) []*Prepared {
	return prepareAll(m.prep, recs, m.settings.Workers)
}

func prepareAll(pr Preparer, recs []*profile.Record, workers int) []*Prepared {
	out := make([]*Prepared, len(recs))
	parallel(len(recs), workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = pr.Prepare(recs[i])
		}
	})
	return out
}

// parallel splits [0, n) into chunks run on up to workers goroutines.
func parallel(n, workers int, fn func(lo, hi int)) {
	if workers <= 1 || n < 1024 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

// Score returns the match probability and weight of a pair, after the
// deterministic rules. It does not allocate.
func (m *Matcher) Score(a, b *Prepared) (prob, weight float64) {
	if r := decide(m.settings.Rules, a, b); r >= 0 {
		if m.settings.Rules[r].Decision == Match {
			return 1, math.Inf(1)
		}
		return 0, math.Inf(-1)
	}
	w := m.sc.weight(a, b, nil)
	return probability(w), w
}

// ScoredPair is a scored candidate pair by index into the records given to
// [Matcher.ScorePairs], with I < J.
type ScoredPair struct {
	I, J int32
	Prob float64
	// Weight is the posterior's log2 odds, as in [Link].
	Weight float64
	// Rule is the index into the settings' rules of the deterministic rule
	// that decided the pair, or -1.
	Rule int
}

// ScorePairs blocks recs, scores every candidate pair on all workers and
// returns the pairs whose probability is at least minProb, by index and
// sorted by (I, J), with the blocking diagnostics. It is Links without the
// record references, for hosts that keep their records in a slice.
func (m *Matcher) ScorePairs(ctx context.Context, recs []*Prepared, minProb float64) ([]ScoredPair, Diagnostics, error) {
	return m.scorePairs(ctx, m.blocker.index(recs), minProb)
}

// scorePairs scores the candidate pairs of blocks already built.
func (m *Matcher) scorePairs(ctx context.Context, bl *blocked, minProb float64) ([]ScoredPair, Diagnostics, error) {
	recs := bl.recs
	workers := m.settings.Workers
	results := make([][]ScoredPair, workers)
	counts := make([][]int64, workers)
	thin := make([][]int64, workers)
	var wg sync.WaitGroup
	var ctxErr error
	var once sync.Once
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out []ScoredPair
			n := 0
			counts[w], thin[w] = m.blocker.forEachPair(bl, w, workers, true, func(i, j int32, _ int) {
				n++
				if n%4096 == 0 && ctx.Err() != nil {
					once.Do(func() { ctxErr = ctx.Err() })
					return
				}
				a, b := recs[i], recs[j]
				rule := decide(m.settings.Rules, a, b)
				var p, wt float64
				switch {
				case rule < 0:
					wt = m.sc.weight(a, b, nil)
					p = probability(wt)
				case m.settings.Rules[rule].Decision == Match:
					p, wt = 1, math.Inf(1)
				default:
					p, wt = 0, math.Inf(-1)
				}
				if p >= minProb {
					if i > j {
						i, j = j, i
					}
					out = append(out, ScoredPair{I: i, J: j, Prob: p, Weight: wt, Rule: rule})
				}
			})
			results[w] = out
		}()
	}
	wg.Wait()
	if ctxErr != nil {
		return nil, Diagnostics{}, ctxErr
	}
	total := make([]int64, len(m.blocker.Rules))
	totalThin := make([]int64, len(m.blocker.Rules))
	n := 0
	for w := range workers {
		for r, c := range counts[w] {
			total[r] += c
			totalThin[r] += thin[w][r]
		}
		n += len(results[w])
	}
	pairs := make([]ScoredPair, 0, n)
	for w := range workers {
		pairs = append(pairs, results[w]...)
	}
	m.blocker.finishDiagnostics(bl, total, totalThin)
	slices.SortFunc(pairs, func(x, y ScoredPair) int {
		if x.I != y.I {
			return cmp.Compare(x.I, y.I)
		}
		return cmp.Compare(x.J, y.J)
	})
	return pairs, bl.diag, nil
}

// Links blocks recs, scores every candidate pair on all workers and returns
// the pairs whose probability is at least minProb (use 0 for every
// candidate pair, including the strongly negative ones a clusterer may use
// as evidence against merging), sorted by (A, B). It also returns the
// blocking diagnostics.
func (m *Matcher) Links(ctx context.Context, recs []*Prepared, minProb float64) ([]Link, Diagnostics, error) {
	pairs, diag, err := m.ScorePairs(ctx, recs, minProb)
	if err != nil {
		return nil, diag, err
	}
	links := make([]Link, len(pairs))
	for k, p := range pairs {
		l := Link{A: recs[p.I].Ref, B: recs[p.J].Ref, Prob: p.Prob, Weight: p.Weight}
		if p.Rule >= 0 {
			l.Rule = m.settings.Rules[p.Rule].Name
		}
		if l.A.Compare(l.B) > 0 {
			l.A, l.B = l.B, l.A
		}
		links[k] = l
	}
	slices.SortFunc(links, func(x, y Link) int {
		if c := x.A.Compare(y.A); c != 0 {
			return c
		}
		return x.B.Compare(y.B)
	})
	return links, diag, nil
}

// Train estimates a model from unlabelled records and returns a matcher
// using it:
//
//  1. u (the level probabilities among non-matches) from random record
//     pairs, with the exact level of term-frequency comparisons computed
//     from value frequencies;
//  2. m (among matches) and the match share of the blocked pairs by EM
//     over the blocked candidate pairs, with u held fixed;
//  3. the prior as the expected number of matches divided by the number of
//     all record pairs (not only the blocked ones).
func Train(ctx context.Context, recs []*profile.Record, s Settings) (*Matcher, error) {
	if s.Workers <= 0 {
		s.Workers = runtime.GOMAXPROCS(0)
	}
	prep := Preparer{Nicknames: s.Nicknames, Attrs: s.Attrs}
	return TrainPrepared(ctx, prepareAll(prep, recs, s.Workers), s)
}

// TrainAndScore is TrainPrepared followed by ScorePairs over the same
// records, building the blocks once for both (they are the largest part of
// either at scale).
func TrainAndScore(ctx context.Context, ps []*Prepared, s Settings, minProb float64) (*Matcher, []ScoredPair, Diagnostics, error) {
	if s.Workers <= 0 {
		s.Workers = runtime.GOMAXPROCS(0)
	}
	if s.Comparisons == nil {
		s.Comparisons = defaultComparisonsFor(ps)
	}
	s.Comparisons = withAttrs(s.Comparisons, s.Attrs)
	model, bl, err := trainIndexed(ctx, ps, s, nil)
	if err != nil {
		return nil, nil, Diagnostics{}, err
	}
	sc, err := newScorer(model, s.Comparisons)
	if err != nil {
		return nil, nil, Diagnostics{}, err
	}
	m := newMatcher(s, sc)
	pairs, diag, err := m.scorePairs(ctx, bl, minProb)
	if err != nil {
		return nil, nil, Diagnostics{}, err
	}
	return m, pairs, diag, nil
}

// withAttrs returns cs with an AttrComparison for each of attrs that cs
// does not compare yet. It does not write to cs's array.
func withAttrs(cs []Comparison, attrs []string) []Comparison {
	cs = slices.Clip(cs)
	for _, name := range attrs {
		field := string(profile.AttrField(name))
		if !slices.ContainsFunc(cs, func(c Comparison) bool { return c.Name == field }) {
			cs = append(cs, AttrComparison(name))
		}
	}
	return cs
}

// defaultComparisonsFor returns DefaultComparisons plus an IDComparison
// for every identifier type present in ps and an AttrComparison for every
// known attribute present in them.
func defaultComparisonsFor(ps []*Prepared) []Comparison {
	cs := DefaultComparisons()
	for _, typ := range idTypes(ps) {
		cs = append(cs, IDComparison(typ))
	}
	present := make([]bool, len(knownAttrs))
	for _, p := range ps {
		for _, id := range p.ids[len(p.identifiers()):] {
			if i := slices.Index(knownAttrs, strings.TrimPrefix(id.Type, profile.AttrPrefix)); i >= 0 {
				present[i] = true
			}
		}
	}
	for i, name := range knownAttrs {
		if present[i] {
			cs = append(cs, AttrComparison(name))
		}
	}
	return cs
}

// TrainPrepared is Train for records already prepared, with a Preparer
// using the same Nicknames as s, so a host that keeps prepared records
// does not prepare a million records twice.
func TrainPrepared(ctx context.Context, ps []*Prepared, s Settings) (*Matcher, error) {
	if s.Workers <= 0 {
		s.Workers = runtime.GOMAXPROCS(0)
	}
	if s.Comparisons == nil {
		s.Comparisons = defaultComparisonsFor(ps)
	}
	s.Comparisons = withAttrs(s.Comparisons, s.Attrs)
	model, err := train(ctx, ps, s)
	if err != nil {
		return nil, err
	}
	sc, err := newScorer(model, s.Comparisons)
	if err != nil {
		return nil, err
	}
	return newMatcher(s, sc), nil
}

func idTypes(ps []*Prepared) []string {
	seen := map[string]bool{}
	for _, p := range ps {
		for _, id := range p.identifiers() {
			seen[id.Type] = true
		}
	}
	types := make([]string, 0, len(seen))
	for t := range seen {
		types = append(types, t)
	}
	slices.Sort(types)
	return types
}

func train(ctx context.Context, ps []*Prepared, s Settings) (*Model, error) {
	m, _, err := trainIndexed(ctx, ps, s, nil)
	return m, err
}

// hashedValue is a value with its hash, for counting by sorting.
type hashedValue struct {
	h uint64
	v string
}

// trainIndexed is train with the blocks of ps under s's rules built
// already (bl), or built here when bl is nil; it returns them for reuse.
func trainIndexed(ctx context.Context, ps []*Prepared, s Settings, bl *blocked) (*Model, *blocked, error) {
	comps := s.Comparisons
	if len(comps) == 0 || len(comps) > maxComparisons {
		return nil, nil, fmt.Errorf("match: %d comparisons; need 1 to %d", len(comps), maxComparisons)
	}
	if len(ps) < 2 {
		return nil, nil, fmt.Errorf("%w: %d records", ErrNoData, len(ps))
	}
	blocking := s.Blocking
	if blocking == nil {
		blocking = DefaultBlockingRules()
	}
	blocker := &Blocker{Rules: blocking, MaxBlockSize: s.MaxBlockSize, MaxSingleKeyBlock: s.MaxSingleKeyBlock, Mode: s.Mode}
	model := &Model{Version: ModelVersion}
	model.Trained.Records = len(ps)

	// Term frequencies, and how often given and family names occur
	// together. Each comparison's table, and the joint table, reads every
	// record once: independent tasks, run on GOMAXPROCS goroutines.
	tfs := make([]map[string]float64, len(comps))
	tfDefault := make([]float64, len(comps))
	tfPairs := make([]float64, len(comps)) // share of record pairs that agree on a value
	tfTotal := make([]int, len(comps))     // records with a value
	tfTwo := make([]int, len(comps))       // values held by exactly two records
	var tasks []func()
	for i, c := range comps {
		if c.TFValue == nil {
			continue
		}
		tasks = append(tasks, func() {
			// Counted by sorting, not in a map: at a million records a
			// map of the distinct emails took 1.3 s to grow, and sorting
			// the strings themselves 1.6 s. Sorted by hash, then by value
			// (so equal values are adjacent even when hashes collide),
			// which orders by the string only on a collision. The order
			// does not reach the results.
			seed := maphash.MakeSeed()
			vals := make([]hashedValue, 0, len(ps))
			for _, p := range ps {
				if v := c.TFValue(p); v != "" {
					vals = append(vals, hashedValue{maphash.String(seed, v), v})
				}
			}
			total := len(vals)
			if total < 2 {
				return
			}
			slices.SortFunc(vals, func(a, b hashedValue) int {
				if a.h != b.h {
					return cmp.Compare(a.h, b.h)
				}
				return strings.Compare(a.v, b.v)
			})
			// A value's frequency is the chance that another record, drawn
			// at random, shares it: (count-1)/(total-1). A value held by one
			// record has no other holder; a pair agreeing on a value unseen
			// in training counts as its only two holders. Values held by
			// one or two records therefore all have the default frequency,
			// and the table keeps only values held by three or more: at a
			// million records that leaves out nearly every email and phone
			// number, which would otherwise sit in the saved model.
			//
			// Two distinct records drawn at random agree with probability
			// sum c(c-1) / (T(T-1)), exact where sampling is noisy. The sum
			// is of whole numbers below 2^53, so it is exact in any order.
			tf := map[string]float64{}
			var sq float64
			for lo := 0; lo < total; {
				hi := lo + 1
				for hi < total && vals[hi].v == vals[lo].v {
					hi++
				}
				n := hi - lo
				sq += float64(n) * float64(n-1)
				if n == 2 {
					tfTwo[i]++
				}
				if n > 2 {
					tf[vals[lo].v] = float64(n-1) / float64(total-1)
				}
				lo = hi
			}
			tfs[i] = tf
			tfTotal[i] = total
			tfDefault[i] = 1 / float64(total-1)
			tfPairs[i] = sq / (float64(total) * float64(total-1))
		})
	}
	// Pairs sharing a held level's key but not the exact value (see
	// heldLevel), counted as the term frequencies are, by sorting; hashes
	// rather than strings, as a collision of 64-bit hashes among a
	// million values is unlikely, and one would add a pair or two.
	heldPairs := make([]float64, len(comps))
	for i, c := range comps {
		if c.held == nil {
			continue
		}
		tasks = append(tasks, func() { heldPairs[i] = keyOnlyPairs(ps, c.held) })
	}
	// The joint table needs both names to have a term-frequency table,
	// which is known before counting: a table exists when at least two
	// records have the value.
	jointA, jointB := -1, -1
	for i, c := range comps {
		if c.TFValue == nil {
			continue
		}
		switch c.Name {
		case string(profile.FieldGivenName):
			jointA = i
		case string(profile.FieldFamilyName):
			jointB = i
		}
	}
	var joint *JointTF
	if jointA >= 0 && jointB >= 0 {
		// The longest task (0.7 s at a million records): first, so
		// the term-frequency tables fill the other cores meanwhile.
		tasks = slices.Insert(tasks, 0, func() { joint = jointNames(ps, comps[jointA], comps[jointB]) })
	}
	runTasks(tasks)
	if joint != nil && (tfs[jointA] == nil || tfs[jointB] == nil) {
		joint = nil
	}

	// Agreement shares among random pairs.
	agree, floor, present, nRandom, err := estimateU(ctx, ps, comps, blocker, s)
	if err != nil {
		return nil, nil, err
	}
	model.Trained.RandomPairs = nRandom
	for i := range comps {
		if tfs[i] == nil {
			continue
		}
		// The chance that two random records agree exactly, from the
		// counts rather than the sample.
		sq := tfPairs[i]
		l := comps[i].TFLevel
		rest := 1 - agree[i][l]
		if rest > 0 && sq < 1 {
			scale := (1 - sq) / rest
			for j := range agree[i] {
				agree[i][j] *= scale
			}
		}
		agree[i][l] = max(sq, floor[i])
	}

	// EM over blocked pairs.
	if bl == nil {
		bl = blocker.index(ps)
	}
	maxIter := s.MaxEMIterations
	if maxIter <= 0 {
		maxIter = 200
	}
	union, ownedUnion := map[pattern]int64{}, map[pattern]int64{}
	rare := make([][]map[pattern]int64, len(comps)) // see tally.rare
	held := make([][]map[pattern]int64, len(comps)) // see tally.held
	heldKey := make([]int64, len(comps))
	levelPairs := make([][]int64, len(comps))
	for i := range comps {
		levelPairs[i] = make([]int64, len(comps[i].Levels))
	}
	// Compare a deterministic sample while counting: EM needs level
	// patterns, not every pair, and its cost must not grow with the square
	// of block sizes. The rate comes from the pairs the blocks hold before
	// pairs produced by several rules are counted once (an upper bound
	// known without enumerating), so one pass does both; the sample is
	// then somewhat under maxTrainingPairs.
	var raw int64
	for r := range blocker.Rules {
		raw += blocker.rawRulePairs(bl, r)
	}
	rate := sampleRate(raw, maxTrainingPairs)
	// The namesake samples (see raiseNamesakeU) need neither the counts
	// nor the sessions: drawn on another goroutine while this one counts
	// the blocked pairs, a serial pass, they cost no wall time on two
	// cores.
	var namesake, fullNamesake []patternCount
	var nsErr error
	nsDone := make(chan struct{})
	go func() {
		defer close(nsDone)
		namesake, nsErr = namesakePatterns(ctx, ps, comps, blocker, s, func(p *Prepared) string { return p.given }, 0x6e616d65) // "name"
		if nsErr != nil {
			return
		}
		// Different people with one given and one family name share far
		// more (giovanni.lombardi@ at two providers) than people with one
		// given name: a second sample gives those pairs' u
		// (LevelModel.UNamesake).
		fullNamesake, nsErr = namesakePatterns(ctx, ps, comps, blocker, s, func(p *Prepared) string {
			if p.given == "" || p.family == "" {
				return ""
			}
			return p.given + "\x00" + p.family
		}, 0x66756c6c) // "full"
	}()
	defer func() { <-nsDone }() // no return leaves it running
	// The level patterns of each blocking rule's session, with the rule's
	// own fields left out; they do not depend on u, so they are compared
	// once and reused by every round of estimation. A session's sample rate
	// comes from the pairs the rule's blocks hold, an upper bound of the
	// pairs it visits (the pair mode may not want some; a pair of records
	// sharing two of the rule's keys is visited once), so that it is known
	// before the pass; where the bound is loose, the sample is smaller than
	// maxTrainingPairs, still far more than EM needs.
	type session struct {
		rule     int
		excluded []bool
		pats     map[pattern]int64
		pairs    int64
	}
	ruleRate := make([]float64, len(blocker.Rules))
	excluded := make([][]bool, len(blocker.Rules))
	// owned[r] marks the comparisons a pair attributed to rule r agrees on
	// by construction. The EM over all blocked pairs hides them (see
	// hidden) when it weighs the evidence that a pair is a match, as a
	// session leaves them out: with them in, on a small file (61 records,
	// 48 blocked pairs, no rule with a session of its own) every pair
	// agreed on the postcode it was blocked on, and EM took all of them for
	// matches.
	owned := make([][]bool, len(blocker.Rules))
	for r := range blocker.Rules {
		owned[r] = excludedBy(comps, blocker.Rules[r].Fields)
		if raw := blocker.rawRulePairs(bl, r); raw >= minSessionPairs {
			ruleRate[r] = sampleRate(raw, maxTrainingPairs)
			excluded[r] = owned[r]
		}
	}
	// One pass over the blocks counts the distinct blocked pairs, samples
	// them for the EM over all of them, and samples each rule's own pairs
	// for its session. It is split over shards of the blocks, on as many
	// goroutines as scoring uses; every tally is a sum, so the result does
	// not depend on the split. With the namesake samples alongside, the
	// cores stay busy until both are done.
	type tally struct {
		pairs int64
		union map[pattern]int64
		owned map[pattern]int64 // union with each pair's rule's own fields hidden
		// rare[k][r]: the sampled pairs of rule r at comparison k's exact
		// level on a value two records hold (see twoHolderShare), their
		// rule's own fields hidden.
		rare [][]map[pattern]int64
		// held[k][r]: likewise the sampled pairs at comparison k's held
		// level; heldKey[k], the sampled pairs sharing its key but not
		// the exact value.
		held      [][]map[pattern]int64
		heldKey   []int64
		levels    [][]int64
		counts    []int64
		sess      []map[pattern]int64
		sessPairs []int64
	}
	shards := max(1, s.Workers)
	tallies := make([]tally, shards)
	var wg sync.WaitGroup
	for w := range shards {
		wg.Go(func() {
			t := &tallies[w]
			t.union = map[pattern]int64{}
			t.owned = map[pattern]int64{}
			t.rare = make([][]map[pattern]int64, len(comps))
			t.held = make([][]map[pattern]int64, len(comps))
			t.heldKey = make([]int64, len(comps))
			t.levels = make([][]int64, len(comps))
			for k := range comps {
				t.levels[k] = make([]int64, len(comps[k].Levels))
			}
			t.sess = make([]map[pattern]int64, len(blocker.Rules))
			t.sessPairs = make([]int64, len(blocker.Rules))
			n, cancelled := 0, false
			t.counts = blocker.forEachTrainingPair(bl, w, shards, func(i, j int32, r int, distinct bool) {
				// On cancellation the pass runs out without comparing;
				// the caller checks ctx after it.
				if n++; cancelled || n%4096 == 0 && ctx.Err() != nil {
					cancelled = true
					return
				}
				if distinct {
					t.pairs++
					if keepPair(i, j, rate) {
						pat := comparePattern(comps, ps[i], ps[j], nil)
						for k := range comps {
							if l := pat[k]; l >= 0 {
								t.levels[k][l]++
							}
						}
						t.union[pat]++
						for k := range comps {
							if owned[r][k] && pat[k] >= 0 {
								pat[k] = hidden(pat[k])
							}
						}
						t.owned[pat]++
						for k := range comps {
							if tfs[k] == nil || hidden(pat[k]) != comps[k].TFLevel && pat[k] != comps[k].TFLevel {
								continue
							}
							// As scoring does, the value is the records' first
							// (TFValue), both the same: a pair agreeing on a
							// second email has the level's u, not a frequency.
							v := comps[k].TFValue(ps[i])
							if v == "" || v != comps[k].TFValue(ps[j]) {
								continue
							}
							if _, often := tfs[k][v]; !often {
								addRare(t.rare, k, r, len(blocker.Rules), pat, 1)
							}
						}
						for k := range comps {
							h := comps[k].held
							if h == nil {
								continue
							}
							if keyOnly(h, ps[i], ps[j]) {
								t.heldKey[k]++
							}
							if pat[k] == h.level || hidden(pat[k]) == h.level {
								addRare(t.held, k, r, len(blocker.Rules), pat, 1)
							}
						}
					}
				}
				if excluded[r] == nil {
					return // too few pairs for a session
				}
				t.sessPairs[r]++
				if keepPair(i, j, ruleRate[r]) {
					if t.sess[r] == nil {
						t.sess[r] = map[pattern]int64{}
					}
					t.sess[r][comparePattern(comps, ps[i], ps[j], excluded[r])]++
				}
			})
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var blockedPairs int64
	counts := make([]int64, len(blocker.Rules))
	byRule := make([]*session, len(blocker.Rules))
	for _, t := range tallies {
		blockedPairs += t.pairs
		for pat, n := range t.union {
			union[pat] += n
		}
		for pat, n := range t.owned {
			ownedUnion[pat] += n
		}
		for k, byRule := range t.rare {
			for r, pats := range byRule {
				for pat, n := range pats {
					addRare(rare, k, r, len(blocker.Rules), pat, n)
				}
			}
		}
		for k, byRule := range t.held {
			heldKey[k] += t.heldKey[k]
			for r, pats := range byRule {
				for pat, n := range pats {
					addRare(held, k, r, len(blocker.Rules), pat, n)
				}
			}
		}
		for k := range comps {
			for l, n := range t.levels[k] {
				levelPairs[k][l] += n
			}
		}
		for r := range counts {
			counts[r] += t.counts[r]
			if excluded[r] == nil {
				continue
			}
			if byRule[r] == nil {
				byRule[r] = &session{rule: r, excluded: excluded[r], pats: map[pattern]int64{}}
			}
			byRule[r].pairs += t.sessPairs[r]
			for pat, n := range t.sess[r] {
				byRule[r].pats[pat] += n
			}
		}
	}
	// Training reads every blocked pair: nothing is thinned by the cap.
	blocker.finishDiagnostics(bl, counts, make([]int64, len(blocker.Rules)))
	if blockedPairs == 0 {
		return nil, nil, fmt.Errorf("%w: blocking produced no candidate pairs", ErrNoData)
	}
	model.Trained.BlockedPairs = blockedPairs
	// Sessions in rule order.
	var sessions []session
	for _, se := range byRule {
		if se != nil && se.pairs >= minSessionPairs {
			sessions = append(sessions, *se)
		}
	}

	possible := bl.diag.PossiblePairs
	// ruleShare is each rule's match share of its pairs as the last
	// estimate found it (its session's, or the EM over all pairs').
	ruleShare := make([]float64, len(blocker.Rules))
	// estimate runs EM for m and the prior with u fixed.
	estimate := func(u [][]float64) (m [][]float64, prior float64, err error) {
		model.Trained.Sessions = nil
		// A first EM over all blocked pairs gives a fallback m for
		// comparisons no training session can estimate. Without any
		// session (a small file) each pair's rule's own fields are hidden
		// from it. With sessions the plain patterns serve as before: on
		// fake_1000, FEBRL and the synthetic sets the hidden ones give
		// the same results, but on 50 rows of 20 people whose names
		// share a prefix (TestRowNumberKeys) no pair linked.
		fallback := union
		if len(sessions) == 0 {
			fallback = ownedUnion
		}
		all := em(fallback, comps, u, initialM(comps), true, maxIter)

		// Then one EM session per blocking rule, Splink's way: the pairs of
		// a rule agree on the rule's fields by construction, so those
		// comparisons are left out of its session and learnt from the
		// others. Each comparison's m is the average over the sessions that
		// include it, weighted by their expected matches.
		mSum := make([][]float64, len(comps))
		wSum := make([]float64, len(comps))
		for i := range comps {
			mSum[i] = make([]float64, len(comps[i].Levels))
		}
		sessionLambda := make([]float64, len(blocker.Rules))
		for r := range sessionLambda {
			sessionLambda[r] = -1
		}
		for _, se := range sessions {
			res := em(se.pats, comps, u, initialM(comps), true, maxIter)
			sessionLambda[se.rule] = res.lambda
			info := SessionInfo{Rule: blocker.Rules[se.rule].Name, Pairs: se.pairs, MatchShare: res.lambda, Iterations: res.iters, Converged: res.converged}
			weight := res.lambda * float64(se.pairs)
			for k := range comps {
				if se.excluded[k] {
					info.Excluded = append(info.Excluded, comps[k].Name)
					continue
				}
				if !hasData(se.pats, k) {
					continue
				}
				for l := range mSum[k] {
					mSum[k][l] += weight * res.m[k][l]
				}
				wSum[k] += weight
			}
			model.Trained.Sessions = append(model.Trained.Sessions, info)
		}
		m = all.m
		for k := range comps {
			if wSum[k] > 0 {
				for l := range m[k] {
					m[k][l] = mSum[k][l] / wSum[k]
				}
			}
		}
		// Finally the expected number of matches among the blocked pairs,
		// and from it the prior over all pairs. Each pair counts under the
		// first rule that produced it, at that rule's session match share,
		// which is estimated from the rule's pairs alone. Rules too small
		// for a session use the share of the EM over all blocked pairs
		// (each pattern without its rule's own fields: with them, at 300k
		// synthetic records it called 88% of the pairs matches where 10%
		// were).
		final := em(ownedUnion, comps, u, m, false, maxIter)
		model.Trained.EMIterations = final.iters
		model.Trained.EMConverged = final.converged
		var expected float64
		for r, n := range counts {
			share := sessionLambda[r]
			if share < 0 {
				share = final.lambda
			}
			ruleShare[r] = share
			expected += share * float64(n)
		}
		model.Trained.BlockedMatches = expected / float64(blockedPairs)
		prior = expected / float64(possible)
		return m, math.Min(math.Max(prior, 1e-12), 1-1e-9), nil
	}
	<-nsDone
	if nsErr != nil {
		return nil, nil, nsErr
	}
	for _, pc := range namesake {
		model.Trained.NamesakePairs += pc.n
	}
	m, prior, err := estimate(agree)
	if err != nil {
		return nil, nil, err
	}
	// Random pairs include a few matches, and for agreement on identifier-
	// like values (an email, a phone) they explain most of it: two random
	// records share an email mostly because they are one person. u is the
	// agreement rate among non-matches, so take the matches out,
	// u = (P - prior*m) / (1 - prior), and estimate again. Without this,
	// agreeing on a unique email alone is barely better than a coin toss.
	var u [][]float64
	fixU := func() {
		u = correctU(agree, m, prior, floor)
		raiseNamesakeU(u, m, prior, comps, namesake, floor)
		for k := range comps {
			if comps[k].held == nil {
				continue
			}
			heldU(u, k, held[k], rate, heldKey[k], heldPairs[k], float64(possible)*present[k], ruleShare, comps, m)
		}
	}
	for range 2 {
		fixU()
		if m, prior, err = estimate(u); err != nil {
			return nil, nil, err
		}
	}
	fixU()
	// Shrunk towards u by a prior worth dependencePriorPairs pairs: a
	// small data set has few full namesakes, and one pair must not make a
	// level weak.
	uFull, fullN := namesakeSharesN(u, m, prior, comps, fullNamesake, floor)
	for i := range uFull {
		for l := range uFull[i] {
			uFull[i][l] = (uFull[i][l]*fullN[i] + dependencePriorPairs*u[i][l]) / (fullN[i] + dependencePriorPairs)
		}
	}
	model.Prior = prior
	for i := range comps {
		if tfs[i] == nil {
			continue
		}
		l := comps[i].TFLevel
		scale := min(u[i][l]/agree[i][l], 1)
		if share, ok := twoHolderShare(rare[i], tfTwo[i], rate, ruleShare, comps, m, u); ok {
			tfDefault[i] *= share
		} else {
			tfDefault[i] *= scale
		}
		// The records of one person that agree on a value: the expected
		// matches of a record among the others holding a value, at m.
		same := prior * float64(tfTotal[i]-1) * m[i][l]
		valueFrequencies(tfs[i], tfDefault[i], tfTotal[i], scale, same)
	}
	model.JointTF = joint
	model.Household = estimateHousehold(comps, sortedPatterns(union), m, u, prior)

	for i, c := range comps {
		cm := ComparisonModel{Name: c.Name, TFLevel: -1}
		if tfs[i] != nil {
			cm.TFLevel = int(c.TFLevel)
			cm.TF = tfs[i]
			cm.TFDefault = tfDefault[i]
		}
		for l, label := range c.Levels {
			lm := LevelModel{Label: label, M: m[i][l], U: u[i][l], Pairs: levelPairs[i][l]}
			// Only the partial levels, and only where full namesakes share
			// them more than the u already says.
			if uFull != nil && uFull[i] != nil && l > 0 && l < len(c.Levels)-1 && uFull[i][l] > u[i][l] {
				lm.UNamesake = uFull[i][l]
			}
			cm.Levels = append(cm.Levels, lm)
		}
		model.Comparisons = append(model.Comparisons, cm)
	}
	return model, bl, nil
}

// minSessionPairs is the fewest pairs a blocking rule needs for its own EM
// session; smaller sessions give noisy estimates.
const minSessionPairs = 100

// minJointPeople is the fewest distinct (given, family, birth date)
// triples a name pair needs before its lift corrects the evidence.
const minJointPeople = 3

// maxTrainingPairs caps the pairs compared for each EM population (all
// blocked pairs, and each blocking rule's pairs): a deterministic sample of
// this size estimates level shares to well within a percent.
const maxTrainingPairs = 250_000

// sampleRate returns the share of n pairs to keep for at most max.
func sampleRate(n int64, max int) float64 {
	if n <= int64(max) {
		return 1
	}
	return float64(max) / float64(n)
}

// keepPair decides deterministically, by a hash of the pair, whether it is
// in a sample of the given rate.
func keepPair(i, j int32, rate float64) bool {
	if rate >= 1 {
		return true
	}
	x := uint64(uint32(i))<<32 | uint64(uint32(j))
	// splitmix64 finalizer.
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11)/(1<<53) < rate
}

// comparePattern returns the level vector of a pair, with excluded
// comparisons (when non-nil) set to Missing.
func comparePattern(comps []Comparison, a, b *Prepared, excluded []bool) pattern {
	var pat pattern
	for k := range pat {
		pat[k] = Missing
	}
	for k := range comps {
		if excluded != nil && excluded[k] {
			continue
		}
		pat[k] = comps[k].Compare(a, b)
	}
	return pat
}

// excludedBy marks the comparisons that read any of fields, or any field
// tied to one of them. The parts of a postal address are tied: pairs blocked
// on a town agree on its region, country and often postcode whether they
// match or not, so a session that blocks on one address part learns none of
// them.
//
// A household's contact points and its family name are tied too: pairs
// blocked on a street address, a phone or an email are largely members of
// one household, who share the family name whether they are one person or
// not. Left in, the family name's agreement (rare among random pairs, by
// which u is measured) makes EM take the household for the match class,
// and the session then teaches that matches mostly differ in given name:
// on the SecondString census lists, where households fill the address
// blocks, the address session put every pair in the match class and
// learnt m = 0.82 for given names that disagree; without the family name
// it finds a match share of 0.18 (the truth: 0.19) and m = 0.11. Such a
// session leaves out the family-name and whole-name comparisons; the given
// name, which tells household members apart, stays.
func excludedBy(comps []Comparison, fields []profile.Field) []bool {
	geo := slices.ContainsFunc(fields, profile.Field.IsAddressPart)
	household := contactRule(fields)
	ex := make([]bool, len(comps))
	for k := range comps {
		cfs := comps[k].fields()
		if household && len(cfs) > 0 && (cfs[0] == profile.FieldFamilyName || cfs[0] == profile.FieldFullName) {
			ex[k] = true // by the field it compares first: the given name's also reads the family name
		}
		for _, cf := range cfs {
			if geo && cf.IsAddressPart() {
				ex[k] = true
			}
			for _, rf := range fields {
				if cf == rf || (rf == profile.IDPrefix && strings.HasPrefix(string(cf), profile.IDPrefix)) {
					ex[k] = true
				}
			}
		}
	}
	return ex
}

// hasData reports whether comparison k is non-missing in some pattern.
func hasData(pats map[pattern]int64, k int) bool {
	for p := range pats {
		if p[k] >= 0 {
			return true
		}
	}
	return false
}

// estimateU compares random pairs (all pairs when there are few) and
// returns the level shares among them, smoothed so that no level has a
// share of 0, and per comparison the smallest share the smoothing allows.
func estimateU(ctx context.Context, ps []*Prepared, comps []Comparison, blocker *Blocker, s Settings) (u [][]float64, floor, present []float64, n int64, err error) {
	want := s.RandomPairs
	if want <= 0 {
		want = 300_000
	}
	// Choose the pairs first (the random sequence must not depend on
	// scheduling), then compare them on all cores; counts are sums, so the
	// result does not depend on the order either.
	all := possiblePairs(ps, s.Mode)
	pairs := make([][2]int32, 0, min(all, int64(want)))
	if all <= int64(want) {
		for i := range ps {
			if i%256 == 0 && ctx.Err() != nil {
				return nil, nil, nil, 0, ctx.Err()
			}
			for j := i + 1; j < len(ps); j++ {
				if blocker.wanted(ps[i], ps[j]) {
					pairs = append(pairs, [2]int32{int32(i), int32(j)})
				}
			}
		}
	} else {
		rng := rand.New(rand.NewPCG(s.Seed, 0x756e696679)) // "unify"
		tries := 0
		for len(pairs) < want && tries < 20*want {
			tries++
			if tries%65536 == 0 && ctx.Err() != nil {
				return nil, nil, nil, 0, ctx.Err()
			}
			i, j := rng.IntN(len(ps)), rng.IntN(len(ps))
			if i == j || !blocker.wanted(ps[i], ps[j]) {
				continue
			}
			pairs = append(pairs, [2]int32{int32(i), int32(j)})
		}
	}
	n = int64(len(pairs))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(pairs)/4096))
	parts := make([][][]float64, workers)
	var wg sync.WaitGroup
	chunk := (len(pairs) + workers - 1) / workers
	for w := range workers {
		wg.Go(func() {
			c := make([][]float64, len(comps))
			for i := range comps {
				c[i] = make([]float64, len(comps[i].Levels))
			}
			for _, pr := range pairs[min(w*chunk, len(pairs)):min((w+1)*chunk, len(pairs))] {
				a, b := ps[pr[0]], ps[pr[1]]
				for i := range comps {
					if l := comps[i].Compare(a, b); l >= 0 {
						c[i][l]++
					}
				}
			}
			parts[w] = c
		})
	}
	wg.Wait()
	counts := parts[0]
	for _, c := range parts[1:] {
		for i := range c {
			for l, v := range c[i] {
				counts[i][l] += v
			}
		}
	}
	u = make([][]float64, len(comps))
	floor = make([]float64, len(comps))
	present = make([]float64, len(comps))
	for i := range comps {
		var total float64
		for _, c := range counts[i] {
			total += c
		}
		if n > 0 {
			present[i] = total / float64(n)
		}
		u[i] = make([]float64, len(counts[i]))
		// Add half a pair to every level so unseen agreement levels get a
		// small but non-zero u.
		den := total + 0.5*float64(len(counts[i]))
		for l, c := range counts[i] {
			u[i][l] = (c + 0.5) / den
		}
		floor[i] = 0.5 / den
	}
	return u, floor, present, n, nil
}

// addRare counts n pairs of pattern pat in rare[k][r] (see twoHolderShare),
// making the maps as they are needed: most comparisons have no such pairs.
func addRare(rare [][]map[pattern]int64, k, r, rules int, pat pattern, n int64) {
	if rare[k] == nil {
		rare[k] = make([]map[pattern]int64, rules)
	}
	if rare[k][r] == nil {
		rare[k][r] = map[pattern]int64{}
	}
	rare[k][r][pat] += n
}

// twoHolderShare estimates, for a term-frequency comparison's default
// frequency, the share of non-matches among the pairs of records that
// agree on a value only the two of them hold. It reads the blocked pairs at
// the comparison's exact level on such values (pats, by rule, sampled at
// rate) and answers only when the blocks hold nearly all of them (values
// is how many values two records hold, one pair each): the email and phone
// rules block on the values those comparisons agree on; names' blocks
// hold a few of the pairs that agree on a name.
//
// Otherwise the default frequency takes the share correctU leaves, u/P with
// u = (P - prior*m)/(1 - prior). For an identifier P is mostly matches, so
// u is a small difference of two large numbers, which a prior a little too
// high sends to the floor of the random sample (about 1 in 300,000 pairs);
// that floor does not fall with the number of records. At 300k synthetic
// records it made agreeing on an email only two records hold 4.2 bits
// weaker than the truth, and the gap grew with the records. Here each
// blocked pair weighs its chance of being a non-match by its other
// comparisons (its rule's own fields hidden) at its rule's match share.
func twoHolderShare(pats []map[pattern]int64, values int, rate float64, ruleShare []float64, comps []Comparison, m, u [][]float64) (float64, bool) {
	if values == 0 || pats == nil || rate <= 0 {
		return 0, false
	}
	blocked, nonMatch := nonMatchPairs(pats, ruleShare, comps, m, u, -1)
	if blocked/rate < 0.9*float64(values) {
		return 0, false // the blocks miss many such pairs: they do not tell
	}
	return max(nonMatch, 0.5) / blocked, true
}

// nonMatchPairs returns how many pairs pats (by rule, each pair's rule's
// own fields hidden) hold, and how many of them are expected to be
// non-matches by their visible comparisons at their rule's match share.
func nonMatchPairs(pats []map[pattern]int64, ruleShare []float64, comps []Comparison, m, u [][]float64, skip int) (blocked, nonMatch float64) {
	for r, ps := range pats {
		share := ruleShare[r]
		if share <= 0 || share >= 1 {
			continue
		}
		for _, pc := range sortedPatterns(ps) { // sums in a fixed order: results must not depend on map order
			p, n := pc.pat, pc.n
			lm, lu := math.Log(share), math.Log(1-share)
			for k := range comps {
				if x := p[k]; x >= 0 && k != skip {
					lm += math.Log(m[k][x])
					lu += math.Log(u[k][x])
				}
			}
			blocked += float64(n)
			nonMatch += float64(n) / (1 + math.Exp(lm-lu))
		}
	}
	return blocked, nonMatch
}

// heldU sets the u of comparison k's held level (see heldLevel) from the
// blocks when that is lower than the random pairs' estimate. The level's
// non-matches are counted as two parts: the blocked pairs at the level
// (pats, by rule, sampled at rate), each weighed by its chance of being a
// non-match as in twoHolderShare but judged without comparison k; and
// every pair that shares the level's key but not the exact value and that
// the blocks do not hold (keyPairs, counted over all records, less
// keyBlocked, the sampled blocked ones), all taken for non-matches: at
// 300k synthetic records those are nearly all strangers whose numbers
// end alike. Over the pairs in which both records have a value (pairs),
// that is the level's u, or a little more: an unheld pair may be one
// person. The other levels are scaled to keep the sum at 1.
//
// At a level this rare, the random sample's estimate is its floor, which
// does not fall with the number of records: at 300k records 6.3e-6, where
// this count gives 5.8e-7 (and 6.0e-7 at 100k).
func heldU(u [][]float64, k int, pats []map[pattern]int64, rate float64, keyBlocked int64, keyPairs, pairs float64, ruleShare []float64, comps []Comparison, m [][]float64) {
	if rate <= 0 || pairs < 1 {
		return
	}
	held := float64(keyBlocked) / rate
	// Each pair is judged by its other comparisons: its agreement at this
	// level is what is being weighed.
	_, nonMatch := nonMatchPairs(pats, ruleShare, comps, m, u, k)
	l := comps[k].held.level
	est := max(nonMatch/rate+max(keyPairs-held, 0), 0.5) / pairs
	if est >= u[k][l] {
		return
	}
	rest := 1 - u[k][l]
	u[k][l] = est
	scale := (1 - est) / rest
	for j := range u[k] {
		if Level(j) != l {
			u[k][j] *= scale
		}
	}
}

// keyOnly reports whether a and b share h's key but not its exact value.
func keyOnly(h *heldLevel, a, b *Prepared) bool {
	ka := h.key(a)
	if ka == "" || ka != h.key(b) {
		return false
	}
	ea := h.exact(a)
	return ea == "" || ea != h.exact(b)
}

// keyOnlyPairs counts the pairs of records that share h's key but not its
// exact value: pairs sharing the key less pairs sharing the exact value
// (which share the key too).
func keyOnlyPairs(ps []*Prepared, h *heldLevel) float64 {
	seed := maphash.MakeSeed()
	keys := make([]uint64, 0, len(ps))
	exact := make([]uint64, 0, len(ps))
	for _, p := range ps {
		if k := h.key(p); k != "" {
			keys = append(keys, maphash.String(seed, k))
			if e := h.exact(p); e != "" {
				exact = append(exact, maphash.String(seed, e))
			}
		}
	}
	return sortedPairs(keys) - sortedPairs(exact)
}

// sortedPairs sorts hs and returns how many pairs of its elements are
// equal.
func sortedPairs(hs []uint64) float64 {
	slices.Sort(hs)
	var n float64
	for lo := 0; lo < len(hs); {
		hi := lo + 1
		for hi < len(hs) && hs[hi] == hs[lo] {
			hi++
		}
		c := float64(hi - lo)
		n += c * (c - 1) / 2
		lo = hi
	}
	return n
}

// correctU turns agreement shares among random pairs into agreement shares
// among non-matches, removing the matches' part: (P - prior*m)/(1 - prior),
// no lower than the floor, renormalized.
func correctU(agree, m [][]float64, prior float64, floor []float64) [][]float64 {
	u := make([][]float64, len(agree))
	for i := range agree {
		u[i] = make([]float64, len(agree[i]))
		var s float64
		for l := range agree[i] {
			u[i][l] = max((agree[i][l]-prior*m[i][l])/(1-prior), floor[i])
			s += u[i][l]
		}
		for l := range u[i] {
			u[i][l] /= s
		}
	}
	return u
}

// sortLinks orders links by descending probability, then by refs.
func sortLinks(links []Link) {
	slices.SortFunc(links, func(x, y Link) int {
		if c := cmp.Compare(y.Prob, x.Prob); c != 0 {
			return c
		}
		if c := x.A.Compare(y.A); c != 0 {
			return c
		}
		return x.B.Compare(y.B)
	})
}

// BlockingKeys returns the candidate-index keys of a prepared record: each
// blocking rule's keys, prefixed by the rule's name so that rules do not
// share keys. Two records are candidates when they share a key. An
// incremental index (a host's store, say) keeps these per record.
func (m *Matcher) BlockingKeys(p *Prepared) []string { return m.blocker.Keys(p) }

// Keys returns the candidate-index keys of a prepared record: each rule's
// keys prefixed by the rule's name, sorted and distinct.
func (b *Blocker) Keys(p *Prepared) []string {
	var out, buf []string
	for _, r := range b.Rules {
		buf = r.Keys(p, buf[:0])
		for _, k := range buf {
			out = append(out, r.Name+"\x1f"+k)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// MaxBlockSize returns the block size cap in use.
func (m *Matcher) MaxBlockSize() int {
	if m.blocker.MaxBlockSize > 0 {
		return m.blocker.MaxBlockSize
	}
	return DefaultMaxBlockSize
}

// MaxSingleKeyBlock returns the single-key block cap in use (see
// [Blocker.MaxSingleKeyBlock]), or 0 when there is none.
func (m *Matcher) MaxSingleKeyBlock() int { return m.blocker.singleKeyCap() }

// Rules returns the deterministic rules in use. The slice must not be
// modified.
func (m *Matcher) Rules() []Rule { return m.settings.Rules }

// Settings returns the settings in use, with defaults filled in.
func (m *Matcher) Settings() Settings { return m.settings }

// PriorWeight returns the prior's log2 odds: the weight of a pair about
// which the comparisons know nothing (every value missing on one side).
func (m *Matcher) PriorWeight() float64 { return m.sc.priorLogit }

// namesakePatterns returns the level patterns of pairs of records that
// share a name (group gives it, "" for none; all such pairs when there are
// few, else a sample seeded with salt), keeping those where a NameDerived
// comparison has data, with their counts, in a fixed order so that sums
// over them are reproducible. It returns nil when no comparison is
// NameDerived.
func namesakePatterns(ctx context.Context, ps []*Prepared, comps []Comparison, blocker *Blocker, s Settings, group func(*Prepared) string, salt uint64) ([]patternCount, error) {
	var derived []int
	for i, c := range comps {
		if c.NameDerived {
			derived = append(derived, i)
		}
	}
	if len(derived) == 0 {
		return nil, nil
	}
	sets := groupRecords(ps, group)
	// The sample must be reproducible: sets in order of their first record.
	slices.SortFunc(sets, func(x, y []int32) int { return int(x[0]) - int(y[0]) })
	cum := make([]int64, len(sets)) // cumulative pair counts, to draw a set by its pairs
	var total int64
	for k, g := range sets {
		total += int64(len(g)) * int64(len(g)-1) / 2
		cum[k] = total
	}
	pats := map[pattern]int64{}
	add := func(a, b *Prepared) bool {
		if !blocker.wanted(a, b) {
			return false
		}
		pat := comparePattern(comps, a, b, nil)
		for _, i := range derived {
			if pat[i] >= 0 {
				pats[pat]++
				return true
			}
		}
		return false
	}
	want := s.RandomPairs
	if want <= 0 {
		want = 300_000
	}
	want = max(want/3, 1)
	if total <= int64(want) {
		for k, g := range sets {
			if k%256 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			for x := range g {
				for y := x + 1; y < len(g); y++ {
					add(ps[g[x]], ps[g[y]])
				}
			}
		}
		return sortedPatterns(pats), nil
	}
	rng := rand.New(rand.NewPCG(s.Seed, salt))
	n, tries := 0, 0
	for n < want && tries < 20*want {
		tries++
		if tries%65536 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		k, _ := slices.BinarySearch(cum, rng.Int64N(total)+1)
		g := sets[k]
		x, y := rng.IntN(len(g)), rng.IntN(len(g))
		if x != y && add(ps[g[x]], ps[g[y]]) {
			n++
		}
	}
	return sortedPatterns(pats), ctx.Err()
}

// patternCount is a level pattern and how many pairs have it.
type patternCount struct {
	pat pattern
	n   int64
}

// sortedPatterns returns the patterns of pats in lexical order.
func sortedPatterns(pats map[pattern]int64) []patternCount {
	out := make([]patternCount, 0, len(pats))
	for p, n := range pats {
		out = append(out, patternCount{p, n})
	}
	slices.SortFunc(out, func(x, y patternCount) int { return slices.Compare(x.pat[:], y.pat[:]) })
	return out
}

// raiseNamesakeU raises u, in place, for the levels strictly between exact
// and else of each NameDerived comparison to their agreement share among
// the non-matches of the namesake pairs (see namesakePatterns), and
// renormalizes. A pair counts as a non-match with the probability the
// model gives it from every comparison but the NameDerived ones (an
// E-step with m and u fixed), so that namesakes' own duplicates, which
// often share an email, do not count. floor bounds each u from below as
// in estimateU.
func raiseNamesakeU(u, m [][]float64, prior float64, comps []Comparison, pats []patternCount, floor []float64) {
	ud := namesakeShares(u, m, prior, comps, pats, floor)
	if ud == nil {
		return
	}
	for i := range comps {
		if ud[i] == nil {
			continue
		}
		last := len(u[i]) - 1
		raised := false
		// Level 0 is exact, whose u term frequencies set; last is else.
		for l := 1; l < last; l++ {
			if ud[i][l] > u[i][l] {
				u[i][l] = ud[i][l]
				raised = true
			}
		}
		if !raised {
			continue
		}
		var sum float64
		for _, v := range u[i] {
			sum += v
		}
		for l := range u[i] {
			u[i][l] /= sum
		}
	}
}

// namesakeShares returns, for each NameDerived comparison, its level
// shares among the non-matches of the namesake pairs pats: each pair
// counts as a non-match with the probability the model gives it, from
// every comparison but the NameDerived ones at first and then with their
// last estimate too, as EM does (m fixed). It returns nil without pairs;
// other comparisons' entries are nil.
func namesakeShares(u, m [][]float64, prior float64, comps []Comparison, pats []patternCount, floor []float64) [][]float64 {
	ud, _ := namesakeSharesN(u, m, prior, comps, pats, floor)
	return ud
}

// namesakeSharesN is namesakeShares that also returns, per comparison, the
// (probability-weighted) number of non-matching pairs behind the shares.
func namesakeSharesN(u, m [][]float64, prior float64, comps []Comparison, pats []patternCount, floor []float64) (ud [][]float64, nonMatches []float64) {
	if len(pats) == 0 {
		return nil, nil
	}
	nonMatches = make([]float64, len(comps))
	derived := make([]bool, len(comps))
	for i, c := range comps {
		derived[i] = c.NameDerived
	}
	logit := math.Log(prior / (1 - prior))
	// ud is the u of the NameDerived comparisons under estimation; the
	// first round leaves their evidence out, later rounds use the last
	// round's estimate, as EM does.
	ud = make([][]float64, len(comps))
	for round := range 10 {
		counts := make([][]float64, len(comps))
		for i := range comps {
			if derived[i] {
				counts[i] = make([]float64, len(comps[i].Levels))
			}
		}
		for _, pc := range pats {
			pat, n := pc.pat, pc.n
			w := logit
			for k := range comps {
				l := pat[k]
				switch {
				case l < 0:
				case !derived[k]:
					w += math.Log(m[k][l] / u[k][l])
				case round == 0:
					w += math.Log(m[k][l] / u[k][l])
				default:
					w += math.Log(m[k][l] / ud[k][l])
				}
			}
			non := float64(n) / (1 + math.Exp(w)) // n * P(non-match)
			for k := range comps {
				if l := pat[k]; l >= 0 && derived[k] {
					counts[k][l] += non
				}
			}
		}
		for i := range comps {
			if !derived[i] {
				continue
			}
			var total float64
			for _, c := range counts[i] {
				total += c
			}
			// No smoothing: on a small sample it would raise u for
			// levels no namesake pair showed. u keeps the random pairs'
			// floor.
			ud[i] = make([]float64, len(counts[i]))
			for l, c := range counts[i] {
				ud[i][l] = max(c/max(total, 1), floor[i])
			}
			nonMatches[i] = total
		}
	}
	return ud, nonMatches
}

// dependencePriorPairs is the weight, in pairs, of the prior that shrinks
// an estimated dependence (the household U, a level's UNamesake) towards
// the unconditional u. It is a regularizer, not fitted: small next to the
// thousands of pairs a customer base with households and namesakes
// yields, large next to the handful a small benchmark has (fake_1000: 3.7
// households, about a dozen full namesakes).
const dependencePriorPairs = 10

// estimateHousehold estimates the household correction (see [Household])
// from blocked pair patterns, or returns nil when the comparisons have no
// family name or no household contact. Each pattern that shares a contact
// and compares family names counts as a non-match with the probability the
// model gives it without the family name.
func estimateHousehold(comps []Comparison, pats []patternCount, m, u [][]float64, prior float64) *Household {
	family := slices.IndexFunc(comps, func(c Comparison) bool { return c.Name == string(profile.FieldFamilyName) })
	if family < 0 {
		return nil
	}
	h := &Household{Family: comps[family].Name}
	contact := make([][]bool, len(comps))
	for i, c := range comps {
		if len(c.HouseholdContact) == 0 || i == family {
			continue
		}
		cl := ContactLevels{Comparison: c.Name}
		contact[i] = make([]bool, len(c.Levels))
		for _, l := range c.HouseholdContact {
			if l >= 0 && int(l) < len(c.Levels) {
				contact[i][l] = true
				cl.Levels = append(cl.Levels, int(l))
			}
		}
		h.Contacts = append(h.Contacts, cl)
	}
	if len(h.Contacts) == 0 {
		return nil
	}
	logit := math.Log2(prior / (1 - prior))
	levelNon := make([]float64, len(comps[family].Levels))
	for _, pc := range pats {
		if pc.pat[family] < 0 {
			continue
		}
		shared := false
		w := logit
		for k := range comps {
			l := pc.pat[k]
			if l < 0 || k == family {
				continue
			}
			shared = shared || contact[k] != nil && contact[k][l]
			w += math.Log2(m[k][l] / u[k][l])
		}
		if !shared {
			continue
		}
		non := float64(pc.n) / (1 + math.Exp2(w))
		h.NonMatches += non
		levelNon[pc.pat[family]] += non
	}
	// A prior worth dependencePriorPairs pairs at the unconditional u: with
	// few pairs to go on, U stays near it and the correction near none.
	h.LevelU = make([]float64, len(levelNon))
	for l, non := range levelNon {
		h.LevelU[l] = (non + dependencePriorPairs*u[family][l]) / (h.NonMatches + dependencePriorPairs)
	}
	h.U = h.LevelU[0]
	if h.U <= u[family][0] {
		// No dependence to correct: sharing a contact does not make
		// sharing a family name more likely. The partial levels are
		// households' too (one source misspelling the name), and alone
		// they are too few to tell a household from chance.
		return nil
	}
	// Housemates share one name, which sources misspell as they misspell
	// one person's: a partial level is at most as common, against the
	// exact one, among them as among matches. Beyond that, what the
	// estimate counts are matches the other fields could not show (heavily
	// corrupted records at one address), not housemates.
	for l := 1; l < len(h.LevelU)-1; l++ {
		if m[family][0] > 0 {
			h.LevelU[l] = max(u[family][l], min(h.LevelU[l], h.U*m[family][l]/m[family][0]))
		}
	}
	return h
}

// Forget returns a matcher whose model no longer lists any value the
// records ps hold, in its term-frequency tables or its joint name
// frequencies, and whether anything was removed. Erasing a person should
// leave nothing of them in a saved model; their values score with the
// default frequency from then on, as values seen in training by one or two
// records always do. m is unchanged.
func (m *Matcher) Forget(ps ...*Prepared) (*Matcher, bool) {
	old := m.sc.model
	md := *old
	md.Comparisons = slices.Clone(old.Comparisons)
	changed := false
	for i, c := range m.sc.comps {
		if c.TFValue == nil || len(old.Comparisons[i].TF) == 0 {
			continue
		}
		cloned := false
		for _, p := range ps {
			v := c.TFValue(p)
			if _, ok := md.Comparisons[i].TF[v]; !ok || v == "" {
				continue
			}
			if !cloned {
				md.Comparisons[i].TF = maps.Clone(old.Comparisons[i].TF)
				cloned = true
			}
			delete(md.Comparisons[i].TF, v)
			changed = true
		}
	}
	if j := old.JointTF; j != nil && m.sc.jointA >= 0 && m.sc.jointB >= 0 {
		gone := map[[2]string]bool{}
		for _, p := range ps {
			a, b := m.sc.comps[m.sc.jointA].TFValue(p), m.sc.comps[m.sc.jointB].TFValue(p)
			if a != "" && b != "" {
				gone[[2]string{a, b}] = true
			}
		}
		kept := slices.DeleteFunc(slices.Clone(j.Values), func(v JointValue) bool { return gone[[2]string{v.A, v.B}] })
		if len(kept) != len(j.Values) {
			md.JointTF = &JointTF{A: j.A, B: j.B, Values: kept}
			changed = true
		}
	}
	if !changed {
		return m, false
	}
	sc, err := newScorer(&md, m.sc.comps)
	if err != nil {
		// The model fitted these comparisons a moment ago and only lost
		// table entries.
		panic("match: Forget: " + err.Error())
	}
	return newMatcher(m.settings, sc), true
}

// jointNames counts how often the values of comparisons a and b (given and
// family name) occur together, over distinct (a, b, birth date) triples so
// that one person's duplicate records count once: the question is how
// often different people share the pair.
func jointNames(ps []*Prepared, a, b Comparison) *JointTF {
	type triple struct {
		a, b string
		dob  profile.Date
	}
	seen := map[triple]bool{}
	pairs := map[[2]string]int{}
	countA, countB := map[string]int{}, map[string]int{}
	for _, p := range ps {
		va, vb := a.TFValue(p), b.TFValue(p)
		if va == "" || vb == "" {
			continue
		}
		t := triple{va, vb, p.dob()}
		if seen[t] {
			continue
		}
		seen[t] = true
		pairs[[2]string{va, vb}]++
		countA[va]++
		countB[vb]++
	}
	total := float64(len(seen))
	joint := &JointTF{A: a.Name, B: b.Name}
	for k, n := range pairs {
		if n < minJointPeople {
			// Too few people to tell a lift from one person whose
			// records disagree on the birth date.
			continue
		}
		if lift := float64(n) * total / (float64(countA[k[0]]) * float64(countB[k[1]])); lift > 1 {
			joint.Values = append(joint.Values, JointValue{A: k[0], B: k[1], Lift: lift})
		}
	}
	slices.SortFunc(joint.Values, func(x, y JointValue) int {
		if c := strings.Compare(x.A, y.A); c != 0 {
			return c
		}
		return strings.Compare(x.B, y.B)
	})
	return joint
}

// runTasks runs independent tasks on up to GOMAXPROCS goroutines and waits
// for them.
func runTasks(tasks []func()) {
	par.Do(len(tasks), func(_, i int) { tasks[i]() })
}

// valueFrequencies corrects the term frequencies of one comparison for the
// matches among the records that hold each value. tf maps each value held
// by three or more of total records to (holders-1)/(total-1), the chance
// that another record holds it. scale is u/agree at the level: the share of
// agreeing record pairs that are non-matches. same is the expected number
// of a record's other holders that are the same person. def is the
// frequency of a value held by one or two records, already scaled.
//
// A value's other holders are partly the record's own person, and how many
// is not the same share for every value: a value held by a few records (an
// email, a rare surname) is mostly one person's, and a common one ("john")
// mostly other people's. So each value's frequency is corrected twice, by
// the share (the same part of every value's holders, as the level's u was)
// and by a count (same of its holders taken out), and takes the smaller
// frequency: the larger correction. The count is a typical person's, and a
// value held by many records is likelier held by a person with many
// records, which the share allows for.
//
// With the share alone, a person's email seen in their four records
// weighed two bits less than one seen in two, and at a million synthetic
// records an exact email alone fell below even odds. No frequency falls
// below def: values at it leave the table.
func valueFrequencies(tf map[string]float64, def float64, total int, scale, same float64) {
	n1 := float64(total - 1)
	for v, f := range tf {
		g := f * scale
		if same > 0 {
			g = min(g, (math.Round(f*n1)-same)/n1)
		}
		if g <= def {
			delete(tf, v)
		} else {
			tf[v] = g
		}
	}
}

// groupRecords returns the sets of two or more records of ps that share a
// non-empty group key, each in record order. It groups by sorting hashes
// rather than in a map of keys: at a million records the map of full names
// held about 60 MB (a slice and a built key per name) while training's
// blocks were live, which is when the engine's memory peaks.
func groupRecords(ps []*Prepared, group func(*Prepared) string) [][]int32 {
	seed := maphash.MakeSeed()
	return groupRecordsHash(ps, group, func(k string) uint64 { return maphash.String(seed, k) })
}

// groupRecordsHash is groupRecords with the key hash given, so that a test
// can make keys collide.
func groupRecordsHash(ps []*Prepared, group func(*Prepared) string, hash func(string) uint64) [][]int32 {
	type keyed struct {
		h uint64
		i int32
	}
	ks := make([]keyed, 0, len(ps))
	for i, p := range ps {
		if k := group(p); k != "" {
			ks = append(ks, keyed{hash(k), int32(i)})
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.h != b.h {
			return cmp.Compare(a.h, b.h)
		}
		return cmp.Compare(a.i, b.i)
	})
	idx := make([]int32, len(ks))
	for j, k := range ks {
		idx[j] = k.i
	}
	var sets [][]int32
	for lo := 0; lo < len(ks); {
		hi := lo + 1
		for hi < len(ks) && ks[hi].h == ks[lo].h {
			hi++
		}
		if hi-lo >= 2 {
			run := idx[lo:hi:hi]
			first := group(ps[run[0]])
			mixed := false
			for _, i := range run[1:] {
				if group(ps[i]) != first {
					mixed = true
					break
				}
			}
			if !mixed {
				sets = append(sets, run)
			} else {
				// Keys whose hashes collide: split the run by key, each part
				// still in record order (the sort is stable).
				slices.SortStableFunc(run, func(a, b int32) int { return strings.Compare(group(ps[a]), group(ps[b])) })
				for a := 0; a < len(run); {
					b := a + 1
					for b < len(run) && group(ps[run[b]]) == group(ps[run[a]]) {
						b++
					}
					if b-a >= 2 {
						sets = append(sets, run[a:b:b])
					}
					a = b
				}
			}
		}
		lo = hi
	}
	return sets
}
