package profile

import (
	"errors"
	"fmt"
	"strings"
)

// Field names one customer attribute in the module's field vocabulary. The same
// names are used by ingest mappings, match rules, merge survivorship and segment
// conditions, so a host learns them once.
//
// The fixed names are the constants below. Typed external identifiers are
// written "id:<type>" (for example "id:loyalty", "id:national"), free attributes
// "attr:<name>" and consent flags "consent:<purpose>". Type, name and purpose are
// lower-case ASCII letters, digits, '_', '-' or '.'.
type Field string

// The fixed field vocabulary.
const (
	FieldGivenName    Field = "given_name"
	FieldMiddleName   Field = "middle_name"
	FieldFamilyName   Field = "family_name"
	FieldFullName     Field = "full_name"
	FieldHonorific    Field = "honorific"
	FieldSuffix       Field = "suffix"
	FieldEmail        Field = "email"
	FieldPhone        Field = "phone"
	FieldBirthDate    Field = "birth_date"
	FieldGender       Field = "gender"
	FieldStreet       Field = "street"
	FieldHouseNumber  Field = "house_number"
	FieldAddressLine2 Field = "address_line2"
	FieldLocality     Field = "locality"
	FieldRegion       Field = "region"
	FieldPostcode     Field = "postcode"
	FieldCountry      Field = "country"
)

// Prefixes of the open-ended parts of the vocabulary.
const (
	IDPrefix      = "id:"
	AttrPrefix    = "attr:"
	ConsentPrefix = "consent:"
)

// Fields lists the fixed vocabulary in a stable, documented order.
var Fields = []Field{
	FieldGivenName, FieldMiddleName, FieldFamilyName, FieldFullName, FieldHonorific, FieldSuffix,
	FieldEmail, FieldPhone, FieldBirthDate, FieldGender,
	FieldStreet, FieldHouseNumber, FieldAddressLine2, FieldLocality, FieldRegion, FieldPostcode, FieldCountry,
}

// ErrUnknownField is returned (wrapped) when a string is not a name of the field vocabulary.
var ErrUnknownField = errors.New("profile: unknown field")

// IDField returns the field "id:<typ>" for an external identifier type such as "loyalty".
func IDField(typ string) Field { return Field(IDPrefix + typ) }

// AttrField returns the field "attr:<name>" for a free attribute.
func AttrField(name string) Field { return Field(AttrPrefix + name) }

// ConsentField returns the field "consent:<purpose>" for a consent flag.
func ConsentField(purpose string) Field { return Field(ConsentPrefix + purpose) }

// ParseField checks s against the field vocabulary. Case and surrounding space
// are ignored. Unknown names return an error wrapping [ErrUnknownField].
func ParseField(s string) (Field, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, f := range Fields {
		if string(f) == t {
			return f, nil
		}
	}
	for _, p := range []string{IDPrefix, AttrPrefix, ConsentPrefix} {
		if rest, ok := strings.CutPrefix(t, p); ok {
			if !validSuffix(rest) {
				return "", fmt.Errorf("%w %q: %q after %q must be non-empty letters, digits, '_', '-' or '.'", ErrUnknownField, s, rest, p)
			}
			return Field(t), nil
		}
	}
	return "", fmt.Errorf("%w %q", ErrUnknownField, s)
}

func validSuffix(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// IDType reports the identifier type of an "id:<type>" field.
func (f Field) IDType() (string, bool) { return strings.CutPrefix(string(f), IDPrefix) }

// AttrName reports the attribute name of an "attr:<name>" field.
func (f Field) AttrName() (string, bool) { return strings.CutPrefix(string(f), AttrPrefix) }

// ConsentPurpose reports the purpose of a "consent:<purpose>" field.
func (f Field) ConsentPurpose() (string, bool) { return strings.CutPrefix(string(f), ConsentPrefix) }

// MultiValued reports whether a record may hold several values of f: emails,
// phones, identifiers and the address parts (one per address).
func (f Field) MultiValued() bool {
	switch f {
	case FieldEmail, FieldPhone, FieldStreet, FieldHouseNumber, FieldAddressLine2, FieldLocality, FieldRegion, FieldPostcode, FieldCountry:
		return true
	}
	_, isID := f.IDType()
	return isID
}

// IsAddressPart reports whether f is one of the postal address fields.
func (f Field) IsAddressPart() bool {
	switch f {
	case FieldStreet, FieldHouseNumber, FieldAddressLine2, FieldLocality, FieldRegion, FieldPostcode, FieldCountry:
		return true
	}
	return false
}

// String returns the field's name.
func (f Field) String() string { return string(f) }
