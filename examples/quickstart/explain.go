package main

import (
	"context"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// pairs are the record pairs the tour explains: a nickname match and two
// different people who share a common name.
var pairs = []struct {
	why  string
	a, b profile.Ref
}{
	{"A nickname: Robert Tasker in the CRM is Bob Tasker in the web shop.",
		profile.Ref{Source: "crm", Key: "C10869"}, profile.Ref{Source: "webshop", Key: "5019"}},
	{"Why not: two James Smiths, born 1979 in Newtown NSW and 1992 in Subiaco WA.",
		profile.Ref{Source: "crm", Key: "C10352"}, profile.Ref{Source: "crm", Key: "C11089"}},
}

// explained is one pair with its explanation.
type explained struct {
	Why  string                 `json:"why"`
	Pair *unify.PairExplanation `json:"pair"`
}

// explain asks the engine why each pair is, or is not, one person.
func explain(ctx context.Context, e *unify.Engine) ([]*explained, error) {
	var out []*explained
	for _, p := range pairs {
		x, err := e.Explain(ctx, p.a, p.b)
		if err != nil {
			return nil, err
		}
		out = append(out, &explained{Why: p.why, Pair: x})
	}
	return out, nil
}

// twins are Olivia and Sophie Brennan: same surname, birth date, street
// and suburb. The answer key says they are two people; the matcher, which
// weighs the shared address more than the different first names, merges
// them.
var twins = [2]profile.Ref{{Source: "crm", Key: "C10836"}, {Source: "crm", Key: "C11309"}}

// correction is a data steward's fix of a wrong merge, and its effect.
type correction struct {
	Why     string                 `json:"why"`
	Before  *unify.PairExplanation `json:"before"`
	Changes []merge.Change         `json:"changes"`
	// Members lists the records of each twin's profile afterwards.
	Members [2][]profile.Ref `json:"members"`
	Quality *quality         `json:"quality"`
}

// correct shows how a person fixes what the matcher got wrong: assert that
// two records are different people. The profile splits, each part keeps
// or gets a stable ID, and the assertion holds in every later resolve.
func correct(ctx context.Context, e *unify.Engine) (*correction, error) {
	c := &correction{Why: "A wrong merge: the twins Olivia and Sophie Brennan share a surname, birth date and address."}
	var err error
	if c.Before, err = e.Explain(ctx, twins[0], twins[1]); err != nil {
		return nil, err
	}
	if !c.Before.SameProfile {
		return c, nil // nothing to correct: the matcher kept them apart
	}
	if c.Changes, err = e.AssertNotSame(ctx, twins[0], twins[1]); err != nil {
		return nil, err
	}
	for i, ref := range twins {
		p, err := e.ProfileOf(ctx, ref)
		if err != nil {
			return nil, err
		}
		c.Members[i] = p.Members
	}
	if c.Quality, err = measure(ctx, e); err != nil {
		return nil, err
	}
	return c, nil
}
