package merge

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/unifyhq/unify/profile"
)

// Cluster partitions records into clusters in one batch: each cluster is a
// sorted list of refs, the clusters ordered by their first ref, and every
// record is in exactly one cluster (unlinked records are clusters of one).
// The result depends only on the records, links, assertions and options,
// never on the order they are given in, and equals what a [Graph] holds
// after any sequence of writes that ends with the same data.
//
// Every link must join two of the given records, and each pair may be
// scored once. Assertions naming records not given have no effect (a Graph
// keeps assertions about deleted records in case they come back).
func Cluster(records []*profile.Record, links []Link, assertions []Assertion, opts Options) ([][]profile.Ref, error) {
	cfg, err := opts.config()
	if err != nil {
		return nil, err
	}
	recs := make([]*profile.Record, 0, len(records))
	for i, r := range records {
		if r == nil {
			return nil, fmt.Errorf("%w: records[%d] is nil", ErrInvalidRecord, i)
		}
		if r.Source == "" || r.Key == "" {
			return nil, fmt.Errorf("%w: records[%d] (%s) has an empty source or key", ErrInvalidRecord, i, r.Ref())
		}
		recs = append(recs, r)
	}
	// Dense ids in input order; canonical (ref) order is restored per
	// component, which is cheaper than sorting every ref up front.
	idx := newRefIndex(len(recs))
	refs := make([]profile.Ref, len(recs))
	for i, r := range recs {
		ref := r.Ref()
		if _, dup := idx.get(ref); dup {
			return nil, fmt.Errorf("%w: %s is given twice", ErrDuplicateRecord, ref)
		}
		refs[i] = ref
		idx.put(ref, int32(i))
	}

	edges := make([]cedge, len(links))
	// Hash a chunk of refs, then look them all up: see Graph.plan.
	const chunk = 1024
	var hk [2 * chunk]refKey
	for i0 := 0; i0 < len(links); i0 += chunk {
		ls := links[i0:min(i0+chunk, len(links))]
		for j, l := range ls {
			if err := l.check(); err != nil {
				return nil, fmt.Errorf("links[%d]: %w", i0+j, err)
			}
			hk[2*j], hk[2*j+1] = idx.key(l.A), idx.key(l.B)
		}
		for j, l := range ls {
			a, okA := idx.getKey(hk[2*j])
			b, okB := idx.getKey(hk[2*j+1])
			if !okA || !okB {
				missing := l.A
				if okA {
					missing = l.B
				}
				return nil, fmt.Errorf("%w: links[%d] names %s, which is not among the records", ErrUnknownRecord, i0+j, missing)
			}
			edges[i0+j] = cedge{a: min(a, b), b: max(a, b), p: l.Prob, w: float32(l.Weight)}
		}
	}
	sortEdges(edges)
	for i := 1; i < len(edges); i++ {
		if edges[i].a == edges[i-1].a && edges[i].b == edges[i-1].b {
			x, y := refs[edges[i].a], refs[edges[i].b]
			if y.Compare(x) < 0 {
				x, y = y, x
			}
			return nil, fmt.Errorf("%w: %s-%s is scored more than once", ErrDuplicateLink, x, y)
		}
	}

	// Components of the threshold graph.
	n := len(refs)
	uf := NewUnionFind(n)
	for _, e := range edges {
		if e.p >= cfg.threshold {
			uf.Union(e.a, e.b)
		}
	}
	labels := uf.Labels()

	detached := map[int32]bool{}
	var notSame [][2]int32 // global ids, by component below
	for _, as := range assertions {
		as, err := as.normalized()
		if err != nil {
			return nil, err
		}
		a, okA := idx.get(as.A)
		if !okA {
			continue
		}
		if as.Kind == Detached {
			detached[a] = true
			continue
		}
		if b, okB := idx.get(as.B); okB && labels[a] == labels[b] {
			notSame = append(notSame, [2]int32{a, b})
		}
	}

	// Group nodes and the edges inside components by component, with
	// counting sorts: stable, so edges stay in (a, b) order.
	start := make([]int32, n+1)
	for _, l := range labels {
		start[l+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	order := make([]int32, n)
	cur := slices.Clone(start[:n])
	for i, l := range labels {
		order[cur[l]] = int32(i)
		cur[l]++
	}
	estart := make([]int32, n+1)
	inside := 0
	for _, e := range edges {
		if la := labels[e.a]; la == labels[e.b] {
			estart[la+1]++
			inside++
		}
	}
	for i := 1; i <= n; i++ {
		estart[i] += estart[i-1]
	}
	byComp := make([]cedge, inside)
	copy(cur, estart[:n])
	for _, e := range edges {
		if la := labels[e.a]; la == labels[e.b] {
			byComp[cur[la]] = e
			cur[la]++
		}
	}
	edges = nil // let the big slice go
	compNS := map[int32][][2]int32{}
	for _, p := range notSame {
		compNS[labels[p[0]]] = append(compNS[labels[p[0]]], p)
	}

	s := &solver{cfg: cfg}
	var out [][]profile.Ref
	local := make([]int32, n)
	for l := int32(0); l < int32(n); l++ {
		members := order[start[l]:start[l+1]]
		if len(members) == 0 {
			continue
		}
		if len(members) == 1 {
			out = append(out, []profile.Ref{refs[members[0]]})
			continue
		}
		// Canonical form: members in ref order, local ids by that order.
		slices.SortFunc(members, func(x, y int32) int { return refs[x].Compare(refs[y]) })
		c := &comp{
			refs:     make([]profile.Ref, len(members)),
			detached: make([]bool, len(members)),
		}
		for i, g := range members {
			local[g] = int32(i)
			c.refs[i] = refs[g]
			c.detached[i] = detached[g]
		}
		if len(cfg.strongIDs) > 0 {
			c.strong = make([][]strongSet, len(members))
			for i, g := range members {
				c.strong[i] = cfg.strongOfRecord(recs[g])
			}
		}
		if cfg.distinct != nil {
			c.distinct = make([]int32, len(members))
			for i := range members {
				c.distinct[i] = distinctIndex(cfg, c.refs[i].Source)
			}
		}
		ce := byComp[estart[l]:estart[l+1]]
		c.edges = make([]cedge, len(ce))
		for i, e := range ce {
			a, b := local[e.a], local[e.b]
			if a > b {
				a, b = b, a
			}
			c.edges[i] = cedge{a: a, b: b, p: e.p, w: e.w}
		}
		sortEdges(c.edges)
		for _, p := range compNS[l] {
			a, b := local[p[0]], local[p[1]]
			if a > b {
				a, b = b, a
			}
			c.notSame = append(c.notSame, [2]int32{a, b})
		}
		slices.SortFunc(c.notSame, comparePair)
		c.notSame = slices.Compact(c.notSame)
		for _, g := range s.solve(c) {
			cl := make([]profile.Ref, len(g))
			for i, x := range g {
				cl[i] = c.refs[x]
			}
			out = append(out, cl)
		}
	}
	slices.SortFunc(out, func(x, y []profile.Ref) int { return x[0].Compare(y[0]) })
	return out, nil
}

func comparePair(x, y [2]int32) int {
	if c := cmp.Compare(x[0], y[0]); c != 0 {
		return c
	}
	return cmp.Compare(x[1], y[1])
}

// sortEdges sorts edges by (a, b). Large slices use an LSD radix sort on
// the 64-bit key, which is several times faster than a comparison sort at
// ten million edges; the order is the same.
func sortEdges(edges []cedge) {
	if len(edges) < 1<<12 {
		slices.SortFunc(edges, func(x, y cedge) int {
			if c := cmp.Compare(x.a, y.a); c != 0 {
				return c
			}
			return cmp.Compare(x.b, y.b)
		})
		return
	}
	key := func(e *cedge) uint64 { return uint64(uint32(e.a))<<32 | uint64(uint32(e.b)) }
	tmp := make([]cedge, len(edges))
	src, dst := edges, tmp
	var count [1 << 16]int
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count[:])
		for i := range src {
			count[key(&src[i])>>shift&0xffff]++
		}
		if count[key(&src[0])>>shift&0xffff] == len(src) {
			continue // every key has this digit: the pass would not move anything
		}
		sum := 0
		for d := range count {
			count[d], sum = sum, sum+count[d]
		}
		for i := range src {
			d := key(&src[i]) >> shift & 0xffff
			dst[count[d]] = src[i]
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &edges[0] {
		copy(edges, src)
	}
}

func distinctIndex(cfg *config, source string) int32 {
	if i, ok := cfg.distinct[source]; ok {
		return i
	}
	return -1
}
