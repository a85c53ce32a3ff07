package merge

import (
	"cmp"
	"slices"

	"github.com/unifyhq/unify/profile"
)

// share is how much of an old cluster a new cluster holds.
type share struct {
	group  int
	count  int
	anchor bool        // holds the old profile's anchor record
	tenure uint64      // when the longest-standing of these records got the old ID
	first  profile.Ref // the old cluster's smallest record in the group
	core   profile.Ref // its longest-standing record (then smallest)
}

// better reports whether share x ranks before y: more records, then holding
// the profile's anchor, then the longest-standing record, then the smaller
// first record. Splits and merges use the same order, so a merge undoes the
// split it reverses and the reverse.
func (x share) better(y share) bool {
	if x.count != y.count {
		return x.count > y.count
	}
	if x.anchor != y.anchor {
		return x.anchor
	}
	if x.tenure != y.tenure {
		return x.tenure < y.tenure
	}
	return x.first.Compare(y.first) < 0
}

// assign gives every new cluster an ID, following the rules in the package
// documentation ("Stable profile IDs"), rebuilds golden profiles, installs
// the clusters and returns the changes. g.mark holds each region node's
// group.
func (w *write) assign(olds []*cluster, groups [][]int32) []Change {
	g := w.g
	groupOf := g.mark // finish set it to each node's group

	// Where each old ID goes. Each ranks the new clusters holding its
	// surviving records by its share in them (share.better), and each new
	// cluster ranks the IDs offered to it by the same shares. Deferred
	// acceptance, with IDs proposing, gives every new cluster at most one
	// old ID: an ID keeps its largest part unless a profile with a better
	// claim takes that part, and then tries its next part. The outcome does
	// not depend on the order of proposals.
	type claim struct {
		cl     *cluster
		prefs  []share
		next   int
		anchor profile.Ref // its anchor if it survives, else its longest-standing record
	}
	claims := make([]claim, 0, len(olds))
	var changes []Change
	for _, cl := range olds {
		delete(g.byID, cl.id)
		var shares []share
		for _, m := range cl.members {
			if w.deleted[m] {
				continue
			}
			gi, j, r := int(groupOf[m]), g.nodes[m].joined, g.ref(m)
			k := slices.IndexFunc(shares, func(s share) bool { return s.group == gi })
			if k < 0 {
				// members are sorted, so the first seen is the smallest
				shares = append(shares, share{group: gi, first: r, tenure: j, core: r})
				k = len(shares) - 1
			}
			sh := &shares[k]
			sh.count++
			if j < sh.tenure {
				sh.tenure, sh.core = j, r
			}
			if r == cl.anchor {
				sh.anchor = true
			}
		}
		if len(shares) == 0 {
			changes = append(changes, Change{Kind: Deleted, ID: cl.id})
			g.dropAliasTree(cl.id)
			continue
		}
		c := claim{cl: cl}
		best := shares[0]
		for _, sh := range shares {
			if sh.anchor {
				c.anchor = cl.anchor
			}
			if sh.tenure < best.tenure || sh.tenure == best.tenure && sh.core.Compare(best.core) < 0 {
				best = sh
			}
		}
		if c.anchor == (profile.Ref{}) {
			c.anchor = best.core
		}
		slices.SortFunc(shares, func(x, y share) int {
			if x.better(y) {
				return -1
			}
			return 1
		})
		c.prefs = shares
		claims = append(claims, c)
	}
	holder := make([]int, len(groups))
	for i := range holder {
		holder[i] = -1
	}
	holderShare := make([]share, len(groups))
	queue := make([]int, len(claims))
	for k := range queue {
		queue[k] = k
	}
	var rejected []int
	for len(queue) > 0 {
		k := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		c := &claims[k]
		if c.next == len(c.prefs) {
			rejected = append(rejected, k)
			continue
		}
		s := c.prefs[c.next]
		c.next++
		switch cur := holder[s.group]; {
		case cur < 0:
			holder[s.group], holderShare[s.group] = k, s
		case s.better(holderShare[s.group]):
			holder[s.group], holderShare[s.group] = k, s
			queue = append(queue, cur)
		default:
			queue = append(queue, k)
		}
	}

	if len(g.byID) == 0 && len(groups) > 1024 {
		// A first bulk load: size the map once instead of growing it
		// through a million inserts.
		g.byID = make(map[string]*cluster, len(groups))
	}
	ids := make([]string, len(groups))
	anchors := make([]profile.Ref, len(groups))
	takenFrom := make([]string, len(groups))
	created := make([]bool, len(groups))
	for gi, k := range holder {
		if k >= 0 {
			ids[gi] = claims[k].cl.id
			takenFrom[gi] = claims[k].cl.takenFrom
			if sh := holderShare[gi]; sh.anchor {
				anchors[gi] = claims[k].cl.anchor
			} else {
				anchors[gi] = sh.core
			}
			g.byID[ids[gi]] = nil // reserve; filled below
		}
	}
	// New clusters: take back the most recent alias anchored on one of their
	// records, among the aliases of the profiles their records came from
	// (an alias goes back only to a part of the profile it merged into, as
	// the aliases stood before this write); else a new ID from the smallest
	// record.
	cameFrom := make([][]string, len(groups))
	for _, c := range claims {
		for _, s := range c.prefs {
			cameFrom[s.group] = append(cameFrom[s.group], c.cl.id)
		}
	}
	for gi, gr := range groups {
		if ids[gi] != "" {
			continue
		}
		created[gi] = true
		var pick string
		var pickSeq uint64
		for _, x := range gr {
			for _, a := range g.anchored[g.ref(x)] {
				if !slices.Contains(cameFrom[gi], g.root(a)) {
					continue
				}
				if s := g.aliases[a].seq; pick == "" || s > pickSeq {
					pick, pickSeq = a, s
				}
			}
		}
		if pick != "" {
			anchors[gi] = g.aliases[pick].anchor
			takenFrom[gi] = g.root(pick)
			g.dropAlias(pick)
			ids[gi] = pick
		} else {
			anchor := g.ref(gr[0])
			anchors[gi] = anchor
			for k := 0; ; k++ {
				id := deriveID(g.cfg.salt, anchor, k)
				_, used := g.byID[id]
				_, aliased := g.aliases[id]
				if !used && !aliased && !slices.ContainsFunc(rejected, func(k int) bool { return claims[k].cl.id == id }) {
					ids[gi] = id
					g.maxK = max(g.maxK, k)
					break
				}
			}
		}
		g.byID[ids[gi]] = nil
	}
	// IDs left without a cluster merged into the cluster holding most of
	// their records: they become aliases of its ID, anchored on their anchor
	// record (or, if it is gone, their longest-standing record), so a part
	// that splits off with it later takes the ID back. An ID a part took
	// back returns instead to the profile it was taken from, if a part of it
	// went there: undoing the split restores the aliases as they were.
	slices.SortFunc(rejected, func(x, y int) int { return cmp.Compare(claims[x].cl.id, claims[y].cl.id) })
	from := map[string][]string{}
	for _, k := range rejected {
		c := &claims[k]
		into := c.prefs[0]
		if c.cl.takenFrom != "" {
			for _, sh := range c.prefs {
				if ids[sh.group] == c.cl.takenFrom {
					into = sh
					break
				}
			}
		}
		target := ids[into.group]
		g.addAlias(c.cl.id, target, c.anchor)
		from[target] = append(from[target], c.cl.id)
	}
	for target, f := range from {
		changes = append(changes, Change{Kind: Merged, ID: target, From: f})
	}
	// Splits.
	for _, c := range claims {
		if len(c.prefs) < 2 {
			continue
		}
		into := make([]string, 0, len(c.prefs))
		for _, s := range c.prefs {
			into = append(into, ids[s.group])
		}
		slices.Sort(into)
		into = slices.Compact(into)
		if k := slices.Index(into, c.cl.id); k > 0 {
			into = slices.Insert(slices.Delete(into, k, k+1), 0, c.cl.id)
		}
		changes = append(changes, Change{Kind: Split, ID: c.cl.id, Into: into})
	}

	// Golden values are chosen when a profile is read (Graph.export), so a
	// profile whose members are the same records, none of them updated, is
	// unchanged; one whose members or their values changed is Updated, even
	// if its golden values come out the same.
	prev := make(map[string]*cluster, len(olds))
	for _, cl := range olds {
		prev[cl.id] = cl
	}
	g.tick++
	for gi, gr := range groups {
		id := ids[gi]
		for _, x := range gr {
			if n := &g.nodes[x]; n.cl == nil || n.cl.id != id {
				n.joined = g.tick
			}
		}
		cl := &cluster{id: id, members: gr, anchor: anchors[gi], takenFrom: takenFrom[gi]}
		g.byID[id] = cl
		for _, x := range gr {
			g.nodes[x].cl = cl
		}
		// old == nil cannot happen unless created: every current ID in the
		// region is an old one.
		if old := prev[id]; created[gi] {
			changes = append(changes, Change{Kind: Created, ID: id})
		} else if old != nil && (!slices.Equal(old.members, gr) || w.anyUpdated(gr)) {
			changes = append(changes, Change{Kind: Updated, ID: id})
		}
	}
	slices.SortFunc(changes, func(x, y Change) int {
		if c := cmp.Compare(x.Kind, y.Kind); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	for _, ref := range w.erased {
		g.forget(ref)
	}
	return changes
}

func (w *write) anyUpdated(gr []int32) bool {
	for _, x := range gr {
		if w.updated[x] {
			return true
		}
	}
	return false
}

// root follows an alias chain to its end.
func (g *Graph) root(id string) string {
	for {
		a, ok := g.aliases[id]
		if !ok {
			return id
		}
		id = a.target
	}
}

// addAlias makes id an alias of target.
func (g *Graph) addAlias(id, target string, anchor profile.Ref) {
	g.seq++
	g.aliases[id] = &alias{target: target, anchor: anchor, seq: g.seq}
	g.children[target] = append(g.children[target], id)
	g.anchored[anchor] = append(g.anchored[anchor], id)
}

// dropAlias removes alias id (it becomes current again, or goes); aliases
// pointing at it keep pointing at it.
func (g *Graph) dropAlias(id string) {
	a := g.aliases[id]
	delete(g.aliases, id)
	g.children[a.target] = deleteString(g.children[a.target], id)
	if len(g.children[a.target]) == 0 {
		delete(g.children, a.target)
	}
	if a.anchor != (profile.Ref{}) {
		g.anchored[a.anchor] = deleteString(g.anchored[a.anchor], id)
		if len(g.anchored[a.anchor]) == 0 {
			delete(g.anchored, a.anchor)
		}
	}
}

// dropAliasTree removes every alias that resolves to id, for a profile
// that is deleted.
func (g *Graph) dropAliasTree(id string) {
	for _, c := range slices.Clone(g.children[id]) {
		g.dropAliasTree(c)
		g.dropAlias(c)
	}
}

// forget removes what the graph still holds about an erased record beyond
// its node: assertions naming it, and the aliases it anchors or that were
// derived from its reference. Aliases pointing through a removed alias are
// re-pointed at its target, so they still resolve.
func (g *Graph) forget(ref profile.Ref) {
	for _, partner := range slices.Clone(g.nsBy[ref]) {
		g.dropNotSame(ref, partner)
	}
	delete(g.detached, ref)
	for _, id := range slices.Clone(g.anchored[ref]) {
		g.aliases[id].anchor = profile.Ref{}
	}
	delete(g.anchored, ref)
	for k := 0; k <= g.maxK; k++ {
		id := deriveID(g.cfg.salt, ref, k)
		a, ok := g.aliases[id]
		if !ok {
			continue
		}
		target := a.target
		kids := slices.Clone(g.children[id])
		g.dropAlias(id)
		delete(g.children, id)
		for _, c := range kids {
			g.aliases[c].target = target
			g.children[target] = append(g.children[target], c)
		}
	}
}

func deleteString(s []string, x string) []string {
	return slices.DeleteFunc(s, func(y string) bool { return y == x })
}
