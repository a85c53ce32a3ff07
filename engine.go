package unify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/unifyhq/unify/internal/par"
	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

// Sentinel errors of the engine.
var (
	// ErrInvalidRecord means a record lacks its source or key.
	ErrInvalidRecord = errors.New("unify: invalid record")
	// ErrBroken means a store write failed after the engine's memory had
	// taken the change; the engine refuses writes until it is reopened
	// from the store.
	ErrBroken = errors.New("unify: a store write failed; reopen the engine")
	// ErrClosed means a write came after Close.
	ErrClosed = errors.New("unify: the engine is closed")
	// ErrOptions means New was given options it cannot use.
	ErrOptions = errors.New("unify: invalid options")
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
	// Threshold defaults to the match threshold, its Cohesion to four
	// fifths of that and its Veto to 20 bits.
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
// incrementally (once a Resolve had enough records to train a model; see
// Resolve).
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
	prepared heldSet // every record, staged or in the graph
	agg      *segment.Aggregator
	broken   error // set when a store write failed, or to ErrClosed by Close; writes return it
	// resolved is set by the first Resolve (or by opening a store that
	// was resolved): until then records are staged, in no profile.
	resolved bool
	// scoresOnDemand is set when the clustering scores pairs through the
	// engine's matcher; links below the threshold are then not kept.
	scoresOnDemand bool
	// readsRecords is set when a match setting may read Prepared.Record
	// (match.Settings.ReadsRecords); prepared forms then keep theirs.
	readsRecords bool

	// gen counts the writes (it changes under the write lock, and is read
	// under the read lock), so that Profiles can tell whether profiles it
	// built ahead are still current.
	gen uint64

	subMu sync.Mutex
	subs  map[int]func(merge.Change)
	next  int
	// held are assertions waiting for their records: made before the first
	// Resolve (see hold), or read from the store about records deleted
	// since (see holdAbsent). The graph takes them when the records are in.
	held []merge.Assertion
	// pending holds a write's changes for its subscribers (under mu).
	// Deliveries run after mu is released, one at a time in the order of
	// the writes: a write takes a ticket under mu and delivers when turn
	// reaches it (ticket under mu; turn under deliverMu, signalled by
	// delivered).
	pending      []merge.Change
	ticket, turn uint64
	deliverMu    sync.Mutex
	delivered    *sync.Cond
}

// New opens an engine over opts.Store, loading whatever it already holds:
// records, links, assertions and the model.
func New(ctx context.Context, opts Options) (*Engine, error) {
	for i, s := range opts.Segments {
		if s == nil {
			return nil, fmt.Errorf("%w: Segments[%d] is nil", ErrOptions, i)
		}
	}
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
		// The clustering weighs every pair across a join (scored on
		// demand), including pairs of one person's records years apart
		// (moved, new email, new phone), which reach -10 bits of evidence.
		// merge's default veto of 10 bits would split such people; 20 bits
		// (a million to one against) still vetoes clear conflicts. Pairwise
		// F1 by veto (8 / 10 / 12 / 15 / 20 / 30 bits): fake_1000 0.955 /
		// 0.956 / 0.956 / 0.958 / 0.958 / 0.958; synthetic 100k 0.8389 at
		// 10 and 0.8386 at 20, 1M 0.7819 and 0.7816; FEBRL unchanged. (Until
		// stop 15 the veto read the posterior's log odds, prior included,
		// so at a million records 2 bits against vetoed a join.)
		opts.Merge.Veto = 20
	}
	if opts.Merge.Threshold == 0 {
		opts.Merge.Threshold = opts.Match.Threshold
		if opts.Merge.Threshold == 0 {
			opts.Merge.Threshold = match.DefaultThreshold
		}
	}
	if opts.Merge.Cohesion == 0 {
		// Four fifths of the threshold (0.4 by default), measured rather
		// than derived. The pairs scored across a join average about the
		// share that look like a match, but a pair with little to compare
		// (a first name and a postcode) sits near the prior, not near 0.5,
		// and the prior shrinks as the data grows, so a bar at the
		// threshold itself refused more true joins the more records there
		// were. Pairwise F1 by bar (0.5 / 0.4 / 0.3 / merge's 0.2):
		// synthetic 10k 0.850 / 0.857 / 0.852 / -, 100k 0.827 / 0.837 /
		// 0.837 / 0.828, 300k 0.799 / 0.812 / 0.812 / 0.803, fake_1000
		// 0.945 / 0.956 / 0.962 / 0.964; FEBRL unchanged. Precision at
		// 0.4 stays at 0.92 or more on all of them (at 0.3, 0.89 at 300k),
		// and in a customer view a wrong merge shows one person's data to
		// another.
		opts.Merge.Cohesion = 0.8 * opts.Merge.Threshold
	}
	blocking := opts.Match.Blocking
	if blocking == nil {
		blocking = match.DefaultBlockingRules()
	}
	e := &Engine{}
	onDemand := opts.Merge.Score == nil
	if onDemand {
		// The clustering weighs every pair across a join; pairs blocking
		// did not produce are scored when a join is considered.
		opts.Merge.Score = e.scoreRefs
	}
	g, err := merge.NewGraph(opts.Merge)
	if err != nil {
		return nil, err
	}
	agg, err := segment.NewAggregator(opts.Aggregates)
	if err != nil {
		return nil, err
	}
	*e = Engine{
		store:   opts.Store,
		opts:    opts,
		prep:    match.Preparer{Nicknames: opts.Match.Nicknames, Attrs: opts.Match.Attrs},
		blocker: &match.Blocker{Rules: blocking, MaxBlockSize: opts.Match.MaxBlockSize, MaxSingleKeyBlock: opts.Match.MaxSingleKeyBlock, Mode: opts.Match.Mode},
		graph:   g,
		agg:     agg,
		subs:    map[int]func(merge.Change){},

		scoresOnDemand: onDemand,
		readsRecords:   opts.Match.ReadsRecords(),
	}
	e.delivered = sync.NewCond(&e.deliverMu)
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
		// The model may compare attributes the options do not list.
		e.prep = e.matcher.Preparer()
	case !errors.Is(err, ErrNotFound):
		return err
	}
	// Without a model, the records were resolved if the store holds a
	// profile or a checkpoint: Resolve had too few to train on.
	e.resolved = e.matcher != nil
	if ps, ok := e.store.(ProfileStore); ok && !e.resolved {
		for _, err := range ps.Profiles(ctx) {
			if err != nil {
				return err
			}
			e.resolved = true
			break
		}
	}
	if ss, ok := e.store.(SnapshotStore); ok && !e.resolved {
		switch _, err := ss.GetSnapshot(ctx); {
		case err == nil:
			e.resolved = true
		case !errors.Is(err, ErrNotFound):
			return err
		}
	}
	var recs []profile.Packed
	var scratch profile.Record
	for r, err := range e.store.Records(ctx) {
		if err != nil {
			return err
		}
		pk := profile.Pack(r)
		recs = append(recs, pk)
		e.prepared.set(held{e.prepare(pk, &scratch), pk})
	}
	if len(recs) == 0 {
		return nil
	}
	slices.SortFunc(recs, func(a, b profile.Packed) int { return a.Ref().Compare(b.Ref()) })
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
		if links, err = e.batchLinks(ctx, e.preparedOf(recs)); err != nil {
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
			// Resolve, which gives the graph the assertions with them.
			e.held = as
			return nil
		}
		// Resolved with too few records to train: profiles of their own.
		_, err := e.graph.Apply(merge.Batch{Add: recs, Assert: e.holdAbsent(as)})
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
	if _, err := e.graph.Apply(merge.Batch{Add: recs, Links: links, Assert: e.holdAbsent(as)}); err != nil {
		return err
	}
	return nil
}

// holdAbsent returns the assertions whose records are all present, for the
// graph, and holds the others (about records deleted since, which Delete
// keeps) until their records come back.
func (e *Engine) holdAbsent(as []merge.Assertion) []merge.Assertion {
	e.held = as
	ready := e.readyHeld()
	e.dropHeld(ready)
	return ready
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
	if errors.Is(e.broken, ErrBroken) {
		return e.broken // memory is ahead of the store: checkpoint nothing
	}
	ss, ok := e.store.(SnapshotStore)
	if !ok || !e.resolved {
		return nil
	}
	snap := e.graph.Snapshot()
	if ms, ok := ss.(*MemoryStore); ok {
		ms.putSnapshotValue(&snap)
		return nil
	}
	doc, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	return ss.PutSnapshot(ctx, doc)
}

// Close checkpoints the profile-ID history. Writes after it (Add, AddEvents,
// Resolve, Delete, Forget, the assertions) return ErrClosed; reads still
// answer from memory; the store stays open (it is the host's to close). A
// broken engine (ErrBroken) stays broken and writes no checkpoint.
func (e *Engine) Close(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.broken == ErrClosed:
		return nil
	case e.broken != nil:
		return e.broken
	}
	if err := e.checkpoint(ctx); err != nil {
		return err
	}
	e.broken = ErrClosed
	return nil
}

// Subscribe registers fn to receive every profile change, after the write
// that caused it has been stored. fn runs on the writing goroutine once the
// engine's write lock is released, so it may read the engine (Profile,
// View, Explain) while other writes go on; changes reach subscribers in
// the order of the writes, one write's at a time. fn must not call the
// engine's write methods (Add, Delete, Forget, the assertions, Resolve):
// the write would wait for the delivery it runs in. A panic in fn reaches
// the writer after its write has been stored.
// The returned function unsubscribes.
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

// lockWrite takes the engine's write lock for a write that may notify
// subscribers; unlockWrite releases it and then delivers the changes.
func (e *Engine) lockWrite() { e.mu.Lock() }

func (e *Engine) unlockWrite() {
	changes := e.pending
	e.pending = nil
	if len(changes) == 0 {
		e.mu.Unlock()
		return
	}
	mine := e.ticket
	e.ticket++
	e.mu.Unlock()
	// Wait for the writes before this one to deliver, holding no engine
	// lock: their subscribers may be reading the engine.
	e.deliverMu.Lock()
	for e.turn != mine {
		e.delivered.Wait()
	}
	e.deliverMu.Unlock()
	defer func() { // even if a subscriber panics, the next write's turn comes
		e.deliverMu.Lock()
		e.turn++
		e.delivered.Broadcast()
		e.deliverMu.Unlock()
	}()
	e.deliver(changes)
}

// notify queues a write's changes for its subscribers; the write's
// unlockWrite delivers them.
func (e *Engine) notify(changes []merge.Change) {
	switch {
	case len(changes) == 0:
	case e.pending == nil:
		e.pending = slices.Clip(changes) // no copy; a second notify appends to a new array
	default:
		e.pending = append(e.pending, changes...)
	}
}

func (e *Engine) deliver(changes []merge.Change) {
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
// The engine copies the records it is given, packed ([profile.Packed]):
// the caller may reuse or change them once Add returns.
func (e *Engine) Add(ctx context.Context, recs ...*profile.Record) ([]merge.Change, error) {
	for _, r := range recs {
		if r == nil || r.Source == "" || r.Key == "" {
			return nil, fmt.Errorf("%w: a record needs a source and a key", ErrInvalidRecord)
		}
	}
	e.lockWrite()
	defer e.unlockWrite()
	e.gen++
	if e.broken != nil {
		return nil, e.broken
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the lock may have been long in coming
	}
	var adds, updates []*profile.Record
	seen := make(map[profile.Ref]bool, len(recs))
	for _, r := range recs {
		ref := r.Ref()
		if seen[ref] {
			return nil, fmt.Errorf("%w: %v appears twice in one call", ErrInvalidRecord, ref)
		}
		seen[ref] = true
		if e.prepared.has(ref) {
			updates = append(updates, r)
		} else {
			adds = append(adds, r)
		}
	}
	all := append(slices.Clone(adds), updates...)
	if !e.resolved {
		return nil, e.stage(ctx, all)
	}
	// Slices by position in all, not maps: a bulk load of a million
	// records spent seconds hashing references.
	packed := make([]profile.Packed, len(all))
	ps := make([]*match.Prepared, len(all))
	keys := make([][]string, len(all))
	inParallel(len(all), func(lo, hi int) {
		var scratch profile.Record
		for i := lo; i < hi; i++ {
			packed[i] = profile.Pack(all[i])
			ps[i] = e.prepare(packed[i], &scratch)
			keys[i] = e.blocker.Keys(ps[i])
		}
	})
	var links []merge.Link
	if e.matcher != nil {
		fresh := make(map[profile.Ref]*match.Prepared, len(all))
		keyOf := make(map[profile.Ref][]string, len(all))
		for i, r := range all {
			fresh[r.Ref()], keyOf[r.Ref()] = ps[i], keys[i]
		}
		var err error
		if links, err = e.score(ctx, all, fresh, keyOf); err != nil {
			return nil, err
		}
	}
	// The clustering scores pairs on demand from e.prepared: the new
	// versions go in first, and come out again if the graph refuses.
	old := make([]held, len(all))
	for i, r := range all {
		old[i] = e.prepared.get(r.Ref())
		e.prepared.set(held{ps[i], packed[i]})
	}
	ready := e.readyHeld() // assertions about records deleted and now back
	changes, err := e.graph.Apply(merge.Batch{Add: packed[:len(adds)], Update: packed[len(adds):], Links: links, Assert: ready})
	if err != nil {
		for i, r := range all {
			if old[i].p == nil {
				e.prepared.del(r.Ref())
			} else {
				e.prepared.set(old[i])
			}
		}
		return nil, err
	}
	e.dropHeld(ready)
	err = e.write(ctx, func(s Store) error {
		if err := putRecords(ctx, s, packed); err != nil {
			return err
		}
		for i := range all {
			if err := s.SetKeys(ctx, packed[i].Ref(), keys[i]); err != nil {
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

// stageChunk is how many records stage prepares as one unit of work.
const stageChunk = 2048

// stage prepares and stores records before the first Resolve, when there is
// nothing to match them against yet. It is a pipeline: every core prepares
// chunks while this goroutine writes the finished ones to the store, in
// order. The store's index writes are serial; run after the preparation they
// added about 2 s to a bulk load of a million records.
func (e *Engine) stage(ctx context.Context, all []*profile.Record) error {
	n := len(all)
	chunks := (n + stageChunk - 1) / stageChunk
	packed := make([]profile.Packed, n)
	ps := make([]*match.Prepared, n)
	keys := make([][]string, n)
	// The memory store's index keeps hashes of the keys: hashed here on
	// every core, not on the writing goroutine. It is not a Transactor, so
	// the write below goes to ms itself.
	ms, hashed := e.store.(*MemoryStore)
	var hashes [][]uint64
	if hashed {
		hashes = make([][]uint64, n)
	}
	ready := make([]chan struct{}, chunks)
	for c := range ready {
		ready[c] = make(chan struct{})
	}
	if e.prepared.len() == 0 && n > stageChunk {
		// A first bulk load: size the tables once rather than grow them
		// through a million inserts on this, the serial, goroutine.
		e.prepared.reserve(n)
		if ms, ok := e.store.(*MemoryStore); ok {
			ms.reserve(n)
		}
	}
	var stop atomic.Bool
	prepared := make(chan struct{})
	go func() {
		defer close(prepared)
		par.Do(chunks, func(_, c int) {
			if stop.Load() {
				return
			}
			var scratch profile.Record
			for i := c * stageChunk; i < min(n, (c+1)*stageChunk); i++ {
				packed[i] = profile.Pack(all[i])
				ps[i] = e.prepare(packed[i], &scratch)
				keys[i] = e.blocker.Keys(ps[i])
				if hashed {
					hashes[i], keys[i] = hashKeys(keys[i]), nil
				}
			}
			close(ready[c])
		})
	}()
	// A Transactor may run fn more than once: every step is idempotent.
	err := e.write(ctx, func(s Store) error {
		for c := range chunks {
			<-ready[c]
			lo, hi := c*stageChunk, min(n, (c+1)*stageChunk)
			for i := lo; i < hi; i++ {
				e.prepared.set(held{ps[i], packed[i]})
			}
			if err := putRecords(ctx, s, packed[lo:hi]); err != nil {
				return err
			}
			for i := lo; i < hi; i++ {
				var err error
				if hashed {
					err = ms.setKeyHashes(packed[i].Ref(), hashes[i])
				} else {
					err = s.SetKeys(ctx, packed[i].Ref(), keys[i])
				}
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	// Workers still preparing after a failed write have no reader: stop
	// them before returning.
	stop.Store(true)
	<-prepared
	return err
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
		return e.prepared.get(ref).p
	}
	single := e.matcher.MaxSingleKeyBlock()
	var links []merge.Link
	done := map[[2]profile.Ref]bool{}
	// A candidate's shared keys, and the smallest block among them: as in
	// batch blocking, a record sharing only one key is compared only in a
	// block of at most MaxSingleKeyBlock.
	type shared struct{ keys, smallest int }
	for _, r := range recs {
		ref := r.Ref()
		a := fresh[ref]
		cands := map[profile.Ref]shared{}
		see := func(c profile.Ref, size int) {
			s, ok := cands[c]
			if !ok || size < s.smallest {
				s.smallest = size
			}
			s.keys++
			cands[c] = s
		}
		for _, k := range keys[ref] { // distinct: Blocker.Keys compacts them
			stored, err := e.store.Lookup(ctx, k)
			if err != nil {
				return nil, err
			}
			size := len(stored) + len(inCall[k])
			if size > maxBlock {
				continue // an oversized block, as in batch blocking
			}
			capSize := size
			if !e.blocker.SingleKeyCapped(k) {
				capSize = 0 // a contact point's block: never over the cap
			}
			for _, c := range stored {
				if _, isNew := fresh[c]; !isNew {
					see(c, capSize) // a stored record; new versions come from inCall
				}
			}
			for _, c := range inCall[k] {
				see(c, capSize)
			}
		}
		delete(cands, ref)
		for c, s := range cands {
			if single > 0 && s.keys < 2 && s.smallest > single {
				continue
			}
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
			if prob >= e.opts.Merge.Threshold || !e.scoresOnDemand {
				links = append(links, mergeLink(ref, c, prob, w, e.matcher.PriorWeight()))
			}
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

// scoreRefs scores two records for the clustering's on-demand use. It
// runs inside engine writes, under the write lock. Records with nothing to
// compare carry no evidence.
func (e *Engine) scoreRefs(a, b profile.Ref) (prob, weight float64, ok bool) {
	if e.matcher == nil {
		return 0, 0, false
	}
	pa, pb := e.prepared.get(a).p, e.prepared.get(b).p
	if pa == nil || pb == nil || !e.wanted(pa, pb) {
		return 0, 0, false
	}
	prob, weight = e.matcher.Score(pa, pb)
	prior := e.matcher.PriorWeight()
	if weight == prior {
		return 0, 0, false
	}
	return prob, clampWeight(weight - prior), true
}

// batchLinks blocks and scores every candidate pair of recs.
func (e *Engine) batchLinks(ctx context.Context, ps []*match.Prepared) ([]merge.Link, error) {
	scored, _, err := e.matcher.ScorePairs(ctx, ps, e.minLinkProb())
	if err != nil {
		return nil, err
	}
	return mergeLinks(ps, scored, e.matcher.PriorWeight()), nil
}

// preparedOf returns the prepared forms of recs, in order.
func (e *Engine) preparedOf(recs []profile.Packed) []*match.Prepared {
	ps := make([]*match.Prepared, len(recs))
	for i, r := range recs {
		ps[i] = e.prepared.get(r.Ref()).p
	}
	return ps
}

// prepare compiles a packed record for matching, decoding it into scratch.
// The prepared form keeps the decoded record only when a match setting
// may read it; otherwise scratch is reused and only the packed text stays.
func (e *Engine) prepare(pk profile.Packed, scratch *profile.Record) *match.Prepared {
	if e.readsRecords {
		return e.prep.Prepare(pk.Record())
	}
	pk.Decode(scratch)
	p := e.prep.Prepare(scratch)
	p.Record = nil
	return p
}

// putRecords writes packed records through s: the memory store keeps them
// packed; any other store gets them decoded, as records of its own.
func putRecords(ctx context.Context, s Store, packed []profile.Packed) error {
	if ms, ok := s.(*MemoryStore); ok {
		return ms.putPacked(packed)
	}
	recs := make([]*profile.Record, len(packed))
	for i, pk := range packed {
		recs[i] = pk.Record()
	}
	return s.PutRecords(ctx, recs)
}

// minLinkProb is the least probability of a scored pair worth keeping as a
// link. Only links that can join clusters are kept (unless the host
// replaced the on-demand scorer): the clustering scores every other pair
// across a join on demand (Options.Score), with the same scorer, so a link
// below the threshold would only take memory. A second Resolve rescores
// pairs the graph already holds links for: every candidate pair is then
// kept, so that a pair now below the threshold replaces its old score
// rather than keeping it.
func (e *Engine) minLinkProb() float64 {
	if !e.scoresOnDemand || e.graph.Len() > 0 {
		return 0
	}
	return e.opts.Merge.Threshold
}

// mergeLinks converts scored pairs of ps into merge links.
func mergeLinks(ps []*match.Prepared, scored []match.ScoredPair, prior float64) []merge.Link {
	links := make([]merge.Link, len(scored))
	for i, p := range scored {
		links[i] = mergeLink(ps[p.I].Ref, ps[p.J].Ref, p.Prob, p.Weight, prior)
	}
	return links
}

// mergeLink converts a score into a merge link. The match stage's weight is
// the posterior's log2 odds; merge weighs the evidence alone (its veto is a
// Bayes factor), so the prior's weight comes off. Rule decisions carry
// infinite weights, which merge takes as certain.
func mergeLink(a, b profile.Ref, prob, w, prior float64) merge.Link {
	if a.Compare(b) > 0 {
		a, b = b, a
	}
	return merge.Link{A: a, B: b, Prob: prob, Weight: clampWeight(w - prior)}
}

// clampWeight keeps weights finite for storage; ±1e6 bits is certainty.
func clampWeight(w float64) float64 {
	return max(min(w, 1e6), -1e6)
}

// modelWrite is a trained model on its way to the store: the memory store
// takes the value and encodes it only if asked for it (see
// MemoryStore.putModelValue); other stores get the document, encoded
// before the write begins so that an encoding error leaves the store
// alone.
type modelWrite struct {
	model *match.Model
	doc   []byte
}

func (e *Engine) newModelWrite(m *match.Model) (*modelWrite, error) {
	if _, ok := e.store.(*MemoryStore); ok {
		return &modelWrite{model: m}, nil
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		return nil, err
	}
	return &modelWrite{model: m, doc: buf.Bytes()}, nil
}

// put writes the model through s; a nil w writes nothing.
func (w *modelWrite) put(ctx context.Context, s Store) error {
	if w == nil {
		return nil
	}
	if ms, ok := s.(*MemoryStore); ok && w.doc == nil {
		ms.putModelValue(w.model)
		return nil
	}
	if w.doc == nil {
		var buf bytes.Buffer
		if err := w.model.WriteJSON(&buf); err != nil {
			return err
		}
		w.doc = buf.Bytes()
	}
	return s.PutModel(ctx, w.doc)
}

// persist writes links (to a LinkStore) and the profiles the changes
// touched (to a ProfileStore), through s.
func (e *Engine) persist(ctx context.Context, s Store, links []merge.Link, changes []merge.Change) error {
	if ls, ok := s.(LinkStore); ok && len(links) > 0 {
		if err := ls.PutLinks(ctx, links); err != nil {
			return err
		}
	}
	ps, ok := s.(ProfileStore)
	if !ok {
		return nil
	}
	var put, del []string
	for _, c := range changes {
		switch c.Kind {
		case merge.Deleted:
			del = append(del, c.ID)
		case merge.Merged:
			del = append(del, c.From...)
			put = append(put, c.ID)
		case merge.Split:
			put = append(put, c.ID)
			put = append(put, c.Into...)
		default:
			put = append(put, c.ID)
		}
	}
	if len(del) > 0 {
		if err := ps.DeleteProfiles(ctx, del); err != nil {
			return err
		}
	}
	// Profiles are built (golden values chosen) as they are written, a
	// batch at a time on every core, so a bulk load does not hold every
	// profile at once. The graph's reads may run concurrently.
	const batch = 4096
	buf := make([]profile.Profile, min(len(put), batch))
	found := make([]bool, len(buf))
	for lo := 0; lo < len(put); lo += batch {
		ids := put[lo:min(lo+batch, len(put))]
		par.Do(len(ids), func(_, i int) {
			buf[i], found[i] = e.graph.Profile(ids[i])
		})
		out := buf[:0]
		for i := range ids {
			if found[i] {
				out = append(out, buf[i])
			}
		}
		if len(out) > 0 {
			if err := ps.PutProfiles(ctx, out); err != nil {
				return err
			}
		}
		clear(buf)
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
// returns the profile changes. When there is nothing to train on (fewer
// than two records, or no two that share a blocking key), every record
// becomes a profile of its own and the error wraps match.ErrNoData along
// with those changes; records added after that get profiles of their own
// too, until a Resolve has trained a model.
func (e *Engine) Resolve(ctx context.Context, retrain bool) ([]merge.Change, error) {
	e.lockWrite()
	defer e.unlockWrite()
	e.gen++
	if e.broken != nil {
		return nil, e.broken
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the lock may have been long in coming
	}
	// Records in reference order, so that training's samples and the
	// results do not depend on map order.
	// The refs sit in the sorted elements: comparing through the prepared
	// forms' pointers cost a cache miss a comparison.
	type byRef struct {
		ref profile.Ref
		held
	}
	hs := make([]byRef, 0, e.prepared.len())
	e.prepared.each(func(h held) { hs = append(hs, byRef{h.rec.Ref(), h}) })
	par.Sort(hs, func(a, b byRef) int { return a.ref.Compare(b.ref) })
	ps := make([]*match.Prepared, len(hs))
	isStaged := make([]bool, len(hs))
	inParallel(len(hs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			ps[i] = hs[i].p
			isStaged[i] = !e.graph.Has(hs[i].ref)
		}
	})
	var staged []profile.Packed
	for i, h := range hs {
		if isStaged[i] {
			staged = append(staged, h.rec)
		}
	}
	hs = nil
	e.resolved = true
	alone := func(cause error) ([]merge.Change, error) {
		// Nothing to train on or to match: the staged records become
		// profiles of their own.
		ready := e.readyHeld()
		changes, err := e.graph.Apply(merge.Batch{Add: staged, Assert: ready})
		if err != nil {
			return nil, err
		}
		e.dropHeld(ready)
		if err := e.write(ctx, func(s Store) error { return e.persist(ctx, s, nil, changes) }); err != nil {
			return nil, err
		}
		if err := e.checkpoint(ctx); err != nil {
			return nil, err
		}
		e.notify(changes)
		return changes, cause
	}
	if len(ps) < 2 && e.matcher == nil {
		return alone(fmt.Errorf("%w: %d records", match.ErrNoData, len(ps)))
	}
	if len(ps) < 2 {
		return alone(nil)
	}
	var mw *modelWrite
	var links []merge.Link
	if e.matcher == nil || retrain {
		// Train and score over one set of blocks.
		m, scored, _, err := match.TrainAndScore(ctx, ps, e.opts.Match, e.minLinkProb())
		if errors.Is(err, match.ErrNoData) && e.matcher == nil {
			return alone(err)
		}
		if err != nil {
			return nil, err
		}
		if mw, err = e.newModelWrite(m.Model()); err != nil {
			return nil, err
		}
		e.matcher = m
		links = mergeLinks(ps, scored, m.PriorWeight())
	} else {
		var err error
		if links, err = e.batchLinks(ctx, ps); err != nil {
			return nil, err
		}
	}
	// Staged records join the graph now; the others get the new scores.
	ready := e.readyHeld()
	changes, err := e.graph.Apply(merge.Batch{Add: staged, Links: links, Assert: ready})
	if err != nil {
		return nil, err
	}
	e.dropHeld(ready)
	err = e.write(ctx, func(s Store) error {
		if err := mw.put(ctx, s); err != nil {
			return err
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

// readyHeld returns the held assertions whose records are all present, for
// the graph to take with the records of a write; dropHeld, once it has.
func (e *Engine) readyHeld() []merge.Assertion {
	var out []merge.Assertion
	for _, a := range e.held {
		if e.prepared.has(a.A) && (a.Kind != merge.NotSame || e.prepared.has(a.B)) {
			out = append(out, a)
		}
	}
	return out
}

func (e *Engine) dropHeld(as []merge.Assertion) {
	if len(as) > 0 {
		e.held = slices.DeleteFunc(e.held, func(a merge.Assertion) bool { return slices.Contains(as, a) })
	}
}

// inParallel runs fn over [0, n) in chunks on GOMAXPROCS goroutines, or
// inline when n is small. fn must be safe to run on disjoint ranges at
// once.
func inParallel(n int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers <= 1 || n < 1024 {
		fn(0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		wg.Go(func() { fn(lo, min(lo+chunk, n)) })
	}
	wg.Wait()
}
