package profile

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestDateParse(t *testing.T) {
	d := func(y, m, day int) Date { return Date{Year: y, Month: m, Day: day} }
	tests := []struct {
		order DateOrder
		in    string
		want  Date
		bad   string
	}{
		{DMY, "1980-03-12", d(1980, 3, 12), ""},
		{DMY, "19800312", d(1980, 3, 12), ""},
		{DMY, "1980/03/12", d(1980, 3, 12), ""},
		{DMY, "1980.3.2", d(1980, 3, 2), ""},
		{DMY, "12/03/1980", d(1980, 3, 12), ""},
		{MDY, "12/03/1980", d(1980, 12, 3), ""},
		{YMD, "12/03/1980", Date{}, "ambiguous"},
		{DMY, "25/12/1980", d(1980, 12, 25), ""},
		{MDY, "25/12/1980", d(1980, 12, 25), ""},
		{DMY, "12/25/1980", d(1980, 12, 25), ""},
		{YMD, "12/25/1980", d(1980, 12, 25), ""},
		{DMY, "03/03/1980", d(1980, 3, 3), ""},
		{YMD, "03/03/1980", d(1980, 3, 3), ""},
		{MDY, "12.03.1980", d(1980, 3, 12), ""}, // dots are day-first everywhere
		{DMY, "12-03-1980", d(1980, 3, 12), ""},
		{DMY, "12 Mar 1980", d(1980, 3, 12), ""},
		{DMY, "12-MAR-1980", d(1980, 3, 12), ""},
		{DMY, "12th of March 1980", d(1980, 3, 12), ""},
		{DMY, "March 12, 1980", d(1980, 3, 12), ""},
		{DMY, "Mar. 12 1980", d(1980, 3, 12), ""},
		{DMY, "Sept 1st, 1980", d(1980, 9, 1), ""},
		{DMY, "1980 Mar 12", d(1980, 3, 12), ""},
		{DMY, "Wednesday, 12 March 1980", d(1980, 3, 12), ""},
		{DMY, "March 1980", d(1980, 3, 0), ""},
		{DMY, "1980-03", d(1980, 3, 0), ""},
		{DMY, "03/1980", d(1980, 3, 0), ""},
		{DMY, "1980", d(1980, 0, 0), ""},
		{DMY, "1980-03-00", d(1980, 3, 0), ""},
		{DMY, "1980-00-00", d(1980, 0, 0), ""},
		{DMY, "1980-03-12T10:20:30Z", d(1980, 3, 12), ""},
		{DMY, "1980-03-12T23:59:59+10:00", d(1980, 3, 12), ""},
		{DMY, "1980-03-12 10:20:30", d(1980, 3, 12), ""},
		{MDY, "3/12/1980 12:00:00 AM", d(1980, 3, 12), ""},
		{DMY, "2000-02-29", d(2000, 2, 29), ""},
		{DMY, " 1980-03-12 ", d(1980, 3, 12), ""},
		{DMY, "1980-02-30", Date{}, "past the end of February 1980"},
		{DMY, "1900-02-29", Date{}, "past the end of February 1900"},
		{DMY, "19991345", Date{}, "month 13"},
		{DMY, "1980-13-01", Date{}, "month 13"},
		{DMY, "32/01/1980", Date{}, "day 32"},
		{DMY, "31/04/1980", Date{}, "past the end of April"},
		{DMY, "13/13/1980", Date{}, "neither"},
		{DMY, "1980-00-12", Date{}, "without a month"},
		{DMY, "0000-01-01", Date{}, "year 0"},
		{DMY, "12/03/80", Date{}, "two-digit year"},
		{DMY, "800312", Date{}, "six digits"},
		{DMY, "12031980", Date{}, "month 19"}, // read as YYYYMMDD, never guessed as DDMMYYYY
		{DMY, "12 Foo 1980", Date{}, "unrecognised word"},
		{DMY, "March", Date{}, "needs a year"},
		{DMY, "March April 1980", Date{}, "two month names"},
		{DMY, "1980-03-12-01", Date{}, "too many"},
		{DMY, "12 Mar 80", Date{}, "two-digit year"},
		{DMY, "1980年3月12日", Date{}, "unexpected character"},
		{DMY, "123", Date{}, "4 or 8 digits"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v %s", tt.order, tt.in), func(t *testing.T) {
			got, err := DateParser{Order: tt.order}.Parse(tt.in)
			if tt.bad != "" {
				if !errors.Is(err, ErrInvalidDate) || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.bad) {
					t.Errorf("Parse(%q) error = %v, want ErrInvalidDate with %q", tt.in, err, tt.bad)
				}
				if !got.IsZero() {
					t.Errorf("invalid date returned %v", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDateTwoDigitYears(t *testing.T) {
	p := DateParser{Order: DMY, TwoDigitYearPivot: 30}
	for in, want := range map[string]string{"12/03/80": "1980-03-12", "12/03/29": "2029-03-12", "12/03/30": "1930-03-12",
		"12 Mar 05": "2005-03-12", "1/2/00": "2000-02-01"} {
		got, err := p.Parse(in)
		if err != nil || got.String() != want {
			t.Errorf("Parse(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	got, err := DateParser{Order: YMD, TwoDigitYearPivot: 30}.Parse("80/03/12")
	if err != nil || got.String() != "1980-03-12" {
		t.Errorf("YMD 80/03/12 = %v, %v", got, err)
	}
}

func TestDateParseEmpty(t *testing.T) {
	if d, err := (DateParser{}).Parse("  "); err != nil || !d.IsZero() {
		t.Errorf("blank = %v, %v", d, err)
	}
}

// Every valid date, written in any supported form, parses back to itself.
func TestDateRoundTrip(t *testing.T) {
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	rapid.Check(t, func(t *rapid.T) {
		y := rapid.IntRange(1000, 9999).Draw(t, "year")
		m := rapid.IntRange(1, 12).Draw(t, "month")
		day := rapid.IntRange(1, daysIn(y, m)).Draw(t, "day")
		want := Date{Year: y, Month: m, Day: day}
		order := rapid.SampledFrom([]DateOrder{DMY, MDY}).Draw(t, "order")
		forms := []string{
			fmt.Sprintf("%04d-%02d-%02d", y, m, day),
			fmt.Sprintf("%04d%02d%02d", y, m, day),
			fmt.Sprintf("%d %s %04d", day, months[m-1], y),
			fmt.Sprintf("%s %d, %04d", time.Month(m), day, y),
			fmt.Sprintf("%02d.%02d.%04d", day, m, y),
			time.Date(y, time.Month(m), day, 13, 4, 5, 0, time.UTC).Format(time.RFC3339),
		}
		if order == DMY {
			forms = append(forms, fmt.Sprintf("%02d/%02d/%04d", day, m, y))
		} else {
			forms = append(forms, fmt.Sprintf("%d/%d/%04d", m, day, y))
		}
		for _, s := range forms {
			got, err := DateParser{Order: order}.Parse(s)
			if err != nil || got != want {
				t.Fatalf("Parse(%q) with %v = %v, %v; want %v", s, order, got, err, want)
			}
		}
	})
}

// checkDateInvariants: whatever is accepted is a valid (possibly partial)
// date that re-parses from its ISO form; ISO day dates agree with time.Parse.
func checkDateInvariants(t interface{ Fatalf(string, ...any) }, p DateParser, s string) {
	d, err := p.Parse(s)
	if err != nil {
		if !errors.Is(err, ErrInvalidDate) || !d.IsZero() {
			t.Fatalf("Parse(%q) = %v, %v", s, d, err)
		}
	} else if !d.IsZero() {
		if !d.Valid() {
			t.Fatalf("Parse(%q) = %#v, not a valid date", s, d)
		}
		again, err := p.Parse(d.String())
		if err != nil || again != d {
			t.Fatalf("%q -> %v does not re-parse: %v, %v", s, d, again, err)
		}
	}
	if len(s) == 10 && s[4] == '-' && s[7] == '-' && allDigits(s[:4]) && allDigits(s[5:7]) && allDigits(s[8:]) {
		tm, terr := time.Parse("2006-01-02", s)
		if terr == nil && tm.Year() == 0 {
			terr = errors.New("year 0") // time.Parse allows year 0; Date does not
		}
		if (terr == nil) != (err == nil && d.Precision() == PrecisionDay) {
			if terr != nil && err == nil && (d.Month == 0 || d.Day == 0) {
				return // zero day or month: partial by design, time.Parse rejects
			}
			t.Fatalf("Parse(%q): ours %v, %v; time.Parse %v, %v", s, d, err, tm, terr)
		}
		if terr == nil && (tm.Year() != d.Year || int(tm.Month()) != d.Month || tm.Day() != d.Day) {
			t.Fatalf("Parse(%q) = %v, time.Parse = %v", s, d, tm)
		}
	}
}

func TestDateInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(
			rapid.StringOf(rapid.RuneFrom([]rune("0123456789-/. ,TMarchJunSept:"))),
			rapid.Custom(func(t *rapid.T) string {
				return fmt.Sprintf("%04d-%02d-%02d", rapid.IntRange(0, 9999).Draw(t, "y"),
					rapid.IntRange(0, 99).Draw(t, "m"), rapid.IntRange(0, 99).Draw(t, "d"))
			}),
		).Draw(t, "date")
		p := DateParser{Order: rapid.SampledFrom([]DateOrder{DMY, MDY, YMD}).Draw(t, "order"),
			TwoDigitYearPivot: rapid.IntRange(0, 99).Draw(t, "pivot")}
		checkDateInvariants(t, p, s)
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"1980-03-12", "19800312", "12/03/1980", "12.03.1980", "12 Mar 1980", "March 12, 1980",
		"1980-03", "1980", "1980-03-12T10:20:30Z", "19991345", "1980-02-30", "12/03/80", "Wed, 12th of Sept 1980",
		":", "T:", "0:0", "1st", "99999999999"} {
		f.Add(s, uint8(0), uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, order, pivot uint8) {
		checkDateInvariants(t, DateParser{Order: DateOrder(order % 3), TwoDigitYearPivot: int(pivot % 100)}, s)
	})
}

// TestDateStringMatchesSprintf checks String's hand-written formatting
// against fmt's, the formatting it replaced, on any Date, including ones
// outside the calendar's usual widths.
func TestDateStringMatchesSprintf(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		part := func(label string) int {
			return rapid.OneOf(rapid.IntRange(0, 12), rapid.IntRange(-20, 200), rapid.Int()).Draw(t, label)
		}
		d := Date{Year: rapid.OneOf(rapid.IntRange(1, 9999), rapid.IntRange(-20000, 20000), rapid.Int()).Draw(t, "year"), Month: part("month"), Day: part("day")}
		if got, want := d.String(), d.sprintf(d.Precision()); got != want {
			t.Fatalf("%#v.String() = %q, want %q", d, got, want)
		}
	})
}

func TestParseDateOrder(t *testing.T) {
	for _, o := range []DateOrder{DMY, MDY, YMD} {
		for _, s := range []string{o.String(), strings.ToLower(o.String()), " " + o.String() + " "} {
			if got, err := ParseDateOrder(s); err != nil || got != o {
				t.Errorf("ParseDateOrder(%q) = %v, %v; want %v", s, got, err, o)
			}
		}
	}
	for _, s := range []string{"", "YDM", "DateOrder(3)"} {
		if _, err := ParseDateOrder(s); err == nil {
			t.Errorf("ParseDateOrder(%q) accepted", s)
		}
	}
}
