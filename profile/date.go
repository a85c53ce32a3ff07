package profile

import (
	"fmt"
	"time"
)

// Date is a calendar date that may be partial: Month and Day are zero when
// the source gave only a year (or only a year and month). The zero Date means
// no date.
type Date struct {
	Year  int `json:"year,omitempty"`
	Month int `json:"month,omitempty"` // 1-12, or 0 when unknown
	Day   int `json:"day,omitempty"`   // 1-31, or 0 when unknown
}

// Precision says how much of a [Date] is known.
type Precision int

// Date precisions, from none to a full date.
const (
	PrecisionNone Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
)

// IsZero reports whether d holds no date.
func (d Date) IsZero() bool { return d.Year == 0 }

// Precision reports how much of d is known.
func (d Date) Precision() Precision {
	switch {
	case d.Year == 0:
		return PrecisionNone
	case d.Month == 0:
		return PrecisionYear
	case d.Day == 0:
		return PrecisionMonth
	}
	return PrecisionDay
}

// String formats d as ISO 8601 to its precision: "1980-03-12", "1980-03",
// "1980", or "" for the zero Date.
func (d Date) String() string {
	p := d.Precision()
	if p == PrecisionNone {
		return ""
	}
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return d.sprintf(p)
	}
	// By hand: blocking formats a birth date for every record under
	// several rules, and fmt.Sprintf was most of that.
	var b [10]byte
	n := 4
	b[0], b[1], b[2], b[3] = byte('0'+d.Year/1000), byte('0'+d.Year/100%10), byte('0'+d.Year/10%10), byte('0'+d.Year%10)
	if p >= PrecisionMonth {
		b[4], b[5], b[6] = '-', byte('0'+d.Month/10), byte('0'+d.Month%10)
		n = 7
	}
	if p == PrecisionDay {
		b[7], b[8], b[9] = '-', byte('0'+d.Day/10), byte('0'+d.Day%10)
		n = 10
	}
	return string(b[:n])
}

// sprintf is String for values outside the calendar's usual widths (a
// negative or five-digit year, say), which only a hand-built Date holds.
func (d Date) sprintf(p Precision) string {
	switch p {
	case PrecisionYear:
		return fmt.Sprintf("%04d", d.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return ""
}

// Time returns d as midnight UTC, with unknown month and day taken as 1.
func (d Date) Time() time.Time {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// Valid reports whether d is a real calendar date to its precision (the zero
// Date is not valid).
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < 0 || d.Month > 12 || d.Day < 0 || d.Day > 31 {
		return false
	}
	if d.Month == 0 {
		return d.Day == 0
	}
	if d.Day == 0 {
		return true
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
