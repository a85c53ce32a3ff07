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
	slices.SortFunc(recs, func(x, y *profile.Record) int { return x.Ref().Compare(y.Ref()) })
	idx := make(map[profile.Ref]int32, len(recs))
	refs := make([]profile.Ref, len(recs))
	for i, r := range recs {
		ref := r.Ref()
		if i > 0 && refs[i-1] == ref {
			return nil, fmt.Errorf("%w: %s is given twice", ErrDuplicateRecord, ref)
		}
		refs[i] = ref
		idx[ref] = int32(i)
	}

	edges := make([]cedge, 0, len(links))
	for i, l := range links {
		if err := l.check(); err != nil {
			return nil, fmt.Errorf("links[%d]: %w", i, err)
		}
		a, okA := idx[l.A]
		b, okB := idx[l.B]
		if !okA || !okB {
			missing := l.A
			if okA {
				missing = l.B
			}
			return nil, fmt.Errorf("%w: links[%d] names %s, which is not among the records", ErrUnknownRecord, i, missing)
		}
		if a > b {
			a, b = b, a
		}
		edges = append(edges, cedge{a: a, b: b, p: l.Prob, w: float32(l.Weight)})
	}
	slices.SortFunc(edges, func(x, y cedge) int {
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
	for i := 1; i < len(edges); i++ {
		if edges[i].a == edges[i-1].a && edges[i].b == edges[i-1].b {
			return nil, fmt.Errorf("%w: %s-%s is scored more than once", ErrDuplicateLink, refs[edges[i].a], refs[edges[i].b])
		}
	}

	// Components of the threshold graph.
	uf := NewUnionFind(len(refs))
	for _, e := range edges {
		if e.p >= cfg.threshold {
			uf.Union(e.a, e.b)
		}
	}
	labels := uf.Labels()

	detached := map[int32]bool{}
	var notSame [][2]int32
	for _, as := range assertions {
		as, err := as.normalized()
		if err != nil {
			return nil, err
		}
		a, okA := idx[as.A]
		if !okA {
			continue
		}
		if as.Kind == Detached {
			detached[a] = true
			continue
		}
		b, okB := idx[as.B]
		if okB && labels[a] == labels[b] {
			notSame = append(notSame, [2]int32{a, b}) // a < b: refs are in order
		}
	}
	slices.SortFunc(notSame, func(x, y [2]int32) int {
		if c := cmp.Compare(x[0], y[0]); c != 0 {
			return c
		}
		return cmp.Compare(x[1], y[1])
	})
	notSame = slices.Compact(notSame)

	// Group nodes, edges and assertions by component (counting sort by label).
	n := len(refs)
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
	compEdges := map[int32][]cedge{}
	for _, e := range edges {
		if la := labels[e.a]; la == labels[e.b] {
			compEdges[la] = append(compEdges[la], e)
		}
	}
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
		// members are in increasing global id, which is ref order.
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
				c.strong[i] = cfg.strongOf(recs[g])
			}
		}
		if cfg.distinct != nil {
			c.distinct = make([]int32, len(members))
			for i := range members {
				c.distinct[i] = distinctIndex(cfg, c.refs[i].Source)
			}
		}
		for _, e := range compEdges[l] {
			c.edges = append(c.edges, cedge{a: local[e.a], b: local[e.b], p: e.p, w: e.w})
		}
		for _, p := range compNS[l] {
			c.notSame = append(c.notSame, [2]int32{local[p[0]], local[p[1]]})
		}
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

func distinctIndex(cfg *config, source string) int32 {
	if i, ok := cfg.distinct[source]; ok {
		return i
	}
	return -1
}
