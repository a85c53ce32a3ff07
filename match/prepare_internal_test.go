package match

import (
	"math"
	"testing"
	"unsafe"

	"github.com/unifyhq/unify/profile"
)

// TestPreparedSize holds a Prepared to the 256-byte size class: the engine
// keeps one per record, and the next class up costs 32 MB a million
// records.
func TestPreparedSize(t *testing.T) {
	if n := unsafe.Sizeof(Prepared{}); n > 256 {
		t.Fatalf("Prepared is %d bytes, more than 256", n)
	}
}

// TestPreparedKeepsDateAndGender checks the compact birth date and the
// gender handle against the record's values.
func TestPreparedKeepsDateAndGender(t *testing.T) {
	for _, c := range []struct {
		date   profile.Date
		gender string
		want   profile.Date
	}{
		{profile.Date{Year: 1980, Month: 12, Day: 31}, "f", profile.Date{Year: 1980, Month: 12, Day: 31}},
		{profile.Date{Year: 1975, Month: 6}, "", profile.Date{Year: 1975, Month: 6}},
		{profile.Date{Year: 1975}, "nonbinary", profile.Date{Year: 1975}},
		{profile.Date{}, "m", profile.Date{}},
		{profile.Date{Year: 2, Month: 13, Day: 1}, "", profile.Date{}},        // invalid: missing
		{profile.Date{Year: math.MaxInt32 + 1, Month: 1}, "", profile.Date{}}, // beyond the compact form: missing
	} {
		r := &profile.Record{Source: "s", Key: "1"}
		r.BirthDate.Date = c.date
		r.Gender = profile.Text{Raw: c.gender, Norm: c.gender, Key: c.gender}
		p := Preparer{}.Prepare(r)
		want := c.want
		if !c.date.Valid() {
			want = profile.Date{}
		}
		if got := p.dob(); got != want {
			t.Errorf("%+v: dob %+v, want %+v", c.date, got, want)
		}
		if got := display(&Comparison{Name: string(profile.FieldGender)}, p); got != c.gender {
			t.Errorf("gender %q shown as %q", c.gender, got)
		}
	}
}
