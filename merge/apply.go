package merge

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/unifyhq/unify/internal/par"
	"github.com/unifyhq/unify/profile"
)

// Apply makes the writes of a batch, all or none, and returns the changes to
// the profiles. Within a batch, deletions and erasures come first, then
// updates and additions, then links, then assertions and retractions. A
// record may appear in only one of Add, Update, Delete and Erase.
func (g *Graph) Apply(b Batch) ([]Change, error) {
	p, err := g.plan(&b)
	if err != nil {
		return nil, err
	}
	w := &write{g: g, old: map[*cluster]struct{}{}, deleted: map[int32]bool{}, updated: map[int32]bool{}}
	for _, ref := range b.Delete {
		w.remove(g.id(ref))
	}
	for _, ref := range b.Erase {
		w.remove(g.id(ref))
		w.erased = append(w.erased, ref)
	}
	for _, r := range b.Update {
		w.update(g.id(r.Ref()), r)
	}
	g.idx.reserve(len(b.Add))
	if n := len(b.Add); n > len(g.free) {
		// Room for the new nodes at once: appending a million one by one
		// copied the node array some twenty times.
		n -= len(g.free)
		g.nodes = slices.Grow(g.nodes, n)
		g.mark = slices.Grow(g.mark, n)
		g.tbits = slices.Grow(g.tbits, n/64+1)
	}
	for i, r := range b.Add {
		w.add(p.addIDs[i], p.addKeys[i], r)
	}
	w.links(b.Links, p)
	for _, a := range b.Assert {
		a, _ = a.normalized()
		w.assert(a)
	}
	for _, a := range b.Retract {
		a, _ = a.normalized()
		w.retract(a)
	}
	return w.finish(), nil
}

// Operations on a record within one batch.
const (
	opAdd = iota + 1
	opUpdate
	opDelete
)

// plan is a validated batch with its references resolved to node ids.
type plan struct {
	addIDs  []int32  // the slot each added record will take
	addKeys []refKey // each added record's index key, hashed once
	// linkIDs are the endpoints of each link; fresh says no earlier score
	// of the pair can exist (an endpoint is new or updated), so the link
	// is appended without looking for one to replace.
	linkIDs [][2]int32
	fresh   []bool
}

// plan checks a batch against the graph without changing anything, and
// resolves its references once for the writes that follow.
func (g *Graph) plan(b *Batch) (*plan, error) {
	p := &plan{}
	// The batch's own records, by ref key: value op<<32 | node id.
	nops := len(b.Add) + len(b.Update) + len(b.Delete) + len(b.Erase)
	ops := g.idx.sibling(nops)
	// claim names the batch entry (list[i]) only for an error: formatting
	// it for every record of a bulk load cost a million allocations.
	claim := func(k refKey, ref profile.Ref, op int, id int32, list string, i int) error {
		if v, ok := ops.getVal(k); ok {
			if int(v>>32) == op {
				return fmt.Errorf("%w: %s[%d]: %s is given twice", ErrDuplicateRecord, list, i, ref)
			}
			return fmt.Errorf("%w: %s[%d]: %s is also added, updated, deleted or erased in the batch", ErrConflict, list, i, ref)
		}
		ops.putVal(k, int64(op)<<32|int64(uint32(id)))
		return nil
	}
	opOf := func(ref profile.Ref) (op int, ok bool) {
		if ops.len() == 0 {
			return 0, false
		}
		v, ok := ops.getVal(g.idx.key(ref))
		return int(v >> 32), ok
	}
	checkRec := func(r profile.Packed, where string, i int) error {
		if r.IsZero() {
			return fmt.Errorf("%w: %s[%d] is empty (a nil record)", ErrInvalidRecord, where, i)
		}
		if ref := r.Ref(); ref.Source == "" || ref.Key == "" {
			return fmt.Errorf("%w: %s[%d] (%s) has an empty source or key", ErrInvalidRecord, where, i, ref)
		}
		return nil
	}
	// Slots for added records: freed ones first (most recently freed last
	// in the list, taken first), then new ones; see write.add.
	p.addIDs = make([]int32, len(b.Add))
	nf := len(g.free)
	for i := range b.Add {
		if i < nf {
			p.addIDs[i] = g.free[nf-1-i]
		} else {
			p.addIDs[i] = int32(len(g.nodes) + i - nf)
		}
	}
	p.addKeys = make([]refKey, len(b.Add))
	for i, r := range b.Add {
		if err := checkRec(r, "Add", i); err != nil {
			return nil, err
		}
		k := g.idx.key(r.Ref())
		if _, ok := g.idx.getKey(k); ok {
			return nil, fmt.Errorf("%w: Add[%d]: %s is already present; use Update", ErrDuplicateRecord, i, r.Ref())
		}
		if err := claim(k, r.Ref(), opAdd, p.addIDs[i], "Add", i); err != nil {
			return nil, err
		}
		p.addKeys[i] = k
	}
	for i, r := range b.Update {
		if err := checkRec(r, "Update", i); err != nil {
			return nil, err
		}
		k := g.idx.key(r.Ref())
		id, ok := g.idx.getKey(k)
		if !ok {
			return nil, fmt.Errorf("%w: Update[%d]: %s is not present; use Add", ErrUnknownRecord, i, r.Ref())
		}
		if err := claim(k, r.Ref(), opUpdate, id, "Update", i); err != nil {
			return nil, err
		}
	}
	for _, list := range []struct {
		name string
		refs []profile.Ref
	}{{"Delete", b.Delete}, {"Erase", b.Erase}} {
		for i, ref := range list.refs {
			k := g.idx.key(ref)
			id, ok := g.idx.getKey(k)
			if !ok {
				return nil, fmt.Errorf("%w: %s[%d]: %s is not present", ErrUnknownRecord, list.name, i, ref)
			}
			if err := claim(k, ref, opDelete, id, list.name, i); err != nil {
				return nil, err
			}
		}
	}
	// resolve returns the node a ref names after the batch, and whether an
	// earlier link of it may survive the batch (it is neither new nor
	// updated).
	resolveKey := func(k refKey) (id int32, old, ok bool) {
		if ops.len() > 0 {
			if v, ok := ops.getVal(k); ok {
				return int32(uint32(v)), false, v>>32 != opDelete
			}
		}
		id, ok = g.idx.getKey(k)
		return id, true, ok
	}
	resolve := func(ref profile.Ref) (id int32, old, ok bool) { return resolveKey(g.idx.key(ref)) }
	p.linkIDs = make([][2]int32, len(b.Links))
	p.fresh = make([]bool, len(b.Links))
	keys := make([]cedge, len(b.Links))
	// Hash a chunk of refs first, then look them all up: independent
	// lookups in a tight loop overlap their cache misses, which hashing
	// in between would prevent (several times faster on big batches).
	const chunk = 1024
	var hk [2 * chunk]refKey
	for i0 := 0; i0 < len(b.Links); i0 += chunk {
		ls := b.Links[i0:min(i0+chunk, len(b.Links))]
		for j, l := range ls {
			if err := l.check(); err != nil {
				return nil, fmt.Errorf("Links[%d]: %w", i0+j, err)
			}
			hk[2*j], hk[2*j+1] = g.idx.key(l.A), g.idx.key(l.B)
		}
		for j, l := range ls {
			a, oldA, okA := resolveKey(hk[2*j])
			c, oldC, okC := resolveKey(hk[2*j+1])
			if !okA || !okC {
				missing := l.A
				if okA {
					missing = l.B
				}
				return nil, fmt.Errorf("%w: Links[%d] names %s, which is not present after the batch", ErrUnknownRecord, i0+j, missing)
			}
			i := i0 + j
			p.linkIDs[i] = [2]int32{a, c}
			p.fresh[i] = !oldA || !oldC
			keys[i] = cedge{a: min(a, c), b: max(a, c), p: float64(i)}
		}
	}
	// A pair scored twice shows up as equal neighbours once sorted.
	sortEdges(keys)
	for i := 1; i < len(keys); i++ {
		if keys[i].a == keys[i-1].a && keys[i].b == keys[i-1].b {
			j := int(max(keys[i].p, keys[i-1].p))
			lo, hi := b.Links[j].pair()
			return nil, fmt.Errorf("%w: Links[%d]: %s-%s is scored more than once", ErrDuplicateLink, j, lo, hi)
		}
	}
	presentAfter := func(ref profile.Ref) bool {
		_, _, ok := resolve(ref)
		return ok
	}
	asserted := map[Assertion]struct{}{}
	for i, a := range b.Assert {
		a, err := a.normalized()
		if err != nil {
			return nil, fmt.Errorf("Assert[%d]: %w", i, err)
		}
		for _, ref := range []profile.Ref{a.A, a.B} {
			if ref != (profile.Ref{}) && !presentAfter(ref) {
				return nil, fmt.Errorf("%w: Assert[%d]: %s names %s, which is not present after the batch", ErrUnknownRecord, i, a, ref)
			}
		}
		asserted[a] = struct{}{}
	}
	retracted := map[Assertion]struct{}{}
	for i, a := range b.Retract {
		a, err := a.normalized()
		if err != nil {
			return nil, fmt.Errorf("Retract[%d]: %w", i, err)
		}
		if !g.holds(a) {
			return nil, fmt.Errorf("%w: Retract[%d]: %s was never asserted", ErrInvalidAssertion, i, a)
		}
		if _, ok := asserted[a]; ok {
			return nil, fmt.Errorf("%w: Retract[%d]: %s is also asserted in the batch", ErrConflict, i, a)
		}
		if _, ok := retracted[a]; ok {
			return nil, fmt.Errorf("%w: Retract[%d]: %s is retracted twice", ErrConflict, i, a)
		}
		for _, ref := range []profile.Ref{a.A, a.B} {
			if op, ok := opOf(ref); ok && op == opDelete && slices.Contains(b.Erase, ref) {
				return nil, fmt.Errorf("%w: Retract[%d]: %s names %s, which the batch erases (erasure drops it anyway)", ErrConflict, i, a, ref)
			}
		}
		retracted[a] = struct{}{}
	}
	return p, nil
}

// holds reports whether an assertion (normalized) is in force.
func (g *Graph) holds(a Assertion) bool {
	switch a.Kind {
	case NotSame:
		_, ok := g.notSame[[2]profile.Ref{a.A, a.B}]
		return ok
	case Detached:
		_, ok := g.detached[a.A]
		return ok
	}
	return false
}

// write is the state of one Apply between mutation and re-clustering.
type write struct {
	g       *Graph
	dirty   []int32               // nodes whose component must be re-clustered
	old     map[*cluster]struct{} // clusters that may change
	deleted map[int32]bool        // nodes removed in this write (slots not yet free)
	updated map[int32]bool        // nodes whose record is new
	erased  []profile.Ref
}

func (w *write) touch(i int32) {
	g := w.g
	if g.isTouched(i) {
		return
	}
	g.tbits[i>>6] |= 1 << (i & 63)
	w.dirty = append(w.dirty, i)
	if cl := g.nodes[i].cl; cl != nil {
		w.old[cl] = struct{}{}
	}
}

// isTouched reads the per-write touch bit of node i. The bits live in a
// dense bitset rather than in the nodes so that checking a link's two ends
// stays in cache on bulk loads.
func (g *Graph) isTouched(i int32) bool { return g.tbits[i>>6]&(1<<(i&63)) != 0 }

// dropEdges removes every link of node i, touching its neighbours.
// dropEdges removes every link of node i. Only neighbours joined to i at
// or above the threshold are touched: a weaker link mattered only inside
// i's component, and every part of that component holds a touched record
// (a strong neighbour of i, or i), so it is re-clustered anyway.
func (w *write) dropEdges(i int32) {
	g := w.g
	for _, e := range g.nodes[i].adj {
		if e.p >= g.cfg.threshold {
			w.touch(e.to)
		}
		nb := &g.nodes[e.to]
		for k := range nb.adj {
			if nb.adj[k].to == i {
				nb.adj[k] = nb.adj[len(nb.adj)-1]
				nb.adj = nb.adj[:len(nb.adj)-1]
				break
			}
		}
	}
	g.nodes[i].adj = nil
}

func (w *write) remove(i int32) {
	g := w.g
	w.touch(i)
	w.dropEdges(i)
	w.deleted[i] = true
	g.idx.del(g.ref(i))
}

func (w *write) update(i int32, r profile.Packed) {
	w.touch(i)
	w.dropEdges(i)
	n := &w.g.nodes[i]
	if n.rec != r {
		// A record replaced by an identical one is not an update: its
		// profile reports no change unless its members change.
		w.updated[i] = true
	}
	n.rec = r
	n.strong = w.g.cfg.strongOf(r)
}

// add puts a new record in slot i, which plan chose.
func (w *write) add(i int32, k refKey, r profile.Packed) {
	g := w.g
	if k := len(g.free); k > 0 && g.free[k-1] == i {
		g.free = g.free[:k-1]
	} else {
		for int(i) >= len(g.nodes) {
			g.nodes = append(g.nodes, node{})
			g.mark = append(g.mark, -1)
			if len(g.nodes) > 64*len(g.tbits) {
				g.tbits = append(g.tbits, 0)
			}
		}
	}
	g.nodes[i] = node{rec: r, strong: g.cfg.strongOf(r)}
	g.idx.putKey(k, i)
	w.touch(i)
	w.updated[i] = true
}

// links sets the scores of the batch's links, resolved by plan.
func (w *write) links(ls []Link, p *plan) {
	g := w.g
	var weak [][2]int32
	set := func(k int, l Link, strong bool) {
		a, b := p.linkIDs[k][0], p.linkIDs[k][1]
		if strong {
			w.touch(a)
			w.touch(b)
		} else {
			weak = append(weak, [2]int32{a, b})
		}
	}
	done := 0
	if len(ls) > 64 && len(ls) > len(g.nodes)/8 {
		// A large batch (a bulk load): lay the new links out like a CSR
		// build, in one allocation carved into every adjacency that grows.
		// Writing through a dense cursor per node, rather than appending
		// through each node's slice header, keeps the random accesses to
		// one small array: several times faster at ten million links, and
		// far less for the GC to track. Links that may replace an earlier
		// score take the general path below.
		cur := make([]int32, len(g.nodes))
		for k, ids := range p.linkIDs {
			if p.fresh[k] {
				cur[ids[0]]++
				cur[ids[1]]++
			}
		}
		total := 0
		for i, k := range cur {
			if k > 0 {
				total += len(g.nodes[i].adj) + int(k)
			}
		}
		arena := make([]edge, total)
		off := int32(0)
		for i, k := range cur {
			if k == 0 {
				continue
			}
			n := &g.nodes[i]
			m := int32(len(n.adj))
			copy(arena[off:], n.adj)
			n.adj = arena[off : off+m+k : off+m+k] // the new part is filled below
			cur[i] = off + m
			off += m + k
		}
		for k, l := range ls {
			if !p.fresh[k] {
				continue
			}
			a, b := p.linkIDs[k][0], p.linkIDs[k][1]
			arena[cur[a]] = edge{to: b, w: float32(l.Weight), p: l.Prob}
			cur[a]++
			arena[cur[b]] = edge{to: a, w: float32(l.Weight), p: l.Prob}
			cur[b]++
			set(k, l, l.Prob >= g.cfg.threshold)
			done++
		}
	}
	for k, l := range ls {
		if done > 0 && p.fresh[k] {
			continue
		}
		a, b := p.linkIDs[k][0], p.linkIDs[k][1]
		e := edge{w: float32(l.Weight), p: l.Prob}
		strong := l.Prob >= g.cfg.threshold
		for _, d := range [2][2]int32{{a, b}, {b, a}} {
			n := &g.nodes[d[0]]
			e.to = d[1]
			j := -1
			if !p.fresh[k] {
				j = slices.IndexFunc(n.adj, func(x edge) bool { return x.to == d[1] })
			}
			if j >= 0 {
				strong = strong || n.adj[j].p >= g.cfg.threshold // a strong link weakened
				n.adj[j] = e
			} else {
				n.adj = append(n.adj, e)
			}
		}
		set(k, l, strong)
	}
	// A link below the threshold changes nothing unless its records share
	// a component. When one of them is touched anyway, its component is
	// re-clustered and holds the other if they share one; otherwise touch
	// one of them to find out. This keeps a new record's weak links to
	// strangers (most of the pairs a blocker scores) from re-clustering the
	// strangers' profiles.
	for _, pr := range weak {
		if !g.isTouched(pr[0]) && !g.isTouched(pr[1]) {
			w.touch(pr[0])
		}
	}
}

func (w *write) touchRef(ref profile.Ref) {
	if i, ok := w.g.idx.get(ref); ok {
		w.touch(i)
	}
}

func (w *write) assert(a Assertion) {
	g := w.g
	switch a.Kind {
	case NotSame:
		k := [2]profile.Ref{a.A, a.B}
		if _, ok := g.notSame[k]; ok {
			return
		}
		g.notSame[k] = struct{}{}
		g.nsBy[a.A] = append(g.nsBy[a.A], a.B)
		g.nsBy[a.B] = append(g.nsBy[a.B], a.A)
		w.touchRef(a.A)
		w.touchRef(a.B)
	case Detached:
		g.detached[a.A] = struct{}{}
		w.touchRef(a.A)
	}
}

func (w *write) retract(a Assertion) {
	g := w.g
	switch a.Kind {
	case NotSame:
		g.dropNotSame(a.A, a.B)
		w.touchRef(a.A)
		w.touchRef(a.B)
	case Detached:
		delete(g.detached, a.A)
		w.touchRef(a.A)
	}
}

func (g *Graph) dropNotSame(a, b profile.Ref) {
	if b.Compare(a) < 0 {
		a, b = b, a
	}
	delete(g.notSame, [2]profile.Ref{a, b})
	for _, x := range [2][2]profile.Ref{{a, b}, {b, a}} {
		l := slices.DeleteFunc(g.nsBy[x[0]], func(r profile.Ref) bool { return r == x[1] })
		if len(l) == 0 {
			delete(g.nsBy, x[0])
		} else {
			g.nsBy[x[0]] = l
		}
	}
}

// finish re-clusters the touched components, assigns IDs, rebuilds golden
// values and returns the changes.
func (w *write) finish() []Change {
	g := w.g
	for _, i := range w.dirty {
		g.tbits[i>>6] &^= 1 << (i & 63) // ready for the next write
	}
	// The region: every component of the threshold graph holding a touched
	// record. Untouched components cannot change (see the package doc).
	var comps [][]int32
	var region []int32
	visit := func(start int32) {
		if g.mark[start] >= 0 {
			return
		}
		ci := int32(len(comps))
		c := []int32{start}
		g.mark[start] = ci
		for k := 0; k < len(c); k++ {
			for _, e := range g.nodes[c[k]].adj {
				if e.p >= g.cfg.threshold && g.mark[e.to] < 0 {
					g.mark[e.to] = ci
					c = append(c, e.to)
				}
			}
		}
		comps = append(comps, c)
		region = append(region, c...)
	}
	for _, i := range w.dirty {
		if !w.deleted[i] {
			visit(i)
		}
	}
	for _, i := range region {
		if cl := g.nodes[i].cl; cl != nil {
			w.old[cl] = struct{}{}
		}
	}
	olds := make([]*cluster, 0, len(w.old))
	for cl := range w.old {
		olds = append(olds, cl)
	}
	slices.SortFunc(olds, func(x, y *cluster) int { return cmp.Compare(x.id, y.id) })
	// Every surviving member of an old cluster lies in the region by
	// construction; visiting them anyway costs nothing when that holds and
	// keeps the result right if it ever did not.
	for _, cl := range olds {
		for _, m := range cl.members {
			if !w.deleted[m] {
				visit(m)
			}
		}
	}

	groups := g.solveComps(comps, len(region))
	par.Sort(groups, func(x, y []int32) int { return g.ref(x[0]).Compare(g.ref(y[0])) })
	for gi, gr := range groups {
		for _, x := range gr {
			g.mark[x] = int32(gi)
		}
	}
	changes := w.assign(olds, groups)
	for _, i := range region {
		g.mark[i] = -1
	}

	// Free the slots of removed records; erased ones leave nothing behind.
	for i := range w.deleted {
		g.nodes[i] = node{}
		g.free = append(g.free, i)
	}
	slices.Sort(g.free) // deterministic reuse order
	slices.Reverse(g.free)
	return changes
}

// parallelRegion is the number of records a write must re-cluster before
// solveComps spreads its components over the cores: below it, a worker's
// scratch (four bytes per record in the graph) costs more than it saves.
const parallelRegion = 1 << 16

// solveComps clusters each component (global node ids; n of them in all)
// and returns every cluster as a sorted list of global ids, components in
// order. Components are independent and each is solved from its canonical
// form, so spreading them over workers, each with its own solver and
// scratch, gives the same clusters. The graph is only read meanwhile, and
// Options.Score is safe for concurrent use.
func (g *Graph) solveComps(comps [][]int32, n int) [][]int32 {
	if par.Workers(len(comps)) <= 1 || n < g.parallelMin {
		var groups [][]int32
		for _, c := range comps {
			groups = append(groups, g.solveComp(&g.solver, c, g.mark)...)
		}
		return groups
	}
	out := make([][][]int32, len(comps))
	type scratch struct {
		s     *solver
		local []int32
	}
	scr := make([]scratch, par.Workers(len(comps)))
	// The first worker uses the graph's own solver and scratch.
	scr[0] = scratch{&g.solver, g.mark}
	par.Do(len(comps), func(w, ci int) {
		if scr[w].s == nil {
			// Garbage in local is harmless: buildComp checks membership
			// by order[local[x]] == x.
			scr[w] = scratch{&solver{cfg: g.cfg}, make([]int32, len(g.nodes))}
		}
		out[ci] = g.solveComp(scr[w].s, comps[ci], scr[w].local)
	})
	var groups [][]int32
	for _, o := range out {
		groups = append(groups, o...)
	}
	return groups
}

// solveComp runs the clustering procedure on one component (global node
// ids) with solver s and scratch local (see buildComp), and returns its
// clusters as sorted lists of global ids.
func (g *Graph) solveComp(s *solver, nodes []int32, local []int32) [][]int32 {
	if len(nodes) == 1 {
		return [][]int32{{nodes[0]}}
	}
	c, order := g.buildComp(nodes, local)
	groups := s.solve(c)
	for _, gr := range groups {
		for j, x := range gr {
			gr[j] = order[x] // local ids are in ref order, so gr stays sorted by ref
		}
	}
	return groups
}

// buildComp puts a component in canonical form and returns it with the
// global id of each local id. It uses local (one int32 per node) as scratch
// and restores it; with local nil it uses a map and changes nothing in the
// graph, for read-only callers.
func (g *Graph) buildComp(nodes []int32, local []int32) (*comp, []int32) {
	order := slices.Clone(nodes)
	slices.SortFunc(order, func(x, y int32) int { return g.ref(x).Compare(g.ref(y)) })
	var inComp func(x int32) (int32, bool)
	if local == nil {
		m := make(map[int32]int32, len(order))
		for i, x := range order {
			m[x] = int32(i)
		}
		inComp = func(x int32) (int32, bool) { l, ok := m[x]; return l, ok }
	} else {
		saved := make([]int32, len(order))
		for i, x := range order {
			saved[i] = local[x]
			local[x] = int32(i)
		}
		defer func() {
			for i, x := range order {
				local[x] = saved[i]
			}
		}()
		inComp = func(x int32) (int32, bool) {
			// local held -1 or a component index before; membership is
			// decided by order[local[x]] == x.
			l := local[x]
			return l, l >= 0 && int(l) < len(order) && order[l] == x
		}
	}
	n := len(order)
	c := &comp{refs: make([]profile.Ref, n), detached: make([]bool, n)}
	if len(g.cfg.strongIDs) > 0 {
		c.strong = make([][]strongSet, n)
	}
	if g.cfg.distinct != nil {
		c.distinct = make([]int32, n)
	}
	for i, x := range order {
		ref := g.ref(x)
		c.refs[i] = ref
		_, c.detached[i] = g.detached[ref]
		if c.strong != nil {
			c.strong[i] = g.nodes[x].strong
		}
		if c.distinct != nil {
			c.distinct[i] = distinctIndex(g.cfg, ref.Source)
		}
		for _, e := range g.nodes[x].adj {
			if l, ok := inComp(e.to); ok && int32(i) < l {
				c.edges = append(c.edges, cedge{a: int32(i), b: l, p: e.p, w: e.w})
			}
		}
		for _, partner := range g.nsBy[ref] {
			if pi, ok := g.idx.get(partner); ok {
				if l, ok := inComp(pi); ok && int32(i) < l {
					c.notSame = append(c.notSame, [2]int32{int32(i), l})
				}
			}
		}
	}
	sortEdges(c.edges)
	slices.SortFunc(c.notSame, comparePair)
	return c, order
}
