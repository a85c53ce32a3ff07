package profile

import (
	"testing"

	"pgregory.net/rapid"
)

func TestDefaultJunk(t *testing.T) {
	j := DefaultJunk()
	tests := []struct {
		f    Field
		v    string
		want bool
	}{
		{FieldGivenName, "n/a", true},
		{FieldGivenName, "N/A", true},
		{FieldGivenName, "#N/A", true},
		{FieldGivenName, "n.a.", true},
		{FieldGivenName, "NULL", true},
		{FieldGivenName, "Unknown", true},
		{FieldGivenName, "-", true},
		{FieldGivenName, "?", true},
		{FieldGivenName, "...", true},
		{FieldGivenName, "xxx", true},
		{FieldGivenName, "XXXX", true},
		{FieldGivenName, "asdf", true},
		{FieldGivenName, "FNU", true},
		{FieldFamilyName, "Test", true},
		{FieldGivenName, "John", false},
		{FieldGivenName, "Xi", false},
		{FieldGivenName, "Al", false},
		{FieldGivenName, "", false},
		{FieldGivenName, "   ", false},
		{FieldLocality, "none", true},
		{FieldLocality, "Nome", false},
		{FieldStreet, "No address", true},
		{FieldStreet, "No Fixed Abode", true},
		{FieldLocality, "x", true},
		{FieldLocality, "X.", true},
		{FieldLocality, "City", true},
		{FieldLocality, "Oxford", false},
		{FieldHouseNumber, "x", false},
		{FieldAddressLine2, "A", false}, // Flat A
		{FieldGivenName, "X", false},    // an initial
		{FieldEmail, "test@test.com", true},
		{FieldEmail, "TEST@TEST.COM", true},
		{FieldEmail, "noemail@gmail.com", true},
		{FieldEmail, "none@none.com", true},
		{FieldEmail, "john@example.com", true},
		{FieldEmail, "john@shop.test", true},
		{FieldEmail, "n/a", true},
		{FieldEmail, "john.smith@gmail.com", false},
		{FieldEmail, "testa@gmail.com", false},
		{FieldPhone, "000-000-0000", true},
		{FieldPhone, "0000000000", true},
		{FieldPhone, "1234567890", true},
		{FieldPhone, "123-456-7890", true},
		{FieldPhone, "0123456789", true},
		{FieldPhone, "9876543210", true},
		{FieldPhone, "+1 555 555 5555", true},
		{FieldPhone, "+44 7777 777777", true},
		{FieldPhone, "0", true},
		{FieldPhone, "none", true},
		{FieldPhone, "0412 345 678", false},
		{FieldPhone, "+61 2 9876 5432", false},
		{FieldPhone, "(201) 555-0123", false},
		{IDField("ssn"), "123456789", true},
		{IDField("ssn"), "000000000", true},
		{IDField("ssn"), "999-99-9999", true},
		{IDField("ssn"), "n/a", true},
		{IDField("ssn"), "---", true},
		{IDField("ssn"), "6988048", false},
		{IDField("crm"), "1", false},
		{IDField("crm"), "111", false},
		{IDField("crm"), "A-1234", false},
		{FieldBirthDate, "00/00/0000", true},
		{FieldBirthDate, "0000-00-00", true},
		{FieldBirthDate, "11/11/1111", true},
		{FieldBirthDate, "1900-01-01", true},
		{FieldBirthDate, "01/01/1900", true},
		{FieldBirthDate, "1 Jan 1900", true},
		{FieldBirthDate, "unknown", true},
		{FieldBirthDate, "1980-03-12", false},
		{FieldBirthDate, "1970-01-01", false},
		{FieldPostcode, "0000", true},
		{FieldPostcode, "00000", true},
		{FieldPostcode, "2222", false},
		{FieldPostcode, "0800", false},
		{ConsentField("email"), "no", false},
		{ConsentField("email"), "n/a", false},
		{AttrField("tier"), "n/a", true},
	}
	for _, tt := range tests {
		if got := j.IsJunk(tt.f, tt.v); got != tt.want {
			t.Errorf("IsJunk(%s, %q) = %v, want %v", tt.f, tt.v, got, tt.want)
		}
	}
}

func TestJunkConfig(t *testing.T) {
	j := DefaultJunk().With(FieldGivenName, "Baby Boy").With("", "see notes").With(IDPrefix, "pending").
		With(FieldEmail, "mailinator.com").With(FieldPhone, "555-0100").With(FieldBirthDate, "1970-01-01")
	for _, c := range []struct {
		f Field
		v string
	}{
		{FieldGivenName, "BABY BOY"}, {FieldLocality, "See notes."}, {IDField("loyalty"), "PENDING"},
		{FieldEmail, "x@mailinator.com"}, {FieldPhone, "5550100"}, {FieldBirthDate, "01/01/1970"},
	} {
		if !j.IsJunk(c.f, c.v) {
			t.Errorf("With: IsJunk(%s, %q) = false", c.f, c.v)
		}
	}
	if DefaultJunk().IsJunk(FieldGivenName, "Baby Boy") {
		t.Error("With changed the shared default")
	}
	w := DefaultJunk().Without("", "test").Without(FieldFamilyName, "test")
	if w.IsJunk(FieldFamilyName, "Test") || !DefaultJunk().IsJunk(FieldFamilyName, "Test") {
		t.Error("Without did not remove, or changed the default")
	}
	none := NewJunk(false)
	for _, v := range []string{"-", "xxx", "000-000-0000", "n/a"} {
		if none.IsJunk(FieldPhone, v) || none.IsJunk(FieldGivenName, v) {
			t.Errorf("NewJunk(false) treats %q as junk", v)
		}
	}
	var nilJunk *Junk
	if nilJunk.IsJunk(FieldGivenName, "n/a") {
		t.Error("nil Junk treats n/a as junk")
	}
	if !nilJunk.With(FieldGivenName, "zz").IsJunk(FieldGivenName, "zz") {
		t.Error("With on nil Junk does not work")
	}
}

func TestJunkNeverPanics(t *testing.T) {
	fields := append([]Field{IDField("x"), AttrField("y"), ConsentField("z"), ""}, Fields...)
	rapid.Check(t, func(t *rapid.T) {
		f := rapid.SampledFrom(fields).Draw(t, "field")
		v := rapid.String().Draw(t, "v")
		_ = DefaultJunk().IsJunk(f, v)
		if DefaultJunk().IsJunk(f, v) && cleanText(v) == "" {
			t.Fatalf("blank %q is junk", v)
		}
	})
}
