package match

import (
	"slices"
	"strings"

	"github.com/unifyhq/unify/profile"
)

// Decision is what a deterministic [Rule] decides.
type Decision int

const (
	// Match makes the pair a match, whatever the model says.
	Match Decision = iota + 1
	// NonMatch makes the pair a non-match, whatever the model says.
	NonMatch
)

// String returns "match" or "non_match".
func (d Decision) String() string {
	switch d {
	case Match:
		return "match"
	case NonMatch:
		return "non_match"
	}
	return "none"
}

// Rule is a deterministic rule that overrides the probabilistic model for
// the pairs it applies to. Non-match rules are checked first: a pair that a
// non-match rule rejects is never a match.
type Rule struct {
	Name     string
	Decision Decision
	// Applies reports whether the rule decides the pair. It must be
	// symmetric and safe for concurrent use.
	Applies func(a, b *Prepared) bool

	own bool // built here, reading only the prepared form; see Comparison
}

// SameIDRule makes two records a match when they share a value of
// identifier type typ ("same id:loyalty is a match").
func SameIDRule(typ string) Rule {
	return Rule{
		own:      true,
		Name:     "same " + profile.IDPrefix + typ,
		Decision: Match,
		Applies: func(a, b *Prepared) bool {
			for i := range a.ids {
				if a.ids[i].Type != typ {
					continue
				}
				for j := range b.ids {
					if b.ids[j].Type == typ && a.ids[i].Value == b.ids[j].Value {
						return true
					}
				}
			}
			return false
		},
	}
}

// DifferentIDRule makes two records a non-match when both have identifiers
// of type typ and they share none ("different id:national is a
// non-match").
func DifferentIDRule(typ string) Rule {
	return Rule{
		own:      true,
		Name:     "different " + profile.IDPrefix + typ,
		Decision: NonMatch,
		Applies: func(a, b *Prepared) bool {
			hasA, hasB := false, false
			for i := range a.ids {
				if a.ids[i].Type != typ {
					continue
				}
				hasA = true
				for j := range b.ids {
					if b.ids[j].Type == typ {
						hasB = true
						if a.ids[i].Value == b.ids[j].Value {
							return false
						}
					}
				}
			}
			return hasA && hasB
		},
	}
}

// decide applies the rules: non-match rules first, then match rules. It
// returns the index of the deciding rule, or -1.
func decide(rules []Rule, a, b *Prepared) int {
	for i := range rules {
		if rules[i].Decision == NonMatch && rules[i].Applies(a, b) {
			return i
		}
	}
	for i := range rules {
		if rules[i].Decision == Match && rules[i].Applies(a, b) {
			return i
		}
	}
	return -1
}

// AnonymousIDRule stitches anonymous activity to a person: two records that
// share a value of one of the identifier types (device or cookie IDs, say)
// are a match when at least one of them is anonymous, that is, has no name,
// email or phone. Two identified people who share a device (a family
// tablet) are not merged by the device alone.
func AnonymousIDRule(types ...string) Rule {
	return Rule{
		own:      true,
		Name:     "anonymous shares " + profile.IDPrefix + strings.Join(types, "|"),
		Decision: Match,
		Applies: func(a, b *Prepared) bool {
			if !a.anonymous() && !b.anonymous() {
				return false
			}
			for i := range a.ids {
				if !slices.Contains(types, a.ids[i].Type) {
					continue
				}
				for j := range b.ids {
					if b.ids[j].Type == a.ids[i].Type && b.ids[j].Value == a.ids[i].Value {
						return true
					}
				}
			}
			return false
		},
	}
}

// anonymous reports whether the record identifies no person: no name, email
// or phone. Without a given or a family name, fullName is the full name's
// key.
func (p *Prepared) anonymous() bool {
	return p.given == "" && p.family == "" && len(p.emails) == 0 && len(p.phones) == 0 && p.fullName == ""
}
