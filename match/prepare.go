package match

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unique"

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

// NoNicknames is a nickname table that knows no names: set as
// [Preparer.Nicknames] or [Settings.Nicknames], it turns the nickname level
// off.
var NoNicknames Nicknames = noNicknames{}

type noNicknames struct{}

func (noNicknames) Canonical(string) []string { return nil }

// Prepared is a record compiled for comparison: comparison keys, phonetic
// codes and nickname forms are computed once per record, so that comparing
// two Prepared records does not allocate. Build it with [Preparer.Prepare].
//
// A Prepared holds a pointer to its source record for custom comparisons; it
// must not be mutated after preparation. A host that keeps records in
// another form may drop the pointer when nothing reads it (see
// [Settings.ReadsRecords]); the unify engine does.
type Prepared struct {
	Ref    profile.Ref
	Record *profile.Record

	given, family     string   // comparison keys
	givenCanon        []string // canonical forenames of given (nicknames resolved)
	givenPh, familyPh phonetic
	// fullName is the whole name as one comparison key: the name's words
	// sorted, or for names in CJK scripts family then given without
	// spaces, as they are written. It comes from the full name when the
	// parts are missing, so an unsplit "渡辺達也" meets a split 渡辺 / 達也.
	fullName string

	// The birth date in 6 bytes rather than a profile.Date's 24, with
	// unsplit in the same word: with gender as a handle, a Prepared is 256
	// bytes, a million times over.
	dobYear          int32
	dobMonth, dobDay uint8
	// unsplit reports whether the record has a name but neither a given
	// nor a family name: a full name the parser could not split.
	unsplit bool
	// umlauts says which names were written with ä, ö, ü, ø or å
	// (umlautGiven, umlautFamily), which keys fold to a, o and u: such a
	// name may be written "ae", "oe", "ue" elsewhere (see umlautSpelling).
	// It fills the byte the fields above leave.
	umlauts uint8

	emails []preparedEmail
	phones []preparedPhone
	addrs  []preparedAddress
	// ids holds the identifiers with a normalized value, then the keys of
	// the attributes the Preparer compares (Type "attr:<name>"): one slice
	// rather than two keeps a Prepared at 256 bytes.
	ids    []profile.Identifier
	gender unique.Handle[string] // zero when the record has none
}

// identifiers returns p.ids without the attributes.
func (p *Prepared) identifiers() []profile.Identifier {
	for i := range p.ids {
		if strings.HasPrefix(p.ids[i].Type, profile.AttrPrefix) {
			return p.ids[:i]
		}
	}
	return p.ids
}

// Bits of Prepared.umlauts.
const (
	umlautGiven uint8 = 1 << iota
	umlautFamily
)

// hasUmlaut reports whether a name as written holds a letter that German
// and Scandinavian also write with two (ä, ö, ü, ø, å).
func hasUmlaut(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.ContainsAny(s[i:], "äöüøåÄÖÜØÅ")
		}
	}
	return false // ASCII, the common case
}

// dob returns the record's birth date; the zero Date when it has none.
func (p *Prepared) dob() profile.Date {
	return profile.Date{Year: int(p.dobYear), Month: int(p.dobMonth), Day: int(p.dobDay)}
}

// phonetic holds a name's Double Metaphone codes (at most 4 ASCII bytes
// each) and NYSIIS code (at most 6), zero-padded in place rather than as
// strings: 16 bytes, no pointers and no allocations, a million times over.
// An all-zero code is an empty one.
type phonetic struct {
	dm1, dm2 [4]byte
	nysiis   [8]byte
}

func (p *phonetic) matches(q *phonetic) bool {
	var none [4]byte
	if p.dm1 != none && (p.dm1 == q.dm1 || p.dm1 == q.dm2) {
		return true
	}
	if p.dm2 != none && (p.dm2 == q.dm1 || p.dm2 == q.dm2) {
		return true
	}
	return p.nysiis != [8]byte{} && p.nysiis == q.nysiis
}

// code returns a zero-padded code as a string, without the padding.
func code(c []byte) string {
	n := 0
	for n < len(c) && c[n] != 0 {
		n++
	}
	return string(c[:n])
}

type preparedEmail struct {
	addr, local, domain string
}

type preparedPhone struct {
	// e164 is empty for a number no region could place; digits then holds
	// its national digits for a looser comparison.
	e164, last7 string
	digits      string
}

type preparedAddress struct {
	house, street, line2, locality, region, postcode, country string
	// streetWords is the street key read as a set: its words without unit
	// designators and Japanese block markers, sorted, then NUL and the
	// words with digits and units, sorted ("beech st\x0012 6" for "flat
	// 12 6 beech st"). "aoyama 7 6 18" and "7 6 18 aoyama" are one street
	// written in two orders; see sameStreetWords.
	streetWords string
}

// Preparer compiles records for comparison. The zero value is ready to use,
// with the default nickname table. A Preparer is safe for concurrent use.
type Preparer struct {
	// Nicknames gives the given-name comparison's nickname level its
	// equivalences. Nil means profile.DefaultNicknames(); NoNicknames turns
	// the level off.
	Nicknames Nicknames
	// Attrs names the custom attributes to prepare for [AttrComparison]
	// (see [Settings.Attrs]), besides the [KnownAttrs], which are always
	// prepared.
	Attrs []string
}

// KnownAttrs are the attributes that identify a person well enough to be
// compared by default wherever records have them (see
// [Settings].Comparisons): a place of birth and an occupation, which the
// field vocabulary has no place for. The automatic column mapping in
// package ingest gives these names to their usual headers (birth_place,
// place_of_birth, job_title, ...). Splink's model of historical persons
// compares both.
func KnownAttrs() []string { return []string{"birth_place", "occupation"} }

// knownAttrs is KnownAttrs without the copy.
var knownAttrs = KnownAttrs()

// Prepare compiles r. It reads only normalized values (Text.Key,
// Email.Canonical, Phone.E164, ...): raw values that failed normalization are
// missing for matching, which carries no evidence either way.
func (pr Preparer) Prepare(r *profile.Record) *Prepared {
	p := &Prepared{Ref: r.Ref(), Record: r}
	p.given = r.Name.Given.Key
	p.family = r.Name.Family.Key
	if hasUmlaut(r.Name.Given.Norm) {
		p.umlauts |= umlautGiven
	}
	if hasUmlaut(r.Name.Family.Norm) {
		p.umlauts |= umlautFamily
	}
	if p.given != "" {
		nn := pr.Nicknames
		if nn == nil {
			nn = profile.DefaultNicknames()
		}
		p.givenCanon = nn.Canonical(p.given)
		p.givenPh = phoneticOf(p.given)
	}
	if p.family != "" {
		p.familyPh = phoneticOf(p.family)
	}
	p.fullName, p.unsplit = fullNameKey(r)
	for _, e := range r.Emails {
		if e.Canonical == "" {
			continue
		}
		// Two spellings of one mailbox (gmail dots, "+tags") are one address.
		addr := profile.MailboxKey(e.Canonical)
		_, domain, _ := strings.Cut(addr, "@")
		// The local part as written, less any "+tag": gmail ignores dots,
		// other providers do not, so anna.berg@gmail and anna.berg@web.de
		// share a local part although the mailbox key drops gmail's dot.
		local, _, _ := strings.Cut(e.Canonical, "@")
		if i := strings.IndexByte(local, '+'); i > 0 {
			local = local[:i]
		}
		p.emails = append(p.emails, preparedEmail{addr: addr, local: local, domain: domain})
	}
	for _, ph := range r.Phones {
		if ph.E164 == "" {
			// A national number from a source with no country: keep its
			// digits, unless they look like a placeholder.
			if d := nationalDigits(ph.Raw); d != "" {
				p.phones = append(p.phones, preparedPhone{digits: d, last7: d[len(d)-7:]})
			}
			continue
		}
		l7 := ph.E164
		if len(l7) > 7 {
			l7 = l7[len(l7)-7:]
		}
		p.phones = append(p.phones, preparedPhone{e164: ph.E164, last7: l7, digits: ph.E164[1:]})
	}
	if d := r.BirthDate.Date; d.Valid() && d.Year >= math.MinInt32 && d.Year <= math.MaxInt32 {
		p.dobYear, p.dobMonth, p.dobDay = int32(d.Year), uint8(d.Month), uint8(d.Day)
	}
	for _, a := range r.Addresses {
		pa := preparedAddress{
			house: a.HouseNumber.Key, street: a.Street.Key, line2: a.Line2.Key,
			locality: a.Locality.Key, region: a.Region.Key, postcode: a.Postcode.Key,
			country: a.Country.Key,
		}
		if pa != (preparedAddress{}) {
			pa.streetWords = streetWordSet(pa.street)
			p.addrs = append(p.addrs, pa)
		}
	}
	for _, id := range r.IDs {
		if id.Value != "" {
			p.ids = append(p.ids, id)
		}
	}
	if len(r.Attrs) > 0 {
		for _, name := range knownAttrs {
			p.addAttr(r, name)
		}
		for _, name := range pr.Attrs {
			if !slices.Contains(knownAttrs, name) {
				p.addAttr(r, name)
			}
		}
	}
	if r.Gender.Key != "" {
		p.gender = unique.Make(r.Gender.Key)
	}
	return p
}

// birthPlaceField is the field of the birth place attribute.
var birthPlaceField = profile.AttrField("birth_place")

// attr returns p's prepared value of attribute field f ("attr:<name>"),
// or "".
func (p *Prepared) attr(f profile.Field) string {
	for i := len(p.ids) - 1; i >= 0 && strings.HasPrefix(p.ids[i].Type, profile.AttrPrefix); i-- {
		if p.ids[i].Type == string(f) {
			return p.ids[i].Value
		}
	}
	return ""
}

// addAttr adds r's attribute name, normalized, to p.ids (see AttrComparison).
func (p *Prepared) addAttr(r *profile.Record, name string) {
	if v, ok := r.Attrs[name]; ok {
		if k := (profile.TextNormalizer{}).Text(v).Key; k != "" {
			p.ids = append(p.ids, profile.Identifier{Type: profile.AttrPrefix + name, Value: k})
		}
	}
}

// nationalDigits returns the digits of a phone number that no region could
// place, without a leading trunk 0, or "" when fewer than 8 digits remain
// or the digits look like a placeholder (one digit repeated, or a run like
// 123456789).
func nationalDigits(raw string) string {
	var b []byte
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	for len(b) > 0 && b[0] == '0' {
		b = b[1:]
	}
	if len(b) < 8 || len(b) > 15 {
		return ""
	}
	same, run := true, true
	for i := 1; i < len(b); i++ {
		same = same && b[i] == b[0]
		run = run && (b[i] == b[i-1]+1 || b[i] == '0' && b[i-1] == '9')
	}
	if same || run {
		return ""
	}
	return string(b)
}

// fullNameKey returns the record's whole name as one key, and whether the
// name is unsplit: a full name with neither a given nor a family name.
func fullNameKey(r *profile.Record) (string, bool) {
	g, f := r.Name.Given.Key, r.Name.Family.Key
	switch {
	case g != "" && f != "":
		if isCJK(f) && isCJK(g) {
			return f + g, false
		}
		return sortedWords(g + " " + f), false
	case g != "" || f != "":
		return sortedWords(g + " " + f), false
	}
	full := r.Name.Full.Key
	if full == "" {
		return "", false
	}
	if isCJK(full) {
		return strings.ReplaceAll(full, " ", ""), true
	}
	return sortedWords(full), true
}

// streetWordSet builds preparedAddress.streetWords from a street key.
func streetWordSet(key string) string {
	if key == "" {
		return ""
	}
	ws := strings.Fields(key)
	var letters, numbers []string
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		switch {
		case unitWords[w]:
			// The unit the designator names ("flat 12", "flat b", "piso
			// 3"), when it is short, counts with the numbers: a unit is a
			// number or a code.
			if i+1 < len(ws) && len(ws[i+1]) <= 4 {
				i++
				numbers = append(numbers, ws[i])
			}
			continue
		case w == "chome" || w == "丁目":
			continue
		}
		if strings.ContainsAny(w, "0123456789") {
			numbers = append(numbers, w)
		} else {
			letters = append(letters, w)
		}
	}
	slices.Sort(letters)
	slices.Sort(numbers)
	return strings.Join(letters, " ") + "\x00" + strings.Join(numbers, " ")
}

// unitWords are the keys of the unit designators that street lines carry
// after or before the street ("188 Station St, Flat 24"; Swedish "lgh",
// Spanish "piso", German "Whg"). Their unit is compared when both records
// give one, as a second line is.
var unitWords = map[string]bool{
	"flat": true, "apt": true, "ste": true, "unit": true, "rm": true, "lvl": true,
	"bldg": true, "lgh": true, "piso": true, "whg": true, "dpto": true,
}

// sameStreetWords reports whether two streetWords name one street: the same
// words, and the numbers of one are all among the numbers of the other, so
// that a unit written on one record and not on the other ("6 beech st" and
// "flat 12, 6 beech st", or "6-5-16 sakae" and "sakae 6-chome 5-16, #404")
// does not make two streets. Two different units ("flat 12" and "flat 14")
// do. A street with no number agrees only with one without.
func sameStreetWords(a, b string) bool {
	if a == b {
		return a != ""
	}
	ia, ib := strings.IndexByte(a, 0), strings.IndexByte(b, 0)
	if ia < 0 || ib < 0 || a[:ia] != b[:ib] || ia == 0 {
		return false
	}
	na, nb := a[ia+1:], b[ib+1:]
	if na == "" || nb == "" {
		return false
	}
	// Either way round: the shorter string need not hold fewer numbers
	// ("6 6 6" and "1oa 6").
	return wordsAmong(na, nb) || wordsAmong(nb, na)
}

// wordsAmong reports whether every word of a is a word of b.
func wordsAmong(a, b string) bool {
	for w := range strings.SplitSeq(a, " ") {
		if !hasWord(b, w) {
			return false
		}
	}
	return true
}

func sortedWords(s string) string {
	ws := strings.Fields(s)
	slices.Sort(ws)
	return strings.Join(ws, " ")
}

// isCJK reports whether s is written in Han, Hiragana, Katakana or Hangul,
// scripts that write names without spaces, family name first.
func isCJK(s string) bool {
	for _, r := range s {
		if r == ' ' {
			continue
		}
		return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
			unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
	}
	return false
}

// phoneticOf computes Double Metaphone and NYSIIS codes for a name key. Both
// algorithms are defined for Latin letters; for other scripts they return
// empty codes, and the phonetic level simply never fires.
func phoneticOf(key string) phonetic {
	s := strings.ReplaceAll(key, " ", "")
	dm1, dm2 := matchr.DoubleMetaphone(s)
	var ph phonetic
	// matchr caps the codes at 4 and 6 bytes; a longer one (a change in
	// matchr) would be cut, which only makes the phonetic level looser.
	copy(ph.dm1[:], dm1)
	copy(ph.dm2[:], dm2)
	copy(ph.nysiis[:], matchr.NYSIIS(s))
	return ph
}

// givenInitial returns the first code point of the given name, or "".
func (p *Prepared) givenInitial() string {
	if p.given == "" {
		return ""
	}
	_, n := utf8.DecodeRuneInString(p.given)
	return p.given[:n]
}

// Given returns the given-name comparison key.
func (p *Prepared) Given() string { return p.given }

// Family returns the family-name comparison key.
func (p *Prepared) Family() string { return p.family }
