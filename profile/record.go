package profile

import (
	"strings"
	"time"
)

// Ref identifies one source record: the source system's name and the record's
// key in that source. It is comparable and can be used as a map key.
type Ref struct {
	Source string `json:"source"`
	Key    string `json:"key"`
}

// String returns "source/key". It is for display; use the struct to compare.
func (r Ref) String() string { return r.Source + "/" + r.Key }

// Compare orders refs by source, then key. It returns -1, 0 or +1.
func (r Ref) Compare(o Ref) int {
	if c := strings.Compare(r.Source, o.Source); c != 0 {
		return c
	}
	return strings.Compare(r.Key, o.Key)
}

// Text is one value as the source wrote it, next to its normalized forms.
// Lineage shows Raw; golden profiles show Norm; comparisons use Key.
type Text struct {
	// Raw is the value exactly as written in the source.
	Raw string `json:"raw,omitempty"`
	// Norm is the cleaned display form (Unicode NFKC, trimmed, spaces
	// collapsed). Empty when the value is missing, junk or invalid.
	Norm string `json:"norm,omitempty"`
	// Key is the comparison key (case-folded, diacritics removed, punctuation
	// collapsed). Empty when Norm is empty.
	Key string `json:"key,omitempty"`
}

// Valid reports whether the value has a normalized form: it was present,
// not junk and not invalid.
func (t Text) Valid() bool { return t.Norm != "" }

// IsZero reports whether the value is entirely empty: no raw text and no
// normalized forms. A junk or invalid value keeps its raw text and so is not
// zero (JSON's omitzero keeps it, so lineage still shows it); use Valid to
// ask whether a value is usable.
func (t Text) IsZero() bool { return t.Raw == "" && t.Norm == "" && t.Key == "" }

// Name is a person's name split into its parts.
type Name struct {
	Full      Text `json:"full,omitzero"` // the full name as written, when the source gives one
	Honorific Text `json:"honorific,omitzero"`
	Given     Text `json:"given,omitzero"`
	Middle    Text `json:"middle,omitzero"`
	Family    Text `json:"family,omitzero"`
	Suffix    Text `json:"suffix,omitzero"`
}

// Email is one email address.
type Email struct {
	Raw string `json:"raw,omitempty"`
	// Address is the trimmed, lower-cased "local@domain"; empty when Raw is
	// not a syntactically valid address or is a junk placeholder.
	Address string `json:"address,omitempty"`
	// Canonical is Address with provider rules applied when enabled (for
	// gmail.com: dots and "+tag" removed from the local part, googlemail.com
	// folded to gmail.com); otherwise equal to Address.
	Canonical string `json:"canonical,omitempty"`
}

// Local returns the part of the canonical address before '@'.
func (e Email) Local() string {
	l, _, _ := strings.Cut(e.Canonical, "@")
	return l
}

// Domain returns the part of the canonical address after '@'.
func (e Email) Domain() string {
	_, d, _ := strings.Cut(e.Canonical, "@")
	return d
}

// Phone is one telephone number.
type Phone struct {
	Raw string `json:"raw,omitempty"`
	// E164 is the number in E.164 form ("+61412345678"); empty when Raw is
	// not a valid number for its region or is a junk placeholder.
	E164 string `json:"e164,omitempty"`
}

// Address is one postal address.
type Address struct {
	HouseNumber Text `json:"house_number,omitzero"`
	Street      Text `json:"street,omitzero"`
	Line2       Text `json:"line2,omitzero"`
	Locality    Text `json:"locality,omitzero"`
	Region      Text `json:"region,omitzero"`
	Postcode    Text `json:"postcode,omitzero"`
	// Country holds the ISO 3166-1 alpha-2 code in Norm and Key.
	Country Text `json:"country,omitzero"`
}

// Valid reports whether some part of the address has a normalized value.
func (a Address) Valid() bool {
	return a.HouseNumber.Valid() || a.Street.Valid() || a.Line2.Valid() ||
		a.Locality.Valid() || a.Region.Valid() || a.Postcode.Valid() || a.Country.Valid()
}

// IsZero reports whether every part of the address is entirely empty (raw
// text included).
func (a Address) IsZero() bool {
	return a.HouseNumber.IsZero() && a.Street.IsZero() && a.Line2.IsZero() &&
		a.Locality.IsZero() && a.Region.IsZero() && a.Postcode.IsZero() && a.Country.IsZero()
}

// part returns a pointer to the address part named by f, or nil.
func (a *Address) part(f Field) *Text {
	switch f {
	case FieldHouseNumber:
		return &a.HouseNumber
	case FieldStreet:
		return &a.Street
	case FieldAddressLine2:
		return &a.Line2
	case FieldLocality:
		return &a.Locality
	case FieldRegion:
		return &a.Region
	case FieldPostcode:
		return &a.Postcode
	case FieldCountry:
		return &a.Country
	}
	return nil
}

// Part returns the address part named by f (one of the address fields), and
// false if f is not an address field.
func (a Address) Part(f Field) (Text, bool) {
	p := a.part(f)
	if p == nil {
		return Text{}, false
	}
	return *p, true
}

// DateValue is a date as written and as parsed.
type DateValue struct {
	Raw  string `json:"raw,omitempty"`
	Date Date   `json:"date,omitzero"`
}

// Identifier is a typed external identifier: a loyalty number, national ID,
// CRM ID, device or cookie ID, and so on.
type Identifier struct {
	Type string `json:"type"`
	Raw  string `json:"raw,omitempty"`
	// Value is the normalized identifier (trimmed, case-folded, spaces and
	// dashes removed); empty when junk.
	Value string `json:"value,omitempty"`
}

// Consent is one consent flag for a purpose such as "email" or "sms".
type Consent struct {
	Purpose string `json:"purpose"`
	Raw     string `json:"raw,omitempty"`
	Granted bool   `json:"granted"`
	// Known is false when Raw could not be read as yes or no.
	Known bool `json:"known"`
}

// Record is one customer record as a source system holds it. Every value is
// kept as written (Raw) next to its normalized form, so lineage can show both.
//
// A Record is a plain value: build it with a [Normalizer] (field by field from
// raw strings) or fill it directly. It is not safe for concurrent mutation.
type Record struct {
	Source string `json:"source"`
	Key    string `json:"key"`
	// Observed is when the source last wrote or confirmed the record; it
	// drives "most recent" survivorship. Zero when unknown.
	Observed time.Time `json:"observed,omitzero"`

	Name      Name              `json:"name,omitzero"`
	Emails    []Email           `json:"emails,omitempty"`
	Phones    []Phone           `json:"phones,omitempty"`
	Addresses []Address         `json:"addresses,omitempty"`
	BirthDate DateValue         `json:"birth_date,omitzero"`
	Gender    Text              `json:"gender,omitzero"`
	IDs       []Identifier      `json:"ids,omitempty"`
	Consents  []Consent         `json:"consents,omitempty"`
	Attrs     map[string]string `json:"attrs,omitempty"`
}

// Ref returns the record's (source, key) reference.
func (r *Record) Ref() Ref { return Ref{Source: r.Source, Key: r.Key} }

// Value is one value of a field on a record: as written and normalized.
// Norm is empty when the raw value was missing, junk or invalid.
type Value struct {
	Raw  string `json:"raw,omitempty"`
	Norm string `json:"norm,omitempty"`
}

// Values returns the values a record holds for field f, in record order,
// including those whose normalized form is empty (so lineage keeps raw text).
// Addresses contribute one value per address for address fields. For fields
// outside the vocabulary it returns nil.
func (r *Record) Values(f Field) []Value {
	text := func(t Text) []Value {
		if t.Raw == "" && t.Norm == "" {
			return nil
		}
		return []Value{{Raw: t.Raw, Norm: t.Norm}}
	}
	switch f {
	case FieldGivenName:
		return text(r.Name.Given)
	case FieldMiddleName:
		return text(r.Name.Middle)
	case FieldFamilyName:
		return text(r.Name.Family)
	case FieldFullName:
		return text(r.Name.Full)
	case FieldHonorific:
		return text(r.Name.Honorific)
	case FieldSuffix:
		return text(r.Name.Suffix)
	case FieldGender:
		return text(r.Gender)
	case FieldEmail:
		vs := make([]Value, 0, len(r.Emails))
		for _, e := range r.Emails {
			vs = append(vs, Value{Raw: e.Raw, Norm: e.Address})
		}
		return vs
	case FieldPhone:
		vs := make([]Value, 0, len(r.Phones))
		for _, p := range r.Phones {
			vs = append(vs, Value{Raw: p.Raw, Norm: p.E164})
		}
		return vs
	case FieldBirthDate:
		if r.BirthDate.Raw == "" && r.BirthDate.Date.IsZero() {
			return nil
		}
		return []Value{{Raw: r.BirthDate.Raw, Norm: r.BirthDate.Date.String()}}
	}
	if f.IsAddressPart() {
		var vs []Value
		for i := range r.Addresses {
			t, _ := r.Addresses[i].Part(f)
			if t.Raw != "" || t.Norm != "" {
				vs = append(vs, Value{Raw: t.Raw, Norm: t.Norm})
			}
		}
		return vs
	}
	if typ, ok := f.IDType(); ok {
		var vs []Value
		for _, id := range r.IDs {
			if id.Type == typ {
				vs = append(vs, Value{Raw: id.Raw, Norm: id.Value})
			}
		}
		return vs
	}
	if name, ok := f.AttrName(); ok {
		if v, ok := r.Attrs[name]; ok {
			return []Value{{Raw: v, Norm: strings.TrimSpace(v)}}
		}
		return nil
	}
	if purpose, ok := f.ConsentPurpose(); ok {
		for _, c := range r.Consents {
			if c.Purpose == purpose {
				n := ""
				if c.Known {
					n = "no"
					if c.Granted {
						n = "yes"
					}
				}
				return []Value{{Raw: c.Raw, Norm: n}}
			}
		}
	}
	return nil
}

// ID returns the normalized value of the first identifier of type typ.
func (r *Record) ID(typ string) (string, bool) {
	for _, id := range r.IDs {
		if id.Type == typ && id.Value != "" {
			return id.Value, true
		}
	}
	return "", false
}

// Clone returns a deep copy of r.
func (r *Record) Clone() *Record {
	c := *r
	c.Emails = append([]Email(nil), r.Emails...)
	c.Phones = append([]Phone(nil), r.Phones...)
	c.Addresses = append([]Address(nil), r.Addresses...)
	c.IDs = append([]Identifier(nil), r.IDs...)
	c.Consents = append([]Consent(nil), r.Consents...)
	if r.Attrs != nil {
		c.Attrs = make(map[string]string, len(r.Attrs))
		for k, v := range r.Attrs {
			c.Attrs[k] = v
		}
	}
	return &c
}
