package merge

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unifyhq/unify/profile"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// named returns a record "source/key" observed on the given day with a
// given name.
func family(r string, day int, name string) *profile.Record {
	x := rec(r)
	x.Observed = at(day)
	x.Name.Family = text(name)
	return x
}

func named(r string, day int, given string) *profile.Record {
	x := rec(r)
	x.Observed = at(day)
	if given != "" {
		x.Name.Given = text(given)
	}
	return x
}

func build(t *testing.T, s Survivorship, members ...*profile.Record) profile.Profile {
	t.Helper()
	b, err := NewBuilder(s)
	if err != nil {
		t.Fatal(err)
	}
	return b.Build(members)
}

// got returns "value from rule" for each golden value of f.
func got(p profile.Profile, f profile.Field) []string {
	var out []string
	for _, v := range p.Fields[f] {
		out = append(out, v.Value+" "+v.From.String()+" "+v.Rule)
	}
	return out
}

func TestSurvivorshipRules(t *testing.T) {
	dob := func(r string, day int, d profile.Date) *profile.Record {
		x := named(r, day, "")
		x.BirthDate = profile.DateValue{Raw: d.String(), Date: d}
		return x
	}
	email := func(r string, day int, addr, canon string) *profile.Record {
		x := named(r, day, "")
		x.Emails = []profile.Email{{Raw: addr, Address: addr, Canonical: canon}}
		return x
	}
	consent := func(r string, day int, granted bool) *profile.Record {
		x := named(r, day, "")
		x.Consents = []profile.Consent{{Purpose: "email", Raw: "y/n", Known: true, Granted: granted}}
		return x
	}
	tests := []struct {
		name    string
		s       Survivorship
		members []*profile.Record
		field   profile.Field
		want    []string
	}{
		{"most frequent wins over a recent typo", Survivorship{},
			[]*profile.Record{named("a/1", 1, "Jon"), named("a/2", 2, "John"), named("b/1", 3, "John"), named("c/1", 9, "Jhon")},
			profile.FieldGivenName, []string{"John b/1 most_frequent"}},
		{"frequency tie goes to the most recent", Survivorship{},
			[]*profile.Record{family("a/1", 2, "Smith"), family("a/2", 1, "Smithers")},
			profile.FieldFamilyName, []string{"Smith a/1 most_recent"}},
		{"a forename tie goes to the fuller form, then the most recent", Survivorship{},
			[]*profile.Record{named("a/1", 2, "Bob"), named("a/2", 1, "Robert"), named("a/3", 3, "Jo")},
			profile.FieldGivenName, []string{"Robert a/2 most_complete"}},
		{"a full tie goes to the smallest value", Survivorship{},
			[]*profile.Record{named("a/2", 1, "Bob"), named("a/1", 1, "Ann")},
			profile.FieldGivenName, []string{"Ann a/1 tie_break"}},
		{"one value is unanimous, latest occurrence is its provenance", Survivorship{},
			[]*profile.Record{named("a/1", 1, "Ann"), named("b/1", 5, "Ann")},
			profile.FieldGivenName, []string{"Ann b/1 unanimous"}},
		{"one value written in capitals and in mixed case shows the mixed case", Survivorship{},
			[]*profile.Record{named("a/1", 1, "McDonald"), named("b/1", 5, "MCDONALD"), named("c/1", 9, "mcdonald")},
			profile.FieldGivenName, []string{"McDonald a/1 unanimous"}},
		{"source priority", Survivorship{Fields: map[profile.Field]Rule{profile.FieldGivenName: SourcePriority("crm", "shop")}},
			[]*profile.Record{named("web/1", 9, "Annie"), named("shop/1", 5, "Anne"), named("crm/1", 1, "Ann")},
			profile.FieldGivenName, []string{"Ann crm/1 source_priority"}},
		{"unlisted sources rank last", Survivorship{Fields: map[profile.Field]Rule{profile.FieldGivenName: SourcePriority("crm")}},
			[]*profile.Record{named("web/1", 9, "Annie"), named("shop/1", 5, "Anne")},
			profile.FieldGivenName, []string{"Anne shop/1 tie_break"}},
		{"first non-empty", Survivorship{Fields: map[profile.Field]Rule{profile.FieldGivenName: FirstNonEmpty()}},
			[]*profile.Record{named("a/1", 3, "Ann"), named("a/2", 2, "Anne"), named("a/3", 1, "")},
			profile.FieldGivenName, []string{"Anne a/2 first_non_empty"}},
		{"most complete", Survivorship{Fields: map[profile.Field]Rule{profile.FieldGivenName: MostComplete()}},
			[]*profile.Record{named("a/1", 3, "Ann"), named("a/2", 2, "Annabel"), named("a/3", 1, "Anna")},
			profile.FieldGivenName, []string{"Annabel a/2 most_complete"}},
		{"custom rule", Survivorship{Fields: map[profile.Field]Rule{profile.FieldGivenName: Func("longest_source", func(cs []Candidate, keep []bool) {
			for i := range cs {
				keep[i] = cs[i].From.Source == "shop"
			}
		})}},
			[]*profile.Record{named("crm/1", 3, "Ann"), named("shop/1", 2, "Anne")},
			profile.FieldGivenName, []string{"Anne shop/1 longest_source"}},
		{"a rule that keeps nothing abstains", Survivorship{Fields: map[profile.Field]Rule{profile.FieldGivenName: Then(Func("none", func(cs []Candidate, keep []bool) { clear(keep) }), MostRecent())}},
			[]*profile.Record{named("crm/1", 3, "Ann"), named("shop/1", 2, "Anne")},
			profile.FieldGivenName, []string{"Ann crm/1 most_recent"}},
		{"partial dates support the full date they agree with", Survivorship{},
			[]*profile.Record{dob("a/1", 1, profile.Date{Year: 1980}), dob("a/2", 2, profile.Date{Year: 1980}), dob("a/3", 3, profile.Date{Year: 1980, Month: 3, Day: 12})},
			profile.FieldBirthDate, []string{"1980-03-12 a/3 most_complete"}},
		{"a conflicting date loses on frequency", Survivorship{},
			[]*profile.Record{dob("a/1", 1, profile.Date{Year: 1980, Month: 3, Day: 12}), dob("a/2", 9, profile.Date{Year: 1980, Month: 12, Day: 3}), dob("a/3", 3, profile.Date{Year: 1980, Month: 3, Day: 12})},
			profile.FieldBirthDate, []string{"1980-03-12 a/3 most_frequent"}},
		{"emails: union deduplicated by canonical form, most frequent first", Survivorship{},
			[]*profile.Record{email("a/1", 1, "x@y.org", "x@y.org"), email("a/2", 2, "john.smith@gmail.com", "johnsmith@gmail.com"), email("a/3", 3, "johnsmith@gmail.com", "johnsmith@gmail.com")},
			profile.FieldEmail, []string{"johnsmith@gmail.com a/3 union", "x@y.org a/1 union"}},
		{"emails: one mailbox written several ways is one email, whatever the normalizer's provider rules", Survivorship{},
			[]*profile.Record{email("a/1", 1, "jerry.lang50@googlemail.com", "jerry.lang50@googlemail.com"), email("a/2", 3, "jerrylang50@gmail.com", "jerrylang50@gmail.com"),
				email("a/3", 2, "jerry.lang50+shop@gmail.com", "jerry.lang50+shop@gmail.com"), email("a/4", 4, "jerry.lang51@gmail.com", "jerry.lang51@gmail.com"),
				email("a/5", 5, "Jerry.Lang@web.de", "jerry.lang@web.de"), email("a/6", 6, "jerrylang@web.de", "jerrylang@web.de")},
			profile.FieldEmail, []string{"jerrylang50@gmail.com a/2 union", "jerrylang@web.de a/6 union", "Jerry.Lang@web.de a/5 union", "jerry.lang51@gmail.com a/4 union"}},
		{"emails: a provider's domain misspelt is left out beside the address it misspells", Survivorship{},
			[]*profile.Record{email("a/1", 1, "anna+shop@gmail.com", "anna+shop@gmail.com"), email("a/2", 5, "an.na@gmail.con", "an.na@gmail.con"),
				email("a/3", 4, "anna@outlok.com", "anna@outlok.com"), email("a/7", 7, "bo@gmal.com", "bo@gmal.com"), email("a/8", 0, "bo@googlemail.com", "bo@googlemail.com"), email("a/4", 3, "anna2@gmail.con", "anna2@gmail.con"),
				email("a/5", 2, "anna@zenmitors.de", "anna@zenmitors.de"), email("a/6", 6, "anna@zenmotors.de", "anna@zenmotors.de")},
			// outlok.com is outlook.com misspelt, but no member wrote
			// anna@outlook.com; zenmotors.de is no provider's.
			profile.FieldEmail, []string{"anna@zenmotors.de a/6 union", "anna@outlok.com a/3 union", "anna2@gmail.con a/4 union",
				"anna@zenmitors.de a/5 union", "anna+shop@gmail.com a/1 union", "bo@googlemail.com a/8 union"}},
		{"emails: most recent only", Survivorship{Fields: map[profile.Field]Rule{profile.FieldEmail: MostRecent()}},
			[]*profile.Record{email("a/1", 1, "x@y.org", "x@y.org"), email("a/2", 2, "z@y.org", "z@y.org")},
			profile.FieldEmail, []string{"z@y.org a/2 most_recent"}},
		{"consent: the most recent statement", Survivorship{},
			[]*profile.Record{consent("a/1", 1, true), consent("a/2", 2, false)},
			profile.ConsentField("email"), []string{"no a/2 most_recent"}},
		{"consent: a tie says no", Survivorship{},
			[]*profile.Record{consent("a/1", 2, true), consent("a/2", 2, false)},
			profile.ConsentField("email"), []string{"no a/2 tie_break"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := build(t, tc.s, tc.members...)
			if d := cmp.Diff(tc.want, got(p, tc.field)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestSurvivorshipAddressesSurviveWhole(t *testing.T) {
	addr := func(r string, day int, house, street, postcode string) *profile.Record {
		x := named(r, day, "")
		a := profile.Address{HouseNumber: text(house), Street: text(street)}
		if postcode != "" {
			a.Postcode = text(postcode)
		}
		x.Addresses = []profile.Address{a}
		return x
	}
	p := build(t, Survivorship{},
		addr("a/1", 1, "1", "Main St", "2000"),
		addr("a/2", 2, "1", "Main St", ""), // covered by a/1's address
		addr("b/1", 3, "9", "High St", ""),
		addr("b/2", 4, "9", "High St", ""),
	)
	// Two addresses; High St first (two records), then Main St. Postcode is
	// parallel: empty for High St.
	want := map[profile.Field][]string{
		profile.FieldHouseNumber: {"9 b/2 union", "1 a/1 union"},
		profile.FieldStreet:      {"High St b/2 union", "Main St a/1 union"},
		profile.FieldPostcode:    {" b/2 union", "2000 a/1 union"},
	}
	for f, w := range want {
		if d := cmp.Diff(w, got(p, f)); d != "" {
			t.Errorf("%s (-want +got):\n%s", f, d)
		}
	}
	if _, ok := p.Fields[profile.FieldLocality]; ok {
		t.Errorf("locality present though no address has one")
	}
	// A single most recent address keeps its parts together.
	p = build(t, Survivorship{Address: MostRecent()},
		addr("a/1", 5, "1", "Main St", "2000"),
		addr("b/1", 3, "9", "High St", "3000"),
	)
	if g1, g2 := got(p, profile.FieldStreet), got(p, profile.FieldPostcode); len(g1) != 1 || g1[0] != "Main St a/1 most_recent" || g2[0] != "2000 a/1 most_recent" {
		t.Errorf("street %v, postcode %v", g1, g2)
	}
}

// TestSurvivorshipAddressSpellings checks that spellings of one address
// count as one: they are weighed together, the profile shows the spelling
// most records wrote, and a different address stays apart.
func TestSurvivorshipAddressSpellings(t *testing.T) {
	addr := func(r string, day int, street, locality, postcode string) *profile.Record {
		x := named(r, day, "")
		x.Addresses = []profile.Address{{Street: text(street), Locality: text(locality), Postcode: text(postcode)}}
		return x
	}
	members := []*profile.Record{
		addr("a/1", 1, "142 Main St", "New York", "10443"),
		addr("a/2", 2, "142 Main St", "New York", "10443"),
		addr("b/1", 9, "142 Main Stt", "New Yor", "10443"), // the latest, with typos
		addr("c/1", 3, "Flat 2, 142 Main St", "New York", "10443"),
		addr("d/1", 4, "7 Oak Ave", "Boston", "02108"),
		addr("d/2", 5, "7 Oak Ave", "Boston", "02108"),
		addr("d/3", 6, "7 OAK AVE", "BOSTON", "02108"), // the latest, in capitals
	}
	p := build(t, Survivorship{}, members...)
	// Main St's four records outweigh Oak Ave's three, and it shows as two
	// records wrote it, from the later of them; Oak Ave as the latest
	// record in mixed case wrote it.
	want := map[profile.Field][]string{
		profile.FieldStreet:   {"142 Main St a/2 union", "7 Oak Ave d/2 union"},
		profile.FieldLocality: {"New York a/2 union", "Boston d/2 union"},
	}
	for f, w := range want {
		if d := cmp.Diff(w, got(p, f)); d != "" {
			t.Errorf("%s (-want +got):\n%s", f, d)
		}
	}
	// With one address kept, the spellings' support decides.
	p = build(t, Survivorship{Address: MostFrequent()}, members...)
	if g := got(p, profile.FieldStreet); len(g) != 1 || g[0] != "142 Main St a/2 most_frequent" {
		t.Errorf("most frequent address: %v", g)
	}
}

// TestSurvivorshipFullName checks that the full name agrees with the given
// and family names that survive: a member's full name that holds both, or
// else the parts joined.
func TestSurvivorshipFullName(t *testing.T) {
	person := func(r string, day int, given, family, full string) *profile.Record {
		x := named(r, day, given)
		if family != "" {
			x.Name.Family = text(family)
		}
		if full != "" {
			x.Name.Full = text(full)
		}
		return x
	}
	tests := []struct {
		name    string
		s       Survivorship
		members []*profile.Record
		want    []string
	}{
		{"fragments only: joined", Survivorship{}, []*profile.Record{
			person("crm/1", 1, "Przemysław", "Kowalski", ""),
			person("pos/1", 2, "", "", "P Kowalski"),
			person("pos/2", 3, "", "", "P Kowalski"),
		}, []string{"Przemysław Kowalski crm/1 from_name_parts"}},
		{"the one that agrees, though fewer wrote it", Survivorship{}, []*profile.Record{
			person("crm/1", 1, "Przemysław", "Kowalski", ""),
			person("pos/1", 2, "", "", "P Kowalski"),
			person("pos/2", 3, "", "", "P Kowalski"),
			person("web/1", 4, "", "", "Przemysław Kowalski"),
		}, []string{"Przemysław Kowalski web/1 unanimous"}},
		{"a nickname agrees", Survivorship{}, []*profile.Record{
			person("crm/1", 1, "Katherine", "O'Neil", ""),
			person("crm/2", 2, "Katherine", "O'Neil", ""),
			person("web/1", 3, "", "", "Kathy O'Neil"),
		}, []string{"Kathy O'Neil web/1 unanimous"}},
		{"middle name joined", Survivorship{}, []*profile.Record{
			person("crm/1", 1, "John", "Smith", ""),
			func() *profile.Record {
				r := person("crm/2", 2, "John", "Smith", "Smith J")
				r.Name.Middle = text("Albert")
				return r
			}(),
		}, []string{"John Albert Smith crm/2 from_name_parts"}},
		{"family first in CJK", Survivorship{}, []*profile.Record{
			person("crm/1", 1, "太郎", "渡辺", ""),
			person("pos/1", 2, "", "", "太郎"),
		}, []string{"渡辺 太郎 crm/1 from_name_parts"}},
		{"no family name: the rule alone", Survivorship{}, []*profile.Record{
			person("crm/1", 1, "Justin", "", ""),
			person("pos/1", 2, "", "", "J Johnson"),
		}, []string{"J Johnson pos/1 unanimous"}},
		{"a rule of the host's", Survivorship{Fields: map[profile.Field]Rule{profile.FieldFullName: MostRecent()}}, []*profile.Record{
			person("crm/1", 1, "Przemysław", "Kowalski", ""),
			person("pos/1", 2, "", "", "P Kowalski"),
		}, []string{"P Kowalski pos/1 unanimous"}},
	}
	for _, tt := range tests {
		p := build(t, tt.s, tt.members...)
		if d := cmp.Diff(tt.want, got(p, profile.FieldFullName)); d != "" {
			t.Errorf("%s: full name (-want +got):\n%s", tt.name, d)
		}
	}
}

func TestSurvivorshipErrors(t *testing.T) {
	for _, s := range []Survivorship{
		{Fields: map[profile.Field]Rule{"nonsense": MostRecent()}},
		{Fields: map[profile.Field]Rule{"Given_Name": MostRecent()}},
		{Fields: map[profile.Field]Rule{profile.FieldGivenName: nil}},
		{Fields: map[profile.Field]Rule{profile.FieldPostcode: MostRecent()}},
	} {
		if _, err := NewBuilder(s); err == nil {
			t.Errorf("NewBuilder(%v) succeeded", s.Fields)
		}
	}
}

// goldenRecords is a small multi-source customer: CRM, web shop, store and
// support desk, with typos, a partial date, two emails and a move.
func goldenRecords() []*profile.Record {
	day := func(d int) time.Time { return time.Date(2024, time.Month(1+d/28), 1+d%28, 9, 0, 0, 0, time.UTC) }
	crm := &profile.Record{Source: "crm", Key: "C-100", Observed: day(10),
		Name:      profile.Name{Given: text("Katherine"), Family: text("O'Neil"), Honorific: text("Dr")},
		Emails:    []profile.Email{{Raw: "Kate.ONeil@Example.com", Address: "kate.oneil@example.com", Canonical: "kate.oneil@example.com"}},
		Phones:    []profile.Phone{{Raw: "0412 345 678", E164: "+61412345678"}},
		BirthDate: profile.DateValue{Raw: "12/03/1980", Date: profile.Date{Year: 1980, Month: 3, Day: 12}},
		Addresses: []profile.Address{{HouseNumber: text("12"), Street: text("Harbour St"), Locality: text("Sydney"), Postcode: text("2000"), Country: text("AU")}},
		IDs:       []profile.Identifier{{Type: "crm", Raw: "C-100", Value: "c100"}},
		Consents:  []profile.Consent{{Purpose: "email", Raw: "Y", Granted: true, Known: true}},
	}
	shop := &profile.Record{Source: "shop", Key: "u-77", Observed: day(40),
		Name:      profile.Name{Given: text("Kate"), Family: text("O'Neil")},
		Emails:    []profile.Email{{Raw: "kate@gmail.com", Address: "kate@gmail.com", Canonical: "kate@gmail.com"}},
		BirthDate: profile.DateValue{Raw: "1980", Date: profile.Date{Year: 1980}},
		Addresses: []profile.Address{{HouseNumber: text("3"), Street: text("Bay Rd"), Locality: text("Manly"), Postcode: text("2095"), Country: text("AU")}},
		IDs:       []profile.Identifier{{Type: "loyalty", Raw: "L 555", Value: "l555"}},
		Consents:  []profile.Consent{{Purpose: "email", Raw: "no", Granted: false, Known: true}},
		Attrs:     map[string]string{"tier": "gold"},
	}
	store := &profile.Record{Source: "store", Key: "s-9", Observed: day(20),
		Name:      profile.Name{Given: text("Katherine"), Family: text("ONeil")},
		Phones:    []profile.Phone{{Raw: "+61 412 345 678", E164: "+61412345678"}},
		Addresses: []profile.Address{{HouseNumber: text("12"), Street: text("Harbour St"), Postcode: text("2000")}},
		Attrs:     map[string]string{"tier": "silver"},
	}
	support := &profile.Record{Source: "support", Key: "T-1", Observed: day(30),
		Name:   profile.Name{Full: text("Kathy O'Neil")},
		Emails: []profile.Email{{Raw: "kate.oneil@example.com", Address: "kate.oneil@example.com", Canonical: "kate.oneil@example.com"}},
	}
	return []*profile.Record{crm, shop, store, support}
}

// TestGoldenProfileFile compares a full golden profile with
// testdata/golden_profile.json; run with -update to rewrite it after an
// intended change.
func TestGoldenProfileFile(t *testing.T) {
	p := build(t, Survivorship{}, goldenRecords()...)
	got, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden_profile.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("golden profile differs from %s (run with -update after an intended change):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}
