package merge

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/unifyhq/unify/profile"
)

// Candidate is one value a member record offers for a field of a golden
// profile, with what a [Rule] needs to judge it.
type Candidate struct {
	// Value is the normalized display form (what the golden profile shows).
	// It is empty for whole addresses: see Address.
	Value string
	// Raw is the value as the source wrote it.
	Raw string
	// Key is the comparison key: candidates with equal keys are the same
	// value (a name's case-folded key, an email's canonical address, an
	// address's joined part keys).
	Key string
	// From is the record offering the value, Observed its observed time.
	From     profile.Ref
	Observed time.Time
	// Date is set for birth dates, so rules can judge precision and
	// compatibility ("1980" is compatible with "1980-03-12").
	Date profile.Date
	// Address is set for whole-address candidates; read only.
	Address *profile.Address

	// rec is the record offering the value, packed: a golden value keeps
	// it instead of a copy of From and Observed.
	rec profile.Packed
}

// completeness measures how much a candidate says: a date's precision, an
// address's number of parts, otherwise the value's length in runes.
func (c *Candidate) completeness() int {
	switch {
	case !c.Date.IsZero():
		return int(c.Date.Precision())
	case c.Address != nil:
		n := 0
		for _, f := range addressParts {
			if t, _ := c.Address.Part(f); t.Valid() {
				n++
			}
		}
		return n
	}
	return utf8.RuneCountInString(c.Value)
}

// Rule picks the surviving values of one field. A rule only narrows: it
// marks which candidates lose, so every golden value is one a member record
// really holds. Rules are values; the built-in ones are safe for concurrent
// use, and a custom Rule must be too if the [Survivorship] is shared.
//
// Rules chain with [Then]. After the chain, a single-valued field keeps the
// candidate with the smallest Key (then From), so ties are deterministic and
// independent of input order; a multi-valued field keeps every distinct Key.
type Rule interface {
	// Name is recorded in [profile.GoldenValue].Rule, e.g. "most_recent".
	Name() string
	// Narrow clears keep[i] for each candidate that loses. On entry cands
	// is non-empty, sorted by Key, then From, then Raw, and keep is all
	// true. Narrow must not modify cands and must not depend on their order
	// beyond that sort. Clearing every keep[i] means the rule cannot decide:
	// all candidates stay.
	Narrow(cands []Candidate, keep []bool)
}

// MostRecent keeps the values of the most recently observed records.
// Records with unknown (zero) observed time count as oldest.
func MostRecent() Rule { return mostRecent{} }

type mostRecent struct{}

func (mostRecent) Name() string { return "most_recent" }
func (mostRecent) Narrow(cands []Candidate, keep []bool) {
	var best time.Time
	for i := range cands {
		if cands[i].Observed.After(best) {
			best = cands[i].Observed
		}
	}
	for i := range cands {
		keep[i] = cands[i].Observed.Equal(best)
	}
}

// FirstNonEmpty keeps the values of the earliest observed records that have
// the field: the value as first seen. Records with unknown observed time
// count only when no record's time is known.
func FirstNonEmpty() Rule { return firstNonEmpty{} }

type firstNonEmpty struct{}

func (firstNonEmpty) Name() string { return "first_non_empty" }
func (firstNonEmpty) Narrow(cands []Candidate, keep []bool) {
	var best time.Time
	for i := range cands {
		if t := cands[i].Observed; !t.IsZero() && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	for i := range cands {
		keep[i] = cands[i].Observed.Equal(best)
	}
}

// MostFrequent keeps the values held by the most records. For dates, a
// record supports every value its date is compatible with, so "1980" and
// "1980-03-12" support each other; chain [MostComplete] after it to prefer
// the full date.
func MostFrequent() Rule { return mostFrequent{} }

type mostFrequent struct{}

func (mostFrequent) Name() string { return "most_frequent" }
func (mostFrequent) Narrow(cands []Candidate, keep []bool) {
	// Candidates are sorted by key, so equal keys are adjacent: count runs,
	// twice (find the best count, then mark), rather than allocate. Dates
	// count compatible values, O(n^2), but a profile has few birth dates.
	best := 0
	for pass := 0; pass < 2; pass++ {
		for i := 0; i < len(cands); {
			j := i + 1
			for j < len(cands) && cands[j].Key == cands[i].Key {
				j++
			}
			n := j - i
			if !cands[i].Date.IsZero() {
				n = 0
				for k := range cands {
					if compatibleDates(cands[i].Date, cands[k].Date) {
						n++
					}
				}
			}
			if pass == 0 {
				best = max(best, n)
			} else {
				for k := i; k < j; k++ {
					keep[k] = n == best
				}
			}
			i = j
		}
	}
}

// compatibleDates reports whether two dates agree on every part both know.
func compatibleDates(a, b profile.Date) bool {
	if a.IsZero() || b.IsZero() || a.Year != b.Year {
		return false
	}
	if a.Month != 0 && b.Month != 0 && a.Month != b.Month {
		return false
	}
	return a.Day == 0 || b.Day == 0 || a.Day == b.Day
}

// MostComplete keeps the most complete values: the most precise date, the
// address with the most parts, otherwise the longest value (in characters).
func MostComplete() Rule { return mostComplete{} }

type mostComplete struct{}

func (mostComplete) Name() string { return "most_complete" }
func (mostComplete) Narrow(cands []Candidate, keep []bool) {
	best := -1
	for i := range cands {
		best = max(best, cands[i].completeness())
	}
	for i := range cands {
		keep[i] = cands[i].completeness() == best
	}
}

// SourcePriority keeps the values of the highest-ranked source present: the
// sources are listed from most to least trusted, and unlisted sources rank
// below all listed ones (equal among themselves).
func SourcePriority(sources ...string) Rule {
	r := sourcePriority{rank: make(map[string]int, len(sources))}
	for i, s := range sources {
		if _, dup := r.rank[s]; !dup {
			r.rank[s] = i
		}
	}
	return r
}

type sourcePriority struct{ rank map[string]int }

func (sourcePriority) Name() string { return "source_priority" }
func (r sourcePriority) Narrow(cands []Candidate, keep []bool) {
	rank := func(s string) int {
		if k, ok := r.rank[s]; ok {
			return k
		}
		return len(r.rank)
	}
	best := len(r.rank)
	for i := range cands {
		best = min(best, rank(cands[i].From.Source))
	}
	for i := range cands {
		keep[i] = rank(cands[i].From.Source) == best
	}
}

// Union keeps every value: for multi-valued fields (emails, phones,
// addresses, identifiers) the golden profile lists each distinct value once,
// most frequent first, then most recent, then by key.
func Union() Rule { return union{} }

type union struct{}

func (union) Name() string                          { return "union" }
func (union) Narrow(cands []Candidate, keep []bool) {}

// Func returns a custom rule: narrow clears keep[i] for each candidate that
// loses, under the contract of [Rule].Narrow. The name is recorded as the
// provenance of the values it decides.
func Func(name string, narrow func(cands []Candidate, keep []bool)) Rule {
	return funcRule{name: name, narrow: narrow}
}

type funcRule struct {
	name   string
	narrow func([]Candidate, []bool)
}

func (f funcRule) Name() string                          { return f.name }
func (f funcRule) Narrow(cands []Candidate, keep []bool) { f.narrow(cands, keep) }

// Then chains rules: each narrows what the previous one kept, so
// Then(MostFrequent(), MostRecent()) takes the most frequent value and breaks
// ties by recency. The provenance of a value names the rule in the chain that
// decided it.
func Then(rules ...Rule) Rule {
	var flat []Rule
	for _, r := range rules {
		if c, ok := r.(chain); ok {
			flat = append(flat, c...)
		} else if r != nil {
			flat = append(flat, r)
		}
	}
	if len(flat) == 1 {
		return flat[0]
	}
	return chain(flat)
}

type chain []Rule

func (c chain) Name() string {
	names := make([]string, len(c))
	for i, r := range c {
		names[i] = r.Name()
	}
	return strings.Join(names, ">")
}

// Narrow applies the chain as one rule (for use inside custom rules); the
// builder applies the steps itself so it can name the deciding one.
func (c chain) Narrow(cands []Candidate, keep []bool) {
	idx := make([]int, 0, len(cands))
	for i := range cands {
		idx = append(idx, i)
	}
	sub := make([]Candidate, 0, len(cands))
	k := make([]bool, len(cands))
	for _, r := range c {
		sub = sub[:0]
		for _, i := range idx {
			sub = append(sub, cands[i])
		}
		kk := k[:len(sub)]
		for i := range kk {
			kk[i] = true
		}
		r.Narrow(sub, kk)
		next := idx[:0]
		any := false
		for _, v := range kk {
			any = any || v
		}
		for j, i := range idx {
			if kk[j] || !any {
				next = append(next, i)
			}
		}
		idx = next
	}
	for i := range keep {
		keep[i] = false
	}
	for _, i := range idx {
		keep[i] = true
	}
}
