package unify

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

// Sentinel errors of the engine.
var (
	// ErrNoModel means an operation needs a trained match model and there
	// is none yet: call Resolve first.
	ErrNoModel = errors.New("unify: no match model yet; call Resolve")
	// ErrInvalidRecord means a record lacks its source or key.
	ErrInvalidRecord = errors.New("unify: invalid record")
	// ErrBroken means a store write failed after the engine's memory had
	// taken the change; the engine refuses writes until it is reopened
	// from the store.
	ErrBroken = errors.New("unify: a store write failed; reopen the engine")
)

// Options configure an [Engine]. The zero value works: an in-memory store,
// default matching, clustering and survivorship.
type Options struct {
	// Store is where the engine writes through; nil means NewMemoryStore().
	Store Store
	// Match configures blocking, comparisons and rules. By default the
	// engine adds match.AnonymousIDRule for the identifier types in
	// StitchIDs.
	Match match.Settings
	// StitchIDs are identifier types that tie anonymous activity to a
	// person: a record carrying only such an ID joins the profile of any
	// record that shares it. Nil means "device", "cookie" and "anonymous";
	// an empty non-nil slice turns stitching off.
	StitchIDs []string
	// Merge configures clustering, survivorship and profile IDs. Its
	// Threshold and Cohesion default to the match threshold and its Veto
	// to 20 bits.
	Merge merge.Options
	// Segments are evaluated for customer views.
	Segments []*segment.Segment
	// Aggregates configures event aggregation.
	Aggregates segment.Options
	// Now returns the current time for aggregates; nil means time.Now.
	Now func() time.Time
}

// Engine is one single customer view over pluggable storage. A host
// creates it once and uses it from many goroutines: writes (Add, Delete,
// Forget, assertions, Resolve) are serialized, reads run concurrently with
// each other. It is safe for concurrent use.
//
// Records added before the first Resolve are stored and indexed but not
// matched, and belong to no profile: Resolve trains the match model on them
// and links them in one batch. After that, every Add matches
// incrementally.
//
// Each write reaches the store in one transaction when the store supports
// them ([Transactor]). The engine's memory takes the change first; if the
// store then fails, the engine returns ErrBroken for every later write
// until it is reopened from the store, which holds every committed write.
type Engine struct {
	mu       sync.RWMutex
	store    Store
	opts     Options
	prep     match.Preparer
	blocker  *match.Blocker
	matcher  *match.Matcher
	graph    *merge.Graph
	prepared map[profile.Ref]*match.Prepared
	agg      *segment.Aggregator
	broken   error // set when a store write failed
	// resolved is set by the first Resolve (or by opening a store that
	// was resolved): until then records are staged, in no profile.
	resolved bool

	subMu sync.Mutex
	subs  map[int]func(merge.Change)
	next  int
}

// New opens an engine over opts.Store, loading whatever it already holds:
// records, links, assertions and the model.
func New(ctx context.Context, opts Options) (*Engine, error) {
	if opts.Store == nil {
		opts.Store = NewMemoryStore()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.StitchIDs == nil {
		opts.StitchIDs = []string{"device", "cookie", "anonymous"}
	}
	if len(opts.StitchIDs) > 0 {
		opts.Match.Rules = append(slices.Clone(opts.Match.Rules), match.AnonymousIDRule(opts.StitchIDs...))
	}
	if opts.Merge.Veto == 0 {
		// The engine scores every pair inside a linked component (see
		// densify), including pairs of one person's records years apart
		// (moved, new email, new phone), which reach -10 bits. merge's
		// default veto of 10 bits split such people; 20 bits (a million to
		// one against) still vetoes clear conflicts. Chosen on fake_1000 and
		// synthetic multi-source data (FEBRL is unaffected); see
		// BENCHMARKS.md.
		opts.Merge.Veto = 20
	}
	if opts.Merge.Threshold == 0 {
		opts.Merge.Threshold = opts.Match.Threshold
		if opts.Merge.Threshold == 0 {
			opts.Merge.Threshold = match.DefaultThreshold
		}
	}
	if opts.Merge.Cohesion == 0 {
		// A join must be more likely than not on average over every scored
		// pair across it: the threshold itself. merge's lower default
		// recovers more of fake_1000's badly corrupted records (F1 0.96 vs
		// 0.94) but merges more strangers on multi-source data (synthetic
		// 100k: precision 0.71 vs 0.86), and in a customer view a wrong
		// merge shows one person's data to another.
		opts.Merge.Cohesion = opts.Merge.Threshold
	}
	if opts.Match.Nicknames == nil {
		opts.Match.Nicknames = profile.DefaultNicknames()
	}
	blocking := opts.Match.Blocking
	if blocking == nil {
		blocking = match.DefaultBlockingRules()
	}
	g, err := merge.NewGraph(opts.Merge)
	if err != nil {
		return nil, err
	}
	agg, err := segment.NewAggregator(opts.Aggregates)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		store:    opts.Store,
		opts:     opts,
		prep:     match.Preparer{Nicknames: opts.Match.Nicknames},
		blocker:  &match.Blocker{Rules: blocking, MaxBlockSize: opts.Match.MaxBlockSize, Mode: opts.Match.Mode},
		graph:    g,
		prepared: map[profile.Ref]*match.Prepared{},
		agg:      agg,
		subs:     map[int]func(merge.Change){},
	}
	if err := e.load(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// load rebuilds the in-memory state from the store.
func (e *Engine) load(ctx context.Context) error {
	doc, err := e.store.GetModel(ctx)
	switch {
	case err == nil:
		model, err := match.ReadModel(bytes.NewReader(doc))
		if err != nil {
			return err
		}
		if e.matcher, err = match.NewMatcher(model, e.opts.Match); err != nil {
			return err
		}
	case !errors.Is(err, ErrNotFound):
		return err
	}
	e.resolved = e.matcher != nil
	if !e.resolved {
		for _, err := range e.store.Profiles(ctx) {
			if err != nil {
				return err
			}
			e.resolved = true
			break
		}
	}
	var recs []*profile.Record
	for r, err := range e.store.Records(ctx) {
		if err != nil {
			return err
		}
		recs = append(recs, r)
		e.prepared[r.Ref()] = e.prep.Prepare(r)
	}
	if len(recs) == 0 {
		return nil
	}
	slices.SortFunc(recs, func(a, b *profile.Record) int { return a.Ref().Compare(b.Ref()) })
	var links []merge.Link
	if ls, ok := e.store.(LinkStore); ok {
		for l, err := range ls.Links(ctx) {
			if err != nil {
				return err
			}
			links = append(links, l)
		}
	} else if e.matcher != nil {
		// The store keeps no links: score the candidate pairs again, as
		// Resolve did, with the stored model.
		var err error
		if links, err = e.batchLinks(ctx, recs); err != nil {
			return err
		}
	}
	as, err := e.store.Assertions(ctx)
	if err != nil {
		return err
	}
	if e.matcher == nil {
		if !e.resolved {
			// No model and no profiles yet: the records are staged until
			// Resolve; the graph takes the assertions now, to hold them.
			if len(as) > 0 {
				_, err := e.graph.Assert(as...)
				return err
			}
			return nil
		}
		// Resolved with too few records to train: profiles of their own.
		_, err := e.graph.Apply(merge.Batch{Add: recs, Assert: as})
		return err
	}
	if ss, ok := e.store.(SnapshotStore); ok {
		doc, err := ss.GetSnapshot(ctx)
		switch {
		case err == nil:
			var snap merge.Snapshot
			if err := json.Unmarshal(doc, &snap); err != nil {
				return fmt.Errorf("unify: reading the profile-ID snapshot: %w", err)
			}
			g, _, err := merge.Restore(e.opts.Merge, recs, links, as, snap)
			if err != nil {
				return err
			}
			e.graph = g
			return nil
		case !errors.Is(err, ErrNotFound):
			return err
		}
	}
	if _, err := e.graph.Apply(merge.Batch{Add: recs, Links: links, Assert: as}); err != nil {
		return err
	}
	return nil
}

// Checkpoint writes the profile-ID history to the store when it is a
// SnapshotStore, so that a reopened engine gives every profile its ID and
// aliases back. Resolve and Close checkpoint; a host that adds records
// incrementally checkpoints as often as it can afford (the document grows
// with the number of profiles). After a crash, profiles changed since the
// last checkpoint get their IDs by merge's rules from that checkpoint.
func (e *Engine) Checkpoint(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.checkpoint(ctx)
}

func (e *Engine) checkpoint(ctx context.Context) error {
	ss, ok := e.store.(SnapshotStore)
	if !ok || e.matcher == nil {
		return nil
	}
	doc, err := json.Marshal(e.graph.Snapshot())
	if err != nil {
		return err
	}
	return ss.PutSnapshot(ctx, doc)
}

// Close checkpoints the profile-ID history. The engine must not be used
// afterwards; the store stays open (it is the host's to close).
func (e *Engine) Close(ctx context.Context) error {
	return e.Checkpoint(ctx)
}

// Subscribe registers fn to receive every profile change, after the write
// that caused it has been stored. fn runs on the writing goroutine and must
// not call the engine's write methods. The returned function unsubscribes.
func (e *Engine) Subscribe(fn func(merge.Change)) (cancel func()) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	id := e.next
	e.next++
	e.subs[id] = fn
	return func() {
		e.subMu.Lock()
		defer e.subMu.Unlock()
		delete(e.subs, id)
	}
}

func (e *Engine) notify(changes []merge.Change) {
	if len(changes) == 0 {
		return
	}
	e.subMu.Lock()
	subs := make([]func(merge.Change), 0, len(e.subs))
	for _, fn := range e.subs {
		subs = append(subs, fn)
	}
	e.subMu.Unlock()
	for _, c := range changes {
		for _, fn := range subs {
			fn(c)
		}
	}
}

// tx runs fn in one store transaction when the store supports them.
func (e *Engine) tx(ctx context.Context, fn func(Store) error) error {
	if t, ok := e.store.(Transactor); ok {
		return t.Tx(ctx, fn)
	}
	return fn(e.store)
}

// Add inserts or replaces source records. Before the first Resolve they
// are stored and indexed only (staged: in no profile yet). After it, each
// is matched against its candidates and the affected profiles are
// updated. It returns the profile changes.
//
// The engine keeps the records it is given, without copying (a million
// records would otherwise live twice): do not modify a record after
// adding it; add a new value to change it.
func (e *Engine) Add(ctx context.Context, recs ...*profile.Record) ([]merge.Change, error) {
	for _, r := range recs {
		if r == nil || r.Source == "" || r.Key == "" {
			return nil, fmt.Errorf("%w: a record needs a source and a key", ErrInvalidRecord)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.broken != nil {
		return nil, e.broken
	}
	var adds, updates []*profile.Record
	seen := make(map[profile.Ref]bool, len(recs))
	for _, r := range recs {
		ref := r.Ref()
		if seen[ref] {
			return nil, fmt.Errorf("%w: %v appears twice in one call", ErrInvalidRecord, ref)
		}
		seen[ref] = true
		if _, ok := e.prepared[ref]; ok {
			updates = append(updates, r)
		} else {
			adds = append(adds, r)
		}
	}
	all := append(slices.Clone(adds), updates...)
	fresh := make(map[profile.Ref]*match.Prepared, len(all))
	keys := make(map[profile.Ref][]string, len(all))
	for _, r := range all {
		p := e.prep.Prepare(r)
		fresh[r.Ref()] = p
		keys[r.Ref()] = e.blocker.Keys(p)
	}
	var links []merge.Link
	var changes []merge.Change
	if e.resolved {
		if e.matcher != nil {
			var err error
			if links, err = e.score(ctx, all, fresh, keys); err != nil {
				return nil, err
			}
			links = append(links, e.densifyAround(all, fresh, links)...)
		}
		var err error
		if changes, err = e.graph.Apply(merge.Batch{Add: adds, Update: updates, Links: links}); err != nil {
			return nil, err
		}
	}
	for ref, p := range fresh {
		e.prepared[ref] = p
	}
	err := e.write(ctx, func(s Store) error {
		if err := s.PutRecords(ctx, all); err != nil {
			return err
		}
		for _, r := range all {
			if err := s.SetKeys(ctx, r.Ref(), keys[r.Ref()]); err != nil {
				return err
			}
		}
		if ls, ok := s.(LinkStore); ok {
			for _, r := range updates {
				// An update's old scores are stale; merge dropped them too.
				if err := ls.DeleteLinks(ctx, r.Ref()); err != nil {
					return err
				}
			}
		}
		return e.persist(ctx, s, links, changes)
	})
	if err != nil {
		return nil, err
	}
	e.notify(changes)
	return changes, nil
}

// score matches recs (prepared in fresh) against their candidates: the
// records under their keys in the store's index, and the other records of
// the same call that share a key.
func (e *Engine) score(ctx context.Context, recs []*profile.Record, fresh map[profile.Ref]*match.Prepared, keys map[profile.Ref][]string) ([]merge.Link, error) {
	maxBlock := e.matcher.MaxBlockSize()
	inCall := map[string][]profile.Ref{}
	for _, r := range recs {
		for _, k := range keys[r.Ref()] {
			inCall[k] = append(inCall[k], r.Ref())
		}
	}
	get := func(ref profile.Ref) *match.Prepared {
		if p, ok := fresh[ref]; ok {
			return p
		}
		return e.prepared[ref]
	}
	var links []merge.Link
	done := map[[2]profile.Ref]bool{}
	for _, r := range recs {
		ref := r.Ref()
		a := fresh[ref]
		cands := map[profile.Ref]bool{}
		for _, k := range keys[ref] {
			stored, err := e.store.Lookup(ctx, k)
			if err != nil {
				return nil, err
			}
			if len(stored)+len(inCall[k]) > maxBlock {
				continue // an oversized block, as in batch blocking
			}
			for _, c := range stored {
				if _, isNew := fresh[c]; !isNew {
					cands[c] = true // a stored record; new versions come from inCall
				}
			}
			for _, c := range inCall[k] {
				cands[c] = true
			}
		}
		delete(cands, ref)
		for c := range cands {
			pk := pairKey(ref, c)
			if done[pk] {
				continue
			}
			done[pk] = true
			b := get(c)
			if b == nil || !e.wanted(a, b) {
				continue
			}
			prob, w := e.matcher.Score(a, b)
			links = append(links, mergeLink(ref, c, prob, w))
		}
	}
	return links, nil
}

func (e *Engine) wanted(a, b *match.Prepared) bool {
	switch e.opts.Match.Mode {
	case match.LinkOnly:
		return a.Ref.Source != b.Ref.Source
	case match.DedupeOnly:
		return a.Ref.Source == b.Ref.Source
	}
	return true
}

// batchLinks blocks and scores every candidate pair of recs, and densifies
// the linked components.
func (e *Engine) batchLinks(ctx context.Context, recs []*profile.Record) ([]merge.Link, error) {
	ps := make([]*match.Prepared, len(recs))
	for i, r := range recs {
		ps[i] = e.prepared[r.Ref()]
	}
	scored, _, err := e.matcher.ScorePairs(ctx, ps, 0)
	if err != nil {
		return nil, err
	}
	links := make([]merge.Link, len(scored))
	pairs := make([][2]int32, len(scored))
	for i, p := range scored {
		links[i] = mergeLink(ps[p.I].Ref, ps[p.J].Ref, p.Prob, p.Weight)
		pairs[i] = [2]int32{p.I, p.J}
	}
	return append(links, e.densify(ps, links, pairs)...), nil
}

// maxDensify bounds the components whose every pair is scored.
const maxDensify = 200

// densify scores every unscored pair of records inside each connected
// component of the links at or above the merge threshold, for components of
// up to maxDensify records. ps are the records; pairs[i] holds the indexes
// into ps of links[i].
//
// Blocking compares only some pairs, so a chain of strong links can join
// two people whose own records were never compared, and the clustering's
// guards (cohesion, vetoes) can only weigh evidence that was scored. The
// components depend only on the links, and every pair inside a final
// component is scored whether the records came in one batch or one at a
// time, so batch and incremental runs cluster alike. (A component that
// grows past maxDensify one record at a time keeps the pairs it had scored
// while smaller; a batch run scores none of them.)
func (e *Engine) densify(ps []*match.Prepared, links []merge.Link, pairs [][2]int32) []merge.Link {
	th := e.opts.Merge.Threshold
	n := len(ps)
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	// Adjacency of scored pairs, as one flat array (CSR).
	deg := make([]int32, n+1)
	for i, p := range pairs {
		deg[p[0]+1]++
		deg[p[1]+1]++
		if links[i].Prob >= th {
			if ra, rb := find(p[0]), find(p[1]); ra != rb {
				parent[ra] = rb
			}
		}
	}
	for i := 1; i <= n; i++ {
		deg[i] += deg[i-1]
	}
	adj := make([]int32, deg[n])
	fill := slices.Clone(deg[:n])
	for _, p := range pairs {
		adj[fill[p[0]]] = p[1]
		fill[p[0]]++
		adj[fill[p[1]]] = p[0]
		fill[p[1]]++
	}
	byRoot := map[int32][]int32{}
	for i := range n {
		if deg[i+1] == deg[i] {
			continue // no links: a component of one
		}
		r := find(int32(i))
		byRoot[r] = append(byRoot[r], int32(i))
	}
	var comps [][]int32
	for _, c := range byRoot {
		if len(c) >= 3 && len(c) <= maxDensify {
			comps = append(comps, c)
		}
	}
	// Deterministic order, then the components dealt out to the workers:
	// scoring is the cost, and components are independent.
	slices.SortFunc(comps, func(a, b []int32) int { return cmp.Compare(a[0], b[0]) })
	workers := max(1, e.matcher.Settings().Workers)
	out := make([][]merge.Link, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make(map[int32]int32)
			var seen []bool
			for ci := w; ci < len(comps); ci += workers {
				c := comps[ci]
				k := len(c)
				clear(local)
				for li, x := range c {
					local[x] = int32(li)
				}
				seen = slices.Grow(seen[:0], k*k)[:k*k]
				clear(seen)
				for li, x := range c {
					for _, y := range adj[deg[x]:deg[x+1]] {
						if ly, ok := local[y]; ok {
							seen[li*k+int(ly)] = true
						}
					}
				}
				for a := 0; a < k; a++ {
					for b := a + 1; b < k; b++ {
						if seen[a*k+b] {
							continue
						}
						pa, pb := ps[c[a]], ps[c[b]]
						if !e.wanted(pa, pb) {
							continue
						}
						prob, wt := e.matcher.Score(pa, pb)
						if wt == e.matcher.PriorWeight() {
							continue // nothing to compare: no evidence either way
						}
						out[w] = append(out[w], mergeLink(pa.Ref, pb.Ref, prob, wt))
					}
				}
			}
		}()
	}
	wg.Wait()
	var extra []merge.Link
	for _, o := range out {
		extra = append(extra, o...)
	}
	return extra
}

// densifyAround densifies the components that records just added or
// updated belong to, given their new links: it walks the links at or above
// the threshold from each record, and scores every unscored pair of a
// component of up to maxDensify records.
func (e *Engine) densifyAround(recs []*profile.Record, fresh map[profile.Ref]*match.Prepared, links []merge.Link) []merge.Link {
	th := e.opts.Merge.Threshold
	byRef := map[profile.Ref][]merge.Link{}
	scored := map[[2]profile.Ref]bool{}
	for _, l := range links {
		byRef[l.A] = append(byRef[l.A], l)
		byRef[l.B] = append(byRef[l.B], l)
		scored[pairKey(l.A, l.B)] = true
	}
	seen := map[profile.Ref]bool{}
	var extra []merge.Link
	for _, r := range recs {
		start := r.Ref()
		if seen[start] {
			continue
		}
		comp := []profile.Ref{start}
		seen[start] = true
		for i := 0; i < len(comp) && len(comp) <= maxDensify; i++ {
			ref := comp[i]
			visit := func(l merge.Link) {
				scored[pairKey(l.A, l.B)] = true
				if l.Prob < th {
					return
				}
				other := l.A
				if other == ref {
					other = l.B
				}
				if !seen[other] {
					seen[other] = true
					comp = append(comp, other)
				}
			}
			for _, l := range byRef[ref] {
				visit(l)
			}
			for _, l := range e.graph.Links(ref) {
				visit(l)
			}
		}
		extra = e.scoreAllPairs(comp, fresh, scored, extra)
	}
	return extra
}

// scoreAllPairs appends a link for every unscored pair of comp, when comp
// has three to maxDensify records, and marks the pairs scored. Records in
// fresh are taken from it rather than from the engine.
func (e *Engine) scoreAllPairs(comp []profile.Ref, fresh map[profile.Ref]*match.Prepared, scored map[[2]profile.Ref]bool, dst []merge.Link) []merge.Link {
	if len(comp) < 3 || len(comp) > maxDensify {
		return dst
	}
	for x := range comp {
		for y := x + 1; y < len(comp); y++ {
			pk := pairKey(comp[x], comp[y])
			if scored[pk] {
				continue
			}
			scored[pk] = true
			pa, pb := fresh[pk[0]], fresh[pk[1]]
			if pa == nil {
				pa = e.prepared[pk[0]]
			}
			if pb == nil {
				pb = e.prepared[pk[1]]
			}
			if pa == nil || pb == nil || !e.wanted(pa, pb) {
				continue
			}
			prob, w := e.matcher.Score(pa, pb)
			if w == e.matcher.PriorWeight() {
				// Nothing to compare (an anonymous record, say): no
				// evidence either way, so no link to weigh.
				continue
			}
			dst = append(dst, mergeLink(pk[0], pk[1], prob, w))
		}
	}
	return dst
}

// mergeLink converts a score into a merge link; rule decisions carry
// infinite weights, which merge takes as certain.
func mergeLink(a, b profile.Ref, prob, w float64) merge.Link {
	if a.Compare(b) > 0 {
		a, b = b, a
	}
	return merge.Link{A: a, B: b, Prob: prob, Weight: clampWeight(w)}
}

// clampWeight keeps weights finite for storage; ±1e6 bits is certainty.
func clampWeight(w float64) float64 {
	return max(min(w, 1e6), -1e6)
}

// persist writes links (to a LinkStore) and the profiles the changes
// touched, through s.
func (e *Engine) persist(ctx context.Context, s Store, links []merge.Link, changes []merge.Change) error {
	var put []profile.Profile
	var del []string
	for _, c := range changes {
		switch c.Kind {
		case merge.Deleted:
			del = append(del, c.ID)
		case merge.Merged:
			del = append(del, c.From...)
			if p, ok := e.graph.Profile(c.ID); ok {
				put = append(put, p)
			}
		case merge.Split:
			for _, id := range append([]string{c.ID}, c.Into...) {
				if p, ok := e.graph.Profile(id); ok {
					put = append(put, p)
				}
			}
		default:
			if p, ok := e.graph.Profile(c.ID); ok {
				put = append(put, p)
			}
		}
	}
	if ls, ok := s.(LinkStore); ok && len(links) > 0 {
		if err := ls.PutLinks(ctx, links); err != nil {
			return err
		}
	}
	if len(del) > 0 {
		if err := s.DeleteProfiles(ctx, del); err != nil {
			return err
		}
	}
	if len(put) > 0 {
		return s.PutProfiles(ctx, put)
	}
	return nil
}

// write runs fn against the store, in one transaction when the store
// supports them. The engine's memory has already taken the change, so a
// failed write leaves memory ahead of the store: the engine then refuses
// further writes (ErrBroken) until it is reopened from the store.
func (e *Engine) write(ctx context.Context, fn func(Store) error) error {
	if err := e.tx(ctx, fn); err != nil {
		e.broken = fmt.Errorf("%w: %w", ErrBroken, err)
		return e.broken
	}
	return nil
}

// Resolve trains the match model on every record (unless one exists and
// retrain is false), scores every candidate pair in one batch, and updates
// the profiles; the first Resolve puts the staged records into profiles. It
// returns the profile changes. When there is nothing to train on (no two
// records share a blocking key), every record becomes a profile of its own
// and the error wraps match.ErrNoData along with those changes.
func (e *Engine) Resolve(ctx context.Context, retrain bool) ([]merge.Change, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.broken != nil {
		return nil, e.broken
	}
	recs := make([]*profile.Record, 0, len(e.prepared))
	for _, p := range e.prepared {
		recs = append(recs, p.Record)
	}
	slices.SortFunc(recs, func(a, b *profile.Record) int { return a.Ref().Compare(b.Ref()) })
	var staged []*profile.Record
	for _, r := range recs {
		if _, ok := e.graph.Record(r.Ref()); !ok {
			staged = append(staged, r)
		}
	}
	e.resolved = true
	alone := func(cause error) ([]merge.Change, error) {
		// Nothing to train on or to match: the staged records become
		// profiles of their own.
		changes, err := e.graph.Apply(merge.Batch{Add: staged})
		if err != nil {
			return nil, err
		}
		if err := e.write(ctx, func(s Store) error { return e.persist(ctx, s, nil, changes) }); err != nil {
			return nil, err
		}
		e.notify(changes)
		return changes, cause
	}
	if len(recs) < 2 {
		return alone(nil)
	}
	var modelDoc []byte
	if e.matcher == nil || retrain {
		m, err := match.Train(ctx, recs, e.opts.Match)
		if errors.Is(err, match.ErrNoData) && e.matcher == nil {
			return alone(err)
		}
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := m.Model().WriteJSON(&buf); err != nil {
			return nil, err
		}
		modelDoc = buf.Bytes()
		e.matcher = m
	}
	links, err := e.batchLinks(ctx, recs)
	if err != nil {
		return nil, err
	}
	// Staged records join the graph now; the others get the new scores.
	changes, err := e.graph.Apply(merge.Batch{Add: staged, Links: links})
	if err != nil {
		return nil, err
	}
	err = e.write(ctx, func(s Store) error {
		if modelDoc != nil {
			if err := s.PutModel(ctx, modelDoc); err != nil {
				return err
			}
		}
		return e.persist(ctx, s, links, changes)
	})
	if err != nil {
		return nil, err
	}
	if err := e.checkpoint(ctx); err != nil {
		return nil, err
	}
	e.notify(changes)
	return changes, nil
}
