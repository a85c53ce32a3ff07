package profile_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/unifyhq/unify/profile"
)

func ExampleNormalizer_Set() {
	n := profile.NewNormalizer(profile.Options{DefaultRegion: "AU", DateOrder: profile.DMY})
	var r profile.Record
	for _, v := range []struct {
		f   profile.Field
		raw string
	}{
		{profile.FieldFullName, "DR. JOSÉ A. GARCÍA-O'NEIL JR."},
		{profile.FieldEmail, "Jose.Garcia@Correo.ES; n/a"},
		{profile.FieldPhone, "0412 345 678"},
		{profile.FieldBirthDate, "31/02/1980"},
		{profile.FieldStreet, "12 North Tullaroop Street"},
		{profile.FieldPostcode, "0800"},
	} {
		if err := n.Set(&r, v.f, v.raw); err != nil {
			fmt.Println("error:", err)
		}
	}
	fmt.Println(r.Name.Honorific.Norm, "|", r.Name.Given.Norm, "|", r.Name.Middle.Norm, "|", r.Name.Family.Norm, "|", r.Name.Suffix.Norm)
	fmt.Println(r.Name.Family.Key)
	fmt.Println(r.Emails[0].Address, len(r.Emails))
	fmt.Println(r.Phones[0].E164)
	fmt.Printf("%q %v\n", r.BirthDate.Raw, r.BirthDate.Date.IsZero())
	fmt.Println(r.Addresses[0].Street.Key, r.Addresses[0].Postcode.Norm)
	// Output:
	// error: profile: email "n/a": junk value
	// error: profile: birth_date "31/02/1980": invalid date: day 31 is past the end of February 1980
	// Dr. | José | A. | García-O'Neil | Jr.
	// garcia oneil
	// jose.garcia@correo.es 2
	// +61412345678
	// "31/02/1980" true
	// 12 n tullaroop st 0800
}

func ExampleFieldError() {
	n := profile.NewNormalizer(profile.Options{})
	var r profile.Record
	err := n.Set(&r, profile.FieldPhone, "+1 (201) 555-01")
	var fe *profile.FieldError
	if errors.As(err, &fe) {
		fmt.Println("field:", fe.Field)
		fmt.Println("raw kept:", r.Phones[0].Raw)
	}
	fmt.Println(errors.Is(err, profile.ErrInvalidPhone), errors.Is(err, profile.ErrInvalid), errors.Is(err, profile.ErrJunk))
	// Output:
	// field: phone
	// raw kept: +1 (201) 555-01
	// true true false
}

func ExampleTextNormalizer() {
	var tn profile.TextNormalizer
	for _, c := range []struct{ label, s string }{
		{"spaces", "  José\tGARCÍA "},
		{"NFD", "Jose\u0301 Garci\u0301a"},
		{"Polish", "Łódź"},
		{"German", "Straße"},
		{"Cyrillic", "ИВАН"},
		{"CJK", "王小明"},
		{"apostrophe", "O’Neil-Smith"},
	} {
		t := tn.Text(c.s)
		fmt.Printf("%-10s %q %q\n", c.label, t.Norm, t.Key)
	}
	// Output:
	// spaces     "José GARCÍA" "jose garcia"
	// NFD        "José García" "jose garcia"
	// Polish     "Łódź" "lodz"
	// German     "Straße" "strasse"
	// Cyrillic   "ИВАН" "иван"
	// CJK        "王小明" "王小明"
	// apostrophe "O’Neil-Smith" "oneil smith"
}

func ExampleNameParser_Parse() {
	var p profile.NameParser
	for _, s := range []string{"Smith, John A.", "Dr. John A. Smith Jr.", "JOHN SMITH", "van der Berg, Anna", "王小明"} {
		n := p.Parse(s)
		fmt.Printf("%-22q hon=%q given=%q middle=%q family=%q suffix=%q\n", s,
			n.Honorific.Norm, n.Given.Norm, n.Middle.Norm, n.Family.Norm, n.Suffix.Norm)
	}
	// Output:
	// "Smith, John A."       hon="" given="John" middle="A." family="Smith" suffix=""
	// "Dr. John A. Smith Jr." hon="Dr." given="John" middle="A." family="Smith" suffix="Jr."
	// "JOHN SMITH"           hon="" given="John" middle="" family="Smith" suffix=""
	// "van der Berg, Anna"   hon="" given="Anna" middle="" family="van der Berg" suffix=""
	// "王小明"                  hon="" given="" middle="" family="" suffix=""
}

func ExampleNameParser_Part() {
	var p profile.NameParser
	for _, s := range []string{"mcdonald", "O'NEIL", "DeVito", "VAN DER BERG"} {
		fmt.Println(p.Part(s).Norm)
	}
	// Output:
	// McDonald
	// O'Neil
	// DeVito
	// Van der Berg
}

func ExampleNicknames() {
	nk := profile.DefaultNicknames()
	fmt.Println(nk.Canonical("bob"))
	fmt.Println(nk.Canonical("alex"))
	fmt.Println(nk.Equivalent("peggy", "margaret"), nk.Equivalent("bob", "rob"), nk.Equivalent("alexander", "alexandra"))
	// Look names up by their keys.
	var tn profile.TextNormalizer
	fmt.Println(nk.Equivalent(tn.Key("Bill"), tn.Key("WILLIAM")))
	// Output:
	// [robert]
	// [alejandro alexander alexandra alexandre alexis]
	// true true false
	// true
}

func ExampleParseNicknames() {
	table := `# Spanish short forms
josé: pepe, chema
francisco: paco, pancho, curro`
	nk, err := profile.ParseNicknames(strings.NewReader(table))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(nk.Len(), nk.Canonical("pepe"), nk.Equivalent("paco", "pancho"))
	// Output:
	// 2 [jose] true
}

func ExampleEmailNormalizer_Parse() {
	plain := profile.EmailNormalizer{}
	rules := profile.EmailNormalizer{ProviderRules: true}
	for _, s := range []string{"J.Smith+News@GoogleMail.com", "Jane Doe <Jane@Example.com>", "jane@@example.com"} {
		e, err := plain.Parse(s)
		c, _ := rules.Parse(s)
		fmt.Printf("%q %q %v\n", e.Address, c.Canonical, err)
	}
	// Output:
	// "j.smith+news@googlemail.com" "jsmith@gmail.com" <nil>
	// "jane@example.com" "jane@example.com" <nil>
	// "" "" profile: invalid email: more than one '@'
}

func ExamplePhoneNormalizer_Parse() {
	au := profile.PhoneNormalizer{DefaultRegion: "AU"}
	for _, s := range []string{"0412 345 678", "(02) 9876 5432", "+44 20 7946 0958", "0011 1 201 555 0123", "12345"} {
		p, err := au.Parse(s)
		fmt.Printf("%-20q %q %v\n", s, p.E164, err != nil)
	}
	// Output:
	// "0412 345 678"       "+61412345678" false
	// "(02) 9876 5432"     "+61298765432" false
	// "+44 20 7946 0958"   "+442079460958" false
	// "0011 1 201 555 0123" "+12015550123" false
	// "12345"              "" true
}

func ExampleAddressNormalizer() {
	var a profile.AddressNormalizer
	fmt.Println(a.Street("12 North Tullaroop Street").Key)
	fmt.Println(a.Street("12 N. Tullaroop St").Key)
	fmt.Println(a.Line2("Apartment 4B").Key)
	fmt.Println(a.Locality("Saint Kilda").Key)
	fmt.Println(a.Region("New South Wales").Key)
	// Output:
	// 12 n tullaroop st
	// 12 n tullaroop st
	// apt 4b
	// st kilda
	// nsw
}

func ExampleAddressNormalizer_Postcode() {
	var a profile.AddressNormalizer
	for _, c := range [][2]string{{"sw1a1aa", "GB"}, {"123456789", "US"}, {"k1a0b1", "CA"}, {"0800", "AU"}, {"2134", "US"}} {
		p, err := a.Postcode(c[0], c[1])
		fmt.Printf("%s %-10q %q %v\n", c[1], c[0], p.Norm, err)
	}
	// Output:
	// GB "sw1a1aa"  "SW1A 1AA" <nil>
	// US "123456789" "12345-6789" <nil>
	// CA "k1a0b1"   "K1A 0B1" <nil>
	// AU "0800"     "0800" <nil>
	// US "2134"     "" profile: invalid postcode: US ZIP codes have 5 or 9 digits
}

func ExampleAddressNormalizer_Country() {
	var a profile.AddressNormalizer
	for _, s := range []string{"UK", "Great Britain", "United States of America", "Deutschland", "the Netherlands", "Narnia"} {
		c, err := a.Country(s)
		fmt.Printf("%q %q %v\n", s, c.Norm, err)
	}
	// Output:
	// "UK" "GB" <nil>
	// "Great Britain" "GB" <nil>
	// "United States of America" "US" <nil>
	// "Deutschland" "DE" <nil>
	// "the Netherlands" "NL" <nil>
	// "Narnia" "" profile: unknown country: not an ISO 3166 country name or code
}

func ExampleDateParser_Parse() {
	dmy := profile.DateParser{Order: profile.DMY}
	mdy := profile.DateParser{Order: profile.MDY}
	for _, s := range []string{"03/04/1980", "25/12/1980", "12 Mar 1980", "March 12, 1980", "1980-03", "19800230"} {
		a, err := dmy.Parse(s)
		b, _ := mdy.Parse(s)
		fmt.Printf("%-16q DMY %-10s MDY %-10s %v\n", s, a, b, err)
	}
	// Output:
	// "03/04/1980"     DMY 1980-04-03 MDY 1980-03-04 <nil>
	// "25/12/1980"     DMY 1980-12-25 MDY 1980-12-25 <nil>
	// "12 Mar 1980"    DMY 1980-03-12 MDY 1980-03-12 <nil>
	// "March 12, 1980" DMY 1980-03-12 MDY 1980-03-12 <nil>
	// "1980-03"        DMY 1980-03    MDY 1980-03    <nil>
	// "19800230"       DMY            MDY            profile: invalid date: day 30 is past the end of February 1980
}

func ExampleJunk() {
	j := profile.DefaultJunk().With(profile.FieldGivenName, "Baby Boy")
	fmt.Println(j.IsJunk(profile.FieldGivenName, "N/A"), j.IsJunk(profile.FieldGivenName, "BABY BOY"), j.IsJunk(profile.FieldGivenName, "Bob"))
	fmt.Println(j.IsJunk(profile.FieldPhone, "000-000-0000"), j.IsJunk(profile.FieldPhone, "0412 345 678"))
	fmt.Println(j.IsJunk(profile.FieldEmail, "noemail@gmail.com"), j.IsJunk(profile.IDField("ssn"), "123456789"))
	// Output:
	// true true false
	// true false
	// true true
}

func ExampleParseGender() {
	for _, s := range []string{"Male", "F", "non-binary", "2", "banana"} {
		g, err := profile.ParseGender(s)
		fmt.Printf("%q %q %v\n", s, g.Norm, err != nil)
	}
	// Output:
	// "Male" "m" false
	// "F" "f" false
	// "non-binary" "x" false
	// "2" "f" false
	// "banana" "" true
}

func ExampleParseConsent() {
	for _, s := range []string{"Opt-In", "no", "maybe"} {
		c, _ := profile.ParseConsent("email", s)
		fmt.Println(s, c.Known, c.Granted)
	}
	// Output:
	// Opt-In true true
	// no true false
	// maybe false false
}

func ExampleIdentifierValue() {
	fmt.Println(profile.IdentifierValue(" AB-123 456 "), profile.IdentifierValue("ＡＢ－１２３"))
	// Output:
	// ab123456 ab123
}

// A record packs into one string; decoding gives the same values back and
// shares the packed text.
func ExamplePack() {
	n := profile.NewNormalizer(profile.Options{DefaultRegion: "AU"})
	r := &profile.Record{Source: "crm", Key: "42"}
	n.Set(r, profile.FieldFullName, "Anna Berg")
	n.Set(r, profile.FieldEmail, "Anna.Berg@Web.de")
	p := profile.Pack(r)
	back := p.Record()
	fmt.Println(p.Ref(), back.Name.Given.Norm, back.Name.Family.Key, back.Emails[0].Address)
	// Output: crm/42 Anna berg anna.berg@web.de
}
