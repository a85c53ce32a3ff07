package merge

import (
	"cmp"
	"iter"
	"maps"
	"slices"

	"github.com/unifyhq/unify/profile"
)

// Graph holds records, the links scored between them, assertions, and the
// profiles they make, and keeps the profiles up to date as records come and
// go. Each write re-clusters only the connected components of the threshold
// graph (records joined by links at or above the threshold) that the write
// touched, with the same procedure a batch [Cluster] runs on every
// component, so the profiles always equal a batch run over the same data
// whatever order the writes came in.
//
// A Graph is not safe for concurrent use. Methods that only read (Profile,
// ProfileOf, Resolve, Profiles, Clusters, Record, Links, Assertions, Len,
// Explain, Snapshot) may run concurrently with each other, but not with a
// write; a host that shares a Graph guards it with a sync.RWMutex.
//
// The Graph holds records packed ([profile.Packed]): a record handed to
// Add or Update is copied, and Record returns a copy.
type Graph struct {
	cfg  *config
	surv *survivor

	idx   refIndex
	nodes []node
	free  []int32

	byID     map[string]*cluster
	aliases  map[string]*alias
	children map[string][]string      // ID -> aliases pointing directly at it
	anchored map[profile.Ref][]string // anchor record -> aliases anchored on it
	seq      uint64                   // alias sequence
	tick     uint64                   // write counter, for tenure
	maxK     int                      // highest collision counter used in an ID

	notSame  map[[2]profile.Ref]struct{}
	nsBy     map[profile.Ref][]profile.Ref
	detached map[profile.Ref]struct{}

	solver solver
	mark   []int32  // scratch per node, -1 when unused
	tbits  []uint64 // per node: touched by the write in progress
	// parallelMin is the number of records a write must re-cluster before
	// its components are solved on several cores; tests lower it.
	parallelMin int
}

type node struct {
	rec    profile.Packed // zero when the slot is free
	adj    []edge
	cl     *cluster
	strong []strongSet
	joined uint64 // the write at which the record got its profile's current ID
}

type edge struct {
	to int32
	w  float32
	p  float64
}

type cluster struct {
	id      string
	members []int32 // sorted by ref
	// anchor is the record the ID stands for: the record it was derived
	// from, or the one that took it back; on a tied split the part holding
	// it keeps the ID.
	anchor profile.Ref
	// takenFrom is the profile the ID was an alias of when a part took it
	// back; when the ID is left without a cluster again it returns there,
	// so undoing a split restores the aliases as they were. Snapshots keep
	// it (SnapshotProfile.TakenFrom), so a restored graph goes on as the
	// original would.
	takenFrom string
}

// alias is an ID that was merged into another and still resolves to it.
type alias struct {
	target string
	// anchor is the smallest record the aliased profile brought into the
	// merge; a part that splits off holding it takes the ID back. Zero once
	// that record is erased.
	anchor profile.Ref
	seq    uint64
}

// NewGraph returns an empty Graph. The error wraps [ErrInvalidOptions].
func NewGraph(opts Options) (*Graph, error) {
	cfg, err := opts.config()
	if err != nil {
		return nil, err
	}
	return &Graph{
		cfg:      cfg,
		surv:     cfg.surv,
		idx:      newRefIndex(0),
		byID:     map[string]*cluster{},
		aliases:  map[string]*alias{},
		children: map[string][]string{},
		anchored: map[profile.Ref][]string{},
		notSame:  map[[2]profile.Ref]struct{}{},
		nsBy:     map[profile.Ref][]profile.Ref{},
		detached: map[profile.Ref]struct{}{},
		solver:   solver{cfg: cfg},

		parallelMin: parallelRegion,
	}, nil
}

// Batch is a set of writes applied together by [Graph.Apply]: either all of
// them or, on error, none.
type Batch struct {
	// Add holds new records, packed ([profile.Pack]).
	Add []profile.Packed
	// Update holds new versions of present records, packed. Their old
	// links are dropped, since the scores were for the old values: give
	// their new links in Links.
	Update []profile.Packed
	// Delete removes records and their links. Assertions naming them are
	// kept, in case the records come back.
	Delete []profile.Ref
	// Erase forgets records entirely: links, contributions to golden
	// values, assertions and alias IDs anchored on them.
	Erase []profile.Ref
	// Links sets the score of record pairs, replacing any earlier score of
	// the same pair. Both records must be present after the batch.
	Links []Link
	// Assert adds assertions; Retract withdraws assertions made earlier.
	Assert, Retract []Assertion
}

// Add adds new records with the links scored for them.
func (g *Graph) Add(records []*profile.Record, links []Link) ([]Change, error) {
	return g.Apply(Batch{Add: packAll(records), Links: links})
}

// Update replaces present records; their old links are dropped and links
// gives their new ones.
func (g *Graph) Update(records []*profile.Record, links []Link) ([]Change, error) {
	return g.Apply(Batch{Update: packAll(records), Links: links})
}

// packAll packs records; a nil record packs to the zero Packed, which Apply
// refuses.
func packAll(records []*profile.Record) []profile.Packed {
	ps := make([]profile.Packed, len(records))
	for i, r := range records {
		ps[i] = profile.Pack(r)
	}
	return ps
}

// Delete removes records and their links.
func (g *Graph) Delete(refs ...profile.Ref) ([]Change, error) { return g.Apply(Batch{Delete: refs}) }

// Erase forgets records: see [Batch].Erase and the package documentation,
// section "Erasure".
func (g *Graph) Erase(refs ...profile.Ref) ([]Change, error) { return g.Apply(Batch{Erase: refs}) }

// SetLinks sets the scores of pairs of present records (after a model is
// retrained, say), replacing earlier scores of the same pairs.
func (g *Graph) SetLinks(links ...Link) ([]Change, error) { return g.Apply(Batch{Links: links}) }

// Assert records assertions (see [AssertNotSame], [AssertDetached]) and
// splits the profiles they contradict. Asserting what is already asserted
// is not an error.
func (g *Graph) Assert(as ...Assertion) ([]Change, error) { return g.Apply(Batch{Assert: as}) }

// Retract withdraws assertions; the records may merge again.
func (g *Graph) Retract(as ...Assertion) ([]Change, error) { return g.Apply(Batch{Retract: as}) }

// Len returns the number of records.
func (g *Graph) Len() int { return g.idx.len() }

// Record returns a copy of the record held for ref.
func (g *Graph) Record(ref profile.Ref) (*profile.Record, bool) {
	i, ok := g.idx.get(ref)
	if !ok {
		return nil, false
	}
	return g.nodes[i].rec.Record(), true
}

// Has reports whether the graph holds a record for ref.
func (g *Graph) Has(ref profile.Ref) bool {
	_, ok := g.idx.get(ref)
	return ok
}

// Links returns the scored links of a record, sorted by the other record.
// Weights are returned as stored (float32 precision).
func (g *Graph) Links(ref profile.Ref) []Link {
	i, ok := g.idx.get(ref)
	if !ok {
		return nil
	}
	out := make([]Link, 0, len(g.nodes[i].adj))
	for _, e := range g.nodes[i].adj {
		out = append(out, Link{A: ref, B: g.nodes[e.to].rec.Ref(), Prob: e.p, Weight: float64(e.w)})
	}
	slices.SortFunc(out, func(x, y Link) int { return x.B.Compare(y.B) })
	return out
}

// Assertions returns the assertions in force, sorted.
func (g *Graph) Assertions() []Assertion {
	out := make([]Assertion, 0, len(g.notSame)+len(g.detached))
	for p := range g.notSame {
		out = append(out, Assertion{Kind: NotSame, A: p[0], B: p[1]})
	}
	for r := range g.detached {
		out = append(out, AssertDetached(r))
	}
	slices.SortFunc(out, compareAssertion)
	return out
}

func compareAssertion(x, y Assertion) int {
	if c := cmp.Compare(x.Kind, y.Kind); c != 0 {
		return c
	}
	if c := x.A.Compare(y.A); c != 0 {
		return c
	}
	return x.B.Compare(y.B)
}

// Resolve returns the current ID for id: id itself when it names a
// profile, the profile it was merged into when it is an alias.
func (g *Graph) Resolve(id string) (string, bool) {
	for range len(g.aliases) + 1 {
		if _, ok := g.byID[id]; ok {
			return id, true
		}
		a, ok := g.aliases[id]
		if !ok {
			return "", false
		}
		id = a.target
	}
	return "", false // unreachable: alias chains are acyclic
}

// Profile returns the profile with the given ID or alias. The graph keeps
// clusters, not golden values: each call chooses them from the members
// (a few microseconds for a profile of three records), so the result is
// the caller's to keep and modify.
func (g *Graph) Profile(id string) (profile.Profile, bool) {
	cur, ok := g.Resolve(id)
	if !ok {
		return profile.Profile{}, false
	}
	return g.export(g.byID[cur]), true
}

// ProfileOf returns the profile that holds the record. Like [Graph.Profile],
// the result is the caller's.
func (g *Graph) ProfileOf(ref profile.Ref) (profile.Profile, bool) {
	i, ok := g.idx.get(ref)
	if !ok {
		return profile.Profile{}, false
	}
	return g.export(g.nodes[i].cl), true
}

// ProfileIDOf returns the ID of the profile that holds the record. Unlike
// [Graph.ProfileOf] it chooses no golden values, and it does not allocate.
func (g *Graph) ProfileIDOf(ref profile.Ref) (string, bool) {
	i, ok := g.idx.get(ref)
	if !ok {
		return "", false
	}
	return g.nodes[i].cl.id, true
}

// Members returns the member records of a profile, by ID or alias, in
// [profile.Ref.Compare] order, as [Graph.Profile] lists them, without
// choosing golden values.
func (g *Graph) Members(id string) ([]profile.Ref, bool) {
	cur, ok := g.Resolve(id)
	if !ok {
		return nil, false
	}
	cl := g.byID[cur]
	refs := make([]profile.Ref, len(cl.members))
	for i, x := range cl.members {
		refs[i] = g.ref(x)
	}
	return refs, true
}

// IDs returns the ID of every profile, sorted.
func (g *Graph) IDs() []string {
	return slices.Sorted(maps.Keys(g.byID))
}

// NumProfiles returns the number of profiles.
func (g *Graph) NumProfiles() int { return len(g.byID) }

// Profiles yields every profile, in ID order. Like [Graph.Profile], each is
// the caller's.
func (g *Graph) Profiles() iter.Seq[profile.Profile] {
	return func(yield func(profile.Profile) bool) {
		for _, id := range g.IDs() {
			if !yield(g.export(g.byID[id])) {
				return
			}
		}
	}
}

// Clusters returns the members of every profile, as [Cluster] does.
func (g *Graph) Clusters() [][]profile.Ref {
	out := make([][]profile.Ref, 0, len(g.byID))
	for _, cl := range g.byID {
		refs := make([]profile.Ref, len(cl.members))
		for i, x := range cl.members {
			refs[i] = g.ref(x)
		}
		out = append(out, refs)
	}
	slices.SortFunc(out, func(x, y []profile.Ref) int { return x[0].Compare(y[0]) })
	return out
}

// export builds a cluster's profile in memory of its own. Golden values are
// chosen when a profile is read, not kept: at a million records they took
// about 0.34 KB per record, a sixth of the graph's memory, and a bulk load
// built every profile whether or not anything read it.
func (g *Graph) export(cl *cluster) profile.Profile {
	p := profile.Profile{ID: cl.id, Aliases: g.aliasesOf(cl.id), Members: make([]profile.Ref, len(cl.members))}
	recs := make([]profile.Packed, len(cl.members))
	for i, x := range cl.members {
		recs[i] = g.nodes[x].rec
		p.Members[i] = recs[i].Ref()
	}
	g.surv.fillPacked(&p, recs)
	return p
}

// aliasesOf returns every alias that resolves to id, sorted.
func (g *Graph) aliasesOf(id string) []string {
	var out []string
	stack := []string{id}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range g.children[x] {
			out = append(out, c)
			stack = append(stack, c)
		}
	}
	slices.Sort(out)
	return out
}

// id returns the node of a ref known to be present.
func (g *Graph) id(ref profile.Ref) int32 {
	i, _ := g.idx.get(ref)
	return i
}

// ref returns the ref of a live node.
func (g *Graph) ref(i int32) profile.Ref { return g.nodes[i].rec.Ref() }
