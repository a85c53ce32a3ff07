package match

import (
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unique"

	"github.com/unifyhq/unify/profile"
)

// Level is the outcome of one comparison on one pair: an index into the
// comparison's Levels (0 is the strongest agreement, the last is "else"), or
// [Missing] when either record lacks the value.
type Level int8

// Missing is the level of a comparison when either side has no value. It
// carries no evidence: its Bayes factor is 1.
const Missing Level = -1

// Covered is the level of a comparison whose fact a finer comparison of the
// same pair already weighs (two towns, when both records have a postcode
// compared elsewhere). Like Missing it carries no evidence; explanations
// say why.
const Covered Level = -2

// Comparison maps a pair of prepared records to one of a few ordered
// agreement levels, in the style of Splink. A Fellegi-Sunter [Model] learns
// how likely each level is among matches (m) and non-matches (u).
//
// Build one with the constructors ([NameComparison], [EmailComparison], ...)
// or fill the struct for a custom comparison. Compare must be safe for
// concurrent use, must be symmetric, and should not allocate: it runs once
// per comparison per candidate pair.
type Comparison struct {
	// Name identifies the comparison in models and explanations.
	Name string
	// Levels are the labels of the agreement levels, strongest first; the
	// last is conventionally "else" (disagreement).
	Levels []string
	// Compare returns the level of the pair, or Missing.
	Compare func(a, b *Prepared) Level
	// TFLevel, when TFValue is set, is the level whose Bayes factor is
	// adjusted by term frequency: agreeing on a rare value is stronger
	// evidence than agreeing on a common one.
	TFLevel Level
	// TFValue returns the value whose frequency adjusts TFLevel (for example
	// the surname key), or "" when none applies.
	TFValue func(p *Prepared) string
	// Fields lists the fields the comparison reads. Training uses it to
	// leave a comparison out of the EM session of a blocking rule on the
	// same fields, whose pairs agree on them by construction. Nil means the
	// field named by Name, when Name is one.
	Fields []profile.Field
	// NameDerived reports that the compared values are often made from the
	// person's name, as email local parts are (josephc@, barbaraw@). Two
	// different people who share a given name then agree at the levels
	// between exact and else far more often than two random people do, and
	// the candidate pairs that reach scoring mostly do share one. Training
	// therefore takes those levels' u as no lower than their agreement
	// share among non-matching pairs that share a given name, and
	// estimates their share among people who share a family name too
	// ([LevelModel].UNamesake), which scoring uses when the family names
	// agree.
	NameDerived bool
	// HouseholdContact lists the levels at which two records share a
	// contact point that a household shares (one address, landline or
	// family email). Training then estimates how often non-matching pairs
	// that share one agree on the family name (see [Household]).
	HouseholdContact []Level

	// own is set by this package's constructors whose Compare reads only
	// the prepared form, never Prepared.Record: see Settings.ReadsRecords.
	own bool
	// held, when set, names a level whose u training may take from the
	// blocked pairs (see heldLevel).
	held *heldLevel
}

// heldLevel describes a comparison level whose agreement implies that the
// two records share a key other than the exact value: phone numbers whose
// last seven digits agree but which are not written the same. Such a level
// is nearly all matches, so among random pairs it is seen a handful of
// times at most and its u stays near the sample's floor (6.3e-6 at 300k
// synthetic records, where strangers agree at it about once in 1.7
// million pairs). Training
// counts its non-matches from the blocks and from the pairs sharing the
// key that the blocks do not hold instead (see heldU).
type heldLevel struct {
	level Level
	// key and exact return the records' first values, as TFValue does;
	// "" for none. Records with the same exact value share the key.
	key, exact func(p *Prepared) string
}

// fields returns the fields the comparison reads.
func (c *Comparison) fields() []profile.Field {
	if c.Fields != nil {
		return c.Fields
	}
	if f, err := profile.ParseField(c.Name); err == nil {
		return []profile.Field{f}
	}
	return nil
}

// Name comparison levels, in order.
const (
	nameExact = iota
	nameNickname
	nameJW92
	nameJW80
	namePhonetic
	nameInitial
	nameSwapped
	nameSoleIsFamily
	nameElse
)

var familyLevels = []string{
	"exact", "jaro_winkler>=0.92|word_subset", "jaro_winkler>=0.80", "phonetic", "initial", "else",
}

const familyElse = 5

var nameLevels = []string{
	"exact", "nickname", "jaro_winkler>=0.92|word_subset", "jaro_winkler>=0.80",
	"phonetic", "initial", "swapped_with_other_name", "sole_name_is_other_family_name", "else",
}

// GivenNameComparison compares given names: exact; nickname-equivalent (Bob
// and Robert share a canonical forename); Jaro-Winkler >= 0.92; >= 0.80;
// phonetic (Double Metaphone or NYSIIS codes equal); one side an initial of
// the other, or both the same initial; swapped with the family name; the
// record with no family name has the other's family name as its only name
// (a newsletter sign-up that asked for "name" and got "Drayer", against
// William Drayer); else. The exact level is adjusted by term frequency.
func GivenNameComparison() Comparison {
	return Comparison{
		own:    true,
		Name:   string(profile.FieldGivenName),
		Levels: nameLevels,
		Fields: []profile.Field{profile.FieldGivenName, profile.FieldFamilyName},
		Compare: func(a, b *Prepared) Level {
			if a.given == "" || b.given == "" {
				return Missing
			}
			if (a.umlauts|b.umlauts)&umlautGiven != 0 && umlautSpelling(a.given, b.given, a.umlauts&umlautGiven != 0, b.umlauts&umlautGiven != 0) {
				return nameExact
			}
			return compareName(a.given, b.given, &a.givenPh, &b.givenPh, a.givenCanon, b.givenCanon, a, b)
		},
		TFLevel: nameExact,
		TFValue: func(p *Prepared) string { return p.given },
	}
}

// FamilyNameComparison compares family names: exact; Jaro-Winkler >= 0.92;
// >= 0.80; phonetic; initial; else. When the given and family names are
// swapped, the given-name comparison carries that evidence and this one is
// Missing, so that one swap is not counted twice. The exact level is
// adjusted by term frequency.
func FamilyNameComparison() Comparison {
	return Comparison{
		own:    true,
		Name:   string(profile.FieldFamilyName),
		Levels: familyLevels,
		Compare: func(a, b *Prepared) Level {
			if a.family == "" || b.family == "" {
				return Missing
			}
			l := compareName(a.family, b.family, &a.familyPh, &b.familyPh, nil, nil, a, b)
			if l != nameExact && (a.umlauts|b.umlauts)&umlautFamily != 0 &&
				umlautSpelling(a.family, b.family, a.umlauts&umlautFamily != 0, b.umlauts&umlautFamily != 0) {
				l = nameExact
			}
			switch l {
			case nameSwapped, nameSoleIsFamily:
				return Missing
			case nameExact:
				return 0
			case nameElse:
				return familyElse
			}
			return l - 1 // no nickname level
		},
		Fields:  []profile.Field{profile.FieldFamilyName, profile.FieldGivenName},
		TFLevel: nameExact,
		TFValue: func(p *Prepared) string { return p.family },
	}
}

// umlautSpelling reports whether name keys a and b are one name, written
// once with an umlaut (or ø, å) and once with its two-letter spelling: keys
// fold "Müller" to "muller", and "Mueller" keys "mueller". The shorter key
// must come from a name that had such a letter (ua, ub say which did), so
// Michal and Michael, two names, stay apart. The longer key is the shorter
// with an 'e' after one or more of its a, o and u, or an 'a' after an a
// ("Håkan", "Haakan").
func umlautSpelling(a, b string, ua, ub bool) bool {
	if len(a) > len(b) {
		a, b, ua = b, a, ub
	}
	if !ua || len(a) == len(b) {
		return false
	}
	i, j, inserted := 0, 0, false
	for i < len(a) && j < len(b) {
		if a[i] != b[j] {
			return false
		}
		c := a[i]
		i++
		j++
		if j < len(b) && (i == len(a) || a[i] != b[j]) &&
			(b[j] == 'e' && (c == 'a' || c == 'o' || c == 'u') || b[j] == 'a' && c == 'a') {
			j++
			inserted = true
		}
	}
	return inserted && i == len(a) && j == len(b)
}

// compareName compares name keys a and b of the records ra and rb.
func compareName(a, b string, pa, pb *phonetic, ca, cb []string, ra, rb *Prepared) Level {
	if a == b {
		if isLetterInitial(a) {
			// "B" and "B" are two initials, not one name: Barbara and
			// Brian agree as much.
			return nameInitial
		}
		return nameExact
	}
	if shareAny(ca, cb) {
		return nameNickname
	}
	jw := 0.0
	if jwBound(a, b) >= 0.80 {
		jw = JaroWinkler(a, b)
	}
	if jw >= 0.92 || wordSubset(a, b) {
		return nameJW92
	}
	if x, y, ok := crossScript(a, b); ok {
		// One side in Cyrillic or Greek, the other in Latin letters:
		// compare the romanized form. It counts as a close spelling, not
		// as the same name, since romanizations differ.
		if x == y || jaroWinklerAtLeast(x, y, 0.92) {
			return nameJW92
		}
		if jaroWinklerAtLeast(x, y, 0.80) {
			return nameJW80
		}
	}
	if swapped(ra, rb) {
		return nameSwapped
	}
	if soleIsFamily(ra, rb) || soleIsFamily(rb, ra) {
		return nameSoleIsFamily
	}
	if jw >= 0.80 {
		return nameJW80
	}
	if pa.matches(pb) {
		return namePhonetic
	}
	if isInitialOf(a, b) || isInitialOf(b, a) {
		return nameInitial
	}
	return nameElse
}

// wordSubset reports whether every word of the shorter name is a word of
// the longer one, for names of two or more words: "garcia" within "garcia
// lopez", "mary" within "anna mary". Sources often cut double surnames and
// double forenames.
func wordSubset(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if a == "" || strings.IndexByte(b, ' ') < 0 {
		return false
	}
	for w := range strings.SplitSeq(a, " ") {
		if w == "" || !hasWord(b, w) {
			return false
		}
	}
	return true
}

// hasWord reports whether w is a whole space-separated word of s.
func hasWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		if (start == 0 || s[start-1] == ' ') && (end == len(s) || s[end] == ' ') {
			return true
		}
		i = start + 1
	}
}

// swapped reports whether a's given name matches b's family name and a's
// family name matches b's given name (exactly or with Jaro-Winkler >= 0.92;
// for the forenames, an initial matches the name it starts: "Hawkbury P"
// read as given Hawkbury, family P, against Peter Hawkbury).
func swapped(a, b *Prepared) bool {
	if a.given == "" || a.family == "" || b.given == "" || b.family == "" {
		return false
	}
	return similarName(a.given, b.family) && forenameLike(a.family, b.given) ||
		similarName(a.family, b.given) && forenameLike(b.family, a.given)
}

// soleIsFamily reports whether a has a given name but no family name, and
// its given name is b's family name (exactly or with Jaro-Winkler >= 0.92).
// One name field filled with a surname is common where a form asked for a
// single "name". The evidence is one name's, so it is a level of its own,
// not a swap, which agrees on two.
func soleIsFamily(a, b *Prepared) bool {
	return a.family == "" && a.given != "" && b.family != "" && similarName(a.given, b.family)
}

// forenameLike reports whether x, in the family-name place, is the
// forename y: similar, or one the initial of the other.
func forenameLike(x, y string) bool {
	return similarName(x, y) || isInitialOf(x, y) || isInitialOf(y, x)
}

func similarName(x, y string) bool { return x == y || jaroWinklerAtLeast(x, y, 0.92) }

// isInitialOf reports whether a is a single code point (an initial) that
// starts b.
// isLetterInitial reports whether s is one letter of a cased (alphabetic)
// script, as an initial is: a single Han character is a whole name.
func isLetterInitial(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	return n == len(s) && n > 0 && unicode.IsLetter(r) && unicode.ToUpper(r) != unicode.ToLower(r)
}

func isInitialOf(a, b string) bool {
	n := 0
	var first rune
	for _, r := range a {
		if n == 0 {
			first = r
		}
		n++
		if n > 1 {
			return false
		}
	}
	if n != 1 {
		return false
	}
	for _, r := range b {
		return r == first
	}
	return false
}

// bestOf compares every value of xs with every value of ys and returns the
// strongest level (the smallest), stopping at 0; Missing when either side
// is empty or no pair is comparable. Multi-valued fields compare best-of.
func bestOf[T any](xs, ys []T, compare func(x, y *T) Level) Level {
	best := Missing
	for i := range xs {
		for j := range ys {
			l := compare(&xs[i], &ys[j])
			if l >= 0 && (best == Missing || l < best) {
				if l == 0 {
					return 0
				}
				best = l
			}
		}
	}
	return best
}

func shareAny(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// FullNameComparison compares whole names when a record's name could not be
// split into given and family names (a name in a script written without
// spaces, a single field the parser could not read): same words in any
// order; the words of one within the other's; Jaro-Winkler >= 0.92; else.
// When neither record is unsplit, the given- and family-name comparisons
// carry the evidence and this one is Missing, so nothing counts twice.
func FullNameComparison() Comparison {
	return Comparison{
		own:    true,
		Name:   string(profile.FieldFullName),
		Levels: []string{"exact_any_order", "word_subset", "jaro_winkler>=0.92", "else"},
		Compare: func(a, b *Prepared) Level {
			if a.fullName == "" || b.fullName == "" {
				return Missing
			}
			if !a.unsplit && !b.unsplit {
				return Covered // the given and family names are compared
			}
			switch {
			case a.fullName == b.fullName:
				return 0
			case wordSubset(a.fullName, b.fullName):
				return 1
			case jaroWinklerAtLeast(a.fullName, b.fullName, 0.92):
				return 2
			}
			return 3
		},
		TFLevel: 0,
		TFValue: func(p *Prepared) string { return p.fullName },
		Fields:  []profile.Field{profile.FieldFullName, profile.FieldGivenName, profile.FieldFamilyName},
	}
}

// Email comparison levels.
const (
	emailExact = iota
	emailSameLocal
	emailFuzzy
	emailElse
)

// EmailComparison compares email addresses (canonical forms, best pair over
// all addresses of both records): exact; same local part at another domain;
// fuzzy (edit distance <= 2 over the whole address: a typo); else.
//
// Fuzzy is deliberately a typo and not a similarity: people of one name
// choose similar addresses (michaelw@ and michaelwalson@ at one provider
// are two Michaels), and since names are compared already, a similarity
// level would count the name twice. The exact level is adjusted by
// term frequency, so a shared family or office address counts for less.
func EmailComparison() Comparison {
	return Comparison{
		own:    true,
		Name:   string(profile.FieldEmail),
		Levels: []string{"exact", "same_local_part", "fuzzy", "else"},
		Compare: func(a, b *Prepared) Level {
			return bestOf(a.emails, b.emails, compareEmail)
		},
		TFLevel:          emailExact,
		NameDerived:      true,
		HouseholdContact: []Level{emailExact},
		TFValue: func(p *Prepared) string {
			if len(p.emails) == 0 {
				return ""
			}
			return p.emails[0].addr
		},
	}
}

func compareEmail(x, y *preparedEmail) Level {
	switch {
	case x.addr == y.addr:
		return emailExact
	case x.local == y.local:
		return emailSameLocal
	case WithinOSA(x.addr, y.addr, 2):
		return emailFuzzy
	}
	return emailElse
}

func comparePhone(x, y *preparedPhone) Level {
	switch {
	case x.e164 != "" && x.e164 == y.e164:
		return 0
	case x.e164 == "" || y.e164 == "":
		// A number no region could place: compare national digits, which
		// the international form ends with.
		if strings.HasSuffix(x.digits, y.digits) || strings.HasSuffix(y.digits, x.digits) || x.last7 == y.last7 {
			return 1
		}
		// A typo often is why no region could place it.
		if nearSuffix(x.digits, y.digits) {
			return 2
		}
	case x.last7 == y.last7:
		return 1
	case len(x.e164) == len(y.e164) && WithinOSA(x.e164, y.e164, 1):
		return 2
	}
	return 3
}

// nearSuffix reports whether the shorter of two digit strings, of seven
// digits or more, is one edit (a digit wrong, dropped, added, or two
// swapped) from the end of the longer: a national number with a typo and
// the international form of the right one.
func nearSuffix(a, b string) bool { return endsNear(a, b) || endsNear(b, a) }

// endsNear is nearSuffix for a no longer than b; both ways round for two
// of a length, so that nearSuffix is symmetric.
func endsNear(a, b string) bool {
	if len(a) > len(b) || len(a) < 7 {
		return false
	}
	for _, n := range [...]int{len(a), len(a) + 1, len(a) - 1} {
		if n <= len(b) && WithinOSA(a, b[len(b)-n:], 1) {
			return true
		}
	}
	return false
}

// PhoneComparison compares phone numbers (E.164, best pair): exact; same
// last seven digits (another country or area code, or a national number
// from a source with no country whose digits end the other number); one
// edit apart (a typo or two transposed digits; for a national number, from
// the end of the other); else. The exact level is adjusted by term
// frequency, so a shared switchboard number counts for less.
func PhoneComparison() Comparison {
	return Comparison{
		own:    true,
		Name:   string(profile.FieldPhone),
		Levels: []string{"exact", "last_7_digits", "one_edit", "else"},
		Compare: func(a, b *Prepared) Level {
			return bestOf(a.phones, b.phones, comparePhone)
		},
		TFLevel: 0,
		// The last seven digits of a shared landline, one source writing
		// it nationally, are a shared contact as much as the exact number.
		HouseholdContact: []Level{0, 1},
		TFValue:          firstE164,
		held:             &heldLevel{level: 1, key: firstLast7, exact: firstE164},
	}
}

func firstE164(p *Prepared) string {
	if len(p.phones) == 0 {
		return ""
	}
	return p.phones[0].e164
}

func firstLast7(p *Prepared) string {
	if len(p.phones) == 0 {
		return ""
	}
	return p.phones[0].last7
}

// BirthDateComparison compares birth dates: exact; one digit wrong (in
// YYYYMMDD); day and month transposed; same year and month; a partial date
// (a year, or a year and month) agreeing with the other at its precision;
// within a year; else.
//
// A partial date's agreement has a level of its own: agreeing on the year
// alone is evidence for, whereas two full dates within a year of each other
// but not the same are evidence against, so the two cannot share a weight.
func BirthDateComparison() Comparison {
	return Comparison{
		own:    true,
		Name:   string(profile.FieldBirthDate),
		Levels: []string{"exact", "one_digit", "day_month_transposed", "same_year_month", "partial_date_agrees", "within_a_year", "else"},
		Compare: func(a, b *Prepared) Level {
			return compareDate(a.dob(), b.dob())
		},
	}
}

func compareDate(x, y profile.Date) Level {
	if x.IsZero() || y.IsZero() {
		return Missing
	}
	if x.Precision() == profile.PrecisionDay && y.Precision() == profile.PrecisionDay {
		switch {
		case x == y:
			return 0
		case dateDigitsDiffer(x, y) == 1:
			return 1
		case x.Year == y.Year && x.Month == y.Day && x.Day == y.Month:
			return 2
		case x.Year == y.Year && x.Month == y.Month:
			return 3
		}
		d := x.Time().Sub(y.Time())
		if d < 0 {
			d = -d
		}
		if d <= 366*24*time.Hour {
			return 5
		}
		return 6
	}
	// At least one partial date: agree at the common precision or not.
	if x.Year != y.Year {
		if x.Year-y.Year == 1 || y.Year-x.Year == 1 {
			return 5
		}
		return 6
	}
	if x.Month != 0 && y.Month != 0 && x.Month != y.Month {
		return 5
	}
	return 4
}

// dateDigitsDiffer counts the differing digits of two full dates written as
// YYYYMMDD.
func dateDigitsDiffer(x, y profile.Date) int {
	n := 0
	for _, p := range [3][3]int{{x.Year, y.Year, 4}, {x.Month, y.Month, 2}, {x.Day, y.Day, 2}} {
		a, b := p[0], p[1]
		for i := 0; i < p[2]; i++ {
			if a%10 != b%10 {
				n++
			}
			a, b = a/10, b/10
		}
	}
	return n
}

// addressPart returns a comparison over one part of the postal address,
// best pair over all addresses: exact (optionally adjusted by term
// frequency); fuzzy (Jaro-Winkler >= jw, when jw > 0; or, for codes, at most
// one edit); else.
func addressPart(name string, get func(*preparedAddress) string, fuzzy func(a, b *preparedAddress) bool, tf bool) Comparison {
	levels := []string{"exact", "else"}
	if fuzzy != nil {
		levels = []string{"exact", "fuzzy", "else"}
	}
	els := Level(len(levels) - 1)
	c := Comparison{
		own:    true,
		Name:   name,
		Levels: levels,
		Compare: func(a, b *Prepared) Level {
			best := Missing
			for i := range a.addrs {
				x := get(&a.addrs[i])
				if x == "" {
					continue
				}
				for j := range b.addrs {
					y := get(&b.addrs[j])
					if y == "" {
						continue
					}
					l := els
					if x == y {
						return 0
					}
					if fuzzy != nil && fuzzy(&a.addrs[i], &b.addrs[j]) {
						l = 1
					}
					if best == Missing || l < best {
						best = l
					}
				}
			}
			return best
		},
	}
	if tf {
		c.TFLevel = 0
		c.TFValue = func(p *Prepared) string {
			for i := range p.addrs {
				if v := get(&p.addrs[i]); v != "" {
					return v
				}
			}
			return ""
		}
	}
	return c
}

// hasPart reports whether some address of p has the part.
func hasPart(p *Prepared, get func(*preparedAddress) string) bool {
	for i := range p.addrs {
		if get(&p.addrs[i]) != "" {
			return true
		}
	}
	return false
}

// unlessBoth makes c Covered when both records have one of the finer
// parts: a town says nothing more once both postcodes were compared, a
// region nothing more than two towns, and counting them again would count
// one place twice.
func unlessBoth(c Comparison, own func(*preparedAddress) string, finer ...func(*preparedAddress) string) Comparison {
	compare := c.Compare
	c.Compare = func(a, b *Prepared) Level {
		if hasPart(a, own) && hasPart(b, own) {
			for _, f := range finer {
				if hasPart(a, f) && hasPart(b, f) {
					return Covered
				}
			}
		}
		return compare(a, b)
	}
	return c
}

func region(a *preparedAddress) string  { return a.region }
func country(a *preparedAddress) string { return a.country }

// placeComparisons compare towns (exact with term frequency, Jaro-Winkler
// >= 0.90, else) when the records do not both have a postcode, and region
// and country likewise only when nothing finer is on both records.
func placeComparisons() []Comparison {
	return []Comparison{
		unlessBoth(addressPart(string(profile.FieldLocality), locality, onPart(locality, jwAtLeast(0.90)), true), locality, postcode),
		unlessBoth(addressPart(string(profile.FieldRegion), region, nil, true), region, postcode, locality),
		unlessBoth(addressPart(string(profile.FieldCountry), country, nil, false), country, postcode, locality, region),
	}
}

// onPart applies a string test to one part of two addresses.
func onPart(get func(*preparedAddress) string, test func(a, b string) bool) func(a, b *preparedAddress) bool {
	return func(a, b *preparedAddress) bool { return test(get(a), get(b)) }
}

func jwAtLeast(t float64) func(a, b string) bool {
	return func(a, b string) bool { return jaroWinklerAtLeast(a, b, t) }
}

func oneEdit(a, b string) bool { return WithinOSA(a, b, 1) }

// similarStreet: Jaro-Winkler >= 0.90, or the same words in another order.
func similarStreet(a, b *preparedAddress) bool {
	return jaroWinklerAtLeast(a.street, b.street, 0.90) || sameStreetWords(a.streetWords, b.streetWords)
}

func street(a *preparedAddress) string   { return a.street }
func line2(a *preparedAddress) string    { return a.line2 }
func locality(a *preparedAddress) string { return a.locality }
func postcode(a *preparedAddress) string { return a.postcode }

// AddressComparison compares the street address as one fact, counting the
// agreeing parts of the best pair of addresses: house number, street
// (Jaro-Winkler >= 0.90 or the same words in another order), second line
// (Jaro-Winkler >= 0.90) and postcode (exact or one edit). Levels: three or
// more parts agree; two; one; none. Missing when either record has none of
// these parts. The town, region and country have comparisons of their own,
// with term frequencies for the town.
//
// One comparison rather than one per part, because the parts are not
// independent: two records at one address agree on all of them at once, so
// multiplying their Bayes factors counts one fact five times, and a
// household (different people at one address) would outweigh any
// disagreement on names and birth dates. u for each count comes from random
// pairs, which measures that dependence instead of assuming it away.
func AddressComparison() Comparison {
	return Comparison{
		own:    true,
		Name:   "address",
		Levels: []string{"3+_parts_agree", "2_parts_agree", "1_part_agrees", "none_agree"},
		// Two or more parts: the same house. One part (a postcode) is a
		// neighbourhood.
		HouseholdContact: []Level{0, 1},
		Compare: func(a, b *Prepared) Level {
			return bestOf(a.addrs, b.addrs, compareAddress)
		},
		Fields: []profile.Field{profile.FieldHouseNumber, profile.FieldStreet, profile.FieldAddressLine2,
			profile.FieldPostcode},
	}
}

// compareAddress returns the level of one pair of addresses, or Missing
// when they have no comparable part.
func compareAddress(x, y *preparedAddress) Level {
	agree, present := 0, 0
	part := func(a, b string, fuzzy func() bool) {
		if a == "" || b == "" {
			return
		}
		present++
		if a == b || fuzzy != nil && fuzzy() {
			agree++
		}
	}
	part(x.house, y.house, nil)
	part(x.street, y.street, func() bool { return similarStreet(x, y) })
	part(x.line2, y.line2, func() bool { return jaroWinklerAtLeast(x.line2, y.line2, 0.90) })
	part(x.postcode, y.postcode, func() bool { return oneEdit(x.postcode, y.postcode) })
	if present == 0 {
		return Missing
	}
	switch {
	case agree >= 3:
		return 0
	case agree == 2:
		return 1
	case agree == 1:
		return 2
	}
	return 3
}

// AddressComparisons returns one comparison per address part: house number
// (exact), street (exact; Jaro-Winkler >= 0.90 or the same words in another
// order), address line 2 (exact, Jaro-Winkler >= 0.90),
// locality (exact with term frequency, Jaro-Winkler >= 0.90), region
// (exact), postcode (exact with term frequency, one edit) and country
// (exact). Parts are compared separately so that a typo in one part leaves
// the evidence of the others.
func AddressComparisons() []Comparison {
	return []Comparison{
		addressPart(string(profile.FieldHouseNumber), func(a *preparedAddress) string { return a.house }, nil, false),
		addressPart(string(profile.FieldStreet), street, similarStreet, true),
		addressPart(string(profile.FieldAddressLine2), line2, onPart(line2, jwAtLeast(0.90)), true),
		addressPart(string(profile.FieldLocality), locality, onPart(locality, jwAtLeast(0.90)), true),
		addressPart(string(profile.FieldRegion), func(a *preparedAddress) string { return a.region }, nil, true),
		addressPart(string(profile.FieldPostcode), postcode, onPart(postcode, oneEdit), true),
		addressPart(string(profile.FieldCountry), func(a *preparedAddress) string { return a.country }, nil, false),
	}
}

// IDComparison compares identifiers of one type ("national", "loyalty"):
// exact; one edit apart (a typo); else. Different identifiers usually weigh
// heavily against a match, but the model learns how much from the data:
// sources mistype identifiers too. Use a [Rule] to make a difference
// decisive.
func IDComparison(typ string) Comparison {
	return Comparison{
		own:    true,
		Name:   profile.IDPrefix + typ,
		Levels: []string{"exact", "one_edit", "else"},
		Compare: func(a, b *Prepared) Level {
			best := Missing
			for i := range a.ids {
				if a.ids[i].Type != typ {
					continue
				}
				for j := range b.ids {
					if b.ids[j].Type != typ {
						continue
					}
					x, y := a.ids[i].Value, b.ids[j].Value
					var l Level = 2
					if x == y {
						return 0
					}
					if WithinOSA(x, y, 1) {
						l = 1
					}
					if best == Missing || l < best {
						best = l
					}
				}
			}
			return best
		},
		TFLevel: 0,
		TFValue: func(p *Prepared) string {
			for i := range p.ids {
				if p.ids[i].Type == typ {
					return p.ids[i].Value
				}
			}
			return ""
		},
	}
}

// AttrComparison compares a custom attribute (profile.Record.Attrs[name])
// by its key (as [profile.TextNormalizer] makes it: case, accents and
// punctuation folded): exact, weighed by the value's frequency; Jaro-Winkler
// at or above 0.92; else. It suits a birth place, an occupation or a
// company. It reads what the Preparer prepared: list name in
// [Settings.Attrs], which adds this comparison, or in [Preparer.Attrs].
func AttrComparison(name string) Comparison {
	field := profile.AttrField(name)
	typ := string(field)
	get := func(p *Prepared) string { return p.attr(field) }
	return Comparison{
		own:    true,
		Name:   typ,
		Levels: []string{"exact", "jaro_winkler>=0.92", "else"},
		Compare: func(a, b *Prepared) Level {
			x, y := get(a), get(b)
			switch {
			case x == "" || y == "":
				return Missing
			case x == y:
				return 0
			case jaroWinklerAtLeast(x, y, 0.92):
				return 1
			}
			return 2
		},
		TFLevel: 0,
		TFValue: get,
	}
}

// GenderComparison compares normalized genders: exact; else.
func GenderComparison() Comparison {
	return Comparison{
		own:    true,
		Name:   string(profile.FieldGender),
		Levels: []string{"exact", "else"},
		Compare: func(a, b *Prepared) Level {
			if a.gender == (unique.Handle[string]{}) || b.gender == (unique.Handle[string]{}) {
				return Missing
			}
			if a.gender == b.gender {
				return 0
			}
			return 1
		},
	}
}

// StringComparison compares a string taken from each record by get: exact;
// Jaro-Winkler at or above each of thresholds (descending); else. It suits
// custom attributes ("attr:company").
func StringComparison(name string, get func(*profile.Record) string, thresholds ...float64) Comparison {
	levels := []string{"exact"}
	for _, t := range thresholds {
		levels = append(levels, "jaro_winkler>="+ftoa(t))
	}
	levels = append(levels, "else")
	return Comparison{
		Name:   name,
		Levels: levels,
		Compare: func(a, b *Prepared) Level {
			x, y := get(a.Record), get(b.Record)
			if x == "" || y == "" {
				return Missing
			}
			if x == y {
				return 0
			}
			jw := JaroWinkler(x, y)
			for i, t := range thresholds {
				if jw >= t {
					return Level(i + 1)
				}
			}
			return Level(len(thresholds) + 1)
		},
		TFLevel: 0,
		TFValue: func(p *Prepared) string { return get(p.Record) },
	}
}

// NumericComparison compares a number taken from each record by get:
// absolute difference within each of the ascending tolerances (the first,
// typically 0, is "exact"); else. get reports false when the record has no
// value.
func NumericComparison(name string, get func(*profile.Record) (float64, bool), tolerances ...float64) Comparison {
	levels := make([]string, 0, len(tolerances)+1)
	for _, t := range tolerances {
		levels = append(levels, "within_"+ftoa(t))
	}
	levels = append(levels, "else")
	return Comparison{
		Name:   name,
		Levels: levels,
		Compare: func(a, b *Prepared) Level {
			x, okx := get(a.Record)
			y, oky := get(b.Record)
			if !okx || !oky || math.IsNaN(x) || math.IsNaN(y) {
				return Missing
			}
			d := math.Abs(x - y)
			for i, t := range tolerances {
				if d <= t {
					return Level(i)
				}
			}
			return Level(len(tolerances))
		},
	}
}

// DateDiffComparison compares a time taken from each record by get: the
// absolute difference within each ascending window; else.
func DateDiffComparison(name string, get func(*profile.Record) (time.Time, bool), windows ...time.Duration) Comparison {
	levels := make([]string, 0, len(windows)+1)
	for _, w := range windows {
		levels = append(levels, "within_"+w.String())
	}
	levels = append(levels, "else")
	return Comparison{
		Name:   name,
		Levels: levels,
		Compare: func(a, b *Prepared) Level {
			x, okx := get(a.Record)
			y, oky := get(b.Record)
			if !okx || !oky {
				return Missing
			}
			d := x.Sub(y)
			if d < 0 {
				d = -d
			}
			for i, w := range windows {
				if d <= w {
					return Level(i)
				}
			}
			return Level(len(windows))
		},
	}
}

// GeoComparison compares coordinates (degrees) taken from each record by
// get: great-circle distance within each ascending radius in kilometres;
// else.
func GeoComparison(name string, get func(*profile.Record) (lat, lon float64, ok bool), radiiKm ...float64) Comparison {
	levels := make([]string, 0, len(radiiKm)+1)
	for _, r := range radiiKm {
		levels = append(levels, "within_"+ftoa(r)+"km")
	}
	levels = append(levels, "else")
	return Comparison{
		Name:   name,
		Levels: levels,
		Compare: func(a, b *Prepared) Level {
			la, lo, oka := get(a.Record)
			lb, lob, okb := get(b.Record)
			if !oka || !okb {
				return Missing
			}
			d := haversineKm(la, lo, lb, lob)
			for i, r := range radiiKm {
				if d <= r {
					return Level(i)
				}
			}
			return Level(len(radiiKm))
		},
	}
}

func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const earthRadiusKm = 6371.0088
	rad := math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}
