package merge

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/unifyhq/unify/profile"
)

// Survivorship chooses the golden values of a profile from its member
// records, field by field. The zero value uses the defaults below; set a
// field to override it.
//
// Defaults, chosen to hold for sources we have not seen:
//
//   - names (family, full, honorific, suffix) and gender:
//     Then(MostFrequent(), MostRecent()): what most records say, then the
//     latest, so one typo does not win and a change of name does once it
//     is confirmed by more records than the old one;
//   - the full name, when given and family names survive and Fields sets
//     no rule for it, agrees with them: that rule chooses among the full
//     names that hold both (the given name or a nickname of it, by
//     [profile.DefaultNicknames]), and when none does, the given, middle
//     and family names are joined (family first in a Chinese, Japanese or
//     Korean script), with the rule "from_name_parts" and the given name's
//     record as provenance. So a profile with the given name Przemysław
//     does not read "P Kowalski" because only the till wrote a full name;
//   - given and middle names: Then(MostFrequent(), MostComplete(),
//     MostRecent()): on a tie the fuller form wins, so a profile of one
//     Robert and one Bob reads Robert, and an initial loses to the name;
//   - birth date: Then(MostFrequent(), MostComplete(), MostRecent()), with
//     partial dates supporting the full dates they agree with;
//   - emails, phones, addresses and identifiers: Union(), deduplicated by
//     normalized value (emails by mailbox, [profile.MailboxKey], so
//     "jane.doe@gmail.com" and "janedoe@googlemail.com" are one email,
//     shown as the latest record wrote it, and an address whose domain is
//     a large mail provider's misspelt, "jane@gmail.con" beside
//     "jane@gmail.com", is left out; addresses also by spelling, see
//     Address);
//   - attributes (attr:<name>): Then(MostRecent(), MostFrequent());
//   - consents (consent:<purpose>): MostRecent(), and when two records of the
//     same time disagree, "no" wins (it sorts first), the safe choice.
//
// Of one value written several ways (equal keys), the profile shows a
// spelling in mixed case over one in capitals or lower case only (JOHN and
// John show John), then the latest. Remaining ties go to the smallest
// normalized value, then the smallest record reference, so golden values
// never depend on input order.
type Survivorship struct {
	// Fields sets the rule of individual fields, including single
	// identifier types, attributes and consents ("id:loyalty",
	// "attr:segment", "consent:email"). Address parts are not allowed here:
	// addresses survive whole (see Address).
	Fields map[profile.Field]Rule
	// Address is the rule for whole postal addresses. An address survives
	// with all its parts, never a street from one record and a postcode from
	// another. The golden profile lists surviving addresses as parallel
	// lists: the i-th value of every address part field belongs to the i-th
	// address, and a part that address lacks is an empty Value with the same
	// provenance. An address whose every part is equal in a more complete
	// surviving address is dropped as redundant.
	//
	// Spellings of one address ("142 Main St., New Yor" and "142 Main
	// Street, New York"; "Flat 12, 6 Beech St." and "6 Beech St.") count as
	// one address: the rule weighs them together, and the profile shows the
	// spelling most records wrote (then the most complete, then the latest),
	// from the latest record that wrote it. Two addresses are spellings of
	// one when every part both have agrees (country and house number equal;
	// postcode equal or one the start of the other; the street's numbers
	// the same and its words equal, one within the other or Jaro-Winkler >=
	// 0.90 without unit markers such as "flat" and "apt"; the locality equal
	// or Jaro-Winkler >= 0.90 when no postcode decides), and they agree on
	// the street, or on the postcode when one has no street, or on the town
	// when neither has a street or a postcode. A different house number or
	// postcode keeps two addresses apart.
	Address Rule
	// IDs, Attrs and Consents are the rules for identifier types,
	// attributes and consent purposes not listed in Fields.
	IDs, Attrs, Consents Rule
}

// defaultNameRule is the default rule for names and gender.
var defaultNameRule = Then(MostFrequent(), MostRecent())

// defaultForenameRule is the default rule for given and middle names.
var defaultForenameRule = Then(MostFrequent(), MostComplete(), MostRecent())

// survivor is a compiled Survivorship. It is safe for concurrent use.
type survivor struct {
	// fullFromParts is set unless Survivorship.Fields names a rule for the
	// full name: the full name then agrees with the given and family names.
	fullFromParts bool
	fixed         map[profile.Field]Rule // every fixed non-address field
	override      map[profile.Field]Rule // id:, attr:, consent: fields
	address       Rule
	ids           Rule
	attrs         Rule
	consents      Rule
	pool          sync.Pool // *scratch
	// names numbers the field and rule names golden values carry, so a
	// value holds two small numbers instead of two strings.
	names names
}

// names interns strings as dense numbers. It is safe for concurrent use:
// golden profiles are built on several goroutines. It only grows, by the
// field and rule names the data and the survivorship rules bring (a few
// hundred at most in practice).
type names struct {
	mu  sync.RWMutex
	idx map[string]uint32
	all []string
}

func (n *names) id(s string) uint32 {
	n.mu.RLock()
	i, ok := n.idx[s]
	n.mu.RUnlock()
	if ok {
		return i
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if i, ok := n.idx[s]; ok {
		return i
	}
	if n.idx == nil {
		n.idx = map[string]uint32{}
	}
	i = uint32(len(n.all))
	n.idx[s] = i
	n.all = append(n.all, s)
	return i
}

// list returns the names so far, indexed by number. Entries never change,
// so the caller may read it without the lock.
func (n *names) list() []string {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.all
}

func (s Survivorship) compile() (*survivor, error) {
	c := &survivor{
		fixed:    map[profile.Field]Rule{},
		override: map[profile.Field]Rule{},
		address:  or(s.Address, Union()),
		ids:      or(s.IDs, Union()),
		attrs:    or(s.Attrs, Then(MostRecent(), MostFrequent())),
		consents: or(s.Consents, MostRecent()),
		// Set before s.Fields is read, which may clear it.
		fullFromParts: true,
	}
	for _, f := range profile.Fields {
		switch {
		case f.IsAddressPart():
		case f == profile.FieldEmail || f == profile.FieldPhone:
			c.fixed[f] = Union()
		case f == profile.FieldBirthDate:
			c.fixed[f] = Then(MostFrequent(), MostComplete(), MostRecent())
		case f == profile.FieldGivenName || f == profile.FieldMiddleName:
			c.fixed[f] = defaultForenameRule
		default:
			c.fixed[f] = defaultNameRule
		}
	}
	for f, r := range s.Fields {
		pf, err := profile.ParseField(string(f))
		if err != nil || pf != f {
			return nil, fmt.Errorf("%w: Survivorship.Fields: %q is not a field name (%v)", ErrInvalidOptions, f, err)
		}
		if r == nil {
			return nil, fmt.Errorf("%w: Survivorship.Fields[%q] is nil", ErrInvalidOptions, f)
		}
		if f.IsAddressPart() {
			return nil, fmt.Errorf("%w: Survivorship.Fields[%q]: address parts survive whole; set Survivorship.Address", ErrInvalidOptions, f)
		}
		if _, ok := c.fixed[f]; ok {
			c.fixed[f] = r
			if f == profile.FieldFullName {
				c.fullFromParts = false
			}
		} else {
			c.override[f] = r
		}
	}
	c.pool.New = func() any { return new(scratch) }
	return c, nil
}

func or(r, def Rule) Rule {
	if r == nil {
		return def
	}
	return r
}

// Builder builds golden profiles from member records. It is safe for
// concurrent use: build profiles on as many goroutines as pays.
type Builder struct{ s *survivor }

// NewBuilder compiles a Survivorship. The error wraps [ErrInvalidOptions].
func NewBuilder(s Survivorship) (*Builder, error) {
	c, err := s.compile()
	if err != nil {
		return nil, err
	}
	return &Builder{c}, nil
}

// Build returns the golden profile of the given member records: Members
// sorted, Fields chosen by the survivorship rules with provenance on every
// value, and Updated the latest observed time among the members. ID and
// Aliases are left empty for the caller. The result does not depend on the
// order of members. Nil records are skipped.
func (b *Builder) Build(members []*profile.Record) profile.Profile {
	p := profile.Profile{Members: make([]profile.Ref, 0, len(members))}
	for _, r := range members {
		if r != nil {
			p.Members = append(p.Members, r.Ref())
		}
	}
	slices.SortFunc(p.Members, profile.Ref.Compare)
	// A golden value points at the packed record it came from for the
	// reference and time; those are all that Build's expansion reads, so
	// that is all it packs.
	from := make([]profile.Packed, len(members))
	for i, r := range members {
		if r != nil {
			from[i] = profile.Pack(&profile.Record{Source: r.Source, Key: r.Key, Observed: r.Observed})
		}
	}
	b.s.fill(&p, members, from)
	return p
}

// golden is a profile's golden values as survivorship chooses them: one
// list, field by field, each value pointing at the record it came from
// rather than copying its reference and time. It lives in pooled scratch
// memory until expanded into a profile.Profile.
type golden struct {
	vals    []goldenValue
	updated time.Time // the latest observed time among the members
}

// goldenValue is one golden value: 56 bytes, three of them pointers. The
// field and the rule that chose the value are numbers in the survivor's
// names; the value's reference and time are read from the packed record.
type goldenValue struct {
	value, raw  string
	from        profile.Packed
	field, rule uint32
}

// expand fills p.Fields from gd, with names from the survivor's list: one
// allocation for every value, carved per field (capacity-limited, so
// appending to one field cannot overwrite the next).
func (gd *golden) expand(p *profile.Profile, names []string) {
	if len(gd.vals) == 0 {
		return
	}
	nf := 0
	for i := range gd.vals {
		if i == 0 || gd.vals[i].field != gd.vals[i-1].field {
			nf++
		}
	}
	all := make([]profile.GoldenValue, len(gd.vals))
	p.Fields = make(map[profile.Field][]profile.GoldenValue, nf)
	lo := 0
	for i := range gd.vals {
		v := &gd.vals[i]
		all[i] = profile.GoldenValue{Value: v.value, Raw: v.raw, From: v.from.Ref(), Observed: v.from.Observed(), Rule: names[v.rule]}
		if i+1 == len(gd.vals) || gd.vals[i+1].field != v.field {
			p.Fields[profile.Field(names[v.field])] = all[lo : i+1 : i+1]
			lo = i + 1
		}
	}
}

type scratch struct {
	cands []Candidate
	work  []Candidate
	keep  []bool
	names []string
	reps  []rep
	gv    []goldenValue     // the profile's golden values, field by field
	recs  []profile.Record  // members decoded from their packed form
	ptrs  []*profile.Record // pointers to recs
	// for groupAddresses
	variants []addrVariant
	order    []int
	heads    []int
}

// rep is one surviving distinct value with its ordering keys.
type rep struct {
	c       Candidate
	support int
	latest  time.Time // the latest occurrence, for ordering
}

var addressParts = []profile.Field{
	profile.FieldHouseNumber, profile.FieldStreet, profile.FieldAddressLine2,
	profile.FieldLocality, profile.FieldRegion, profile.FieldPostcode, profile.FieldCountry,
}

// fillPacked sets p's golden values and Updated from packed members,
// decoding them into the scratch's records (the values share the packed
// text).
func (s *survivor) fillPacked(p *profile.Profile, members []profile.Packed) {
	sc := s.pool.Get().(*scratch)
	defer s.release(sc)
	if cap(sc.recs) < len(members) {
		sc.recs = append(sc.recs[:cap(sc.recs)], make([]profile.Record, len(members)-cap(sc.recs))...)
	}
	sc.recs = sc.recs[:len(members)]
	sc.ptrs = sc.ptrs[:0]
	for i, r := range members {
		r.Decode(&sc.recs[i])
		sc.ptrs = append(sc.ptrs, &sc.recs[i])
	}
	gd := s.buildWith(sc, sc.ptrs, members)
	p.Updated = gd.updated
	gd.expand(p, s.names.list())
}

// fill sets p's golden values and Updated from members; from[i] is
// members[i] packed (at least its reference and observed time), which the
// values point at.
func (s *survivor) fill(p *profile.Profile, members []*profile.Record, from []profile.Packed) {
	sc := s.pool.Get().(*scratch)
	defer s.release(sc)
	gd := s.buildWith(sc, members, from)
	p.Updated = gd.updated
	gd.expand(p, s.names.list())
}

// buildWith chooses the golden values of members into sc. The result holds
// sc's memory: expand it before sc is released.
func (s *survivor) buildWith(sc *scratch, members []*profile.Record, from []profile.Packed) golden {
	var gd golden
	sc.gv = clearReset(sc.gv)
	for _, r := range members {
		if r != nil && r.Observed.After(gd.updated) {
			gd.updated = r.Observed
		}
	}

	// The surviving given, middle and family names, for the full name.
	var given, middle, family *Candidate
	var parts [3]Candidate
	for _, f := range profile.Fields {
		if f.IsAddressPart() {
			continue
		}
		sc.cands = clearReset(sc.cands)
		for mi, r := range members {
			if r != nil {
				sc.cands = appendFixed(sc.cands, r, from[mi], f)
			}
		}
		if f == profile.FieldFullName && s.fullFromParts && given != nil && family != nil {
			s.surviveFullName(sc, given, middle, family)
			continue
		}
		s.survive(sc, f, s.fixed[f], f.MultiValued())
		// survive leaves sc.reps as they were when there is no candidate.
		if len(sc.cands) > 0 && len(sc.reps) > 0 {
			switch f {
			case profile.FieldGivenName:
				parts[0], given = sc.reps[0].c, &parts[0]
			case profile.FieldMiddleName:
				parts[1], middle = sc.reps[0].c, &parts[1]
			case profile.FieldFamilyName:
				parts[2], family = sc.reps[0].c, &parts[2]
			}
		}
	}
	s.buildAddresses(sc, members, from)

	// Identifier types, attributes and consent purposes present, in order.
	sc.names = clearReset(sc.names)
	for _, r := range members {
		if r == nil {
			continue
		}
		for _, id := range r.IDs {
			sc.names = append(sc.names, profile.IDPrefix+id.Type)
		}
		for k := range r.Attrs {
			sc.names = append(sc.names, profile.AttrPrefix+k)
		}
		for _, c := range r.Consents {
			sc.names = append(sc.names, profile.ConsentPrefix+c.Purpose)
		}
	}
	slices.Sort(sc.names)
	sc.names = slices.Compact(sc.names)
	for _, name := range sc.names {
		f := profile.Field(name)
		sc.cands = clearReset(sc.cands)
		rule, multi := s.attrs, false
		switch {
		case strings.HasPrefix(name, profile.IDPrefix):
			rule, multi = s.ids, true
			typ := name[len(profile.IDPrefix):]
			for mi, r := range members {
				if r == nil {
					continue
				}
				for _, id := range r.IDs {
					if id.Type == typ && id.Value != "" {
						sc.cands = append(sc.cands, Candidate{Value: id.Value, Raw: id.Raw, Key: id.Value, From: r.Ref(), Observed: r.Observed, rec: from[mi]})
					}
				}
			}
		case strings.HasPrefix(name, profile.AttrPrefix):
			attr := name[len(profile.AttrPrefix):]
			for mi, r := range members {
				if r == nil {
					continue
				}
				if v, ok := r.Attrs[attr]; ok {
					if t := strings.TrimSpace(v); t != "" {
						sc.cands = append(sc.cands, Candidate{Value: t, Raw: v, Key: t, From: r.Ref(), Observed: r.Observed, rec: from[mi]})
					}
				}
			}
		default:
			rule = s.consents
			purpose := name[len(profile.ConsentPrefix):]
			for mi, r := range members {
				if r == nil {
					continue
				}
				for _, c := range r.Consents {
					if c.Purpose == purpose && c.Known {
						v := "no"
						if c.Granted {
							v = "yes"
						}
						sc.cands = append(sc.cands, Candidate{Value: v, Raw: c.Raw, Key: v, From: r.Ref(), Observed: r.Observed, rec: from[mi]})
					}
				}
			}
		}
		if r, ok := s.override[f]; ok {
			rule = r
		}
		s.survive(sc, f, rule, multi)
	}
	gd.vals = sc.gv
	return gd
}

// release returns scratch to the pool with every value cleared, so record
// data (an erased record's, say) does not linger in pooled memory. Each
// slice is kept zero past its length as it is used (clearReset, and the
// clears in select_ and buildAddresses), so clearing up to the lengths
// clears everything, at the cost of what this build used rather than of
// the largest build the scratch ever served.
func (s *survivor) release(sc *scratch) {
	clear(sc.cands)
	clear(sc.work)
	clear(sc.reps)
	clear(sc.names)
	clear(sc.gv)
	for i := range sc.recs {
		wipe(&sc.recs[i])
	}
	sc.recs = sc.recs[:0] // the next release wipes only what its build decoded
	clear(sc.ptrs)
	s.pool.Put(sc)
}

// clearReset zeroes s and returns it empty, with its capacity.
func clearReset[T any](s []T) []T {
	clear(s)
	return s[:0]
}

// wipe zeroes a decoded scratch record, keeping its slices' capacity for
// the next Decode (and zeroing what they held).
func wipe(r *profile.Record) {
	e, p, a := r.Emails[:cap(r.Emails)], r.Phones[:cap(r.Phones)], r.Addresses[:cap(r.Addresses)]
	ids, cs, at := r.IDs[:cap(r.IDs)], r.Consents[:cap(r.Consents)], r.Attrs
	clear(e)
	clear(p)
	clear(a)
	clear(ids)
	clear(cs)
	clear(at)
	*r = profile.Record{Emails: e[:0], Phones: p[:0], Addresses: a[:0], IDs: ids[:0], Consents: cs[:0], Attrs: at}
}

// appendFixed appends the candidates record r offers for fixed field f.
func appendFixed(dst []Candidate, r *profile.Record, packed profile.Packed, f profile.Field) []Candidate {
	text := func(t profile.Text) []Candidate {
		if t.Norm == "" {
			return dst
		}
		k := t.Key
		if k == "" {
			k = t.Norm
		}
		return append(dst, Candidate{Value: t.Norm, Raw: t.Raw, Key: k, From: r.Ref(), Observed: r.Observed, rec: packed})
	}
	switch f {
	case profile.FieldGivenName:
		return text(r.Name.Given)
	case profile.FieldMiddleName:
		return text(r.Name.Middle)
	case profile.FieldFamilyName:
		return text(r.Name.Family)
	case profile.FieldFullName:
		return text(r.Name.Full)
	case profile.FieldHonorific:
		return text(r.Name.Honorific)
	case profile.FieldSuffix:
		return text(r.Name.Suffix)
	case profile.FieldGender:
		return text(r.Gender)
	case profile.FieldEmail:
		for _, e := range r.Emails {
			if e.Address == "" {
				continue
			}
			k := e.Canonical
			if k == "" {
				k = e.Address
			}
			// One mailbox written two ways (gmail's dots, googlemail,
			// "+tags") is one email, as matching reads it.
			k = profile.MailboxKey(k)
			dst = append(dst, Candidate{Value: e.Address, Raw: e.Raw, Key: k, From: r.Ref(), Observed: r.Observed, rec: packed})
		}
	case profile.FieldPhone:
		for _, ph := range r.Phones {
			if ph.E164 != "" {
				dst = append(dst, Candidate{Value: ph.E164, Raw: ph.Raw, Key: ph.E164, From: r.Ref(), Observed: r.Observed, rec: packed})
			}
		}
	case profile.FieldBirthDate:
		if d := r.BirthDate.Date; !d.IsZero() {
			v := d.String()
			dst = append(dst, Candidate{Value: v, Raw: r.BirthDate.Raw, Key: v, From: r.Ref(), Observed: r.Observed, rec: packed, Date: d})
		}
	}
	return dst
}

// buildAddresses survives whole addresses and appends them to sc.gv as
// parallel lists of the address part fields.
func (s *survivor) buildAddresses(sc *scratch, members []*profile.Record, from []profile.Packed) {
	sc.cands = clearReset(sc.cands)
	var key strings.Builder
	for mi, r := range members {
		if r == nil {
			continue
		}
		for i := range r.Addresses {
			a := &r.Addresses[i]
			if !a.Valid() {
				continue
			}
			key.Reset()
			for j, f := range addressParts {
				if j > 0 {
					key.WriteByte(0x1f) // unit separator: cannot occur in a normalized part
				}
				key.WriteString(partKey(a, f))
			}
			sc.cands = append(sc.cands, Candidate{Key: key.String(), From: r.Ref(), Observed: r.Observed, rec: from[mi], Address: a})
		}
	}
	if len(sc.cands) == 0 {
		return
	}
	shown := groupAddresses(sc)
	rule := s.names.id(s.select_(sc, s.address, true))
	// A group of spellings of one address shows its most written one.
	for i := range sc.reps {
		for _, c := range shown {
			if c.Key == sc.reps[i].c.Key {
				sc.reps[i].c = c
				break
			}
		}
	}
	// Drop addresses that a more complete surviving address covers; the
	// records that gave them support the covering address instead.
	n := len(sc.reps)
	covered := make([]bool, n)
	for i := range n {
		for j := range n {
			if i != j && covers(sc.reps[j].c.Address, sc.reps[i].c.Address) {
				covered[i] = true
				sc.reps[j].support += sc.reps[i].support
				if sc.reps[i].latest.After(sc.reps[j].latest) {
					sc.reps[j].latest = sc.reps[i].latest
				}
			}
		}
	}
	kept := sc.reps[:0]
	for i := range n {
		if !covered[i] {
			kept = append(kept, sc.reps[i])
		}
	}
	clear(sc.reps[len(kept):n])
	sc.reps = kept
	sortReps(sc.reps)
	for _, f := range addressParts {
		present := false
		for i := range sc.reps {
			if t, _ := sc.reps[i].c.Address.Part(f); t.Valid() {
				present = true
				break
			}
		}
		if !present {
			continue
		}
		fid := s.names.id(string(f))
		for i := range sc.reps {
			c := &sc.reps[i].c
			t, _ := c.Address.Part(f)
			gv := goldenValue{field: fid, from: c.rec, rule: rule}
			if t.Valid() {
				gv.value, gv.raw = t.Norm, t.Raw
			}
			sc.gv = append(sc.gv, gv)
		}
	}
}

func partKey(a *profile.Address, f profile.Field) string {
	t, _ := a.Part(f)
	if t.Key != "" {
		return t.Key
	}
	return t.Norm
}

// covers reports whether address b holds every part of a with equal keys and
// at least one part more.
func covers(b, a *profile.Address) bool {
	more := false
	for _, f := range addressParts {
		ka, kb := partKey(a, f), partKey(b, f)
		switch {
		case ka != "" && ka != kb:
			return false
		case ka == "" && kb != "":
			more = true
		}
	}
	return more
}

// surviveFullName chooses the full name of a profile whose given and family
// names survived: among the members' full names, those that hold both
// (their keys' words include the given and the family name's), by the
// full name's rule (the given name may be a nickname of it: "Kathy O'Neil"
// for Katherine O'Neil); when none does, the given, middle and family names
// joined, family first where the names are in a CJK script, as those
// languages write them. So a profile reads "Przemysław Kowalski" and not
// the till's "P Kowalski" next to a given name of Przemysław.
func (s *survivor) surviveFullName(sc *scratch, given, middle, family *Candidate) {
	f := profile.FieldFullName
	kept := sc.cands[:0]
	for _, c := range sc.cands {
		if hasWords(c.Key, family.Key) && hasGiven(c.Key, given.Key) {
			kept = append(kept, c)
		}
	}
	clear(sc.cands[len(kept):])
	sc.cands = kept
	if len(sc.cands) > 0 {
		s.survive(sc, f, s.fixed[f], false)
		return
	}
	names := []string{given.Value, family.Value}
	if middle != nil {
		names = []string{given.Value, middle.Value, family.Value}
	}
	if cjk(given.Value) || cjk(family.Value) {
		slices.Reverse(names)
	}
	v := strings.Join(names, " ")
	sc.gv = append(sc.gv, goldenValue{field: s.names.id(string(f)), value: v, raw: v, from: given.rec, rule: s.names.id("from_name_parts")})
}

// hasGiven reports whether the words of a full name's key hold the given
// name's, or a name the default nickname table makes equivalent to it:
// "kathy o neil" holds Katherine, "k o neil" does not.
func hasGiven(key, given string) bool {
	if hasWords(key, given) {
		return true
	}
	nk := profile.DefaultNicknames()
	for w := range strings.FieldsSeq(key) {
		if utf8.RuneCountInString(w) > 1 && nk.Equivalent(w, given) {
			return true
		}
	}
	return false
}

// hasWords reports whether every space-separated word of part is a word of
// key.
func hasWords(key, part string) bool {
	for w := range strings.FieldsSeq(part) {
		found := false
		for k := range strings.FieldsSeq(key) {
			if k == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return part != ""
}

// cjk reports whether s has a letter of a Chinese, Japanese or Korean
// script.
func cjk(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return true
		}
	}
	return false
}

// survive chooses the values of one field from sc.cands and appends them to
// sc.gv.
func (s *survivor) survive(sc *scratch, f profile.Field, rule Rule, multi bool) {
	if len(sc.cands) == 0 {
		return
	}
	fid, rid := s.names.id(string(f)), s.names.id(s.select_(sc, rule, multi))
	if f == profile.FieldEmail {
		sc.reps = dropDomainTypos(sc.reps)
	}
	for i := range sc.reps {
		c := &sc.reps[i].c
		sc.gv = append(sc.gv, goldenValue{field: fid, value: c.Value, raw: c.Raw, from: c.rec, rule: rid})
	}
}

// select_ runs rule over sc.cands and leaves the surviving distinct values in
// sc.reps (one for single-valued fields), in output order. It returns the
// provenance name: the rule in the chain that decided.
func (s *survivor) select_(sc *scratch, rule Rule, multi bool) string {
	cands := sc.cands
	slices.SortFunc(cands, compareCand)
	distinct := countKeys(cands)

	sc.work = append(sc.work[:0], cands...)
	name := ""
	steps := []Rule{rule}
	if c, ok := rule.(chain); ok {
		steps = c
	}
	switch {
	case distinct == 1 && !multi:
		name = "unanimous"
	default:
		for _, step := range steps {
			if !multi && countKeys(sc.work) == 1 {
				break
			}
			before := countKeys(sc.work)
			sc.keep = slices.Grow(sc.keep[:0], len(sc.work))[:len(sc.work)]
			for i := range sc.keep {
				sc.keep[i] = true
			}
			step.Narrow(sc.work, sc.keep)
			if !slices.Contains(sc.keep, true) {
				continue // the rule abstains
			}
			w := sc.work[:0]
			for i, k := range sc.keep {
				if k {
					w = append(w, sc.work[i])
				}
			}
			sc.work = w
			if countKeys(sc.work) < before {
				name = step.Name()
			}
		}
		if !multi && countKeys(sc.work) > 1 {
			name = "tie_break"
			k := sc.work[0].Key
			n := 1
			for n < len(sc.work) && sc.work[n].Key == k {
				n++
			}
			sc.work = sc.work[:n]
		}
		if name == "" {
			name = rule.Name()
		}
	}

	// One representative per surviving key: a spelling in mixed case over
	// one in capitals or lower case, then the latest occurrence among the
	// kept candidates, ties to the first in sort order.
	sc.reps = clearReset(sc.reps)
	for i := 0; i < len(sc.work); {
		j, best := i+1, i
		for j < len(sc.work) && sc.work[j].Key == sc.work[i].Key {
			if betterSpelling(caseRank(sc.work[j].Value), sc.work[j].Observed, caseRank(sc.work[best].Value), sc.work[best].Observed) {
				best = j
			}
			j++
		}
		sc.reps = append(sc.reps, rep{c: sc.work[best]})
		i = j
	}
	// work held a copy of every candidate; the narrowing shortened it.
	clear(sc.work[:len(cands)])
	sc.work = sc.work[:0]
	// Support and latest occurrence among all candidates, for ordering.
	for i := range sc.reps {
		r := &sc.reps[i]
		lo, _ := slices.BinarySearchFunc(cands, r.c.Key, func(c Candidate, k string) int { return strings.Compare(c.Key, k) })
		for k := lo; k < len(cands) && cands[k].Key == r.c.Key; k++ {
			r.support++
			if cands[k].Observed.After(r.latest) {
				r.latest = cands[k].Observed
			}
		}
	}
	sortReps(sc.reps)
	return name
}

// sortReps orders surviving values: most supported first, then the most
// recently seen, then by key.
func sortReps(reps []rep) {
	slices.SortStableFunc(reps, func(x, y rep) int {
		if c := cmp.Compare(y.support, x.support); c != 0 {
			return c
		}
		if c := y.latest.Compare(x.latest); c != 0 {
			return c
		}
		return strings.Compare(x.c.Key, y.c.Key)
	})
}

// betterSpelling reports whether a spelling of case rank cv (see caseRank)
// written at time t shows one normalized value better than one of rank cw
// written at u: in mixed case rather than capitals or lower case only
// (JOHN, john -> John; case says nothing, and a source that keeps it is
// likelier right about McDonald), then the later.
func betterSpelling(cv int, t time.Time, cw int, u time.Time) bool {
	if cv != cw {
		return cv > cw
	}
	return t.After(u)
}

// caseRank is 0 for a value whose letters are all capitals or all lower
// case, 1 for mixed case or no cased letters.
func caseRank(s string) int {
	upper, lower := false, false
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		}
		if upper && lower {
			return 1
		}
	}
	if upper || lower {
		return 0
	}
	return 1
}

func compareCand(x, y Candidate) int {
	if c := strings.Compare(x.Key, y.Key); c != 0 {
		return c
	}
	if c := x.From.Compare(y.From); c != 0 {
		return c
	}
	if x.Address != nil && y.Address != nil {
		// Two addresses of one record with equal keys: order by how they
		// were written, so the survivor's raw text is deterministic.
		for _, f := range addressParts {
			tx, _ := x.Address.Part(f)
			ty, _ := y.Address.Part(f)
			if c := strings.Compare(tx.Raw, ty.Raw); c != 0 {
				return c
			}
			if c := strings.Compare(tx.Norm, ty.Norm); c != 0 {
				return c
			}
		}
		return 0
	}
	if c := strings.Compare(x.Raw, y.Raw); c != 0 {
		return c
	}
	return strings.Compare(x.Value, y.Value)
}

func countKeys(cs []Candidate) int {
	n := 0
	for i := range cs {
		if i == 0 || cs[i].Key != cs[i-1].Key {
			n++
		}
	}
	return n
}
