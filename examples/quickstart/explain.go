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

// couple are Declan and Maureen Kelly: one surname, one address and one
// family email, the.kellys@bigpond.com, on the records of both. The answer
// key says they are two people. The matcher discounts the shared surname
// at a shared address (a household), but the shared email and address
// still outweigh the different first names and birth dates, so it merges
// them. (The twins Olivia and Sophie Brennan, at one address with one
// birth date but their own emails, it keeps apart.)
var couple = [2]profile.Ref{{Source: "crm", Key: "C11034"}, {Source: "crm", Key: "C10528"}}

// correction is a data steward's fix of a wrong merge, and its effect.
type correction struct {
	Why     string                 `json:"why"`
	Before  *unify.PairExplanation `json:"before"`
	Changes []merge.Change         `json:"changes"`
	// Members lists the records of each person's profile afterwards.
	Members [2][]profile.Ref `json:"members"`
	Quality *quality         `json:"quality"`
}

// correct shows how a person fixes what the matcher got wrong: assert that
// two records are different people. The profile splits, each part keeps
// or gets a stable ID, and the assertion holds in every later resolve.
func correct(ctx context.Context, e *unify.Engine) (*correction, error) {
	c := &correction{Why: "A wrong merge: Declan and Maureen Kelly share a surname, an address and a family email."}
	var err error
	if c.Before, err = e.Explain(ctx, couple[0], couple[1]); err != nil {
		return nil, err
	}
	if !c.Before.SameProfile {
		return c, nil // nothing to correct: the matcher kept them apart
	}
	if c.Changes, err = e.AssertNotSame(ctx, couple[0], couple[1]); err != nil {
		return nil, err
	}
	for i, ref := range couple {
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
