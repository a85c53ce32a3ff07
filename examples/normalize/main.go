// Command normalize shows what unify's profile normalizers do to messy
// customer data. It normalizes a few built-in sample records, field by field,
// and prints each raw value next to its normalized display form and
// comparison key, with the reason when a value is junk or invalid.
//
//	go run ./examples/normalize
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/unifyhq/unify/profile"
)

// value is one raw field value of a sample record.
type value struct {
	field profile.Field
	raw   string
}

// samples are messy records as three sources might hold them.
var samples = []struct {
	source, key string
	values      []value
}{
	{"crm", "1001", []value{
		{profile.FieldFullName, "DR. JOSÉ A. GARCÍA-O'NEIL JR."},
		{profile.FieldEmail, "Jose.Garcia+Newsletter@GoogleMail.com; n/a"},
		{profile.FieldPhone, "0412 345 678"},
		{profile.FieldBirthDate, "03/04/1980"},
		{profile.FieldGender, "Male"},
		{profile.FieldHouseNumber, "12 a"},
		{profile.FieldStreet, "North Tullaroop Street"},
		{profile.FieldAddressLine2, "Apartment 4"},
		{profile.FieldLocality, "Saint Kilda"},
		{profile.FieldRegion, "Victoria"},
		{profile.FieldPostcode, "3182"},
		{profile.FieldCountry, "Australia"},
		{profile.IDField("loyalty"), "LC-0042 17"},
		{profile.ConsentField("email"), "Opt-In"},
	}},
	{"webshop", "A-77", []value{
		{profile.FieldGivenName, "bob"},
		{profile.FieldFamilyName, "MCDONALD"},
		{profile.FieldEmail, "Bob McDonald <BOB.MCDONALD@Example.co.uk>"},
		{profile.FieldPhone, "+44 (0)20 7946 0958, 000-000-0000"},
		{profile.FieldBirthDate, "12th March 1975"},
		{profile.FieldStreet, "1 Lilac Close"},
		{profile.FieldPostcode, "sw1a1aa"},
		{profile.FieldCountry, "UK"},
		{profile.FieldGender, "unknown"},
		{profile.IDField("ssn"), "123-45-6789"},
	}},
	{"store", "77-3", []value{
		{profile.FieldFullName, "Łukasz Żółć"},
		{profile.FieldEmail, "lukasz.zolc@@poczta.pl"},
		{profile.FieldPhone, "+48 22 123 45 67"},
		{profile.FieldBirthDate, "1980-02-30"},
		{profile.FieldStreet, "Straße des 17. Juni"},
		{profile.FieldPostcode, "10623"},
		{profile.FieldCountry, "Deutschland"},
	}},
	{"store", "91-8", []value{
		{profile.FieldFullName, "ИВАН ПЕТРОВИЧ СИДОРОВ"},
		{profile.FieldEmail, "ivan@yandex.ru"},
		{profile.FieldBirthDate, "1979"},
		{profile.FieldPhone, "8 (495) 123-45-67"},
	}},
	{"store", "92-1", []value{
		{profile.FieldFullName, "王小明"},
		{profile.FieldLocality, "北京"},
		{profile.FieldCountry, "中国"},
		{profile.FieldPhone, "+86 10 1234 5678"},
	}},
}

func main() {
	n := profile.NewNormalizer(profile.Options{
		DefaultRegion:      "AU", // phones without +country are Australian
		DateOrder:          profile.DMY,
		EmailProviderRules: true,
	})
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	var records []*profile.Record
	for _, s := range samples {
		r := &profile.Record{Source: s.source, Key: s.key}
		fmt.Fprintf(w, "\nrecord %s\t\t\t\n", r.Ref())
		fmt.Fprintf(w, "  field\traw\tnormalized\tkey / note\n")
		for _, v := range s.values {
			err := n.Set(r, v.field, v.raw)
			for i, line := range describe(r, v.field) {
				f, raw := string(v.field), fmt.Sprintf("%q", line.raw)
				if i > 0 {
					f = ""
				}
				if line.raw == "" {
					raw = ""
				}
				fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", f, raw, line.norm, line.key)
			}
			if err != nil {
				fmt.Fprintf(w, "  \t\t\t! %s\n", reason(err))
			}
		}
		records = append(records, r)
	}
	w.Flush()

	fmt.Println("\nnicknames: given names that may be the same person")
	nk := n.Nicknames()
	for _, pair := range [][2]string{{"Bob", "Robert"}, {"Peggy", "Margaret"}, {"Alex", "Alexandra"}, {"Bob", "Bill"}} {
		a, b := n.Text().Key(pair[0]), n.Text().Key(pair[1])
		fmt.Printf("  %-6s ~ %-9s %v (canonical %v / %v)\n", pair[0], pair[1], nk.Equivalent(a, b), nk.Canonical(a), nk.Canonical(b))
	}
	fmt.Printf("\n%d records normalized; raw values are kept beside every normalized one.\n", len(records))
}

// line is one row of output for a field.
type line struct{ raw, norm, key string }

// describe shows what Set stored for field f on r: the last value, or for
// emails and phones all of them (each sample sets those fields once).
func describe(r *profile.Record, f profile.Field) []line {
	text := func(t profile.Text) []line { return []line{{t.Raw, show(t.Norm), t.Key}} }
	switch f {
	case profile.FieldFullName:
		nm := r.Name
		parts := []string{}
		for _, p := range []struct {
			label string
			t     profile.Text
		}{{"honorific", nm.Honorific}, {"given", nm.Given}, {"middle", nm.Middle}, {"family", nm.Family}, {"suffix", nm.Suffix}} {
			if p.t.Norm != "" {
				parts = append(parts, p.label+"="+p.t.Norm)
			}
		}
		split := strings.Join(parts, " ")
		if split == "" {
			split = "(not split: no spaces to split on)"
		}
		return []line{{nm.Full.Raw, show(nm.Full.Norm), nm.Full.Key}, {"", split, ""}}
	case profile.FieldGivenName:
		return text(r.Name.Given)
	case profile.FieldFamilyName:
		return text(r.Name.Family)
	case profile.FieldGender:
		return text(r.Gender)
	case profile.FieldEmail:
		var out []line
		for _, e := range r.Emails {
			out = append(out, line{e.Raw, show(e.Address), "canonical " + show(e.Canonical)})
		}
		return out
	case profile.FieldPhone:
		var out []line
		for _, p := range r.Phones {
			out = append(out, line{p.Raw, show(p.E164), "E.164"})
		}
		return out
	case profile.FieldBirthDate:
		return []line{{r.BirthDate.Raw, show(r.BirthDate.Date.String()), "ISO 8601"}}
	}
	if f.IsAddressPart() {
		a := r.Addresses[len(r.Addresses)-1]
		t, _ := a.Part(f)
		out := text(t)
		if f == profile.FieldCountry && a.Postcode.Raw != "" {
			// The postcode came first; Set checked it again for this country.
			out = append(out, line{"", "postcode now " + show(a.Postcode.Norm), "(checked for " + show(t.Norm) + ")"})
		}
		return out
	}
	if typ, ok := f.IDType(); ok {
		id := r.IDs[len(r.IDs)-1]
		return []line{{id.Raw, show(id.Value), "type " + typ}}
	}
	if _, ok := f.ConsentPurpose(); ok {
		c := r.Consents[len(r.Consents)-1]
		return []line{{c.Raw, fmt.Sprintf("granted=%v", c.Granted), fmt.Sprintf("known=%v", c.Known)}}
	}
	return nil
}

func show(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func reason(err error) string {
	switch {
	case errors.Is(err, profile.ErrJunk):
		return "junk, treated as missing: " + err.Error()
	case errors.Is(err, profile.ErrInvalid):
		return "invalid, kept raw: " + err.Error()
	}
	return err.Error()
}
