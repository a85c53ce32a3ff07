package merge

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/unifyhq/unify/profile"
)

// ErrInvalidSnapshot reports a [Snapshot] that contradicts itself: a record
// in two profiles, an ID used twice, an alias that resolves nowhere.
var ErrInvalidSnapshot = errors.New("merge: invalid snapshot")

// Snapshot is the part of a Graph's state that is history rather than data:
// which ID each profile has, what each ID is anchored on, how long each
// record has held its profile's ID, and the aliases. Records, links and
// assertions are the host's to store; with them and a Snapshot, [Restore]
// rebuilds a Graph whose profiles keep their IDs and whose later splits and
// merges follow the same rules as if it had never stopped. A Snapshot is
// plain data and encodes to JSON.
type Snapshot struct {
	Profiles []SnapshotProfile `json:"profiles"`
	Aliases  []SnapshotAlias   `json:"aliases,omitempty"`
	// Counters the ID rules rely on.
	AliasSeq   uint64 `json:"alias_seq,omitempty"`
	Tick       uint64 `json:"tick,omitempty"`
	MaxCounter int    `json:"max_counter,omitempty"`
}

// SnapshotProfile is one profile's ID, anchor record and members.
type SnapshotProfile struct {
	ID      string           `json:"id"`
	Anchor  profile.Ref      `json:"anchor"`
	Members []SnapshotMember `json:"members"`
	// TakenFrom is the profile the ID was an alias of when a part of it
	// took the ID back; if the ID is left without a profile again, it
	// returns there. Empty for most profiles, and in snapshots written
	// before it was kept (the anchor rule then decides).
	TakenFrom string `json:"taken_from,omitempty"`
}

// SnapshotMember is a member record and the write at which it got the
// profile's ID (its tenure, which breaks ties between split parts).
type SnapshotMember struct {
	Ref    profile.Ref `json:"ref"`
	Joined uint64      `json:"joined,omitempty"`
}

// SnapshotAlias is an ID merged into Target, anchored on a record (zero
// once that record was erased).
type SnapshotAlias struct {
	ID     string      `json:"id"`
	Target string      `json:"target"`
	Anchor profile.Ref `json:"anchor,omitzero"`
	Seq    uint64      `json:"seq"`
}

// Snapshot returns the graph's ID history, sorted, for the host to store
// next to its records, links and assertions.
func (g *Graph) Snapshot() Snapshot {
	s := Snapshot{AliasSeq: g.seq, Tick: g.tick, MaxCounter: g.maxK}
	if len(g.byID) > 0 {
		s.Profiles = make([]SnapshotProfile, 0, len(g.byID))
	}
	// Every profile's members share one array: one allocation rather than
	// one a profile.
	members := make([]SnapshotMember, 0, g.idx.len())
	for _, cl := range g.byID {
		lo := len(members)
		for _, m := range cl.members {
			members = append(members, SnapshotMember{Ref: g.ref(m), Joined: g.nodes[m].joined})
		}
		s.Profiles = append(s.Profiles, SnapshotProfile{ID: cl.id, Anchor: cl.anchor, Members: members[lo:len(members):len(members)], TakenFrom: cl.takenFrom})
	}
	slices.SortFunc(s.Profiles, func(x, y SnapshotProfile) int { return strings.Compare(x.ID, y.ID) })
	for id, a := range g.aliases {
		s.Aliases = append(s.Aliases, SnapshotAlias{ID: id, Target: a.target, Anchor: a.anchor, Seq: a.seq})
	}
	slices.SortFunc(s.Aliases, func(x, y SnapshotAlias) int { return strings.Compare(x.ID, y.ID) })
	return s
}

// Restore rebuilds a Graph from the host's records, links and assertions
// and a Snapshot taken earlier. The profiles are clustered afresh and their
// IDs assigned from the snapshot by the usual rules, as if the snapshot's
// profiles were the state before one big write: when the data and options
// are what they were, every profile gets its old ID back and no change is
// reported; otherwise the changes say what moved (records added or deleted
// since, a new threshold). Assertions naming absent records are kept, as a
// Graph keeps them after a delete.
func Restore(opts Options, records []profile.Packed, links []Link, assertions []Assertion, snap Snapshot) (*Graph, []Change, error) {
	g, err := NewGraph(opts)
	if err != nil {
		return nil, nil, err
	}
	b := Batch{Add: records, Links: links}
	p, err := g.plan(&b)
	if err != nil {
		return nil, nil, err
	}
	// Check the snapshot before anything changes.
	members := map[profile.Ref]string{}
	ids := map[string]bool{}
	for _, sp := range snap.Profiles {
		if sp.ID == "" || ids[sp.ID] {
			return nil, nil, fmt.Errorf("%w: profile ID %q is empty or repeated", ErrInvalidSnapshot, sp.ID)
		}
		ids[sp.ID] = true
		for _, m := range sp.Members {
			if prev, dup := members[m.Ref]; dup {
				return nil, nil, fmt.Errorf("%w: %s is in profiles %s and %s", ErrInvalidSnapshot, m.Ref, prev, sp.ID)
			}
			members[m.Ref] = sp.ID
		}
	}
	aliasOf := map[string]SnapshotAlias{}
	for _, a := range snap.Aliases {
		if a.ID == "" || ids[a.ID] {
			return nil, nil, fmt.Errorf("%w: alias %q is empty or also a profile ID", ErrInvalidSnapshot, a.ID)
		}
		if _, dup := aliasOf[a.ID]; dup {
			return nil, nil, fmt.Errorf("%w: alias %q is repeated", ErrInvalidSnapshot, a.ID)
		}
		aliasOf[a.ID] = a
	}
	for _, a := range snap.Aliases {
		id, steps := a.ID, 0
		for !ids[id] {
			next, ok := aliasOf[id]
			if !ok || steps > len(aliasOf) {
				return nil, nil, fmt.Errorf("%w: alias %s does not resolve to a profile", ErrInvalidSnapshot, a.ID)
			}
			id, steps = next.Target, steps+1
		}
	}

	w := &write{g: g, old: map[*cluster]struct{}{}, deleted: map[int32]bool{}, updated: map[int32]bool{}}
	g.idx.reserve(len(b.Add))
	for i, r := range b.Add {
		w.add(p.addIDs[i], p.addKeys[i], r)
	}
	// The records are the snapshot's, not updates: a restored profile
	// changes only if its members do.
	clear(w.updated)
	w.links(b.Links, p)
	for _, a := range assertions {
		a, err := a.normalized()
		if err != nil {
			return nil, nil, err
		}
		w.assert(a)
	}
	// The snapshot's profiles become the state before this write.
	for _, sp := range snap.Profiles {
		cl := &cluster{id: sp.ID, anchor: sp.Anchor, takenFrom: sp.TakenFrom}
		for _, m := range sp.Members {
			if i, ok := g.idx.get(m.Ref); ok {
				cl.members = append(cl.members, i)
				g.nodes[i].cl = cl
				g.nodes[i].joined = m.Joined
			}
		}
		slices.SortFunc(cl.members, func(x, y int32) int { return g.ref(x).Compare(g.ref(y)) })
		g.byID[cl.id] = cl
		w.old[cl] = struct{}{}
	}
	for _, a := range snap.Aliases {
		g.aliases[a.ID] = &alias{target: a.Target, anchor: a.Anchor, seq: a.Seq}
		g.children[a.Target] = append(g.children[a.Target], a.ID)
		if a.Anchor != (profile.Ref{}) {
			g.anchored[a.Anchor] = append(g.anchored[a.Anchor], a.ID)
		}
	}
	g.seq, g.tick, g.maxK = snap.AliasSeq, snap.Tick, snap.MaxCounter
	changes := w.finish()
	return g, changes, nil
}
