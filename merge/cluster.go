package merge

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/unifyhq/unify/profile"
)

// comp is one connected component of the threshold graph (records joined by
// links at or above the threshold) in canonical form: nodes in Ref order, so a
// local id's order is its ref's order, and edges sorted by (a, b). Batch and
// incremental clustering both build it and both run [solver.solve] on it, so
// their results agree whatever order the data came in.
type comp struct {
	refs     []profile.Ref
	strong   [][]strongSet // per node: the node's strong identifiers, nil if none
	distinct []int32       // per node: index of its source in DistinctSources, or -1
	detached []bool
	edges    []cedge    // every scored pair inside the component, a < b
	notSame  [][2]int32 // NotSame assertions inside the component, a < b
}

// cedge is a scored pair of local ids.
type cedge struct {
	a, b int32
	w    float32
	p    float64
}

// strongSet is one record's values of one strong identifier type.
type strongSet struct {
	typ  int // index into config.strongIDs
	vals []string
}

// strongOf extracts a packed record's strong identifiers; it decodes the
// record only when strong identifier types are configured.
func (c *config) strongOf(p profile.Packed) []strongSet {
	if len(c.strongIDs) == 0 || p.IsZero() {
		return nil
	}
	return c.strongOfRecord(p.Record())
}

// strongOfRecord extracts a record's strong identifiers, sorted by type then
// value.
func (c *config) strongOfRecord(r *profile.Record) []strongSet {
	if len(c.strongIDs) == 0 || r == nil {
		return nil
	}
	var out []strongSet
	for _, id := range r.IDs {
		if id.Value == "" {
			continue
		}
		t, ok := slices.BinarySearch(c.strongIDs, id.Type)
		if !ok {
			continue
		}
		i := slices.IndexFunc(out, func(s strongSet) bool { return s.typ == t })
		if i < 0 {
			out = append(out, strongSet{typ: t})
			i = len(out) - 1
		}
		if !slices.Contains(out[i].vals, id.Value) {
			out[i].vals = append(out[i].vals, id.Value)
		}
	}
	slices.SortFunc(out, func(x, y strongSet) int { return cmp.Compare(x.typ, y.typ) })
	for i := range out {
		slices.Sort(out[i].vals)
	}
	return out
}

// strongConflict reports whether two records hold disjoint values of some
// strong identifier type they both have.
func strongConflict(x, y []strongSet) bool {
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i].typ < y[j].typ:
			i++
		case x[i].typ > y[j].typ:
			j++
		default:
			if disjoint(x[i].vals, y[j].vals) {
				return true
			}
			i++
			j++
		}
	}
	return false
}

// disjoint reports whether two sorted string sets share no element.
func disjoint(a, b []string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := compareStr(a[i], b[j]); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			return false
		}
	}
	return true
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// solver runs the clustering procedure on components, reusing its scratch
// memory between calls. It is not safe for concurrent use.
type solver struct {
	cfg *config
	uf  UnionFind
	// members of each cluster as a linked list: head/tail at the root, next
	// per node, so joining two clusters is O(1).
	next, tail []int32
	// strong lists the members that hold strong identifiers, per root.
	strong [][]int32
	// srcs lists the distinct sources present, per root (sorted).
	srcs [][]int32
	// CSR adjacency of all scored pairs and of NotSame assertions.
	off, nbr    []int32
	prob        []float64
	weight      []float32
	nsOff, nsTo []int32
	cand        []int32 // candidate edge indexes
	pos         []int32
	// mark flags the nodes of the other cluster linked to the member in
	// hand; demand caches the pairs scored on demand in this solve.
	mark   []bool
	demand map[uint64]demandScore
	trace  func(d Decision, ra, rb int32) // ra, rb: the roots before the join
}

// demandScore is a pair scored on demand by Options.Score.
type demandScore struct {
	p  float64
	w  float32
	ok bool
}

// Reason says why the greedy procedure joined two clusters or refused to.
type Reason uint8

// The reasons a join is made or refused.
const (
	Joined                Reason = iota + 1 // the join was made
	SameCluster                             // the records were already together
	RefusedNotSame                          // a NotSame assertion spans the join
	RefusedDetached                         // one record is detached
	RefusedStrongID                         // two records hold disjoint values of a strong identifier
	RefusedDistinctSource                   // two records come from one deduplicated source
	RefusedVeto                             // a scored pair across the join vetoes it
	RefusedSize                             // the join would exceed MaxClusterSize
	RefusedCohesion                         // the scored pairs across the join average below Cohesion
	RefusedBridge                           // a lone weak link would join two groups
	RefusedMutualBest                       // the link is not mutual-best between its sources
)

var reasonNames = [...]string{
	Joined: "joined", SameCluster: "same_cluster", RefusedNotSame: "not_same",
	RefusedDetached: "detached", RefusedStrongID: "strong_id", RefusedDistinctSource: "distinct_source",
	RefusedVeto: "veto", RefusedSize: "max_cluster_size", RefusedCohesion: "cohesion",
	RefusedBridge: "weak_bridge", RefusedMutualBest: "mutual_best",
}

// String returns a short snake_case name such as "cohesion".
func (r Reason) String() string {
	if int(r) < len(reasonNames) && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// Decision is one step of the greedy procedure: a link at or above the
// threshold, considered in order, and what became of it.
type Decision struct {
	Link   Link
	Reason Reason
	// SizeA and SizeB are the sizes of the two clusters the link joined or
	// would have joined, before the join.
	SizeA, SizeB int
	// Pairs is the number of scored pairs across the join, Mean their
	// average probability and Strong how many of them reach the threshold.
	// They are zero when the join was refused before they were counted.
	Pairs  int
	Mean   float64
	Strong int
}

// solve partitions the component and returns the clusters as sorted lists of
// local ids, ordered by their first element.
func (s *solver) solve(c *comp) [][]int32 {
	n := len(c.refs)
	s.uf.Reset(n)
	if n == 1 {
		return [][]int32{{0}}
	}
	s.candidates(c)
	if s.cfg.score != nil {
		s.mark = growBool(s.mark, n)
		clear(s.mark[:n])
		if s.demand == nil {
			s.demand = map[uint64]demandScore{}
		}
		clear(s.demand)
	}
	if s.plain(c) {
		for _, e := range s.cand {
			s.uf.Union(c.edges[e].a, c.edges[e].b)
		}
		return s.groups(n)
	}
	s.prepare(c)
	for _, ei := range s.cand {
		e := &c.edges[ei]
		ra, rb := s.uf.Find(e.a), s.uf.Find(e.b)
		if ra == rb {
			s.emit(c, e, SameCluster, ra, rb, 0, 0, 0)
			continue
		}
		s.consider(c, e, ra, rb)
	}
	return s.groups(n)
}

// plain reports whether the component needs nothing but union-find:
// the Components method with no assertions in play and no trace wanted.
func (s *solver) plain(c *comp) bool {
	return s.cfg.method == Components && len(c.notSame) == 0 && !slices.Contains(c.detached, true) && s.trace == nil
}

// candidates fills s.cand with the edges that may join clusters, in the
// order the procedure considers them: probability descending, then (a, b),
// which is ref order. The order is total, so it never depends on input order.
func (s *solver) candidates(c *comp) {
	cfg := s.cfg
	s.cand = s.cand[:0]
	for i := range c.edges {
		e := &c.edges[i]
		if e.p < cfg.threshold {
			continue
		}
		if cfg.vetoes(e.p, e.w) {
			// A cannot-link, never a candidate; it still counts as a cross pair.
			if s.trace != nil {
				s.emit(c, e, RefusedVeto, e.a, e.b, 0, 0, 0)
			}
			continue
		}
		s.cand = append(s.cand, int32(i))
	}
	if cfg.method == Greedy && cfg.mutualBest {
		s.mutualBest(c)
	}
	if s.plain(c) {
		return // order does not matter to plain components
	}
	slices.SortFunc(s.cand, func(x, y int32) int {
		ex, ey := &c.edges[x], &c.edges[y]
		if ex.p != ey.p {
			if ex.p > ey.p {
				return -1
			}
			return 1
		}
		if ex.a != ey.a {
			return cmp.Compare(ex.a, ey.a)
		}
		return cmp.Compare(ex.b, ey.b)
	})
}

// mutualBest drops candidate links between records of two different
// distinct sources unless each is the other's best candidate into that
// source (probability, then the smaller local id, which is ref order).
func (s *solver) mutualBest(c *comp) {
	type key struct{ node, src int32 }
	best := map[key]int32{} // -> edge index
	better := func(x, y int32, node int32) bool {
		ex, ey := &c.edges[x], &c.edges[y]
		if ex.p != ey.p {
			return ex.p > ey.p
		}
		return other(ex, node) < other(ey, node)
	}
	cross := func(e *cedge) bool {
		sa, sb := c.distinct[e.a], c.distinct[e.b]
		return sa >= 0 && sb >= 0 && sa != sb
	}
	for _, ei := range s.cand {
		e := &c.edges[ei]
		if !cross(e) {
			continue
		}
		for _, k := range []key{{e.a, c.distinct[e.b]}, {e.b, c.distinct[e.a]}} {
			if cur, ok := best[k]; !ok || better(ei, cur, k.node) {
				best[k] = ei
			}
		}
	}
	kept := s.cand[:0]
	for _, ei := range s.cand {
		e := &c.edges[ei]
		if cross(e) && (best[key{e.a, c.distinct[e.b]}] != ei || best[key{e.b, c.distinct[e.a]}] != ei) {
			if s.trace != nil {
				s.emit(c, e, RefusedMutualBest, e.a, e.b, 0, 0, 0)
			}
			continue
		}
		kept = append(kept, ei)
	}
	s.cand = kept
}

func other(e *cedge, node int32) int32 {
	if e.a == node {
		return e.b
	}
	return e.a
}

// prepare builds the per-component structures the guards need.
func (s *solver) prepare(c *comp) {
	n := len(c.refs)
	s.next = grow(s.next, n)
	s.tail = grow(s.tail, n)
	for i := range n {
		s.next[i] = -1
		s.tail[i] = int32(i)
	}
	s.strong = growSlices(s.strong, n)
	s.srcs = growSlices(s.srcs, n)
	for i := range n {
		if c.strong != nil && len(c.strong[i]) > 0 {
			s.strong[i] = append(s.strong[i], int32(i))
		}
		if c.distinct != nil && c.distinct[i] >= 0 {
			s.srcs[i] = append(s.srcs[i], c.distinct[i])
		}
	}
	// CSR adjacency over all scored pairs, both directions, in edge order.
	s.off = grow(s.off, n+1)
	clear(s.off)
	for _, e := range c.edges {
		s.off[e.a+1]++
		s.off[e.b+1]++
	}
	for i := 1; i <= n; i++ {
		s.off[i] += s.off[i-1]
	}
	m := 2 * len(c.edges)
	s.nbr = grow(s.nbr, m)
	s.prob = growF64(s.prob, m)
	s.weight = growF32(s.weight, m)
	s.pos = grow(s.pos, n) // insertion cursor per node
	pos := s.pos
	copy(pos, s.off[:n])
	for _, e := range c.edges {
		for _, d := range [2][2]int32{{e.a, e.b}, {e.b, e.a}} {
			k := pos[d[0]]
			s.nbr[k], s.prob[k], s.weight[k] = d[1], e.p, e.w
			pos[d[0]]++
		}
	}
	s.nsOff = grow(s.nsOff, n+1)
	clear(s.nsOff)
	for _, p := range c.notSame {
		s.nsOff[p[0]+1]++
		s.nsOff[p[1]+1]++
	}
	for i := 1; i <= n; i++ {
		s.nsOff[i] += s.nsOff[i-1]
	}
	s.nsTo = grow(s.nsTo, 2*len(c.notSame))
	copy(pos, s.nsOff[:n])
	for _, p := range c.notSame {
		s.nsTo[pos[p[0]]] = p[1]
		pos[p[0]]++
		s.nsTo[pos[p[1]]] = p[0]
		pos[p[1]]++
	}
}

// consider checks one candidate join of the clusters rooted at ra and rb,
// and makes it if every guard allows.
func (s *solver) consider(c *comp, e *cedge, ra, rb int32) {
	cfg := s.cfg
	if c.detached[e.a] || c.detached[e.b] {
		s.emit(c, e, RefusedDetached, ra, rb, 0, 0, 0)
		return
	}
	// Walk the smaller cluster; members and pairs of the other are found by root.
	small, large := ra, rb
	if s.uf.size[small] > s.uf.size[large] {
		small, large = large, small
	}
	for m := small; m >= 0; m = s.next[m] {
		for k := s.nsOff[m]; k < s.nsOff[m+1]; k++ {
			if s.uf.Find(s.nsTo[k]) == large {
				s.emit(c, e, RefusedNotSame, ra, rb, 0, 0, 0)
				return
			}
		}
	}
	if cfg.method == Greedy {
		if cfg.maxSize > 0 && int(s.uf.size[ra]+s.uf.size[rb]) > cfg.maxSize {
			s.emit(c, e, RefusedSize, ra, rb, 0, 0, 0)
			return
		}
		if intersects(s.srcs[ra], s.srcs[rb]) {
			s.emit(c, e, RefusedDistinctSource, ra, rb, 0, 0, 0)
			return
		}
		for _, x := range s.strong[ra] {
			for _, y := range s.strong[rb] {
				if strongConflict(c.strong[x], c.strong[y]) {
					s.emit(c, e, RefusedStrongID, ra, rb, 0, 0, 0)
					return
				}
			}
		}
		pairs, strong := 0, 0
		var sum uint64
		for m := small; m >= 0; m = s.next[m] {
			for k := s.off[m]; k < s.off[m+1]; k++ {
				if s.uf.Find(s.nbr[k]) != large {
					continue
				}
				p := s.prob[k]
				if cfg.vetoes(p, s.weight[k]) {
					s.emit(c, e, RefusedVeto, ra, rb, 0, 0, 0)
					return
				}
				pairs++
				sum += fixed(p)
				if p >= cfg.threshold {
					strong++
				}
			}
		}
		if cfg.score != nil {
			// Score the unscored pairs across the join on demand.
			for m := small; m >= 0; m = s.next[m] {
				for k := s.off[m]; k < s.off[m+1]; k++ {
					if s.uf.Find(s.nbr[k]) == large {
						s.mark[s.nbr[k]] = true
					}
				}
				for y := large; y >= 0; y = s.next[y] {
					if s.mark[y] {
						continue
					}
					d := s.scoreOnDemand(c, m, y)
					if !d.ok {
						continue
					}
					if cfg.vetoes(d.p, d.w) {
						for k := s.off[m]; k < s.off[m+1]; k++ {
							s.mark[s.nbr[k]] = false
						}
						s.emit(c, e, RefusedVeto, ra, rb, 0, 0, 0)
						return
					}
					pairs++
					sum += fixed(d.p)
					if d.p >= cfg.threshold {
						strong++
					}
				}
				for k := s.off[m]; k < s.off[m+1]; k++ {
					s.mark[s.nbr[k]] = false
				}
			}
		}
		// pairs >= 1: the candidate itself. Sums are exact (fixed point), so
		// the verdict cannot depend on the order the pairs were added in.
		mean := float64(sum) / fixedOne / float64(pairs)
		if cfg.cohesion >= 0 && sum < fixed(cfg.cohesion)*uint64(pairs) {
			s.emit(c, e, RefusedCohesion, ra, rb, pairs, mean, strong)
			return
		}
		if cfg.bridge >= 0 && strong == 1 && e.p < cfg.bridge && s.uf.size[ra] >= 2 && s.uf.size[rb] >= 2 {
			s.emit(c, e, RefusedBridge, ra, rb, pairs, mean, strong)
			return
		}
		s.emit(c, e, Joined, ra, rb, pairs, mean, strong)
	} else {
		s.emit(c, e, Joined, ra, rb, 0, 0, 0)
	}
	root := s.uf.link(ra, rb)
	gone := ra
	if root == ra {
		gone = rb
	}
	s.next[s.tail[root]] = gone
	s.tail[root] = s.tail[gone]
	s.strong[root] = append(s.strong[root], s.strong[gone]...)
	s.strong[gone] = s.strong[gone][:0]
	if len(s.srcs[gone]) > 0 {
		s.srcs[root] = mergeSorted(s.srcs[root], s.srcs[gone])
		s.srcs[gone] = s.srcs[gone][:0]
	}
}

// scoreOnDemand scores the pair of local ids x and y with Options.Score,
// once per solve.
func (s *solver) scoreOnDemand(c *comp, x, y int32) demandScore {
	if x > y {
		x, y = y, x
	}
	key := uint64(uint32(x))<<32 | uint64(uint32(y))
	if d, ok := s.demand[key]; ok {
		return d
	}
	p, w, ok := s.cfg.score(c.refs[x], c.refs[y])
	d := demandScore{p: p, w: float32(max(min(w, math.MaxFloat32), -math.MaxFloat32)), ok: ok}
	s.demand[key] = d
	return d
}

func (s *solver) emit(c *comp, e *cedge, r Reason, ra, rb int32, pairs int, mean float64, strong int) {
	if s.trace == nil {
		return
	}
	ra, rb = s.uf.Find(ra), s.uf.Find(rb)
	s.trace(Decision{
		Link:   Link{A: c.refs[e.a], B: c.refs[e.b], Prob: e.p, Weight: float64(e.w)},
		Reason: r,
		SizeA:  int(s.uf.size[ra]), SizeB: int(s.uf.size[rb]),
		Pairs: pairs, Mean: mean, Strong: strong,
	}, ra, rb)
}

// groups returns the clusters as sorted lists of local ids, ordered by their
// first (smallest) element.
func (s *solver) groups(n int) [][]int32 {
	labels := s.uf.Labels()
	count := make([]int32, n)
	for _, l := range labels {
		count[l]++
	}
	var out [][]int32
	slot := make([]int32, n)
	for i, l := range labels {
		if int32(i) == l {
			slot[i] = int32(len(out))
			out = append(out, make([]int32, 0, count[i]))
		}
		out[slot[l]] = append(out[slot[l]], int32(i))
	}
	return out
}

// fixedOne is 1.0 in the fixed-point form of probabilities used for sums:
// 2^32 steps, a resolution of 2.3e-10, and room for 2^31 pairs in a uint64.
const fixedOne = 1 << 32

// fixed converts a probability in [0, 1] to fixed point.
func fixed(p float64) uint64 { return uint64(math.Round(p * fixedOne)) }

// intersects reports whether two sorted int32 sets share an element.
func intersects(a, b []int32) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			return true
		}
	}
	return false
}

// mergeSorted returns the sorted union of two sorted sets, reusing a.
func mergeSorted(a, b []int32) []int32 {
	for _, x := range b {
		i, ok := slices.BinarySearch(a, x)
		if !ok {
			a = slices.Insert(a, i, x)
		}
	}
	return a
}

func grow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

func growBool(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	return s[:n]
}

func growF64(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func growF32(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

func growSlices(s [][]int32, n int) [][]int32 {
	if cap(s) < n {
		s = append(s[:cap(s)], make([][]int32, n-cap(s))...)
	}
	s = s[:n]
	for i := range s {
		s[i] = s[i][:0]
	}
	return s
}
