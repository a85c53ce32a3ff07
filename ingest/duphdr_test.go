package ingest

import (
	"errors"
	"strings"
	"testing"

	"github.com/unifyhq/unify/profile"
)

// A repeated header name names its first column, for the automatic
// mapping and explicit entries alike; the later columns are kept apart and
// warned about.
func TestRepeatedColumnName(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		m       Mapping
		want    []profile.Field // field of each column, "" for key or ignored
		roles   []Role
		warning string // in the one warning's text
	}{
		{
			name:    "auto",
			in:      "id,name,Address,Address\n1,John Smith,12 Oak St,\"San Francisco, CA\"\n",
			want:    []profile.Field{"", profile.FieldFullName, profile.FieldStreet, "attr:address_2"},
			roles:   []Role{RoleKey, RoleField, RoleField, RoleField},
			warning: `columns 3 and 4 are both "Address"; column 4 is attr:address_2`,
		},
		{
			name:    "ignored by policy",
			in:      "id,Address,Address\n1,12 Oak St,x\n",
			m:       Mapping{Unmapped: UnmappedIgnore},
			want:    []profile.Field{"", profile.FieldStreet, ""},
			roles:   []Role{RoleKey, RoleField, RoleIgnored},
			warning: `columns 2 and 3 are both "Address"; column 3 is ignored`,
		},
		{
			name:    "explicit entry names the first column",
			in:      "id,Address,Address\n1,12 Oak St,1 Elm St\n",
			m:       Mapping{Key: "id", Columns: map[string]profile.Field{"Address": profile.FieldLocality}},
			want:    []profile.Field{"", profile.FieldLocality, "attr:address_2"},
			roles:   []Role{RoleKey, RoleField, RoleField},
			warning: `columns 2 and 3 are both "Address"; column 3 is attr:address_2`,
		},
		{
			name:    "repeated key name",
			in:      "id,id,email\n1,2,ann.lee@gmail.com\n",
			want:    []profile.Field{"", "attr:id_2", profile.FieldEmail},
			roles:   []Role{RoleKey, RoleField, RoleField},
			warning: `columns 1 and 2 are both "id"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := readRecords(t, strings.NewReader(tc.in), tc.m, Options{})
			if res.fatal != nil || len(res.recs) != 1 {
				t.Fatalf("fatal %v, %d records", res.fatal, len(res.recs))
			}
			for i, c := range res.report.Columns {
				if c.Field != tc.want[i] || c.Role != tc.roles[i] {
					t.Errorf("column %d: %s %q, want %s %q", i+1, c.Role, c.Field, tc.roles[i], tc.want[i])
				}
			}
			rep := res.report
			if rep.Warnings != 1 || len(rep.WarningDetails) != 1 || !errors.Is(rep.WarningDetails[0].Err, ErrDuplicateColumn) {
				t.Fatalf("warnings %d %v, want one ErrDuplicateColumn", rep.Warnings, rep.WarningDetails)
			}
			if w := rep.WarningDetails[0]; w.Line != 1 || !strings.Contains(w.String(), tc.warning) {
				t.Errorf("warning %q on line %d, want %q on line 1", w, w.Line, tc.warning)
			}
		})
	}
}

// The repeated column's value is kept, not lost or read as a second street.
func TestRepeatedColumnValueKept(t *testing.T) {
	res := readRecords(t, strings.NewReader("id,Address,Address\n1,12 Oak St,\"San Francisco, CA\"\n"), Mapping{}, Options{})
	r := res.recs[0]
	if len(r.Addresses) != 1 || r.Attrs["address_2"] != "San Francisco, CA" {
		t.Errorf("addresses %+v, attrs %v; want one street and attr address_2", r.Addresses, r.Attrs)
	}
}

// AutoMapping's written-out mapping reads a repeated name as reading did.
func TestAutoMappingRepeatedColumn(t *testing.T) {
	header := []string{"id", "Address", "Address"}
	m, _, err := AutoMapping("src", header)
	if err != nil {
		t.Fatal(err)
	}
	if m.Columns["Address"] != profile.FieldStreet {
		t.Errorf("Columns[Address] = %q, want street", m.Columns["Address"])
	}
	res := readRecords(t, strings.NewReader("id,Address,Address\n1,12 Oak St,x\n"), m, Options{})
	if got := res.report.Columns[2].Field; got != "attr:address_2" {
		t.Errorf("column 3 read with the written mapping is %q, want attr:address_2", got)
	}
}

// Blank header names are columns nobody named, not a repeated name: each
// is kept as its own attr:column_<n>, without a warning, by reading and by
// AutoMapping's written mapping alike.
func TestBlankColumnNames(t *testing.T) {
	tests := []struct {
		name   string
		header string
		row    string
		want   []profile.Field // field of each column, "" for the key
		dups   int             // ErrDuplicateColumn warnings
	}{
		{"empty", "id,email,,,", "1,ann.lee@gmail.com,x,y,z",
			[]profile.Field{"", profile.FieldEmail, "attr:column_3", "attr:column_4", "attr:column_5"}, 0},
		{"spaces", "id,email, , ,  ", "1,ann.lee@gmail.com,x,y,z",
			[]profile.Field{"", profile.FieldEmail, "attr:column_3", "attr:column_4", "attr:column_5"}, 0},
		{"beside a repeated name", "id,,email,,Address,Address", "1,x,ann.lee@gmail.com,y,12 Oak St,z",
			[]profile.Field{"", "attr:column_2", profile.FieldEmail, "attr:column_4", profile.FieldStreet, "attr:address_2"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			written, _, err := AutoMapping("src", strings.Split(tc.header, ","))
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []Mapping{{}, written} {
				res := readRecords(t, strings.NewReader(tc.header+"\n"+tc.row+"\n"), m, Options{})
				if res.fatal != nil || len(res.recs) != 1 {
					t.Fatalf("mapping %+v: fatal %v, %d records", m, res.fatal, len(res.recs))
				}
				for i, c := range res.report.Columns {
					if c.Field != tc.want[i] {
						t.Errorf("mapping %+v: column %d is %q, want %q", m, i+1, c.Field, tc.want[i])
					}
				}
				dups := 0
				for _, w := range res.report.WarningDetails {
					if errors.Is(w.Err, ErrDuplicateColumn) {
						dups++
					}
				}
				if dups != tc.dups {
					t.Errorf("mapping %+v: %d repeated-name warnings %v, want %d", m, dups, res.report.WarningDetails, tc.dups)
				}
			}
		})
	}
}
