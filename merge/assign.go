package merge

import (
	"cmp"
	"slices"

	"github.com/unifyhq/unify/profile"
)

// share is how much of an old cluster a new cluster holds.
type share struct {
	group int
	count int
	first profile.Ref // the old cluster's smallest record in the group
}

// better reports whether share x ranks before y: more records, then the
// smaller first record.
func (x share) better(y share) bool {
	if x.count != y.count {
		return x.count > y.count
	}
	return x.first.Compare(y.first) < 0
}

// assign gives every new cluster an ID, following the rules in the package
// documentation ("Stable profile IDs"), rebuilds golden profiles, installs
// the clusters and returns the changes.
func (w *write) assign(olds []*cluster, groups [][]int32) []Change {
	g := w.g
	groupOf := make(map[int32]int, 64)
	for gi, gr := range groups {
		for _, x := range gr {
			groupOf[x] = gi
		}
	}

	// Where each old ID goes: the new cluster holding most of its surviving
	// records (ties: the one holding the smallest).
	type claim struct {
		cl    *cluster
		home  share
		parts []int // groups holding its survivors
	}
	claims := make([]claim, 0, len(olds))
	homes := make([][]int, len(groups)) // group -> indexes into claims
	var changes []Change
	for _, cl := range olds {
		delete(g.byID, cl.id)
		var shares []share
		for _, m := range cl.members {
			if w.deleted[m] {
				continue
			}
			gi := groupOf[m]
			k := slices.IndexFunc(shares, func(s share) bool { return s.group == gi })
			if k < 0 {
				// members are sorted, so the first seen is the smallest
				shares = append(shares, share{group: gi, first: g.ref(m)})
				k = len(shares) - 1
			}
			shares[k].count++
		}
		if len(shares) == 0 {
			changes = append(changes, Change{Kind: Deleted, ID: cl.id})
			g.dropAliasTree(cl.id)
			continue
		}
		home := shares[0]
		parts := make([]int, 0, len(shares))
		for _, s := range shares {
			if s.better(home) {
				home = s
			}
			parts = append(parts, s.group)
		}
		homes[home.group] = append(homes[home.group], len(claims))
		claims = append(claims, claim{cl: cl, home: home, parts: parts})
	}

	ids := make([]string, len(groups))
	created := make([]bool, len(groups))
	// Merges: of the IDs whose home is a group, the one bringing most
	// records (ties: the smallest record) survives; the others become its
	// aliases, anchored on the smallest record they brought.
	for gi := range groups {
		hs := homes[gi]
		if len(hs) == 0 {
			continue
		}
		best := hs[0]
		for _, k := range hs[1:] {
			if claims[k].home.better(claims[best].home) {
				best = k
			}
		}
		ids[gi] = claims[best].cl.id
		if len(hs) == 1 {
			continue
		}
		var from []string
		for _, k := range hs {
			if k != best {
				from = append(from, claims[k].cl.id)
			}
		}
		slices.Sort(from)
		for _, id := range from {
			k := slices.IndexFunc(hs, func(k int) bool { return claims[k].cl.id == id })
			g.addAlias(id, ids[gi], claims[hs[k]].home.first)
		}
		changes = append(changes, Change{Kind: Merged, ID: ids[gi], From: from})
	}
	for gi := range groups {
		if ids[gi] != "" {
			g.byID[ids[gi]] = nil // reserve; filled below
		}
	}
	// New clusters: take back the most recent alias anchored on one of
	// their records, else a new ID from the smallest record.
	for gi, gr := range groups {
		if ids[gi] != "" {
			continue
		}
		created[gi] = true
		var pick string
		var pickSeq uint64
		for _, x := range gr {
			for _, a := range g.anchored[g.ref(x)] {
				if s := g.aliases[a].seq; pick == "" || s > pickSeq {
					pick, pickSeq = a, s
				}
			}
		}
		if pick != "" {
			g.dropAlias(pick)
			ids[gi] = pick
		} else {
			anchor := g.ref(gr[0])
			for k := 0; ; k++ {
				id := deriveID(g.cfg.salt, anchor, k)
				_, used := g.byID[id]
				_, aliased := g.aliases[id]
				if !used && !aliased {
					ids[gi] = id
					g.maxK = max(g.maxK, k)
					break
				}
			}
		}
		g.byID[ids[gi]] = nil
	}
	// Splits.
	for _, c := range claims {
		if len(c.parts) < 2 {
			continue
		}
		into := make([]string, 0, len(c.parts))
		for _, gi := range c.parts {
			into = append(into, ids[gi])
		}
		slices.Sort(into)
		into = slices.Compact(into)
		if k := slices.Index(into, c.cl.id); k > 0 {
			into = slices.Insert(slices.Delete(into, k, k+1), 0, c.cl.id)
		}
		changes = append(changes, Change{Kind: Split, ID: c.cl.id, Into: into})
	}

	// Golden profiles. A cluster whose records and members are unchanged
	// keeps its profile as it is.
	prev := make(map[string]*cluster, len(olds))
	for _, cl := range olds {
		prev[cl.id] = cl
	}
	members := make([]*profile.Record, 0, 8)
	for gi, gr := range groups {
		id := ids[gi]
		cl := &cluster{id: id, members: gr}
		old := prev[id]
		if old != nil && slices.Equal(old.members, gr) && !w.anyUpdated(gr) {
			cl.prof = old.prof
		} else {
			members = members[:0]
			for _, x := range gr {
				members = append(members, g.nodes[x].rec)
			}
			cl.prof = g.surv.build(members)
			cl.prof.ID = id
		}
		g.byID[id] = cl
		for _, x := range gr {
			g.nodes[x].cl = cl
		}
		switch {
		case created[gi]:
			changes = append(changes, Change{Kind: Created, ID: id})
		case old == nil:
			// the ID was current before but its cluster is not among olds:
			// impossible, since every current ID in the region is an old one.
		case !sameProfile(&old.prof, &cl.prof):
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

// sameProfile reports whether two profiles have the same members and
// golden values.
func sameProfile(a, b *profile.Profile) bool {
	if !slices.Equal(a.Members, b.Members) || !a.Updated.Equal(b.Updated) || len(a.Fields) != len(b.Fields) {
		return false
	}
	for f, va := range a.Fields {
		vb, ok := b.Fields[f]
		if !ok || len(va) != len(vb) {
			return false
		}
		for i := range va {
			x, y := va[i], vb[i]
			if x.Value != y.Value || x.Raw != y.Raw || x.From != y.From || x.Rule != y.Rule || !x.Observed.Equal(y.Observed) {
				return false
			}
		}
	}
	return true
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
