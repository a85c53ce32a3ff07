package unify

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/unifyhq/unify/internal/par"
	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// Delete removes source records (a source deleted them); their events stay
// in the store but no longer reach any profile. Profiles the records held
// together split if nothing else joins them. "Not the same person"
// assertions about them are kept, in case they come back; use Forget to
// erase a person's data.
func (e *Engine) Delete(ctx context.Context, refs ...profile.Ref) ([]merge.Change, error) {
	return e.remove(ctx, refs, false)
}

// Forget erases records: the records, their events, index keys, links,
// assertions, and every value they contributed to golden profiles and
// provenance, including profile IDs derived from them, to the match
// model's value frequencies (the saved model is rewritten) and to the
// profile-ID checkpoint (rewritten too). A profile that the record alone
// held together splits. A ref the engine holds no record for is not an
// error: its events and assertions are erased all the same, so an erasure
// can be repeated until it succeeds.
func (e *Engine) Forget(ctx context.Context, refs ...profile.Ref) ([]merge.Change, error) {
	return e.remove(ctx, refs, true)
}

func (e *Engine) remove(ctx context.Context, refs []profile.Ref, erase bool) ([]merge.Change, error) {
	e.lockWrite()
	defer e.unlockWrite()
	e.gen++
	if e.broken != nil {
		return nil, e.broken
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the lock may have been long in coming
	}
	var present, inGraph []profile.Ref
	for _, r := range refs {
		if e.prepared.has(r) {
			present = append(present, r)
			if e.graph.Has(r) {
				inGraph = append(inGraph, r)
			}
		} else if !erase {
			return nil, fmt.Errorf("%w: record %v", ErrNotFound, r)
		}
	}
	var changes []merge.Change
	var err error
	if len(inGraph) > 0 {
		if erase {
			changes, err = e.graph.Erase(inGraph...)
		} else {
			changes, err = e.graph.Delete(inGraph...)
		}
		if err != nil {
			return nil, err
		}
	}
	// Erasure reaches the model too: values the records held leave its
	// term-frequency tables, and the saved model is rewritten.
	var forgetful *match.Matcher
	var mw *modelWrite
	if erase && e.matcher != nil && len(present) > 0 {
		ps := make([]*match.Prepared, len(present))
		for i, r := range present {
			ps[i] = e.prepared.get(r).p
		}
		if m, changed := e.matcher.Forget(ps...); changed {
			var err error
			if mw, err = e.newModelWrite(m.Model()); err != nil {
				return nil, err
			}
			forgetful = m
		}
	}
	for _, r := range present {
		e.prepared.del(r)
	}
	if erase {
		e.held = slices.DeleteFunc(e.held, func(a merge.Assertion) bool {
			return slices.Contains(refs, a.A) || slices.Contains(refs, a.B)
		})
	}
	err = e.write(ctx, func(s Store) error {
		if err := mw.put(ctx, s); err != nil {
			return err
		}
		for _, r := range refs {
			if err := s.SetKeys(ctx, r, nil); err != nil {
				return err
			}
			if ls, ok := s.(LinkStore); ok {
				if err := ls.DeleteLinks(ctx, r); err != nil {
					return err
				}
			}
			if erase {
				if err := s.DeleteEvents(ctx, r); err != nil {
					return err
				}
				as, err := s.Assertions(ctx)
				if err != nil {
					return err
				}
				for _, a := range as {
					if a.A == r || a.B == r {
						if err := s.DeleteAssertion(ctx, a); err != nil {
							return err
						}
					}
				}
			}
		}
		if err := s.DeleteRecords(ctx, refs); err != nil {
			return err
		}
		return e.persist(ctx, s, nil, changes)
	})
	if err != nil {
		return nil, err
	}
	if forgetful != nil {
		e.matcher = forgetful
	}
	if erase && len(present) > 0 {
		// The last checkpoint names the records among its profiles'
		// members: rewrite it without them.
		if err := e.checkpoint(ctx); err != nil {
			return nil, err
		}
	}
	e.notify(changes)
	return changes, nil
}

// AssertNotSame records that two records are not the same person. The
// profile holding both splits, golden values are recomputed, and the
// assertion holds in every later run until retracted.
func (e *Engine) AssertNotSame(ctx context.Context, a, b profile.Ref) ([]merge.Change, error) {
	return e.assert(ctx, merge.AssertNotSame(a, b), false)
}

// Detach makes a record its own profile, whatever it matches, until the
// assertion is retracted.
func (e *Engine) Detach(ctx context.Context, r profile.Ref) ([]merge.Change, error) {
	return e.assert(ctx, merge.AssertDetached(r), false)
}

// Retract withdraws an assertion made with AssertNotSame or Detach.
func (e *Engine) Retract(ctx context.Context, a merge.Assertion) ([]merge.Change, error) {
	return e.assert(ctx, a, true)
}

func (e *Engine) assert(ctx context.Context, a merge.Assertion, retract bool) ([]merge.Change, error) {
	e.lockWrite()
	defer e.unlockWrite()
	e.gen++
	if e.broken != nil {
		return nil, e.broken
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the lock may have been long in coming
	}
	if a.Kind == merge.NotSame {
		if a.A == a.B {
			return nil, fmt.Errorf("%w: %s names one record twice", merge.ErrInvalidAssertion, a)
		}
		a = merge.AssertNotSame(a.A, a.B)
	}
	if !retract {
		for _, r := range []profile.Ref{a.A, a.B} {
			if (r != profile.Ref{} || r == a.A) && !e.prepared.has(r) {
				return nil, fmt.Errorf("%w: record %v, named by %s", ErrNotFound, r, a)
			}
		}
	}
	if !e.resolved {
		return nil, e.hold(ctx, a, retract)
	}
	var changes []merge.Change
	var err error
	if retract {
		changes, err = e.graph.Retract(a)
	} else {
		changes, err = e.graph.Assert(a)
	}
	if err != nil {
		return nil, err
	}
	err = e.write(ctx, func(s Store) error {
		if retract {
			if err := s.DeleteAssertion(ctx, a); err != nil {
				return err
			}
		} else if err := s.PutAssertion(ctx, a); err != nil {
			return err
		}
		return e.persist(ctx, s, nil, changes)
	})
	if err != nil {
		return nil, err
	}
	e.notify(changes)
	return changes, nil
}

// hold keeps an assertion made before the first Resolve, when its records
// are staged in no profile: the store keeps it, and Resolve gives it to the
// clustering with the records.
func (e *Engine) hold(ctx context.Context, a merge.Assertion, retract bool) error {
	i := slices.Index(e.held, a)
	switch {
	case retract && i < 0:
		return fmt.Errorf("%w: assertion %s", ErrNotFound, a)
	case retract:
		e.held = slices.Delete(e.held, i, i+1)
		return e.write(ctx, func(s Store) error { return s.DeleteAssertion(ctx, a) })
	case i >= 0:
		return nil
	}
	e.held = append(e.held, a)
	return e.write(ctx, func(s Store) error { return s.PutAssertion(ctx, a) })
}

// AddEvents stores events. Each must name a record; the record need not
// exist yet (events may arrive first), and the events reach the profile
// that holds the record whenever it does.
func (e *Engine) AddEvents(ctx context.Context, evs ...profile.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.RLock()
	closed := e.broken == ErrClosed
	e.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	for i, ev := range evs {
		if ev.Record.Source == "" || ev.Record.Key == "" {
			return fmt.Errorf("%w: event %d (%q) names no record", ErrInvalidRecord, i, ev.ID)
		}
	}
	return e.store.AddEvents(ctx, evs)
}

// Model returns the match model the engine scores with, or nil before a
// Resolve has trained one. Its Trained field says what it was estimated
// from (records, candidate pairs, the EM sessions); the model is shared and
// must not be modified.
func (e *Engine) Model() *match.Model {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.matcher == nil {
		return nil
	}
	return e.matcher.Model()
}

// Profile returns a profile by its ID or by an alias it absorbed.
func (e *Engine) Profile(ctx context.Context, id string) (profile.Profile, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	cur, ok := e.graph.Resolve(id)
	if !ok {
		return profile.Profile{}, fmt.Errorf("%w: profile %q", ErrNotFound, id)
	}
	p, ok := e.graph.Profile(cur)
	if !ok {
		return profile.Profile{}, fmt.Errorf("%w: profile %q", ErrNotFound, id)
	}
	return p, nil
}

// ProfileOf returns the profile holding a source record.
func (e *Engine) ProfileOf(ctx context.Context, ref profile.Ref) (profile.Profile, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	p, ok := e.graph.ProfileOf(ref)
	if !ok {
		return profile.Profile{}, e.noProfile(ref)
	}
	return p, nil
}

// noProfile says why a record has no profile: it is unknown, or staged
// until the first Resolve. The caller holds the read lock.
func (e *Engine) noProfile(ref profile.Ref) error {
	if e.prepared.has(ref) {
		return fmt.Errorf("%w: record %v is staged, in no profile until the first Resolve", ErrNotFound, ref)
	}
	return fmt.Errorf("%w: record %v", ErrNotFound, ref)
}

// ProfileIDOf returns the ID of the profile holding a source record. It
// builds no profile, so it is the way to map records to profiles in bulk:
// [Engine.ProfileOf] chooses the golden values on every call.
func (e *Engine) ProfileIDOf(ctx context.Context, ref profile.Ref) (string, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	id, ok := e.graph.ProfileIDOf(ref)
	if !ok {
		return "", e.noProfile(ref)
	}
	return id, nil
}

// Profiles yields every profile, in ID order, each the caller's to keep.
// It lists the IDs when the iteration starts and builds the profiles a
// chunk at a time, on every core, the next chunk while the loop body runs
// on this one; it holds the engine's read lock while it builds a chunk and
// not while the loop body runs. So an export of a million profiles holds
// two chunks at a time, and the loop body may call the engine, writes
// included. A profile that changes during the iteration is yielded as it is
// when reached (after a write, profiles built ahead are built again); one
// merged away or deleted by then is skipped; one created after the start
// is not yielded. When ctx is cancelled, the iteration yields its error and
// stops.
func (e *Engine) Profiles(ctx context.Context) iter.Seq2[profile.Profile, error] {
	return func(yield func(profile.Profile, error) bool) {
		e.mu.RLock()
		ids := e.graph.IDs()
		e.mu.RUnlock()
		// Golden values are chosen when a profile is built, which at a
		// million profiles is seconds of work: worth every core, and worth
		// doing while the caller writes out the chunk before. A chunk is
		// small enough to hold little and to keep a write from the loop
		// body waiting briefly.
		const chunk = 1024
		type built struct {
			ps    []profile.Profile
			found []bool
			gen   uint64
		}
		build := func(part []string) *built {
			b := &built{ps: make([]profile.Profile, len(part)), found: make([]bool, len(part))}
			e.mu.RLock()
			defer e.mu.RUnlock()
			b.gen = e.gen
			par.Do(len(part), func(_, i int) { b.ps[i], b.found[i] = e.profileByID(part[i]) })
			return b
		}
		partAt := func(start int) []string { return ids[start:min(start+chunk, len(ids))] }
		// next delivers the chunk built ahead; nil when none was (the loop
		// body wrote during the last chunk, so building ahead would likely
		// be wasted). It is buffered, so that a builder finishes even when
		// the caller stops early.
		var next chan *built
		if len(ids) > 0 {
			next = make(chan *built, 1)
			go func() { next <- build(partAt(0)) }()
		}
		for start := 0; start < len(ids); start += chunk {
			part := partAt(start)
			var b *built
			if next != nil {
				b = <-next
				next = nil
			}
			e.mu.RLock()
			gen := e.gen
			e.mu.RUnlock()
			if b != nil && b.gen == gen && start+chunk < len(ids) {
				next = make(chan *built, 1)
				go func() { next <- build(partAt(start + chunk)) }()
			}
			for i, id := range part {
				if err := ctx.Err(); err != nil {
					yield(profile.Profile{}, err)
					return
				}
				var p profile.Profile
				var ok bool
				e.mu.RLock()
				if b != nil && b.gen == e.gen {
					p, ok = b.ps[i], b.found[i]
					b.ps[i] = profile.Profile{}
				} else {
					// Written since the chunk was built: build the
					// profile as it is now.
					p, ok = e.profileByID(id)
				}
				e.mu.RUnlock()
				if ok && !yield(p, nil) {
					return
				}
			}
			if next == nil && start+chunk < len(ids) {
				// Nothing built ahead (there were writes before this
				// chunk); build ahead again if the loop body did not write
				// during it.
				e.mu.RLock()
				quiet := e.gen == gen
				e.mu.RUnlock()
				if quiet {
					next = make(chan *built, 1)
					go func() { next <- build(partAt(start + chunk)) }()
				}
			}
		}
	}
}

// profileByID builds the profile that has id as its own ID (not as an
// alias). The caller holds the read lock.
func (e *Engine) profileByID(id string) (profile.Profile, bool) {
	p, ok := e.graph.Profile(id)
	if ok && p.ID != id {
		ok = false // merged into another profile since the IDs were listed
	}
	return p, ok
}

// NumProfiles returns the number of profiles.
func (e *Engine) NumProfiles() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.graph.NumProfiles()
}

// Record returns a copy of a source record, staged or in a profile.
func (e *Engine) Record(ctx context.Context, ref profile.Ref) (*profile.Record, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	h := e.prepared.get(ref)
	if h.p == nil {
		return nil, fmt.Errorf("%w: record %v", ErrNotFound, ref)
	}
	return h.rec.Record(), nil
}

// Len returns the number of records.
func (e *Engine) Len() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.prepared.len()
}

// Links returns the scored links of a record that the engine keeps, as the
// clustering sees them. With the default scorer these are the record's
// candidate pairs at or above the merge threshold: the clustering scores
// other pairs on demand, so the engine does not keep them. It keeps every
// candidate pair, at any probability, when Options.Merge.Score is set by
// the host, and for the pairs a Resolve after the first scores again.
func (e *Engine) Links(ctx context.Context, ref profile.Ref) ([]merge.Link, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if !e.prepared.has(ref) {
		return nil, fmt.Errorf("%w: record %v", ErrNotFound, ref)
	}
	return e.graph.Links(ref), nil
}
