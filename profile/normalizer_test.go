package profile

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func mustSet(t *testing.T, n *Normalizer, r *Record, f Field, raw string) {
	t.Helper()
	if err := n.Set(r, f, raw); err != nil {
		t.Fatalf("Set(%s, %q): %v", f, raw, err)
	}
}

// wantFieldErr checks that err is a *FieldError for f and raw wrapping target.
func wantFieldErr(t *testing.T, err error, f Field, raw string, target error) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v is not a *FieldError", err)
	}
	if fe.Field != f || fe.Raw != raw || !errors.Is(err, target) {
		t.Fatalf("error %#v, want field %s raw %q wrapping %v", fe, f, raw, target)
	}
	if !strings.Contains(err.Error(), string(f)) || !strings.Contains(err.Error(), fmt.Sprintf("%q", raw)) {
		t.Fatalf("error %q does not name field and value", err)
	}
}

func TestSetNames(t *testing.T) {
	n := NewNormalizer(Options{})
	var r Record
	mustSet(t, n, &r, FieldGivenName, "JOHN")
	mustSet(t, n, &r, FieldFamilyName, "o'neil")
	mustSet(t, n, &r, FieldFullName, "Dr. Jonathan A. O'Neil Jr.")
	want := Name{
		Full:      Text{Raw: "Dr. Jonathan A. O'Neil Jr.", Norm: "Dr. Jonathan A. O'Neil Jr.", Key: "dr jonathan a oneil jr"},
		Honorific: Text{Raw: "Dr.", Norm: "Dr.", Key: "dr"},
		Given:     Text{Raw: "JOHN", Norm: "John", Key: "john"},
		Middle:    Text{Raw: "A.", Norm: "A.", Key: "a"},
		Family:    Text{Raw: "o'neil", Norm: "O'Neil", Key: "oneil"},
		Suffix:    Text{Raw: "Jr.", Norm: "Jr.", Key: "jr"},
	}
	if r.Name != want {
		t.Errorf("name:\n got  %+v\n want %+v", r.Name, want)
	}
	// An explicit column after full_name replaces the parsed part.
	var r2 Record
	mustSet(t, n, &r2, FieldFullName, "Smith, Jon")
	mustSet(t, n, &r2, FieldGivenName, "Jonathan")
	if r2.Name.Given.Norm != "Jonathan" || r2.Name.Family.Norm != "Smith" {
		t.Errorf("explicit given after full: %+v", r2.Name)
	}
	mustSet(t, n, &r2, FieldHonorific, "Professor")
	mustSet(t, n, &r2, FieldSuffix, "Junior")
	if r2.Name.Honorific.Key != "prof" || r2.Name.Suffix.Key != "jr" || r2.Name.Honorific.Norm != "Professor" {
		t.Errorf("honorific/suffix: %+v", r2.Name)
	}

	err := n.Set(&r2, FieldMiddleName, "N/A")
	wantFieldErr(t, err, FieldMiddleName, "N/A", ErrJunk)
	if errors.Is(err, ErrInvalid) {
		t.Error("junk must not match ErrInvalid")
	}
	if r2.Name.Middle != (Text{Raw: "N/A"}) {
		t.Errorf("junk middle name: %+v", r2.Name.Middle)
	}
	var r3 Record
	err = n.Set(&r3, FieldFullName, "Test Test")
	wantFieldErr(t, err, FieldFullName, "Test Test", ErrJunk)
	if r3.Name != (Name{Full: Text{Raw: "Test Test"}}) {
		t.Errorf("junk full name filled parts: %+v", r3.Name)
	}
}

func TestSetEmailsAndPhones(t *testing.T) {
	n := NewNormalizer(Options{DefaultRegion: "AU", EmailProviderRules: true})
	var r Record
	err := n.Set(&r, FieldEmail, "J.Smith+x@GoogleMail.com; not-an-email, test@test.com |jane@example.org\nbob@outlook.com")
	wantFieldErr(t, err, FieldEmail, "not-an-email", ErrInvalidEmail)
	got := make([]string, len(r.Emails))
	for i, e := range r.Emails {
		got[i] = e.Raw + "=" + e.Canonical
	}
	want := []string{"J.Smith+x@GoogleMail.com=jsmith@gmail.com", "not-an-email=", "test@test.com=",
		"jane@example.org=", "bob@outlook.com=bob@outlook.com"} // example.org is junk
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("emails:\n got  %q\n want %q", got, want)
	}
	if r.Emails[0].Address != "j.smith+x@googlemail.com" {
		t.Errorf("address %q", r.Emails[0].Address)
	}
	mustSet(t, n, &r, FieldEmail, "a@b.co c@d.co")
	if len(r.Emails) != 7 {
		t.Errorf("space-separated emails: %d", len(r.Emails))
	}
	mustSet(t, n, &r, FieldEmail, `"Smith, Jane" <jane@smith.io>, Bob <bob@smith.io>`)
	if e := r.Emails[len(r.Emails)-2]; e.Raw != `"Smith, Jane" <jane@smith.io>` || e.Address != "jane@smith.io" {
		t.Errorf("display-name email %+v", e)
	}

	err = n.Set(&r, FieldPhone, "0412 345; +44 20 7946 0958, 000-000-0000")
	wantFieldErr(t, err, FieldPhone, "0412 345", ErrInvalidPhone)
	var e164 []string
	for _, p := range r.Phones {
		e164 = append(e164, p.E164)
	}
	if strings.Join(e164, ",") != ",+442079460958," {
		t.Errorf("phones: %+v", r.Phones)
	}
	mustSet(t, n, &r, FieldPhone, "(02) 9876 5432")
	var single Record
	mustSet(t, n, &single, FieldEmail, "  John@X.com \t")
	mustSet(t, n, &single, FieldPhone, " +61 (0)2 9876 5432 ")
	if single.Emails[0].Raw != "  John@X.com \t" || single.Phones[0].Raw != " +61 (0)2 9876 5432 " {
		t.Errorf("single values not kept as written: %+v %+v", single.Emails, single.Phones)
	}
	if r.Phones[3].E164 != "+61298765432" {
		t.Errorf("national phone: %+v", r.Phones[3])
	}
}

func TestSetBirthDateAndGender(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	n := NewNormalizer(Options{DateOrder: MDY, Now: func() time.Time { return now }})
	var r Record
	mustSet(t, n, &r, FieldBirthDate, "03/12/1980")
	if r.BirthDate != (DateValue{Raw: "03/12/1980", Date: Date{1980, 3, 12}}) {
		t.Errorf("birth date %+v", r.BirthDate)
	}
	for raw, target := range map[string]error{
		"1980-02-30": ErrInvalidDate, "2031-01-01": ErrInvalidDate, "00/00/0000": ErrJunk,
		"1900-01-01": ErrJunk, "01/01/1900": ErrJunk, "n/a": ErrJunk,
	} {
		err := n.Set(&r, FieldBirthDate, raw)
		wantFieldErr(t, err, FieldBirthDate, raw, target)
		if r.BirthDate != (DateValue{Raw: raw}) {
			t.Errorf("%q: birth date %+v", raw, r.BirthDate)
		}
	}
	mustSet(t, n, &r, FieldBirthDate, "2025") // partial, this year: not wholly in the future
	if r.BirthDate.Date != (Date{Year: 2025}) {
		t.Errorf("partial %+v", r.BirthDate)
	}

	mustSet(t, n, &r, FieldGender, "Female")
	if r.Gender != (Text{Raw: "Female", Norm: "f", Key: "f"}) {
		t.Errorf("gender %+v", r.Gender)
	}
	wantFieldErr(t, n.Set(&r, FieldGender, "unknown"), FieldGender, "unknown", ErrJunk)
	wantFieldErr(t, n.Set(&r, FieldGender, "banana"), FieldGender, "banana", ErrInvalidGender)
	if r.Gender != (Text{Raw: "banana"}) {
		t.Errorf("gender %+v", r.Gender)
	}
}

func TestSetAddresses(t *testing.T) {
	n := NewNormalizer(Options{})
	var r Record
	for _, kv := range [][2]string{
		{"house_number", "12A"}, {"street", "North Tullaroop Street"}, {"address_line2", "Apartment 4"},
		{"locality", "Saint James"}, {"region", "Western Australia"}, {"postcode", "0800"}, {"country", "Australia"},
		// A second column group starts a second address.
		{"street", "1 Main St"}, {"postcode", "sw1a1aa"}, {"country", "UK"},
		{"postcode", "2134"},
	} {
		mustSet(t, n, &r, Field(kv[0]), kv[1])
	}
	if len(r.Addresses) != 3 {
		t.Fatalf("got %d addresses: %+v", len(r.Addresses), r.Addresses)
	}
	a := r.Addresses[0]
	if a.HouseNumber.Key != "12a" || a.Street.Key != "n tullaroop st" || a.Line2.Key != "apt 4" ||
		a.Locality.Key != "st james" || a.Region.Key != "wa" || a.Postcode.Norm != "0800" || a.Country.Norm != "AU" {
		t.Errorf("first address %+v", a)
	}
	if b := r.Addresses[1]; b.Postcode.Norm != "SW1A 1AA" || b.Country.Norm != "GB" {
		t.Errorf("second address: postcode not reformatted when the country came after it: %+v", b)
	}
	if c := r.Addresses[2]; c.Postcode.Norm != "2134" || c.Country.Norm != "" {
		t.Errorf("third address %+v", c)
	}
	// The country arrives after a postcode that does not fit it.
	err := n.Set(&r, FieldCountry, "USA")
	wantFieldErr(t, err, FieldPostcode, "2134", ErrInvalidPostcode)
	if c := r.Addresses[2]; c.Postcode != (Text{Raw: "2134"}) || c.Country.Norm != "US" {
		t.Errorf("third address after country %+v", c)
	}
	wantFieldErr(t, n.Set(&r, FieldCountry, "Atlantis"), FieldCountry, "Atlantis", ErrInvalidCountry)
	wantFieldErr(t, n.Set(&r, FieldCountry, "N/A"), FieldCountry, "N/A", ErrJunk)
	wantFieldErr(t, n.Set(&r, FieldLocality, "unknown"), FieldLocality, "unknown", ErrJunk)
	if got := r.Values(FieldLocality); len(got) != 2 || got[1] != (Value{Raw: "unknown"}) {
		t.Errorf("junk locality lost its raw text: %+v", got)
	}
}

func TestSetIDsAttrsConsents(t *testing.T) {
	n := NewNormalizer(Options{})
	var r Record
	mustSet(t, n, &r, IDField("loyalty"), "LC-0042 17")
	wantFieldErr(t, n.Set(&r, IDField("ssn"), "999-99-9999"), IDField("ssn"), "999-99-9999", ErrJunk)
	if v, ok := r.ID("loyalty"); !ok || v != "lc004217" {
		t.Errorf("ID(loyalty) = %q, %v", v, ok)
	}
	if _, ok := r.ID("ssn"); ok || len(r.IDs) != 2 || r.IDs[1].Raw != "999-99-9999" {
		t.Errorf("junk ssn: %+v", r.IDs)
	}
	mustSet(t, n, &r, AttrField("tier"), " Gold ")
	if r.Attrs["tier"] != " Gold " {
		t.Errorf("attrs %+v", r.Attrs)
	}
	mustSet(t, n, &r, ConsentField("email"), "Opt-In")
	wantFieldErr(t, n.Set(&r, ConsentField("sms"), "maybe"), ConsentField("sms"), "maybe", ErrInvalidConsent)
	if len(r.Consents) != 2 || !r.Consents[0].Granted || r.Consents[1].Known {
		t.Errorf("consents %+v", r.Consents)
	}
	if v := r.Values(ConsentField("email")); len(v) != 1 || v[0].Norm != "yes" {
		t.Errorf("consent values %+v", v)
	}
}

func TestSetBlankAndUnknown(t *testing.T) {
	n := NewNormalizer(Options{})
	var r Record
	for _, f := range append([]Field{IDField("x"), AttrField("y"), ConsentField("z")}, Fields...) {
		for _, blank := range []string{"", "  ", "\t\n", "\u00a0"} {
			if err := n.Set(&r, f, blank); err != nil {
				t.Errorf("Set(%s, %q) = %v", f, blank, err)
			}
		}
	}
	if !isZeroRecord(&r) {
		t.Errorf("blank values changed the record: %+v", r)
	}
	for _, f := range []Field{"nickname", "Given_Name", "id:", "attr:Bad Name", "consent:"} {
		for _, raw := range []string{"x", ""} {
			if err := n.Set(&r, f, raw); !errors.Is(err, ErrUnknownField) {
				t.Errorf("Set(%q, %q) = %v, want ErrUnknownField", f, raw, err)
			}
		}
	}
	if !isZeroRecord(&r) {
		t.Errorf("unknown fields changed the record: %+v", r)
	}
}

func isZeroRecord(r *Record) bool {
	return r.Name == (Name{}) && r.Emails == nil && r.Phones == nil && r.Addresses == nil &&
		r.BirthDate == (DateValue{}) && r.Gender == (Text{}) && r.IDs == nil && r.Consents == nil && r.Attrs == nil
}

func TestOptionsValidate(t *testing.T) {
	for _, o := range []Options{{DefaultRegion: "XX"}, {DateOrder: 7}, {TwoDigitYearPivot: 100}, {TwoDigitYearPivot: -1}} {
		if o.Validate() == nil {
			t.Errorf("Validate(%+v) = nil", o)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewNormalizer(%+v) did not panic", o)
				}
			}()
			NewNormalizer(o)
		}()
	}
	if err := (Options{DefaultRegion: "gb"}).Validate(); err != nil {
		t.Errorf("lower-case region: %v", err)
	}
	n := NewNormalizer(Options{})
	if n.Junk() != DefaultJunk() || n.Nicknames() != DefaultNicknames() || n.Dates().Order != DMY {
		t.Error("zero options do not give the documented defaults")
	}
}

// A Normalizer is shared by goroutines; run with -race.
func TestNormalizerConcurrent(t *testing.T) {
	n := NewNormalizer(Options{DefaultRegion: "AU"})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				var r Record
				_ = n.Set(&r, FieldFullName, "Dr. José Łukasz Müller-O'Neil Jr.")
				_ = n.Set(&r, FieldGivenName, "ΟΔΥΣΣΕΑΣ")
				_ = n.Set(&r, FieldEmail, fmt.Sprintf("u%d.%d@example.org", g, i))
				_ = n.Set(&r, FieldPhone, "0412 345 678")
				_ = n.Set(&r, FieldStreet, "Straße der Pariser Kommune")
				_ = n.Set(&r, FieldBirthDate, "12 März 1980")
				if r.Name.Family.Key != "muller oneil" || r.Phones[0].E164 != "+61412345678" {
					t.Errorf("goroutine %d: %+v", g, r)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Setting a normalized value again gives the same normalized value, for
// every field: each normalizer is idempotent on its own output, also
// through the facade. Set never panics on any input.
func TestSetIdempotent(t *testing.T) {
	n := NewNormalizer(Options{DefaultRegion: "GB", TwoDigitYearPivot: 30})
	fields := append([]Field{IDField("crm"), AttrField("tier"), ConsentField("email")}, Fields...)
	samples := []string{"Dr. José A. García-O'Neil Jr.", "SMITH, JOHN", "john.smith+x@gmail.com", "020 7946 0958",
		"+61 412 345 678", "12/03/1980", "March 12, 1980", "sw1a1aa", "K1A 0B1", "Great Britain", "female", "yes",
		"AB-123 456", "12 North Tullaroop Street", "Apt 4", "Mount Lawley", "New South Wales", "王小明", "ИВАН",
		"n/a", "000-000-0000", "  ", "-", "Łódź", "Straße"}
	rapid.Check(t, func(t *rapid.T) {
		f := rapid.SampledFrom(fields).Draw(t, "field")
		raw := rapid.OneOf(rapid.SampledFrom(samples), rapid.String(), anyString()).Draw(t, "raw")
		var r Record
		_ = n.Set(&r, f, raw)
		for _, v := range r.Values(f) {
			if v.Norm == "" {
				continue
			}
			var r2 Record
			if err := n.Set(&r2, f, v.Norm); err != nil {
				t.Fatalf("Set(%s, %q) -> %q, which Set rejects: %v", f, raw, v.Norm, err)
			}
			vs := r2.Values(f)
			if len(vs) == 0 || vs[0].Norm != v.Norm {
				t.Fatalf("Set(%s, %q) -> %q -> %+v", f, raw, v.Norm, vs)
			}
		}
	})
}

// The zero Normalizer normalizes as NewNormalizer(Options{}) does.
func TestNormalizerZeroValue(t *testing.T) {
	var zero Normalizer
	built := NewNormalizer(Options{})
	if zero.Junk() != built.Junk() || zero.Nicknames() != built.Nicknames() {
		t.Errorf("zero value's junk list or nicknames differ from the defaults")
	}
	fields := append([]Field{IDField("crm"), AttrField("tier"), ConsentField("email")}, Fields...)
	samples := []string{"Dr. José A. García-O'Neil Jr.", "n/a", "john.smith+x@gmail.com", "+61 412 345 678",
		"12/03/1980", "000-000-0000", "12 North Tullaroop Street", "DE", "test", "yes"}
	rapid.Check(t, func(t *rapid.T) {
		var a, b Record
		for range rapid.IntRange(1, 4).Draw(t, "n") {
			f := rapid.SampledFrom(fields).Draw(t, "field")
			raw := rapid.OneOf(rapid.SampledFrom(samples), rapid.String()).Draw(t, "raw")
			errA, errB := zero.Set(&a, f, raw), built.Set(&b, f, raw)
			if fmt.Sprint(errA) != fmt.Sprint(errB) {
				t.Fatalf("Set(%s, %q): zero value %v, built %v", f, raw, errA, errB)
			}
		}
		if d := cmp.Diff(b, a); d != "" {
			t.Fatalf("zero value's record differs (-built +zero):\n%s", d)
		}
	})
}

func TestPhoneReadInRecordCountry(t *testing.T) {
	n := NewNormalizer(Options{DefaultRegion: "US"})
	// Country first, then a German national number.
	r := &Record{}
	_ = n.Set(r, FieldCountry, "Deutschland")
	if err := n.Set(r, FieldPhone, "0175/37649716"); err != nil {
		t.Fatalf("German number after country DE: %v", err)
	}
	if r.Phones[0].E164 != "+4917537649716" {
		t.Errorf("E164 = %q", r.Phones[0].E164)
	}
	// Phone first: invalid in the default region, fixed when the country
	// arrives.
	r = &Record{}
	if err := n.Set(r, FieldPhone, "0175/37649716"); err == nil {
		t.Fatal("a German national number was valid in the US")
	}
	_ = n.Set(r, FieldCountry, "DE")
	if r.Phones[0].E164 != "+4917537649716" || r.Phones[0].Raw != "0175/37649716" {
		t.Errorf("after the country arrived: %+v", r.Phones[0])
	}
	// Junk stays junk.
	r = &Record{}
	_ = n.Set(r, FieldPhone, "000-000-0000")
	_ = n.Set(r, FieldCountry, "US")
	if r.Phones[0].E164 != "" {
		t.Errorf("a junk phone was re-read as %q", r.Phones[0].E164)
	}
}

// TestBirthDateInRecordCountry reads an ambiguous birth date month first on
// a record of a month-first country, whichever field comes first, and in
// the configured order otherwise or when the order is fixed.
func TestBirthDateInRecordCountry(t *testing.T) {
	for _, c := range []struct {
		name      string
		opts      Options
		country   string
		dateFirst bool
		raw       string
		want      Date
	}{
		{"US, country first", Options{}, "United States", false, "03/04/1980", Date{1980, 3, 4}},
		{"US, date first", Options{}, "US", true, "03/04/1980", Date{1980, 3, 4}},
		{"Philippines", Options{}, "PH", true, "03/04/1980", Date{1980, 3, 4}},
		{"Germany", Options{}, "DE", true, "03/04/1980", Date{1980, 4, 3}},
		{"no country", Options{}, "", false, "03/04/1980", Date{1980, 4, 3}},
		{"US, unambiguous", Options{}, "US", true, "25/12/1980", Date{1980, 12, 25}},
		{"US, ISO", Options{}, "US", true, "1980-04-03", Date{1980, 4, 3}},
		{"US, fixed order", Options{FixedDateOrder: true}, "US", true, "03/04/1980", Date{1980, 4, 3}},
		{"DE, MDY configured", Options{DateOrder: MDY}, "DE", true, "03/04/1980", Date{1980, 3, 4}},
	} {
		n := NewNormalizer(c.opts)
		r := &Record{}
		setDate := func() {
			if err := n.Set(r, FieldBirthDate, c.raw); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		if c.dateFirst {
			setDate()
		}
		if c.country != "" {
			if err := n.Set(r, FieldCountry, c.country); err != nil {
				t.Fatalf("%s: country: %v", c.name, err)
			}
		}
		if !c.dateFirst {
			setDate()
		}
		if r.BirthDate.Date != c.want || r.BirthDate.Raw != c.raw {
			t.Errorf("%s: %+v, want %v", c.name, r.BirthDate, c.want)
		}
	}
}

// TestFullNameKeepsPartsWords checks that a full name does not fill a part
// with a word another part holds: a one-word full name beside a family-name
// column is the family name, not a given name as well.
func TestFullNameKeepsPartsWords(t *testing.T) {
	n := NewNormalizer(Options{})
	for _, tt := range []struct {
		given, family, full, wantGiven, wantFamily string
	}{
		{"", "Kaur", "Kaur", "", "Kaur"},
		{"", "Smith", "John Smith", "John", "Smith"},
		{"", "Kaur", "Kaur Anna", "", "Kaur"}, // the parser's given name is the family column's
		{"", "", "Anna Kaur", "Anna", "Kaur"},
		{"", "", "Kaur", "Kaur", ""}, // one word alone: the parser's reading
		// A German export's Name and Vorname: one word beside a given name
		// is the family name.
		{"Hans", "", "Müller", "Hans", "Müller"},
		{"Hans", "", "Hans", "Hans", ""},
		{"", "", "Kim Kim", "Kim", "Kim"}, // a repeated word alone is the parser's to read
	} {
		var r Record
		if tt.given != "" {
			mustSet(t, n, &r, FieldGivenName, tt.given)
		}
		if tt.family != "" {
			mustSet(t, n, &r, FieldFamilyName, tt.family)
		}
		mustSet(t, n, &r, FieldFullName, tt.full)
		if r.Name.Given.Norm != tt.wantGiven || r.Name.Family.Norm != tt.wantFamily {
			t.Errorf("given %q, family %q, full %q: given %q family %q; want %q, %q", tt.given, tt.family, tt.full, r.Name.Given.Norm, r.Name.Family.Norm, tt.wantGiven, tt.wantFamily)
		}
	}
}
