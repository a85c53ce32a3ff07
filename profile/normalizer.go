package profile

import (
	"fmt"
	"strings"
	"time"
)

// Options configure a [Normalizer]. The zero value is usable: day-first
// dates (month-first for records of a month-first country), international phone numbers only, no email provider rules, the
// default junk list and the embedded nickname table.
type Options struct {
	// DateOrder reads ambiguous numeric dates like 03/04/1980; zero = DMY.
	// A record whose address names a country that writes dates month
	// first (the United States and the countries that follow its usage)
	// reads them month first, unless FixedDateOrder is set: one export
	// may hold customers of several countries, each date written their
	// way, as a phone number is read in the record's country.
	DateOrder DateOrder
	// FixedDateOrder reads every ambiguous date in DateOrder, whatever the
	// record's country.
	FixedDateOrder bool
	// TwoDigitYearPivot accepts two-digit years (see [DateParser]); zero
	// rejects them.
	TwoDigitYearPivot int
	// DefaultRegion is the ISO 3166-1 alpha-2 region ("US", "GB", "AU")
	// for phone numbers written without a country code; "" means numbers
	// must be international.
	DefaultRegion string
	// EmailProviderRules applies gmail/googlemail dot and "+tag" folding
	// (and "+tag" folding for other providers) to Email.Canonical.
	EmailProviderRules bool
	// Junk lists placeholder values treated as missing; nil = [DefaultJunk].
	// Use NewJunk(false) to treat nothing as junk.
	Junk *Junk
	// Nicknames is the nickname table; nil = [DefaultNicknames].
	Nicknames *Nicknames
	// Now, when set, is the clock against which birth dates are checked:
	// a birth date that is wholly in the future is rejected. Nil skips the
	// check.
	Now func() time.Time
}

// Validate reports options that [NewNormalizer] would reject.
func (o Options) Validate() error {
	if o.DateOrder < DMY || o.DateOrder > YMD {
		return fmt.Errorf("profile: Options.DateOrder %d is not DMY, MDY or YMD", int(o.DateOrder))
	}
	if o.TwoDigitYearPivot < 0 || o.TwoDigitYearPivot > 99 {
		return fmt.Errorf("profile: Options.TwoDigitYearPivot %d is not in 0-99", o.TwoDigitYearPivot)
	}
	if o.DefaultRegion != "" && !validRegion(o.DefaultRegion) {
		return fmt.Errorf("profile: Options.DefaultRegion %q is not a region with telephone numbers (want ISO 3166-1 alpha-2 such as \"US\")", o.DefaultRegion)
	}
	return nil
}

// Normalizer turns raw field values into the normalized parts of a
// [Record], keeping every raw value. It is built once from [Options] with
// [NewNormalizer]; the zero value normalizes as NewNormalizer(Options{})
// does. It is safe for concurrent use: it holds no mutable state.
type Normalizer struct {
	opts   Options
	text   TextNormalizer
	names  NameParser
	emails EmailNormalizer
	phones PhoneNormalizer
	addrs  AddressNormalizer
	dates  DateParser
	junk   *Junk
	nicks  *Nicknames
}

// NewNormalizer returns a Normalizer for o. It panics if o is invalid (see
// [Options.Validate]); check options that come from configuration first.
func NewNormalizer(o Options) *Normalizer {
	if err := o.Validate(); err != nil {
		panic(err)
	}
	n := &Normalizer{
		opts:   o,
		emails: EmailNormalizer{ProviderRules: o.EmailProviderRules},
		phones: PhoneNormalizer{DefaultRegion: strings.ToUpper(o.DefaultRegion)},
		dates:  DateParser{Order: o.DateOrder, TwoDigitYearPivot: o.TwoDigitYearPivot},
		junk:   o.Junk,
		nicks:  o.Nicknames,
	}
	if n.junk == nil {
		n.junk = DefaultJunk()
	}
	if n.nicks == nil {
		n.nicks = DefaultNicknames()
	}
	return n
}

// Options returns the options the Normalizer was built with.
func (n *Normalizer) Options() Options { return n.opts }

// Text returns the text normalizer.
func (n *Normalizer) Text() TextNormalizer { return n.text }

// Names returns the name parser.
func (n *Normalizer) Names() NameParser { return n.names }

// Emails returns the email normalizer.
func (n *Normalizer) Emails() EmailNormalizer { return n.emails }

// Phones returns the phone normalizer.
func (n *Normalizer) Phones() PhoneNormalizer { return n.phones }

// Addresses returns the address normalizer.
func (n *Normalizer) Addresses() AddressNormalizer { return n.addrs }

// Dates returns the date parser.
func (n *Normalizer) Dates() DateParser { return n.dates }

// Junk returns the junk list in use.
func (n *Normalizer) Junk() *Junk { return n.junkList() }

// junkList is the junk list in use: the zero Normalizer uses the default.
func (n *Normalizer) junkList() *Junk {
	if n.junk == nil {
		return defaultJunk
	}
	return n.junk
}

// Nicknames returns the nickname table in use.
func (n *Normalizer) Nicknames() *Nicknames {
	if n.nicks == nil {
		return defaultNicknames
	}
	return n.nicks
}

// Set normalizes raw as field f and stores it on r next to raw.
//
// Raw text is never dropped. A value that is junk or invalid is stored with
// an empty normalized form and Set returns a [*FieldError] wrapping
// [ErrJunk] or one of the ErrInvalid... sentinels (which all match
// [ErrInvalid]). A raw value that is empty or only white space is missing:
// Set does nothing and returns nil. A field outside the vocabulary returns
// an error wrapping [ErrUnknownField] and changes nothing.
//
// Per field:
//
//   - given_name, middle_name, family_name, honorific, suffix: cleaned with
//     display casing ([NameParser.Part]) and stored, replacing any earlier
//     value.
//   - full_name: stored in Name.Full and split ([NameParser.Parse]); the
//     split fills only the parts that are still empty, and not with a word
//     another part already holds, so explicit name columns win. Set the
//     parts first: a part the split filled stays when a later part column
//     is empty (package ingest sets full names last).
//   - email and phone: a value may hold a list separated by ';', ',', '|'
//     or line breaks (emails also by spaces); each item is appended to
//     r.Emails or r.Phones, valid or not. The first error is returned.
//   - address parts: fill the last address of r.Addresses, starting a new
//     Address when there is none or that part is already set, so repeated
//     column groups (home_street, home_postcode, work_street,
//     work_postcode) give one address each. Postcodes are checked against
//     the address's country; when the country arrives after the postcode,
//     the postcode is checked again.
//   - birth_date: parsed with [DateParser]; replaces any earlier value.
//   - gender: [ParseGender].
//   - id:<type>: appends an Identifier with [IdentifierValue].
//   - attr:<name>: sets r.Attrs[name] to raw, replacing an earlier value.
//     Attributes are free text: they are not checked for junk.
//   - consent:<purpose>: appends a Consent read by [ParseConsent].
//     Consent answers are never junk ("no" is an answer).
func (n *Normalizer) Set(r *Record, f Field, raw string) error {
	if isBlank(raw) {
		if !knownField(f) {
			return fmt.Errorf("%w %q", ErrUnknownField, string(f))
		}
		return nil
	}
	switch f {
	case FieldGivenName:
		return n.setName(&r.Name.Given, f, raw)
	case FieldMiddleName:
		return n.setName(&r.Name.Middle, f, raw)
	case FieldFamilyName:
		return n.setName(&r.Name.Family, f, raw)
	case FieldHonorific, FieldSuffix:
		t := n.text.Text(raw)
		canon := honorifics
		dst := &r.Name.Honorific
		if f == FieldSuffix {
			canon, dst = suffixes, &r.Name.Suffix
		}
		if k, ok := canon[strings.ReplaceAll(t.Key, " ", "")]; ok {
			t.Key = k
		}
		*dst = t
		return n.junkText(dst, f)
	case FieldFullName:
		return n.setFullName(r, raw)
	case FieldEmail:
		return n.setEmails(r, raw)
	case FieldPhone:
		return n.setPhones(r, raw)
	case FieldBirthDate:
		return n.setBirthDate(r, raw)
	case FieldGender:
		if n.junkList().junkText(f, cleanText(raw), textKey(raw)) {
			r.Gender = Text{Raw: raw}
			return &FieldError{Field: f, Raw: raw, Err: ErrJunk}
		}
		t, err := ParseGender(raw)
		r.Gender = t
		return fieldErr(f, raw, err)
	}
	if f.IsAddressPart() {
		return n.setAddressPart(r, f, raw)
	}
	if typ, ok := f.IDType(); ok && validSuffix(typ) {
		id := Identifier{Type: typ, Raw: raw, Value: IdentifierValue(raw)}
		if n.junkList().junkID(f, textKey(id.Value), id.Value) {
			id.Value = ""
			r.IDs = append(r.IDs, id)
			return &FieldError{Field: f, Raw: raw, Err: ErrJunk}
		}
		r.IDs = append(r.IDs, id)
		return nil
	}
	if name, ok := f.AttrName(); ok && validSuffix(name) {
		if r.Attrs == nil {
			r.Attrs = map[string]string{}
		}
		r.Attrs[name] = raw
		return nil
	}
	if purpose, ok := f.ConsentPurpose(); ok && validSuffix(purpose) {
		c, err := ParseConsent(purpose, raw)
		r.Consents = append(r.Consents, c)
		return fieldErr(f, raw, err)
	}
	return fmt.Errorf("%w %q", ErrUnknownField, string(f))
}

// knownField reports whether f is in the vocabulary.
func knownField(f Field) bool {
	switch f {
	case FieldGivenName, FieldMiddleName, FieldFamilyName, FieldFullName, FieldHonorific, FieldSuffix,
		FieldEmail, FieldPhone, FieldBirthDate, FieldGender,
		FieldStreet, FieldHouseNumber, FieldAddressLine2, FieldLocality, FieldRegion, FieldPostcode, FieldCountry:
		return true
	}
	for _, p := range []string{IDPrefix, AttrPrefix, ConsentPrefix} {
		if rest, ok := strings.CutPrefix(string(f), p); ok {
			return validSuffix(rest)
		}
	}
	return false
}

// isBlank reports whether s is empty or only white space.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' {
			if c < 0x80 {
				return false
			}
			return strings.TrimSpace(s) == ""
		}
	}
	return true
}

// fieldErr wraps err (if any) in a FieldError.
func fieldErr(f Field, raw string, err error) error {
	if err == nil {
		return nil
	}
	return &FieldError{Field: f, Raw: raw, Err: err}
}

// junkText clears t's normalized forms and reports ErrJunk if t is junk.
func (n *Normalizer) junkText(t *Text, f Field) error {
	if n.junkList().junkText(f, t.Norm, t.Key) {
		t.Norm, t.Key = "", ""
		return &FieldError{Field: f, Raw: t.Raw, Err: ErrJunk}
	}
	return nil
}

func (n *Normalizer) setName(dst *Text, f Field, raw string) error {
	*dst = n.names.Part(raw)
	return n.junkText(dst, f)
}

func (n *Normalizer) setFullName(r *Record, raw string) error {
	t := n.text.Text(raw)
	if n.junkList().junkText(FieldFullName, t.Norm, t.Key) {
		r.Name.Full = Text{Raw: raw}
		return &FieldError{Field: FieldFullName, Raw: raw, Err: ErrJunk}
	}
	p := n.names.Parse(raw)
	r.Name.Full = p.Full
	// A part set before keeps its word: a one-word full name "Kaur" beside
	// a family-name column "Kaur" is no given name, though the parser,
	// which has only the full name, reads one word as one. (The parts as
	// they were before the fill: a full name may repeat a word, "Kim Kim".)
	given, middle, family := r.Name.Given.Key, r.Name.Middle.Key, r.Name.Family.Key
	taken := func(src Text) bool {
		return src.Key != "" && (src.Key == given || src.Key == middle || src.Key == family)
	}
	fill := func(dst *Text, src Text) {
		if dst.Raw == "" && dst.Norm == "" && !taken(src) {
			*dst = src
		}
	}
	// One word beside a given name of its own is the family name: a German
	// export's "Name" and "Vorname" columns, the automatic mapping reading
	// "Name" as the full name.
	if p.Family.Key == "" && p.Middle.Key == "" && p.Given.Key != "" && family == "" && given != "" && !taken(p.Given) {
		p.Family = n.names.Part(p.Given.Raw)
		p.Given = Text{}
	}
	fill(&r.Name.Honorific, p.Honorific)
	fill(&r.Name.Given, p.Given)
	fill(&r.Name.Middle, p.Middle)
	fill(&r.Name.Family, p.Family)
	fill(&r.Name.Suffix, p.Suffix)
	return nil
}

// splitList calls fn for each item of a list value, separated by ';', ',',
// '|' or line breaks outside double quotes and angle brackets, and (when
// spaces is set and the value has no quotes or angle brackets) by spaces. It
// returns the first error fn returns. Items of a list are trimmed of
// surrounding space; a value that is not a list is passed as written.
func splitList(raw string, spaces bool, fn func(item string) error) error {
	spaces = spaces && !strings.ContainsAny(raw, `"<`)
	isSep := func(c byte) bool {
		return c == ';' || c == ',' || c == '|' || c == '\n' || c == '\r' || spaces && (c == ' ' || c == '\t')
	}
	var items [8][2]int // item bounds; more items spill into the slice below
	list := items[:0]
	quoted, angle := false, false
	start := 0
	for i := 0; i <= len(raw); i++ {
		if i < len(raw) {
			switch c := raw[i]; {
			case c == '"':
				quoted = !quoted
				continue
			case c == '<' && !quoted:
				angle = true
				continue
			case c == '>' && !quoted:
				angle = false
				continue
			case quoted || angle || !isSep(c):
				continue
			}
		}
		if !isBlank(raw[start:i]) {
			list = append(list, [2]int{start, i})
		}
		start = i + 1
	}
	if len(list) == 1 && strings.TrimSpace(raw[list[0][0]:list[0][1]]) == strings.TrimSpace(raw) {
		return fn(raw)
	}
	var first error
	for _, b := range list {
		if err := fn(strings.TrimSpace(raw[b[0]:b[1]])); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (n *Normalizer) setEmails(r *Record, raw string) error {
	return splitList(raw, true, func(item string) error {
		if n.junkList().IsJunk(FieldEmail, item) {
			r.Emails = append(r.Emails, Email{Raw: item})
			return &FieldError{Field: FieldEmail, Raw: item, Err: ErrJunk}
		}
		e, err := n.emails.Parse(item)
		r.Emails = append(r.Emails, e)
		return fieldErr(FieldEmail, item, err)
	})
}

func (n *Normalizer) setPhones(r *Record, raw string) error {
	return splitList(raw, false, func(item string) error {
		if n.junkList().IsJunk(FieldPhone, item) {
			r.Phones = append(r.Phones, Phone{Raw: item})
			return &FieldError{Field: FieldPhone, Raw: item, Err: ErrJunk}
		}
		p, err := n.phonesFor(r).Parse(item)
		r.Phones = append(r.Phones, p)
		return fieldErr(FieldPhone, item, err)
	})
}

// phonesFor returns the phone normalizer for a record: numbers written
// without a country code are read in the record's own country when an
// address names one, and in Options.DefaultRegion otherwise. A customer
// file from several countries thus needs no per-row region.
func (n *Normalizer) phonesFor(r *Record) PhoneNormalizer {
	if c := recordCountry(r); c != "" {
		return PhoneNormalizer{DefaultRegion: c}
	}
	return n.phones
}

// recordCountry returns the country of r's first address that names one,
// or "": the country phones and dates are read in.
func recordCountry(r *Record) string {
	for i := range r.Addresses {
		if c := r.Addresses[i].Country.Norm; c != "" {
			return c
		}
	}
	return ""
}

// monthFirst lists the regions (ISO 3166-1 alpha-2) whose numeric dates are
// written month first: the United States, its territories, and the
// countries that follow its usage.
var monthFirst = map[string]bool{
	"US": true, "AS": true, "GU": true, "MP": true, "PR": true, "VI": true, "UM": true,
	"PH": true, "FM": true, "MH": true, "PW": true,
}

// datesFor returns the date parser for a record: month first for a record
// whose first address with a country names a month-first one (see
// Options.DateOrder), else the configured order.
func (n *Normalizer) datesFor(r *Record) DateParser {
	if n.opts.FixedDateOrder || n.dates.Order == MDY {
		return n.dates
	}
	if monthFirst[strings.ToUpper(recordCountry(r))] {
		p := n.dates
		p.Order = MDY
		return p
	}
	return n.dates
}

// recheckBirthDate re-reads the birth date once the record's country is
// known (the date column may come before the country column), keeping the
// first reading if the second fails.
func (n *Normalizer) recheckBirthDate(r *Record) {
	raw := strings.TrimSpace(r.BirthDate.Raw)
	if raw == "" || r.BirthDate.Date.IsZero() || n.opts.FixedDateOrder {
		return
	}
	if d, err := n.parseBirthDate(r, raw); err == nil {
		r.BirthDate.Date = d
	}
}

// recheckPhones re-reads the numbers that could not be placed once the
// record's country is known (the phone column may come before the country
// column).
func (n *Normalizer) recheckPhones(r *Record) {
	pn := n.phonesFor(r)
	for i := range r.Phones {
		p := &r.Phones[i]
		if p.E164 != "" || n.junkList().IsJunk(FieldPhone, p.Raw) {
			continue
		}
		if q, err := pn.Parse(p.Raw); err == nil {
			*p = q
		}
	}
}

func (n *Normalizer) setBirthDate(r *Record, raw string) error {
	r.BirthDate = DateValue{Raw: raw}
	s := strings.TrimSpace(raw)
	if n.junkList().patterns && junkDateDigits(s) || n.junkList().listed(FieldBirthDate, textKey(s)) {
		return &FieldError{Field: FieldBirthDate, Raw: raw, Err: ErrJunk}
	}
	d, err := n.parseBirthDate(r, s)
	if err != nil {
		return &FieldError{Field: FieldBirthDate, Raw: raw, Err: err}
	}
	r.BirthDate.Date = d
	return nil
}

// parseBirthDate reads s, trimmed, as r's birth date: in r's country's
// order (datesFor), neither a placeholder date nor in the future.
func (n *Normalizer) parseBirthDate(r *Record, s string) (Date, error) {
	d, err := n.datesFor(r).Parse(s)
	if err != nil {
		return Date{}, err
	}
	if n.junkList().junkDate(d) {
		return Date{}, ErrJunk
	}
	if n.opts.Now != nil && d.Time().After(n.opts.Now()) {
		return Date{}, reason(ErrInvalidDate, "birth date %s is in the future", d)
	}
	return d, nil
}

// setAddressPart fills part f of the last address, or of a new one.
func (n *Normalizer) setAddressPart(r *Record, f Field, raw string) error {
	if len(r.Addresses) == 0 {
		r.Addresses = append(r.Addresses, Address{})
	}
	a := &r.Addresses[len(r.Addresses)-1]
	if p := a.part(f); p.Raw != "" || p.Norm != "" {
		r.Addresses = append(r.Addresses, Address{})
		a = &r.Addresses[len(r.Addresses)-1]
	}
	dst := a.part(f)
	switch f {
	case FieldStreet:
		*dst = n.addrs.Street(raw)
	case FieldHouseNumber:
		*dst = n.addrs.HouseNumber(raw)
	case FieldAddressLine2:
		*dst = n.addrs.Line2(raw)
	case FieldLocality:
		*dst = n.addrs.Locality(raw)
	case FieldRegion:
		*dst = n.addrs.Region(raw)
	case FieldPostcode:
		t, err := n.addrs.Postcode(raw, a.Country.Norm)
		*dst = t
		if err != nil {
			return &FieldError{Field: f, Raw: raw, Err: err}
		}
	case FieldCountry:
		t := n.text.Text(raw)
		if n.junkList().junkText(f, t.Norm, t.Key) {
			*dst = Text{Raw: raw}
			return &FieldError{Field: f, Raw: raw, Err: ErrJunk}
		}
		t, err := n.addrs.Country(raw)
		*dst = t
		if err != nil {
			return &FieldError{Field: f, Raw: raw, Err: err}
		}
		n.recheckPhones(r)
		n.recheckBirthDate(r)
		// The postcode may have come first: check it against the country.
		if a.Postcode.Norm != "" {
			pc, err := n.addrs.Postcode(a.Postcode.Raw, t.Norm)
			a.Postcode = pc
			if err != nil {
				return &FieldError{Field: FieldPostcode, Raw: pc.Raw, Err: err}
			}
		}
		return nil
	}
	return n.junkText(dst, f)
}
