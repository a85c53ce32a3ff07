package merge

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/antzucaro/matchr"
	"github.com/unifyhq/unify/profile"
)

// sameAddress reports whether a and b are one postal address written two
// ways, as the records of one person often write it: "142 Main St., New
// Yor" and "142 Main Street, New York"; "Garten-Str. 23" and
// "Gartenstrasse 23"; "Flat 12, 6 Beech St." and "6 Beec hSt.". It asks
// that every part both addresses have agrees, allowing for what the
// normalizer cannot undo (a typo, an abbreviation it does not expand, a flat
// number one source leaves out), and that they agree on the street, or,
// when one has no street, on the postcode, or, when neither has a street or
// a postcode, on the town.
//
//   - country and house number: equal when both are given;
//   - postcode: equal, or one the start of the other (a ZIP+4 against its
//     ZIP), when both are given;
//   - street: the numbers in one are all in the other (so 12 and 14 Main
//     Street stay two addresses), and the words, without their numbers and
//     spaces, are equal, one within the other, or Jaro-Winkler >= 0.90;
//   - locality: equal or Jaro-Winkler >= 0.90 when both are given;
//   - region and second line: not compared (NSW and New South Wales; a unit
//     one source writes in the street and another in the second line).
//
// A postcode typo is not allowed for: it could as well be a neighbour's
// address, and keeping two addresses loses nothing.
func sameAddress(a, b *profile.Address) bool {
	both := func(x, y string) bool { return x != "" && y != "" }
	if ca, cb := a.Country.Key, b.Country.Key; both(ca, cb) && ca != cb {
		return false
	}
	if ha, hb := a.HouseNumber.Key, b.HouseNumber.Key; both(ha, hb) && ha != hb {
		return false
	}
	pa, pb := partKey(a, profile.FieldPostcode), partKey(b, profile.FieldPostcode)
	postcode := both(pa, pb)
	if postcode && !strings.HasPrefix(pa, pb) && !strings.HasPrefix(pb, pa) {
		return false
	}
	// The postcode places an address better than the town's name, which
	// sources abbreviate ("LA") or leave junk in.
	if la, lb := a.Locality.Key, b.Locality.Key; !postcode && both(la, lb) && la != lb && matchr.JaroWinkler(la, lb, false) < 0.90 {
		return false
	}
	sa, sb := a.Street.Key, b.Street.Key
	switch {
	case both(sa, sb):
		return sameStreet(sa, sb)
	case postcode:
		return true
	case sa == "" && sb == "" && pa == "" && pb == "":
		// Only a town on both ("Bristol" and "Bristo"), which agreed above.
		return both(a.Locality.Key, b.Locality.Key)
	}
	return false
}

// sameStreet compares two street keys as sameAddress documents.
func sameStreet(a, b string) bool {
	if a == b {
		return true
	}
	if !sameNumbers(streetNumbers(a), streetNumbers(b)) {
		return false
	}
	// Two readings of the words: all of them but unit markers, and only
	// those of three letters or more. The first keeps short abbreviated
	// names ("4 hl st", Hill Street); the second drops street types and
	// markers in other languages ("ul", "m").
	for _, short := range []bool{true, false} {
		wa, wb := streetLetters(a, short), streetLetters(b, short)
		if len(wa) > len(wb) {
			wa, wb = wb, wa
		}
		switch {
		case wa == "":
			// Only numbers on both ("9-29-12"): they decide. Empty once
			// the short words are gone says nothing.
			if wb == "" && short {
				return true
			}
		case wa == wb, len(wa) >= 3 && strings.Contains(wb, wa), matchr.JaroWinkler(wa, wb, false) >= 0.90:
			return true
		}
	}
	return false
}

// sameNumbers reports whether the numbers of two streets agree: every
// number of the shorter list is in the longer, each used once ("flat 12 6
// beech st" and "6 beech st"), or the digits are the same once the spaces
// between them are gone ("bahnhofweg4 3" and "bahnhofweg 43"). A street
// with numbers and one without do not agree: nothing says which house.
func sameNumbers(na, nb []string) bool {
	if len(na) > len(nb) {
		na, nb = nb, na
	}
	if len(na) == 0 {
		return len(nb) == 0
	}
	if strings.Join(na, "") == strings.Join(nb, "") {
		return true
	}
	used := make([]bool, len(nb))
	for _, x := range na {
		found := false
		for j, y := range nb {
			if !used[j] && x == y {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// streetNumbers returns the runs of digits in a street key.
func streetNumbers(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

// unitWords mark a flat, suite or floor within a building; streetLetters
// leaves them out, since one source writes the unit and another does not.
var unitWords = map[string]bool{
	"apt": true, "apartment": true, "app": true, "ste": true, "suite": true, "unit": true, "flat": true,
	"fl": true, "floor": true, "rm": true, "room": true, "bldg": true, "no": true, "nr": true,
	"piso": true, "puerta": true, "etage": true, "whg": true,
}

// streetLetters returns the letters of a street key's words run together,
// leaving out unit markers (unitWords), the letters of a word with digits
// unless they are three or more ("39c" is a unit, "bahnhofweg4" a name
// with a missing space), and, unless short is set, words of one or two
// letters (street types and markers such as "ul" and "m"): "6 beec hst" and
// "flat 12 6 beech st" both read "beechst".
func streetLetters(s string, short bool) string {
	b := make([]byte, 0, len(s))
	for w := range strings.FieldsSeq(s) {
		if unitWords[w] {
			continue
		}
		start, letters, digits := len(b), 0, false
		for _, r := range w {
			if r >= '0' && r <= '9' {
				digits = true
				continue
			}
			b = utf8.AppendRune(b, r)
			letters++
		}
		if digits && letters < 3 || !short && letters <= 2 {
			b = b[:start]
		}
	}
	return string(b)
}

// addrVariant is one distinct address (by exact key) among a profile's
// candidates.
type addrVariant struct {
	first, n int       // its candidates are sc.cands[first : first+n]
	best     int       // the index of its latest candidate
	parts    int       // how many parts it has
	latest   time.Time // its latest candidate's time
	head     int       // the variant whose spelling stands for it
}

// groupAddresses puts the addresses among sc.cands that are one address
// written differently (sameAddress) under one key, so that the address rule
// weighs them together, and returns, for each such key, the candidate
// whose spelling the profile shows: the variant most records wrote, then
// the most complete, then the latest, then the smallest key; of it, the
// latest occurrence. Each variant joins the first group, in that order,
// whose shown spelling it matches, not any member of it, so a chain of
// small differences cannot join two different addresses. The result
// depends on the candidates only, not on their order.
func groupAddresses(sc *scratch) []Candidate {
	// (Within one key, the occurrence shown is the best spelled, as
	// betterSpelling says, then the latest.)
	slices.SortFunc(sc.cands, compareCand)
	vs := sc.variants[:0]
	for i := 0; i < len(sc.cands); {
		j := i
		v := addrVariant{first: i, best: i}
		for j < len(sc.cands) && sc.cands[j].Key == sc.cands[i].Key {
			if betterSpelling(addressCase(sc.cands[j].Address), sc.cands[j].Observed, addressCase(sc.cands[v.best].Address), sc.cands[v.best].Observed) {
				v.best = j
			}
			j++
		}
		v.n = j - i
		v.latest = sc.cands[v.best].Observed
		for _, f := range addressParts {
			if partKey(sc.cands[i].Address, f) != "" {
				v.parts++
			}
		}
		vs = append(vs, v)
		i = j
	}
	sc.variants = vs
	if len(vs) < 2 {
		return nil
	}
	order := sc.order[:0]
	for i := range vs {
		order = append(order, i)
	}
	sc.order = order
	slices.SortFunc(order, func(x, y int) int {
		a, b := &vs[x], &vs[y]
		if c := cmp.Compare(b.n, a.n); c != 0 {
			return c
		}
		if c := cmp.Compare(b.parts, a.parts); c != 0 {
			return c
		}
		if c := b.latest.Compare(a.latest); c != 0 {
			return c
		}
		return strings.Compare(sc.cands[a.first].Key, sc.cands[b.first].Key)
	})
	heads := sc.heads[:0]
	for _, i := range order {
		vs[i].head = i
		for _, h := range heads {
			if sameAddress(sc.cands[vs[h].first].Address, sc.cands[vs[i].first].Address) {
				vs[i].head = h
				break
			}
		}
		if vs[i].head == i {
			heads = append(heads, i)
		}
	}
	sc.heads = heads
	if len(heads) == len(vs) {
		return nil
	}
	shown := make([]Candidate, 0, len(heads))
	for _, h := range heads {
		shown = append(shown, sc.cands[vs[h].best])
	}
	for i := range vs {
		key := sc.cands[vs[vs[i].head].first].Key
		for k := vs[i].first; k < vs[i].first+vs[i].n; k++ {
			sc.cands[k].Key = key
		}
	}
	return shown
}

// addressCase is the case rank of an address's street and town, for
// betterSpelling: the lower of the two.
func addressCase(a *profile.Address) int {
	if a == nil {
		return 1
	}
	return min(caseRank(a.Street.Norm), caseRank(a.Locality.Norm))
}
