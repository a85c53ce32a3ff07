package profile

import (
	"maps"
	"strings"
)

// Junk recognises placeholder values that mean "missing": "n/a", "unknown",
// "test@test.com", "000-000-0000", "123456789" and the like. A [Normalizer]
// keeps a junk value's raw text on the record, leaves its normalized form
// empty and reports [ErrJunk].
//
// A Junk holds a list of values per field plus built-in patterns. It is
// immutable: [Junk.With] and [Junk.Without] return changed copies, so one
// Junk may be shared by any number of goroutines.
//
// # Lists
//
// Values are listed under a field, under [Field]("id:") or [Field]("attr:")
// for every identifier or attribute, or under "" for every field. Values are
// compared by their [TextNormalizer] key, so "N/A", "n.a." and "n/a" are one
// entry. Three fields compare differently:
//
//   - email: an entry matches the whole address, its local part or its
//     domain, lower-cased ("test@test.com", "noemail", "example.com").
//   - phone and id:<type>: entries are compared after removing everything
//     but letters and digits ("000-000-0000" lists "0000000000").
//   - birth_date: entries are ISO dates ("1900-01-01") compared with the
//     parsed date, whatever form the source wrote it in.
//
// Consent fields are never junk: "no" and "n/a" are answers there.
//
// # Patterns
//
// Unless disabled with [NewJunk](false), these are junk as well:
//
//   - any value that has no letters or digits at all ("-", "?", "...");
//   - text made of one letter repeated three or more times ("xxx", "aaaa");
//   - phones whose digits, ignoring up to three leading digits (a country
//     or trunk code), are seven or more copies of one digit
//     (000-000-0000, +44 7777 777777), or whose digits, with or without
//     leading zeros, are a run of seven or more consecutive digits
//     (1234567890, 0123456789, 9876543210);
//   - identifiers made of one character repeated five or more times, or a
//     run of six or more consecutive digits starting at 0 or 1 or ending at 0;
//   - dates and postcodes whose digits are all zero, and dates whose digits
//     are all the same ("11/11/1111");
//   - emails under the reserved top-level domains .test, .example,
//     .invalid and .localhost (RFC 2606).
type Junk struct {
	values   map[Field]map[string]struct{} // as configured
	patterns bool

	// Derived by index, so that a lookup is one map access (most often none).
	merged map[Field]map[string]struct{} // per listed field: its values, its group's and those for all fields
	dates  map[Date]struct{}             // the birth_date list, parsed
	filter [256]uint64                   // bit len&63 of [first byte]: some merged key has that shape
}

// Field groups for Junk lists.
const (
	junkAll   Field = ""
	junkIDs   Field = IDPrefix
	junkAttrs Field = AttrPrefix
)

// DefaultJunk returns the default placeholder list with patterns enabled.
// The lists are in the package documentation of [Junk] and in junk.go;
// extend them with [Junk.With].
func DefaultJunk() *Junk { return defaultJunk }

var defaultJunk = func() *Junk {
	j := NewJunk(true)
	j = j.With(junkAll,
		"n/a", "na", "none", "null", "nil", "nan", "unknown", "unk", "not known", "not available",
		"not applicable", "not provided", "not given", "not stated", "undefined", "tbd", "tba", "tbc",
		"test", "testing", "dummy", "fake", "xx", "asdf", "asdfg", "asdfgh", "asdfghjkl", "qwerty",
		"qwertyuiop", "sdf", "abc", "abcd", "abcdef", "blank", "empty", "missing", "refused",
		"declined", "prefer not to say", "0")
	names := []string{"fnu", "lnu", "nfn", "nmn", "nln", "first name", "last name", "firstname",
		"lastname", "surname", "given name", "name", "customer", "guest", "anonymous", "anon",
		"valued customer", "test test", "test user"}
	for _, f := range []Field{FieldGivenName, FieldMiddleName, FieldFamilyName, FieldFullName} {
		j = j.With(f, names...)
	}
	j = j.With(FieldEmail,
		"test@test.com", "a@a.com", "none@none.com", "noemail@noemail.com", "email@email.com",
		"noemail", "no-email", "no_email", "nomail", "no", "none", "noreply", "no-reply",
		"donotreply", "do-not-reply", "dontreply", "test", "unknown", "null", "na", "nil", "dummy",
		"fake", "asdf", "xxx", "declined", "refused",
		"example.com", "example.org", "example.net", "test.com", "none.com", "noemail.com",
		"nomail.com", "domain.com", "localhost")
	// Address placeholders; a single letter is one where no street, town or
	// region is one letter long (a house number or a flat may be).
	for _, f := range []Field{FieldStreet, FieldAddressLine2, FieldLocality, FieldRegion} {
		j = j.With(f, "no address", "address", "no fixed abode", "nfa", "none given", "unknown address",
			"not known", "street", "city", "town")
	}
	for _, f := range []Field{FieldStreet, FieldLocality, FieldRegion} {
		j = j.With(f, "x")
	}
	j = j.With(FieldBirthDate, "1900-01-01", "1899-12-31", "1800-01-01", "0001-01-01", "9999-12-31")
	return j
}()

// NewJunk returns an empty list, with or without the built-in patterns.
func NewJunk(patterns bool) *Junk {
	j := &Junk{values: map[Field]map[string]struct{}{}, patterns: patterns}
	j.index()
	return j
}

// index derives the lookup structures from values.
func (j *Junk) index() {
	j.merged = map[Field]map[string]struct{}{}
	j.dates = map[Date]struct{}{}
	j.filter = [256]uint64{}
	for d := range j.values[FieldBirthDate] {
		if date, err := (DateParser{}).Parse(d); err == nil {
			j.dates[date] = struct{}{}
		}
	}
	fields := []Field{junkAll, junkIDs, junkAttrs}
	for f := range j.values {
		fields = append(fields, f)
	}
	for _, f := range fields {
		m := map[string]struct{}{}
		sources := []Field{junkAll, f}
		switch {
		case strings.HasPrefix(string(f), IDPrefix):
			sources = append(sources, junkIDs)
		case strings.HasPrefix(string(f), AttrPrefix):
			sources = append(sources, junkAttrs)
		}
		for _, src := range sources {
			for k := range j.values[src] {
				m[k] = struct{}{}
				if k != "" {
					j.filter[k[0]] |= 1 << (len(k) & 63)
				}
			}
		}
		j.merged[f] = m
	}
}

// With returns a copy of j that also treats values as junk for field f
// ("" for every field, "id:" for every identifier).
func (j *Junk) With(f Field, values ...string) *Junk {
	c := j.clone()
	set := maps.Clone(c.values[f])
	if set == nil {
		set = map[string]struct{}{}
	}
	for _, v := range values {
		set[junkEntry(f, v)] = struct{}{}
	}
	c.values[f] = set
	c.index()
	return c
}

// Without returns a copy of j that no longer lists values under field f.
// It does not switch off patterns.
func (j *Junk) Without(f Field, values ...string) *Junk {
	c := j.clone()
	set := maps.Clone(c.values[f])
	for _, v := range values {
		delete(set, junkEntry(f, v))
	}
	c.values[f] = set
	c.index()
	return c
}

func (j *Junk) clone() *Junk {
	if j == nil {
		return NewJunk(false)
	}
	return &Junk{values: maps.Clone(j.values), patterns: j.patterns} // the caller re-indexes
}

// junkEntry turns a listed value into the form it is looked up by.
func junkEntry(f Field, v string) string {
	switch {
	case f == FieldEmail:
		return strings.ToLower(strings.TrimSpace(v))
	case f == FieldPhone:
		return alnumLower(v)
	case f == FieldBirthDate:
		return strings.TrimSpace(v)
	case strings.HasPrefix(string(f), IDPrefix):
		return alnumLower(v)
	}
	return textKey(v)
}

// alnumLower keeps the ASCII letters (lower-cased) and digits of s, and any
// non-ASCII letters as they are.
func alnumLower(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9' || r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case r >= 0x80:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// IsJunk reports whether v is a placeholder for field f. A nil Junk treats
// nothing as junk. Empty values are missing, not junk. Birth dates are read
// day-first here; a [Normalizer] checks them with its own [DateOrder].
func (j *Junk) IsJunk(f Field, v string) bool {
	if j == nil {
		return false
	}
	n := cleanText(v)
	if n == "" {
		return false
	}
	switch f {
	case FieldEmail:
		return j.junkEmail(n, textKey(n))
	case FieldPhone:
		return j.junkPhone(n, textKey(n))
	case FieldBirthDate:
		if j.listed(f, textKey(n)) || j.patterns && junkDateDigits(n) {
			return true
		}
		if d, err := (DateParser{}).Parse(n); err == nil {
			return j.junkDate(d)
		}
		return false
	}
	if _, ok := f.IDType(); ok {
		return j.junkID(f, textKey(n), alnumLower(n))
	}
	return j.junkText(f, n, textKey(n))
}

// listed looks key up under "", the field's group and the field.
func (j *Junk) listed(f Field, key string) bool {
	if key == "" || j.filter[key[0]]&(1<<(len(key)&63)) == 0 {
		return false
	}
	m, ok := j.merged[f]
	if !ok {
		switch {
		case strings.HasPrefix(string(f), IDPrefix):
			m = j.merged[junkIDs]
		case strings.HasPrefix(string(f), AttrPrefix):
			m = j.merged[junkAttrs]
		default:
			m = j.merged[junkAll]
		}
	}
	_, ok = m[key]
	return ok
}

// junkText checks a text field given its display form and key.
func (j *Junk) junkText(f Field, norm, key string) bool {
	if _, ok := f.ConsentPurpose(); ok || norm == "" {
		return false
	}
	if j.patterns && (key == "" || repeatedLetter(key)) {
		return true
	}
	if f == FieldPostcode && j.patterns && allZeroDigits(key) {
		return true
	}
	return j.listed(f, key)
}

// repeatedLetter reports a key of one letter repeated three or more times.
func repeatedLetter(key string) bool {
	if len(key) < 3 {
		return false
	}
	c := key[0]
	if c < 'a' || c > 'z' {
		return false
	}
	for i := 1; i < len(key); i++ {
		if key[i] != c {
			return false
		}
	}
	return true
}

func allZeroDigits(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '0':
			n++
		case c >= '1' && c <= '9' || c >= 'a' && c <= 'z':
			return false
		}
	}
	return n > 0
}

// junkDateDigits reports a raw date whose digits are all one digit.
func junkDateDigits(s string) bool {
	var first byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		if n == 0 {
			first = c
		} else if c != first {
			return false
		}
		n++
	}
	return n >= 4
}

// junkDate checks a parsed date against the birth_date list.
func (j *Junk) junkDate(d Date) bool {
	if d.IsZero() {
		return false
	}
	_, ok := j.dates[d]
	return ok
}

// junkEmail checks an email given its cleaned form and key.
func (j *Junk) junkEmail(norm, key string) bool {
	if j.patterns && key == "" {
		return true
	}
	if _, ok := j.values[junkAll][key]; ok {
		return true
	}
	addr := strings.ToLower(norm)
	list := j.values[FieldEmail]
	if _, ok := list[addr]; ok {
		return true
	}
	local, domain, ok := strings.Cut(addr, "@")
	if !ok {
		return false
	}
	if _, ok := list[local]; ok {
		return true
	}
	if _, ok := list[domain]; ok {
		return true
	}
	if j.patterns {
		for _, tld := range []string{".test", ".example", ".invalid", ".localhost"} {
			if strings.HasSuffix(domain, tld) {
				return true
			}
		}
	}
	return false
}

// junkPhone checks a phone given its cleaned form and key.
func (j *Junk) junkPhone(norm, key string) bool {
	if j.patterns && key == "" {
		return true
	}
	if j.listed(FieldPhone, key) {
		return true
	}
	var buf [64]byte
	digits := buf[:0]
	for i := 0; i < len(norm) && len(digits) < len(buf); i++ {
		if c := norm[i]; c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	if _, ok := j.values[FieldPhone][string(digits)]; ok {
		return true
	}
	if !j.patterns || len(digits) == 0 {
		return false
	}
	if len(digits) < 7 {
		return sameByte(digits)
	}
	for skip := 0; skip <= 3 && len(digits)-skip >= 7; skip++ {
		if sameByte(digits[skip:]) {
			return true
		}
	}
	// Runs of consecutive digits count from the start, or after trunk or
	// international zeros: 0412345678 is a real-looking mobile number,
	// 0123456789 is not.
	trimmed := digits
	for len(trimmed) > 0 && trimmed[0] == '0' {
		trimmed = trimmed[1:]
	}
	return len(digits) >= 7 && sequential(digits) || len(trimmed) >= 7 && sequential(trimmed)
}

// junkID checks an identifier given its key and its letters and digits.
func (j *Junk) junkID(f Field, key, alnum string) bool {
	if j.patterns && alnum == "" {
		return true
	}
	if j.listed(f, key) || j.listed(f, alnum) {
		return true
	}
	if !j.patterns {
		return false
	}
	b := alnum
	if len(b) >= 5 && sameByte(b) {
		return true
	}
	return len(b) >= 6 && sequential(b) && (b[0] <= '1' || b[len(b)-1] == '0') && allDigits(b)
}

func sameByte[S ~string | ~[]byte](b S) bool {
	for i := 1; i < len(b); i++ {
		if b[i] != b[0] {
			return false
		}
	}
	return len(b) > 0
}

// sequential reports digits that step up or down by one each time, wrapping
// 9 to 0 (1234567890) or 0 to 9 (9876543210).
func sequential[S ~string | ~[]byte](b S) bool {
	if len(b) < 2 {
		return false
	}
	up, down := true, true
	for i := 1; i < len(b); i++ {
		p, c := b[i-1], b[i]
		if c < '0' || c > '9' || p < '0' || p > '9' {
			return false
		}
		if (p-'0'+1)%10 != c-'0' {
			up = false
		}
		if (c-'0'+1)%10 != p-'0' {
			down = false
		}
	}
	return up || down
}
