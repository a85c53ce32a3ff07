package unify

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/unifyhq/unify/internal/par"
	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

// CustomerView is the single customer view of one profile: what a support
// agent or a marketer looks at.
type CustomerView struct {
	// Profile holds the golden fields, each with its provenance (source
	// record, observed time, survivorship rule).
	Profile profile.Profile `json:"profile"`
	// Members are the profile's source records from every source, as
	// written and normalized.
	Members []*profile.Record `json:"members"`
	// Timeline is the customer's events across all sources, newest first.
	// Each event names its source record (and so its source) and channel.
	Timeline []profile.Event `json:"timeline"`
	// Aggregates summarise the timeline as of the engine's now.
	Aggregates *segment.Aggregates `json:"aggregates"`
	// Segments names the configured segments the profile is in.
	Segments []string `json:"segments"`
	// Unevaluated names the configured segments View does not evaluate:
	// those on RFM scores or value tiers ([segment.Segment.NeedsPopulation]),
	// which rank the profile against every other. One profile's view has no
	// population to rank it in, and computing one reads every profile, so
	// these segments are left out rather than reported as non-members; see
	// Engine.EachView, whose views are scored.
	Unevaluated []string `json:"unevaluated,omitempty"`
}

// View returns the single customer view of a profile, by ID or alias. It
// evaluates the configured segments that need no population, and lists the
// others in [CustomerView.Unevaluated].
func (e *Engine) View(ctx context.Context, id string) (*CustomerView, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	cur, ok := e.graph.Resolve(id)
	if !ok {
		return nil, fmt.Errorf("%w: profile %q", ErrNotFound, id)
	}
	p, ok := e.graph.Profile(cur)
	if !ok {
		return nil, fmt.Errorf("%w: profile %q", ErrNotFound, id)
	}
	v := &CustomerView{Profile: p, Segments: []string{}} // the graph builds p anew: no copy needed
	for _, ref := range p.Members {
		if r, ok := e.graph.Record(ref); ok {
			v.Members = append(v.Members, r) // a copy already
		}
		evs, err := e.store.Events(ctx, ref)
		if err != nil {
			return nil, err
		}
		v.Timeline = append(v.Timeline, evs...)
	}
	slices.SortStableFunc(v.Timeline, func(a, b profile.Event) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		if c := a.Record.Compare(b.Record); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	agg, err := e.agg.Compute(e.opts.Now(), v.Timeline)
	if err != nil {
		return nil, err
	}
	v.Aggregates = agg
	sv := &segment.View{Profile: &v.Profile, Agg: agg}
	for _, s := range e.opts.Segments {
		switch {
		case s.NeedsPopulation():
			// Unscored, the view would miss rfm_* and value_tier, and
			// the answer would say nothing about the customer.
			v.Unevaluated = append(v.Unevaluated, s.Name())
		case s.Match(sv):
			v.Segments = append(v.Segments, s.Name())
		}
	}
	return v, nil
}

// Views builds a segment view for every profile, with aggregates, RFM
// scores and value tiers over the whole population, sorted by profile ID.
// It holds every view; over a large population use [Engine.EachView],
// which gives the same views holding a chunk of them at a time.
func (e *Engine) Views(ctx context.Context, rfm segment.RFMOptions, tiers segment.TierOptions) ([]*segment.View, error) {
	var views []*segment.View
	for v, err := range e.EachView(ctx, rfm, tiers) {
		if err != nil {
			return nil, err
		}
		views = append(views, v)
	}
	return views, nil
}

// viewChunk is how many profiles EachView builds at once, on every core.
const viewChunk = 1024

// EachView yields a segment view of every profile, in profile ID order,
// with the aggregates of its events as of the engine's now, and RFM scores
// and value tiers over the whole population; each view is the caller's.
//
// It reads the population twice and holds little of it: a first pass
// computes every profile's aggregates to rank them
// ([segment.Population], 32 bytes a profile), and a second builds each
// view again, a chunk of profiles at a time on every core. A million
// profiles with 2.8 million events take seconds and no more memory than a
// chunk, where holding every view would take gigabytes.
//
// The ranks are those of the population when the iteration starts. The
// loop body may call the engine, writes included; a chunk of views is
// built before the first of them is yielded, so a write shows in the views
// of the next chunk. When ctx is cancelled, the iteration yields its error
// and stops.
func (e *Engine) EachView(ctx context.Context, rfm segment.RFMOptions, tiers segment.TierOptions) iter.Seq2[*segment.View, error] {
	return func(yield func(*segment.View, error) bool) {
		e.mu.RLock()
		ids := e.graph.IDs()
		e.mu.RUnlock()
		now := e.opts.Now()
		var firstErr error
		aggs := func(yield func(*segment.Aggregates) bool) {
			buf := make([]*segment.Aggregates, min(viewChunk, len(ids)))
			errs := make([]error, len(buf))
			for start := 0; start < len(ids); start += viewChunk {
				if err := ctx.Err(); err != nil {
					firstErr = err
					return
				}
				part := ids[start:min(start+viewChunk, len(ids))]
				par.Do(len(part), func(_, i int) { _, buf[i], errs[i] = e.viewOf(ctx, now, part[i], false) })
				for i := range part {
					if errs[i] != nil {
						firstErr = errs[i]
						return
					}
					if !yield(buf[i]) {
						return
					}
					buf[i] = nil
				}
			}
		}
		pop, err := segment.NewPopulation(aggs, rfm, tiers)
		if err == nil {
			err = firstErr
		}
		if err != nil {
			yield(nil, err)
			return
		}
		views := make([]*segment.View, min(viewChunk, len(ids)))
		errs := make([]error, len(views))
		for start := 0; start < len(ids); start += viewChunk {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			part := ids[start:min(start+viewChunk, len(ids))]
			par.Do(len(part), func(_, i int) {
				var p *profile.Profile
				var a *segment.Aggregates
				if p, a, errs[i] = e.viewOf(ctx, now, part[i], true); p != nil && errs[i] == nil {
					views[i] = &segment.View{Profile: p, Agg: a}
					pop.Score(views[i])
				} else {
					views[i] = nil // merged away or deleted since the IDs were listed
				}
			})
			for i := range part {
				if errs[i] != nil {
					yield(nil, errs[i])
					return
				}
				if views[i] != nil && !yield(views[i], nil) {
					return
				}
				views[i] = nil
			}
		}
	}
}

// viewOf computes the aggregates of a profile's events as of now, and with
// withProfile builds the profile too. A profile merged away or deleted
// since its ID was listed gives nil and no error.
func (e *Engine) viewOf(ctx context.Context, now time.Time, id string, withProfile bool) (*profile.Profile, *segment.Aggregates, error) {
	var p *profile.Profile
	var members []profile.Ref
	e.mu.RLock()
	if withProfile {
		if q, ok := e.profileByID(id); ok {
			p, members = &q, q.Members
		}
	} else if cur, ok := e.graph.Resolve(id); ok && cur == id {
		members, _ = e.graph.Members(id)
	}
	e.mu.RUnlock()
	if members == nil {
		return nil, nil, nil
	}
	var evs []profile.Event
	for _, ref := range members {
		got, err := e.store.Events(ctx, ref)
		if err != nil {
			return nil, nil, err
		}
		evs = append(evs, got...)
	}
	a, err := e.agg.Compute(now, evs)
	if err != nil {
		return nil, nil, fmt.Errorf("profile %s: %w", id, err)
	}
	return p, a, nil
}

// PairExplanation says whether two records are in one profile and why.
type PairExplanation struct {
	A, B profile.Ref
	// ProfileA and ProfileB are the profiles holding the records.
	ProfileA, ProfileB string
	// SameProfile reports whether the records are in one profile.
	SameProfile bool
	// Candidate says whether blocking makes the records a candidate pair:
	// the keys they share and, when they are not compared, why. Two
	// records that are never compared can still share a profile through
	// other members, and the clustering scores them on demand when a join
	// would bring them together.
	Candidate *CandidateExplanation `json:",omitempty"`
	// Match explains the pair's score under the current model; nil before
	// the first Resolve.
	Match *match.Explanation `json:",omitempty"`
	// Clustering says which clustering decisions brought the records'
	// profiles together or kept them apart: the joining link, or the guard
	// that refused (cohesion, veto, an assertion, ...) with its numbers.
	// Nil for staged records.
	Clustering *merge.Explanation `json:",omitempty"`
}

// CandidateExplanation says whether blocking pairs two records for scoring.
type CandidateExplanation struct {
	// Shared lists the blocking keys both records have ("rule\x1fkey", as
	// [match.Blocker.Keys] writes them), each with the number of records
	// the store holds under it.
	Shared []SharedKey
	// Compared reports whether blocking makes the records a candidate pair.
	Compared bool
	// Reason says why not, when Compared is false.
	Reason string `json:",omitempty"`
}

// SharedKey is a blocking key two records share and the size of its block.
type SharedKey struct {
	Key string // as stored: the rule's name, "\x1f", the value
	// Rule and Value are Key's two parts.
	Rule, Value string
	Records     int
}

// String describes the key, for example `email "ann@example.com" (2 records)`.
func (k SharedKey) String() string {
	return fmt.Sprintf("%s %q (%d records)", k.Rule, k.Value, k.Records)
}

// candidate explains whether blocking pairs a and b, by the rules batch
// blocking and incremental adds both follow.
func (e *Engine) candidate(ctx context.Context, a, b *match.Prepared) (*CandidateExplanation, error) {
	maxBlock, single := e.blocker.Caps()
	x := &CandidateExplanation{}
	inB := map[string]bool{}
	for _, k := range e.blocker.Keys(b) {
		inB[k] = true
	}
	within, smallest := 0, 0
	for _, k := range e.blocker.Keys(a) {
		if !inB[k] {
			continue
		}
		refs, err := e.store.Lookup(ctx, k)
		if err != nil {
			return nil, err
		}
		rule, value, _ := strings.Cut(k, "\x1f")
		x.Shared = append(x.Shared, SharedKey{Key: k, Rule: rule, Value: value, Records: len(refs)})
		if len(refs) <= maxBlock {
			within++
			size := len(refs)
			if !e.blocker.SingleKeyCapped(k) {
				size = 0 // a contact point's block is never over the single-key cap
			}
			if within == 1 || size < smallest {
				smallest = size
			}
		}
	}
	switch {
	case !e.wanted(a, b):
		x.Reason = "the pair mode compares only records of different sources"
		if e.opts.Match.Mode == match.DedupeOnly {
			x.Reason = "the pair mode compares only records of one source"
		}
	case len(x.Shared) == 0:
		x.Reason = "they share no blocking key"
	case within == 0:
		x.Reason = fmt.Sprintf("every key they share holds more than MaxBlockSize (%d) records", maxBlock)
	case within == 1 && single > 0 && smallest > single:
		x.Reason = fmt.Sprintf("they share only one key, and its %d records are more than MaxSingleKeyBlock (%d)", smallest, single)
	default:
		x.Compared = true
	}
	return x, nil
}

// ExplainMatch returns the match explanation of two records (every
// comparison's level and weight under the current model), as [Engine.Explain]
// gives it in Match, without Explain's other parts: their cost grows with
// the records' blocks and profiles (the clustering part solves the
// records' whole connected component again), which explaining every link
// of a data set, as examples/dedupe -explain does, cannot afford when
// components are large. It returns nil before the first Resolve, and
// ErrNotFound for a record the engine does not hold.
func (e *Engine) ExplainMatch(ctx context.Context, a, b profile.Ref) (*match.Explanation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	pa, pb := e.prepared.get(a).p, e.prepared.get(b).p
	if pa == nil || pb == nil {
		return nil, fmt.Errorf("%w: records %v, %v", ErrNotFound, a, b)
	}
	if e.matcher == nil {
		return nil, nil
	}
	m := e.matcher.Explain(pa, pb)
	return &m, nil
}

// Explain says why two records are, or are not, in one profile: whether
// blocking compares them, the match
// explanation of the pair (every comparison's level and weight), the
// profiles that hold them, and the clustering decisions that joined their
// profiles or refused to. Two records can share a profile without matching
// each other directly, through other members; two that match can stay
// apart when a guard refuses the join.
func (e *Engine) Explain(ctx context.Context, a, b profile.Ref) (*PairExplanation, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	pa, pb := e.prepared.get(a).p, e.prepared.get(b).p
	if pa == nil || pb == nil {
		return nil, fmt.Errorf("%w: records %v, %v", ErrNotFound, a, b)
	}
	x := &PairExplanation{A: a, B: b}
	// The IDs alone: ProfileOf builds the whole profile.
	x.ProfileA, _ = e.graph.ProfileIDOf(a)
	x.ProfileB, _ = e.graph.ProfileIDOf(b)
	x.SameProfile = x.ProfileA != "" && x.ProfileA == x.ProfileB
	c, err := e.candidate(ctx, pa, pb)
	if err != nil {
		return nil, err
	}
	x.Candidate = c
	if e.matcher != nil {
		m := e.matcher.Explain(pa, pb)
		x.Match = &m
	}
	if e.graph.Has(a) && e.graph.Has(b) {
		c, err := e.graph.Explain(a, b)
		if err != nil {
			return nil, err
		}
		x.Clustering = &c
	}
	return x, nil
}
