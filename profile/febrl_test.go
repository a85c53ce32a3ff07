package profile

import (
	"encoding/csv"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// febrlFields maps FEBRL columns to the vocabulary.
var febrlFields = map[string]Field{
	"given_name": FieldGivenName, "surname": FieldFamilyName, "street_number": FieldHouseNumber,
	"address_1": FieldStreet, "address_2": FieldAddressLine2, "suburb": FieldLocality, "postcode": FieldPostcode,
	"state": FieldRegion, "date_of_birth": FieldBirthDate, "soc_sec_id": IDField("ssn"),
}

type febrlRow struct {
	key    string
	fields []Field
	values []string
}

// readFEBRL reads a FEBRL benchmark file from the module's testdata.
func readFEBRL(tb testing.TB, name string) []febrlRow {
	tb.Helper()
	f, err := os.Open("../testdata/" + name)
	if err != nil {
		tb.Skipf("FEBRL data not available: %v", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.TrimLeadingSpace = true
	all, err := cr.ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	header := all[0]
	rows := make([]febrlRow, 0, len(all)-1)
	for _, rec := range all[1:] {
		row := febrlRow{key: rec[0]}
		for i, v := range rec {
			if f, ok := febrlFields[header[i]]; ok {
				row.fields = append(row.fields, f)
				row.values = append(row.values, v)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// Normalizing real FEBRL data: every value is kept, and the only errors are
// birth dates that are not calendar dates, exactly those time.Parse rejects.
func TestFEBRL(t *testing.T) {
	n := NewNormalizer(Options{DefaultRegion: "AU"})
	for _, file := range []string{"febrl1.csv", "febrl4a.csv", "febrl4b.csv"} {
		rows := readFEBRL(t, file)
		invalid := 0
		for _, row := range rows {
			var r Record
			for i, f := range row.fields {
				raw := row.values[i]
				err := n.Set(&r, f, raw)
				if f == FieldBirthDate && raw != "" {
					_, terr := time.Parse("20060102", raw)
					if (err == nil) != (terr == nil) {
						t.Errorf("%s %s: birth date %q: ours %v, time.Parse %v", file, row.key, raw, err, terr)
					}
					if err != nil {
						invalid++
						if !errors.Is(err, ErrInvalidDate) {
							t.Errorf("%s %s: %v", file, row.key, err)
						}
					}
					continue
				}
				if err != nil {
					t.Errorf("%s %s: %v", file, row.key, err)
				}
				if raw == "" {
					continue
				}
				vs := r.Values(f)
				if len(vs) == 0 || vs[len(vs)-1].Raw != raw || vs[len(vs)-1].Norm == "" {
					t.Errorf("%s %s: %s %q stored as %+v", file, row.key, f, raw, vs)
				}
			}
		}
		t.Logf("%s: %d rows, %d invalid birth dates", file, len(rows), invalid)
	}
}

// fake_1000 (splink_datasets): first names, surnames, ISO dates, cities and
// emails with typos. Every value is kept; email validity agrees with the
// independent regexp of email_test.go (the corrupted addresses, such as
// "f@holmes@duncan.com" or "h.k.sharpp@com", are rejected and misspelt
// but well-formed ones kept as written); date validity agrees with
// time.Parse.
func TestFake1000(t *testing.T) {
	f, err := os.Open("../testdata/fake_1000.csv")
	if err != nil {
		t.Skipf("fake_1000 not available: %v", err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string]Field{"first_name": FieldGivenName, "surname": FieldFamilyName, "dob": FieldBirthDate,
		"city": FieldLocality, "email": FieldEmail}
	n := NewNormalizer(Options{})
	emails, badEmails := 0, 0
	for _, rec := range all[1:] {
		var r Record
		for i, raw := range rec {
			fld, ok := cols[all[0][i]]
			if !ok || raw == "" {
				continue
			}
			err := n.Set(&r, fld, raw)
			if fld == FieldEmail {
				emails++
				if want := regexpEmailOK(strings.ToLower(strings.TrimSpace(raw))); (err == nil) != want {
					t.Errorf("row %s: email %q: Set error %v, regexp ok %v", rec[0], raw, err, want)
				}
				if err != nil {
					badEmails++
					if !errors.Is(err, ErrInvalidEmail) {
						t.Errorf("row %s: %v", rec[0], err)
					}
					continue
				}
			}
			if fld == FieldBirthDate {
				_, terr := time.Parse("2006-01-02", raw)
				if (err == nil) != (terr == nil) {
					t.Errorf("row %s: dob %q: ours %v, time.Parse %v", rec[0], raw, err, terr)
				}
				continue
			}
			if err != nil {
				t.Errorf("row %s: %v", rec[0], err)
			}
			if vs := r.Values(fld); len(vs) == 0 || vs[len(vs)-1].Raw != raw || vs[len(vs)-1].Norm == "" {
				t.Errorf("row %s: %s %q stored as %+v", rec[0], fld, raw, vs)
			}
		}
	}
	t.Logf("%d rows, %d emails, %d of them invalid", len(all)-1, emails, badEmails)
}

// BenchmarkNormalizeFEBRLRecord measures Set for all FEBRL columns of one
// real row (the rows of febrl4a.csv in turn): 10 fields, one record.
func BenchmarkNormalizeFEBRLRecord(b *testing.B) {
	rows := readFEBRL(b, "febrl4a.csv")
	n := NewNormalizer(Options{})
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		row := &rows[i%len(rows)]
		i++
		var r Record
		for j, f := range row.fields {
			_ = n.Set(&r, f, row.values[j])
		}
	}
}
