package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unifyhq/unify/profile"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func TestNormalizeHeader(t *testing.T) {
	tests := map[string]string{
		" First Name ":      "first_name",
		"first-name":        "first_name",
		"FIRST_NAME":        "first_name",
		"firstName":         "first_name",
		"FirstName":         "first_name",
		"ZIPCode":           "zip_code",
		"eMail":             "e_mail",
		"E-Mail Address":    "e_mail_address",
		"Prénom":            "prenom",
		"Straße":            "strasse",
		"address.city":      "address.city",
		"Address Line 1":    "address_line_1",
		"phone#2":           "phone_2",
		"\ufeffrec_id":      "rec_id",
		"date of birth (*)": "date_of_birth",
		"":                  "",
	}
	for in, want := range tests {
		if got := NormalizeHeader(in); got != want {
			t.Errorf("NormalizeHeader(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAutoTarget(t *testing.T) {
	tests := map[string]profile.Field{
		"first_name": profile.FieldGivenName, "fname": profile.FieldGivenName, "forename": profile.FieldGivenName,
		"given_name": profile.FieldGivenName, "christian_name": profile.FieldGivenName, "first": profile.FieldGivenName,
		"surname": profile.FieldFamilyName, "last_name": profile.FieldFamilyName, "lastname": profile.FieldFamilyName,
		"family_name": profile.FieldFamilyName, "middle_initial": profile.FieldMiddleName,
		"name": profile.FieldFullName, "customer_name": profile.FieldFullName, "full_name": profile.FieldFullName,
		"e_mail": profile.FieldEmail, "email_address": profile.FieldEmail, "email2": profile.FieldEmail,
		"work_email": profile.FieldEmail, "email_7": profile.FieldEmail, "billing_email": profile.FieldEmail,
		"mobile": profile.FieldPhone, "tel": profile.FieldPhone, "phone_number": profile.FieldPhone, "cell": profile.FieldPhone,
		"home_phone": profile.FieldPhone, "work_phone_2": profile.FieldPhone,
		"mobile_phone_number": profile.FieldPhone, "cell_phone_number": profile.FieldPhone, "home_phone_number": profile.FieldPhone,
		// HubSpot's and Shopify's export headers.
		"state_region": profile.FieldRegion, "country_region": profile.FieldCountry,
		"default_address_address1": profile.FieldStreet, "default_address_address2": profile.FieldAddressLine2,
		"default_address_city": profile.FieldLocality, "default_address_province_code": profile.FieldRegion,
		"default_address_country_code": profile.FieldCountry, "default_address_zip": profile.FieldPostcode,
		"default_address_phone": profile.FieldPhone, "default_address_company": "",
		"accepts_email_marketing": profile.ConsentField("email"), "accepts_sms_marketing": profile.ConsentField("sms"),
		"dob": profile.FieldBirthDate, "date_of_birth": profile.FieldBirthDate, "birthdate": profile.FieldBirthDate,
		"birth_place": profile.AttrField("birth_place"), "place_of_birth": profile.AttrField("birth_place"),
		"geburtsort": profile.AttrField("birth_place"), "occupation": profile.AttrField("occupation"),
		"job_title": profile.AttrField("occupation"),
		"sex":       profile.FieldGender, "gender": profile.FieldGender,
		"address_1": profile.FieldStreet, "street_address": profile.FieldStreet, "address": profile.FieldStreet,
		"address_2": profile.FieldAddressLine2, "street_number": profile.FieldHouseNumber, "house_no": profile.FieldHouseNumber,
		"suburb": profile.FieldLocality, "city": profile.FieldLocality, "town": profile.FieldLocality, "billing_city": profile.FieldLocality,
		"state": profile.FieldRegion, "province": profile.FieldRegion, "county": profile.FieldRegion,
		"zip": profile.FieldPostcode, "zipcode": profile.FieldPostcode, "postal_code": profile.FieldPostcode, "shipping_zip": profile.FieldPostcode,
		"country_code": profile.FieldCountry,
		"soc_sec_id":   profile.IDField("national"), "ssn": profile.IDField("national"),
		"loyalty_number": profile.IDField("loyalty"), "member_id": profile.IDField("loyalty"),
		"crm_id": profile.IDField("crm"), "cookie_id": profile.IDField("device"),
		"email_opt_in": profile.ConsentField("email"),
		"vorname":      profile.FieldGivenName, "nachname": profile.FieldFamilyName, "plz": profile.FieldPostcode,
		// Headers of other languages, normalized: "Kundennr.", "id_client", Italian "CAP", Dutch
		// "Telefoon", "Förnamn", "Fødselsdato", "Imię", "Data de Nascimento", "Sähköposti".
		"kundennr": targetKey, "id_client": targetKey, "cap": profile.FieldPostcode, "telefoon": profile.FieldPhone,
		NormalizeHeader("Förnamn"): profile.FieldGivenName, NormalizeHeader("Fødselsdato"): profile.FieldBirthDate,
		NormalizeHeader("Imię"): profile.FieldGivenName, NormalizeHeader("Nazwisko"): profile.FieldFamilyName,
		NormalizeHeader("Data de Nascimento"): profile.FieldBirthDate, NormalizeHeader("Sähköposti"): profile.FieldEmail,
		NormalizeHeader("Miejscowość"): profile.FieldLocality, NormalizeHeader("Kundennr."): targetKey,
		"customer.first_name": profile.FieldGivenName, "traits.email": profile.FieldEmail,
		"name.first": profile.FieldGivenName, "name.last": profile.FieldFamilyName, "address.city": profile.FieldLocality,
		"rec_id": targetKey, "customer_id": targetKey, "customer.id": targetKey, "updated_at": targetObserved,
		// Qualifiers before and after the field name (voter rolls, Splink's
		// historical_50k).
		"res_street_address": profile.FieldStreet, "res_city_desc": profile.FieldLocality, "state_cd": profile.FieldRegion,
		"full_phone_number": profile.FieldPhone, "gender_code": profile.FieldGender, "midl_name": profile.FieldMiddleName,
		"name_sufx_cd": profile.FieldSuffix, "postcode_fake": profile.FieldPostcode, "state_name": profile.FieldRegion,
		"recid": targetKey,
		// Not person fields.
		"promo_code": "", "area_code": "", "id_code": "", "file_name": "", "email_verified": "",
		"cluster": "", "company.name": "", "order.state": "", "company": "", "notes": "", "first_name_2": "",
	}
	for h, want := range tests {
		if got := autoTarget(h); got != want {
			t.Errorf("autoTarget(%q) = %q, want %q", h, got, want)
		}
	}
	// Every alias is a valid field of the vocabulary.
	for n, f := range headerAliases {
		if f == targetKey || f == targetObserved {
			continue
		}
		if pf, err := profile.ParseField(string(f)); err != nil || pf != f {
			t.Errorf("alias %q maps to %q: %v", n, f, err)
		}
		if NormalizeHeader(n) != n {
			t.Errorf("alias %q is not in normalized form (%q)", n, NormalizeHeader(n))
		}
	}
}

// Company names are not person names: Salesforce's "Account Name" is the
// contact's company, and so is a "Business Name".
func TestCompanyHeadersAreNotNames(t *testing.T) {
	for _, h := range []string{
		"Account Name", "Account", "AccountName", "Company", "Company Name", "Organization Name",
		"Organisation", "Firma", "Firmenname", "Société", "Nom de la société", "Empresa",
		"Nombre de la empresa", "Business Name", "Account First Name", "account.name",
		"Account Name (Full)",
	} {
		if f := autoTarget(NormalizeHeader(h)); f != "" && isNameField(f) {
			t.Errorf("%q maps to %s, want no name field", h, f)
		}
	}
	// The same qualifiers before a field that is the contact's own.
	for h, want := range map[string]profile.Field{
		"Account Email": profile.FieldEmail, "Business Phone": profile.FieldPhone, "Billing Name": profile.FieldFullName,
		"Business Street": profile.FieldStreet, "Business Postal Code": profile.FieldPostcode,
		"Account Birthdate": profile.FieldBirthDate,
	} {
		if f := autoTarget(NormalizeHeader(h)); f != want {
			t.Errorf("%q maps to %q, want %q", h, f, want)
		}
	}
}

// A company's phone and address are not its contact's: Salesforce's
// "Account Phone" is the account's number, which every contact of the
// company would share.
func TestCompanyContactHeadersAreNotTheContacts(t *testing.T) {
	for _, h := range []string{
		"Account Phone", "Account Phone Number", "Account Mobile", "Account Tel", "account.phone",
		"Account Address", "Account Street", "Account City", "Account Zip", "Account State", "Account Country",
		"Account Phone (Mobile)", "Company Phone", "Company Email", "Company Address", "Company City",
		"Organization Phone", "company.phone",
	} {
		if f := autoTarget(NormalizeHeader(h)); f != "" {
			t.Errorf("%q maps to %s, want nothing", h, f)
		}
	}
}

// Headers as European exports write them, through NormalizeHeader.
func TestAutoTargetWrittenHeaders(t *testing.T) {
	tests := []struct {
		header string
		want   profile.Field
	}{
		{"Adresse e-mail", profile.FieldEmail},
		{"E-Mail-Adresse", profile.FieldEmail},
		{"Adresse électronique", profile.FieldEmail},
		{"E-Mail (privat)", profile.FieldEmail},
		{"Numéro de téléphone", profile.FieldPhone},
		{"N° de téléphone", profile.FieldPhone},
		{"Nº de teléfono", profile.FieldPhone},
		{"Numero di telefono", profile.FieldPhone},
		{"Handynummer", profile.FieldPhone},
		{"Phone (Mobile)", profile.FieldPhone},
		{"Telefon (privat)", profile.FieldPhone},
		{"N° de passeport", profile.IDField("passport")},
		{"Straße und Hausnummer", profile.FieldStreet},
		{"Straße/Nr.", profile.FieldStreet},
		{"Name, Vorname", profile.FieldFullName},
		{"Nom, Prénom", profile.FieldFullName},
		{"Vorname Nachname", profile.FieldFullName},
		// "The number of" names only phones and identifiers.
		{"N° de rue", ""},
		{"Numéro de ville", ""},
	}
	for _, tt := range tests {
		if got := autoTarget(NormalizeHeader(tt.header)); got != tt.want {
			t.Errorf("%q (%s) maps to %q, want %q", tt.header, NormalizeHeader(tt.header), got, tt.want)
		}
	}
}

// A full name written family name first, as "Name, Vorname" columns hold
// it, is read by its comma.
func TestFamilyFirstFullName(t *testing.T) {
	in := "Kundennr;\"Name, Vorname\"\n1;\"Müller, Jürgen\"\n"
	res := readRecords(t, strings.NewReader(in), Mapping{}, Options{})
	if res.fatal != nil || len(res.recs) != 1 {
		t.Fatalf("fatal %v, %d records", res.fatal, len(res.recs))
	}
	if n := res.recs[0].Name; n.Given.Raw != "Jürgen" || n.Family.Raw != "Müller" {
		t.Fatalf("name %+v, want given Jürgen, family Müller", n)
	}
}

// TestBenchmarkFilesMapFully reads the benchmark data with no mapping: every
// person column must be recognised (fake_1000's "cluster" is ground truth
// and must stay unmapped), and the column reports match the golden files.
func TestBenchmarkFilesMapFully(t *testing.T) {
	for _, name := range []string{"febrl1", "febrl4a", "febrl4b", "fake_1000"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("..", "testdata", name+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			res := readRecords(t, f, Mapping{Source: name}, Options{})
			if res.fatal != nil || len(res.rejects) > 0 {
				t.Fatalf("fatal %v, %d rejects", res.fatal, len(res.rejects))
			}
			rep := res.report
			unmapped := rep.Unmapped()
			if name == "fake_1000" {
				if len(unmapped) != 1 || unmapped[0].Name != "cluster" || unmapped[0].Field != "attr:cluster" {
					t.Fatalf("unmapped %+v, want only cluster kept as attr:cluster", unmapped)
				}
			} else if len(unmapped) != 0 {
				t.Fatalf("unmapped %+v", unmapped)
			}
			if name == "febrl4a" || name == "febrl4b" {
				return // same header as febrl1
			}
			var buf bytes.Buffer
			if err := rep.WriteMapping(&buf); err != nil {
				t.Fatal(err)
			}
			golden(t, "mapping_"+name+".golden", buf.Bytes())
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update after checking):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestAutoMappingRoundTrip(t *testing.T) {
	header := []string{"Customer ID", "First Name", "Last Name", "E-mail", "Mobile", "Updated At", "Segment"}
	m, cols, err := AutoMapping("shop", header)
	if err != nil {
		t.Fatal(err)
	}
	if m.Key != "Customer ID" || m.Observed != "Updated At" || m.Columns["Segment"] != "attr:segment" || len(cols) != len(header) {
		t.Fatalf("mapping %+v", m)
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseMapping(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ParseMapping(%s): %v", data, err)
	}
	// The saved mapping reads a file exactly as auto-mapping did.
	in := strings.Join(header, ",") + "\nC1,Ann,Lee,ann@acme.io,+61412345678,2024-01-02,gold\n"
	a := readRecords(t, strings.NewReader(in), Mapping{Source: "shop"}, Options{})
	b := readRecords(t, strings.NewReader(in), back, Options{})
	ja, _ := json.Marshal(a.recs)
	jb, _ := json.Marshal(b.recs)
	if !bytes.Equal(ja, jb) {
		t.Fatalf("auto:\n%s\nsaved mapping:\n%s", ja, jb)
	}
	if _, _, err := AutoMapping("x", []string{"name", "city"}); err == nil {
		t.Fatal("no key column: want an error")
	}
}

func TestParseMappingStrict(t *testing.T) {
	good := `{"source":"crm","key":"cust","columns":{"Vorname":"given_name","Card":"id:loyalty"},"date_order":"mdy","default_region":"US","email_provider_rules":true,"two_digit_year_pivot":25}`
	m, err := ParseMapping(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if m.DateOrder != profile.MDY || m.Columns["Card"] != "id:loyalty" || !m.EmailProviderRules || m.DefaultRegion != "US" || m.TwoDigitYearPivot != 25 {
		t.Fatalf("mapping %+v", m)
	}
	for _, bad := range []string{
		`{"source":"crm","colums":{}}`,
		`{"source":"crm","columns":{"a":"shoe_size"}}`,
		`{"source":"crm","date_order":"DYM"}`,
		`{"source":""}`,
		`{"source":"crm","unmapped":"drop"}`,
		`not json`,
	} {
		if _, err := ParseMapping(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseMapping(%s): no error", bad)
		}
	}
}

func TestMappingNormalizerOptions(t *testing.T) {
	// The mapping's date order and phone region reach the normalizer.
	in := "id,dob,phone\n1,03/04/1980,(02) 9999 0000\n2,03/04/80,\n"
	res := readRecords(t, strings.NewReader(in), Mapping{DateOrder: profile.MDY, DefaultRegion: "AU", TwoDigitYearPivot: 30}, Options{})
	r := res.recs[0]
	if r.BirthDate.Date != (profile.Date{Year: 1980, Month: 3, Day: 4}) || r.Phones[0].E164 != "+61299990000" {
		t.Fatalf("record %+v", r)
	}
	if d := res.recs[1].BirthDate.Date; d != (profile.Date{Year: 1980, Month: 3, Day: 4}) {
		t.Fatalf("two-digit year: %v", d)
	}
}

// A birth year is the birth date of a file without one, and an attribute
// beside one, whichever column comes first.
func TestBirthYearIsAWeakAlias(t *testing.T) {
	tests := []struct {
		header string
		want   map[string]profile.Field
	}{
		{"id,first_name,birth_year", map[string]profile.Field{"birth_year": profile.FieldBirthDate}},
		{"id,birth_year,first_name,dob", map[string]profile.Field{"birth_year": "attr:birth_year", "dob": profile.FieldBirthDate}},
		{"id,dob,YOB", map[string]profile.Field{"YOB": "attr:yob", "dob": profile.FieldBirthDate}},
	}
	for _, tt := range tests {
		in := tt.header + "\n" + "1" + strings.Repeat(",1984", strings.Count(tt.header, ",")) + "\n"
		res := readRecords(t, strings.NewReader(in), Mapping{Source: "s"}, Options{})
		if res.fatal != nil {
			t.Fatalf("%q: %v", tt.header, res.fatal)
		}
		for _, c := range res.report.Columns {
			if want, ok := tt.want[c.Name]; ok && c.Field != want {
				t.Errorf("%q: %s -> %q, want %q", tt.header, c.Name, c.Field, want)
			}
		}
		if tt.header == "id,first_name,birth_year" {
			if d := res.recs[0].BirthDate.Date; d != (profile.Date{Year: 1984}) {
				t.Errorf("birth year 1984 read as %v", d)
			}
		}
	}
}

// A full-name column whose header puts the family name first says that a
// value without a comma is still read given name first.
func TestFamilyFirstHeaderNote(t *testing.T) {
	tests := []struct {
		header string
		m      Mapping
		note   bool
	}{
		{"Name, Vorname", Mapping{}, true},
		{"Nom, Prénom", Mapping{}, true},
		{"Apellidos y nombre", Mapping{}, true},
		{"Last Name, First Name", Mapping{}, true},
		{"Vorname Name", Mapping{}, false},
		{"Full Name", Mapping{}, false},
		{"Name, Vorname", Mapping{Columns: map[string]profile.Field{"Name, Vorname": profile.FieldFullName}}, true},
		{"Name, Vorname", Mapping{Columns: map[string]profile.Field{"Name, Vorname": profile.FieldFamilyName}}, false},
	}
	for _, tt := range tests {
		res := readRecords(t, strings.NewReader("id;\""+tt.header+"\"\n1;Müller Jürgen\n"), tt.m, Options{})
		if res.fatal != nil || len(res.report.Columns) != 2 {
			t.Fatalf("%q: %v, columns %v", tt.header, res.fatal, res.report.Columns)
		}
		if got := res.report.Columns[1].Note == familyFirstNote; got != tt.note {
			t.Errorf("%q (%v): note %q, want the family-first note %v", tt.header, tt.m.Columns, res.report.Columns[1].Note, tt.note)
		}
	}
}
