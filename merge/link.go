package merge

import (
	"fmt"
	"math"

	"github.com/unifyhq/unify/profile"
)

// Link is one scored pair of records: the probability that A and B are the
// same person. The match stage produces links, but any scorer will do.
//
// Give merge every pair that was scored, not only those above the threshold:
// a low probability is evidence too, and the clustering guards use it to
// keep apart groups that a chain of strong links would otherwise join. A link
// is unordered: {A, B} and {B, A} are the same pair.
type Link struct {
	A, B profile.Ref
	// Prob is the match probability in [0, 1]: the posterior, prior included.
	// Clustering decisions (threshold, cohesion, bridges) use it.
	Prob float64
	// Weight is the comparison's own evidence as a log2 Bayes factor, without
	// the prior, as the match stage reports it; 0 when unknown. Only the veto
	// guard ([Options].Veto) reads it: a probability near 0 can still be
	// evidence *for* a match when the prior is tiny, so strong evidence
	// against is judged on the weight. Stored (and compared) as a float32.
	Weight float64
}

// pair returns the link's refs in [profile.Ref.Compare] order.
func (l Link) pair() (lo, hi profile.Ref) {
	if l.A.Compare(l.B) <= 0 {
		return l.A, l.B
	}
	return l.B, l.A
}

// check validates the link on its own.
func (l Link) check() error {
	if l.A.Source == "" || l.A.Key == "" || l.B.Source == "" || l.B.Key == "" {
		return fmt.Errorf("%w %s-%s: empty source or key", ErrInvalidLink, l.A, l.B)
	}
	if l.A == l.B {
		return fmt.Errorf("%w: %s is linked to itself", ErrInvalidLink, l.A)
	}
	if math.IsNaN(l.Prob) || l.Prob < 0 || l.Prob > 1 {
		return fmt.Errorf("%w %s-%s: probability %v is outside [0, 1]", ErrInvalidLink, l.A, l.B, l.Prob)
	}
	if math.IsNaN(l.Weight) {
		return fmt.Errorf("%w %s-%s: weight is NaN", ErrInvalidLink, l.A, l.B)
	}
	return nil
}

// AssertionKind says what an [Assertion] states.
type AssertionKind uint8

// The assertion kinds.
const (
	// NotSame states that records A and B are different people: they never
	// share a profile, whatever links join them.
	NotSame AssertionKind = iota + 1
	// Detached states that record A is a profile of its own: it never shares
	// a profile with any other record.
	Detached
)

// String returns "not_same" or "detached".
func (k AssertionKind) String() string {
	switch k {
	case NotSame:
		return "not_same"
	case Detached:
		return "detached"
	}
	return fmt.Sprintf("AssertionKind(%d)", uint8(k))
}

// Assertion is a user's statement about records that overrides the links:
// typically a data steward unmerging a profile. Assertions are remembered
// until retracted, so later incremental updates respect them. Build them with
// [AssertNotSame] and [AssertDetached].
type Assertion struct {
	Kind AssertionKind
	// A is the record the assertion is about; for NotSame, A sorts before B.
	A profile.Ref
	// B is the other record of a NotSame assertion; zero for Detached.
	B profile.Ref
}

// AssertNotSame returns the assertion that a and b are different people.
// The refs are stored in [profile.Ref.Compare] order, so AssertNotSame(a, b)
// equals AssertNotSame(b, a).
func AssertNotSame(a, b profile.Ref) Assertion {
	if b.Compare(a) < 0 {
		a, b = b, a
	}
	return Assertion{Kind: NotSame, A: a, B: b}
}

// AssertDetached returns the assertion that r is a profile of its own.
func AssertDetached(r profile.Ref) Assertion { return Assertion{Kind: Detached, A: r} }

// String describes the assertion, for example "not_same(crm/1, shop/7)".
func (a Assertion) String() string {
	if a.Kind == NotSame {
		return fmt.Sprintf("%s(%s, %s)", a.Kind, a.A, a.B)
	}
	return fmt.Sprintf("%s(%s)", a.Kind, a.A)
}

// normalized returns a in canonical form, or an error naming what is wrong.
func (a Assertion) normalized() (Assertion, error) {
	switch a.Kind {
	case NotSame:
		if a.A == a.B {
			return a, fmt.Errorf("%w: %s names %s twice", ErrInvalidAssertion, a, a.A)
		}
		if a.A.Source == "" || a.A.Key == "" || a.B.Source == "" || a.B.Key == "" {
			return a, fmt.Errorf("%w: %s has an empty source or key", ErrInvalidAssertion, a)
		}
		return AssertNotSame(a.A, a.B), nil
	case Detached:
		if a.A.Source == "" || a.A.Key == "" {
			return a, fmt.Errorf("%w: %s has an empty source or key", ErrInvalidAssertion, a)
		}
		if a.B != (profile.Ref{}) {
			return a, fmt.Errorf("%w: %s must not name a second record (%s)", ErrInvalidAssertion, a, a.B)
		}
		return a, nil
	}
	return a, fmt.Errorf("%w: unknown kind %d", ErrInvalidAssertion, a.Kind)
}
