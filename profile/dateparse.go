package profile

import (
	"fmt"
	"strings"
	"time"
)

// DateOrder says how to read ambiguous numeric dates like 03/04/1980.
type DateOrder int

// Date orders.
const (
	DMY DateOrder = iota // day first: 03/04/1980 is 3 April 1980 (most of the world)
	MDY                  // month first: 03/04/1980 is March 4, 1980 (United States)
	YMD                  // year first: 80/04/03 with two-digit years (East Asia, ISO)
)

// String returns "DMY", "MDY" or "YMD".
func (o DateOrder) String() string {
	switch o {
	case DMY:
		return "DMY"
	case MDY:
		return "MDY"
	case YMD:
		return "YMD"
	}
	return "DateOrder(" + itoa(int(o)) + ")"
}

// ParseDateOrder reads "DMY", "MDY" or "YMD" (in any case), the forms
// [DateOrder.String] writes.
func ParseDateOrder(s string) (DateOrder, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "DMY":
		return DMY, nil
	case "MDY":
		return MDY, nil
	case "YMD":
		return YMD, nil
	}
	return 0, fmt.Errorf("profile: date order %q: want DMY, MDY or YMD", s)
}

// DateParser reads dates in the forms people and systems write them. The
// zero value is ready to use (day-first, two-digit years rejected) and a
// DateParser is safe for concurrent use.
//
// # Forms
//
//   - ISO and year-first: 1980-03-12, 1980/03/12, 1980.03.12, 19800312.
//     A four-digit year first always means year-month-day.
//   - Numeric, year last: 12/03/1980, 12-03-1980, 12.03.1980, 12 03 1980.
//     When one of the first two numbers is above 12 it must be the day, so
//     25/12/1980 and 12/25/1980 are both 25 December 1980 whatever Order
//     says. Otherwise Order decides: DMY reads day first, MDY month first,
//     and YMD (which has no year-last form) reports the date as ambiguous.
//     Dotted dates (12.03.1980) are read day first under every order:
//     nobody writes month-first dates with dots.
//   - Month names (English, full or three letters, and "Sept"): 12 Mar 1980,
//     12-Mar-1980, 12th of March 1980, March 12, 1980, Mar 12 1980,
//     1980 Mar 12. A weekday name in front (Wednesday, 12 March 1980) is
//     ignored.
//   - Partial dates stay partial: 1980-03, 03/1980, March 1980, 1980. So do
//     ISO dates with a zero day or month (1980-03-00, 1980-00-00), a common
//     way of writing "day unknown".
//   - Timestamps: a time after the date (1980-03-12T10:20:00Z,
//     12/03/1980 00:00:00) is dropped, with its zone; the date is taken as
//     written, not converted between zones.
//
// Eight digits are always read as YYYYMMDD: 12031980 is rejected rather than
// guessed as a day-first date. Six digits (YYMMDD or YYYYMM?) are rejected as
// ambiguous.
//
// # Two-digit years
//
// Two-digit years (12/03/80) are rejected unless TwoDigitYearPivot is set:
// then a year yy below the pivot is 20yy and any other is 19yy. For birth
// dates read in 2025, a pivot of 26 reads 25 as 2025 and 26 as 1926. The
// pivot is not derived from the clock, so results do not change with the
// day a job runs.
//
// # Errors
//
// Impossible dates (1980-02-30, 19991345) and unreadable text return an error
// wrapping [ErrInvalidDate] that says why.
type DateParser struct {
	// Order reads ambiguous numeric dates; the zero value is DMY.
	Order DateOrder
	// TwoDigitYearPivot, when 1-99, turns two-digit years below it into
	// 20yy and the others into 19yy. Zero rejects two-digit years.
	TwoDigitYearPivot int
}

// dtok is one token of a date: a number (with its digit count) or a month.
type dtok struct {
	n      int  // value of a number, or 1-12 for a month name
	digits int  // digits in a number; 0 for a month name
	month  bool // a month name
}

// Parse reads raw as a date. It returns the zero Date and nil for empty
// input, and an error wrapping [ErrInvalidDate] for text that is not a date.
func (p DateParser) Parse(raw string) (Date, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return Date{}, nil
	}
	// Fast path: YYYYMMDD and YYYY-MM-DD.
	if len(s) == 8 && allDigits(s) {
		return ymd(atoi(s[:4]), atoi(s[4:6]), atoi(s[6:]))
	}
	if len(s) == 10 && s[4] == '-' && s[7] == '-' && allDigits(s[:4]) && allDigits(s[5:7]) && allDigits(s[8:]) {
		return ymd(atoi(s[:4]), atoi(s[5:7]), atoi(s[8:]))
	}
	s = cutTime(s)

	var toks [6]dtok
	nt := 0
	var seps [6]byte // the separator before each token
	sep := byte(0)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			// Ordinal suffixes: 1st 2nd 3rd 12th.
			ordinal := j+2 <= len(s) && isOrdinal(s[j:j+2]) && (j+2 == len(s) || !isLetter(s[j+2]))
			if ordinal && j-i > 2 {
				return Date{}, reason(ErrInvalidDate, "%q is not a day", s[i:j+2])
			}
			if nt == len(toks) {
				return Date{}, reason(ErrInvalidDate, "too many parts")
			}
			if j-i > 8 {
				return Date{}, reason(ErrInvalidDate, "number %q is too long", s[i:j])
			}
			toks[nt] = dtok{n: atoi(s[i:j]), digits: j - i}
			seps[nt] = sep
			nt++
			sep = 0
			if ordinal {
				j += 2
			}
			i = j
		case isLetter(c):
			j := i
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			w := s[i:j]
			i = j
			if m := monthNumber(w); m > 0 {
				if nt == len(toks) {
					return Date{}, reason(ErrInvalidDate, "too many parts")
				}
				toks[nt] = dtok{n: m, month: true}
				seps[nt] = sep
				nt++
				sep = 0
				if i < len(s) && s[i] == '.' { // "Mar. 12"
					i++
				}
				continue
			}
			if strings.EqualFold(w, "of") || isWeekday(w) {
				continue
			}
			return Date{}, reason(ErrInvalidDate, "unrecognised word %q", w)
		case c == ' ' || c == '/' || c == '-' || c == '.' || c == ',' || c == '\t':
			if c != ' ' && c != '\t' && c != ',' || sep == 0 {
				sep = c
			}
			i++
		default:
			return Date{}, reason(ErrInvalidDate, "unexpected character %q", rune(s[i]))
		}
	}
	return p.assemble(toks[:nt], seps[:nt], s)
}

// cutTime drops a time of day after a date: "T10:20" or " 10:20:00 am".
func cutTime(s string) string {
	c := strings.IndexByte(s, ':')
	if c < 0 {
		return s
	}
	// Walk back over the hour digits to the separator before them.
	i := c
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i > 0 && (s[i-1] == 'T' || s[i-1] == 't' || s[i-1] == ' ') {
		return strings.TrimSpace(s[:i-1])
	}
	return s
}

func isOrdinal(s string) bool {
	switch strings.ToLower(s) {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

var monthNames = [...]string{"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"}

// monthNumber reads an English month name, full or abbreviated to three
// letters (and "sept"), in any case; 0 if w is not one.
func monthNumber(w string) int {
	if len(w) < 3 {
		return 0
	}
	for i, m := range monthNames {
		if len(w) == 3 && strings.EqualFold(w, m[:3]) || strings.EqualFold(w, m) {
			return i + 1
		}
	}
	if strings.EqualFold(w, "sept") {
		return 9
	}
	return 0
}

var weekdays = [...]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

func isWeekday(w string) bool {
	for _, d := range weekdays {
		if len(w) == 3 && strings.EqualFold(w, d[:3]) || strings.EqualFold(w, d) {
			return true
		}
	}
	return false
}

// assemble turns tokens into a date.
func (p DateParser) assemble(t []dtok, seps []byte, s string) (Date, error) {
	months := 0
	for _, x := range t {
		if x.month {
			months++
		}
	}
	if months > 1 {
		return Date{}, reason(ErrInvalidDate, "two month names")
	}
	if months == 1 {
		return p.assembleNamed(t)
	}
	switch len(t) {
	case 0:
		return Date{}, reason(ErrInvalidDate, "no date in %q", s)
	case 1:
		switch t[0].digits {
		case 4:
			return ymd(t[0].n, 0, 0)
		case 8:
			return ymd(t[0].n/10000, t[0].n/100%100, t[0].n%100)
		case 6:
			return Date{}, reason(ErrInvalidDate, "six digits are ambiguous (YYMMDD or YYYYMM)")
		}
		return Date{}, reason(ErrInvalidDate, "a date needs 4 or 8 digits, not %d", t[0].digits)
	case 2:
		switch {
		case t[0].digits == 4 && t[1].digits <= 2:
			return ymd(t[0].n, t[1].n, 0)
		case t[0].digits <= 2 && t[1].digits == 4:
			return ymd(t[1].n, t[0].n, 0)
		}
		return Date{}, reason(ErrInvalidDate, "not a year and month")
	case 3:
		a, b, c := t[0], t[1], t[2]
		if a.digits > 2 && a.digits != 4 || b.digits > 2 || c.digits > 2 && c.digits != 4 {
			return Date{}, reason(ErrInvalidDate, "numbers of the wrong length for a date")
		}
		switch {
		case a.digits == 4:
			return ymd(a.n, b.n, c.n)
		case c.digits == 4:
			return p.yearLast(a.n, b.n, c.n, seps[1] == '.' && seps[2] == '.')
		}
		// Three numbers of up to two digits: a two-digit year, placed by Order.
		switch p.Order {
		case YMD:
			y, err := p.century(a.n)
			if err != nil {
				return Date{}, err
			}
			return ymd(y, b.n, c.n)
		default:
			y, err := p.century(c.n)
			if err != nil {
				return Date{}, err
			}
			return p.yearLast(a.n, b.n, y, seps[1] == '.' && seps[2] == '.')
		}
	}
	return Date{}, reason(ErrInvalidDate, "too many numbers")
}

// yearLast resolves a/b/year into day and month.
func (p DateParser) yearLast(a, b, y int, dotted bool) (Date, error) {
	switch {
	case a > 12 && b > 12:
		return Date{}, reason(ErrInvalidDate, "neither %d nor %d is a month", a, b)
	case a > 12:
		return ymd(y, b, a)
	case b > 12:
		return ymd(y, a, b)
	case a == b || dotted:
		return ymd(y, b, a)
	}
	switch p.Order {
	case DMY:
		return ymd(y, b, a)
	case MDY:
		return ymd(y, a, b)
	}
	return Date{}, reason(ErrInvalidDate, "%02d/%02d is ambiguous under order %v: day-first or month-first?", a, b, p.Order)
}

// assembleNamed handles dates with a month name.
func (p DateParser) assembleNamed(t []dtok) (Date, error) {
	var mi int
	for i, x := range t {
		if x.month {
			mi = i
		}
	}
	m := t[mi].n
	rest := make([]dtok, 0, 2)
	rest = append(rest, t[:mi]...)
	rest = append(rest, t[mi+1:]...)
	year := func(x dtok) (int, error) {
		switch x.digits {
		case 4:
			return x.n, nil
		case 2, 1:
			return p.century(x.n)
		}
		return 0, reason(ErrInvalidDate, "%d is not a year", x.n)
	}
	switch len(rest) {
	case 1: // March 1980, 1980 Mar
		if rest[0].digits != 4 {
			return Date{}, reason(ErrInvalidDate, "a month name needs a four-digit year")
		}
		return ymd(rest[0].n, m, 0)
	case 2:
		d, y := rest[0], rest[1]
		if d.digits == 4 { // 1980 Mar 12
			d, y = y, d
		}
		if d.digits > 2 {
			return Date{}, reason(ErrInvalidDate, "%d is not a day", d.n)
		}
		yr, err := year(y)
		if err != nil {
			return Date{}, err
		}
		if d.n == 0 {
			return Date{}, reason(ErrInvalidDate, "day 0")
		}
		return ymd(yr, m, d.n)
	}
	return Date{}, reason(ErrInvalidDate, "a month name needs a year")
}

// century expands a two-digit year with the pivot.
func (p DateParser) century(yy int) (int, error) {
	if p.TwoDigitYearPivot <= 0 || p.TwoDigitYearPivot > 99 {
		return 0, reason(ErrInvalidDate, "two-digit year %02d is ambiguous (set TwoDigitYearPivot to accept it)", yy)
	}
	if yy < p.TwoDigitYearPivot {
		return 2000 + yy, nil
	}
	return 1900 + yy, nil
}

// ymd checks and builds a date; zero month or day means unknown.
func ymd(y, m, d int) (Date, error) {
	switch {
	case y < 1 || y > 9999:
		return Date{}, reason(ErrInvalidDate, "year %d out of range", y)
	case m < 0 || m > 12:
		return Date{}, reason(ErrInvalidDate, "month %d out of range", m)
	case m == 0 && d != 0:
		return Date{}, reason(ErrInvalidDate, "day %d without a month", d)
	case d < 0 || d > 31:
		return Date{}, reason(ErrInvalidDate, "day %d out of range", d)
	}
	if d > 0 && d > daysIn(y, m) {
		return Date{}, reason(ErrInvalidDate, "day %d is past the end of %s %d", d, time.Month(m), y)
	}
	return Date{Year: y, Month: m, Day: d}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads a string of at most 9 digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
