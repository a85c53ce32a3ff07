package match

import (
	"slices"
	"strings"

	"github.com/antzucaro/matchr"
	"github.com/unifyhq/unify/profile"
)

// Nicknames maps a given-name comparison key to its canonical forenames
// ("bob" -> ["robert"], "alex" -> ["alexander", "alexandra"]). The returned
// slice is read-only; a canonical name should map to itself.
// *profile.Nicknames implements it.
type Nicknames interface {
	Canonical(key string) []string
}

// Prepared is a record compiled for comparison: comparison keys, phonetic
// codes and nickname forms are computed once per record, so that comparing
// two Prepared records does not allocate. Build it with [Preparer.Prepare].
//
// A Prepared holds a pointer to its source record for custom comparisons; it
// must not be mutated after preparation.
type Prepared struct {
	Ref    profile.Ref
	Record *profile.Record

	given, middle, family string   // comparison keys
	givenCanon            []string // canonical forenames of given (nicknames resolved)
	givenPh, familyPh     phonetic
	givenInitial          string // first code point of given, or ""
	nameTokens            string // given and family tokens sorted, joined by a space

	emails []preparedEmail
	phones []preparedPhone
	dob    profile.Date
	addrs  []preparedAddress
	ids    []profile.Identifier // only those with a normalized value
	gender string
}

type phonetic struct {
	dm1, dm2, nysiis string
}

func (p phonetic) matches(q phonetic) bool {
	if p.dm1 != "" && (p.dm1 == q.dm1 || p.dm1 == q.dm2) {
		return true
	}
	if p.dm2 != "" && (p.dm2 == q.dm1 || p.dm2 == q.dm2) {
		return true
	}
	return p.nysiis != "" && p.nysiis == q.nysiis
}

type preparedEmail struct {
	addr, local, domain string
}

type preparedPhone struct {
	e164, last7 string
}

type preparedAddress struct {
	house, street, line2, locality, region, postcode, country string
}

// Preparer compiles records for comparison. The zero value works without
// nickname equivalence; set Nicknames to enable it. A Preparer is safe for
// concurrent use.
type Preparer struct {
	Nicknames Nicknames
}

// Prepare compiles r. It reads only normalized values (Text.Key,
// Email.Canonical, Phone.E164, ...): raw values that failed normalization are
// missing for matching, which carries no evidence either way.
func (pr Preparer) Prepare(r *profile.Record) *Prepared {
	p := &Prepared{Ref: r.Ref(), Record: r}
	p.given = r.Name.Given.Key
	p.middle = r.Name.Middle.Key
	p.family = r.Name.Family.Key
	if p.given != "" {
		if pr.Nicknames != nil {
			p.givenCanon = pr.Nicknames.Canonical(p.given)
		}
		p.givenPh = phoneticOf(p.given)
		for _, c := range p.given {
			p.givenInitial = string(c)
			break
		}
	}
	if p.family != "" {
		p.familyPh = phoneticOf(p.family)
	}
	if p.given != "" || p.family != "" {
		toks := append(strings.Fields(p.given), strings.Fields(p.family)...)
		slices.Sort(toks)
		p.nameTokens = strings.Join(toks, " ")
	}
	for _, e := range r.Emails {
		if e.Canonical == "" {
			continue
		}
		local, domain, _ := strings.Cut(e.Canonical, "@")
		p.emails = append(p.emails, preparedEmail{addr: e.Canonical, local: local, domain: domain})
	}
	for _, ph := range r.Phones {
		if ph.E164 == "" {
			continue
		}
		l7 := ph.E164
		if len(l7) > 7 {
			l7 = l7[len(l7)-7:]
		}
		p.phones = append(p.phones, preparedPhone{e164: ph.E164, last7: l7})
	}
	if r.BirthDate.Date.Valid() {
		p.dob = r.BirthDate.Date
	}
	for _, a := range r.Addresses {
		pa := preparedAddress{
			house: a.HouseNumber.Key, street: a.Street.Key, line2: a.Line2.Key,
			locality: a.Locality.Key, region: a.Region.Key, postcode: a.Postcode.Key,
			country: a.Country.Key,
		}
		if pa != (preparedAddress{}) {
			p.addrs = append(p.addrs, pa)
		}
	}
	for _, id := range r.IDs {
		if id.Value != "" {
			p.ids = append(p.ids, id)
		}
	}
	p.gender = r.Gender.Key
	return p
}

// phoneticOf computes Double Metaphone and NYSIIS codes for a name key. Both
// algorithms are defined for Latin letters; for other scripts they return
// empty codes, and the phonetic level simply never fires.
func phoneticOf(key string) phonetic {
	s := strings.ReplaceAll(key, " ", "")
	dm1, dm2 := matchr.DoubleMetaphone(s)
	return phonetic{dm1: dm1, dm2: dm2, nysiis: matchr.NYSIIS(s)}
}

// Given returns the given-name comparison key.
func (p *Prepared) Given() string { return p.given }

// Family returns the family-name comparison key.
func (p *Prepared) Family() string { return p.family }
