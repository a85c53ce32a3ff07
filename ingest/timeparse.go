package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/unifyhq/unify/profile"
)

func loadZone(name string) (*time.Location, error) {
	if name == "" || strings.EqualFold(name, "UTC") {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	return loc, nil
}

// isoLayouts are tried in order on text that starts like an ISO date.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseTime reads an event or observed time. Accepted forms:
//
//   - RFC 3339 and ISO 8601 with 'T' or a space: 2024-03-15T14:30:00Z,
//     2024-03-15 14:30:00.123+01:00, 2024-03-15 14:30, 2024-03-15;
//   - compact 20240315 and 20240315143000;
//   - Unix time: 9 to 11 digits are seconds, 12 or 13 milliseconds, 16
//     microseconds, 19 nanoseconds (a fraction after seconds is allowed:
//     1710513000.25);
//   - other dates as profile.DateParser reads them with order (15/03/2024,
//     March 15, 2024, 15.03.2024), optionally followed by a time of day
//     hh:mm[:ss] with am/pm and a zone (Z, UTC, +01:00).
//
// Times written without a zone are in zone (UTC when nil). Errors wrap
// ErrBadTime.
func ParseTime(raw string, order profile.DateOrder, zone *time.Location) (time.Time, error) {
	if zone == nil {
		zone = time.UTC
	}
	return parseTime(raw, order, zone)
}

// parseTime is ParseTime with a zone. It refuses the zero time.Time (0001-01-01
// 00:00 UTC, as "1 1 1" reads): the engine takes it for "no time".
func parseTime(raw string, order profile.DateOrder, zone *time.Location) (time.Time, error) {
	t, err := parseAnyTime(raw, order, zone)
	if err == nil && t.IsZero() {
		return time.Time{}, fmt.Errorf("%w: %q is the zero instant, 0001-01-01 00:00 UTC", ErrBadTime, raw)
	}
	return t, err
}

func parseAnyTime(raw string, order profile.DateOrder, zone *time.Location) (time.Time, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return time.Time{}, fmt.Errorf("%w: empty", ErrBadTime)
	}
	if t, ok := parseDigits(s, zone); ok {
		return t, nil
	}
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		for _, l := range isoLayouts {
			if t, err := time.ParseInLocation(l, s, zone); err == nil {
				return t, nil
			}
		}
	}
	datePart, clock := splitClock(s)
	d, err := profile.DateParser{Order: order}.Parse(datePart)
	if err != nil || d.Precision() != profile.PrecisionDay {
		if err == nil {
			err = fmt.Errorf("only %q is known", d.String())
		}
		return time.Time{}, fmt.Errorf("%w: %q: %v", ErrBadTime, raw, strings.TrimPrefix(err.Error(), "profile: "))
	}
	h, m, sec, loc, err := parseClock(clock, zone)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q: %v", ErrBadTime, raw, err)
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, h, m, sec, 0, loc), nil
}

// parseDigits reads compact dates and Unix times.
func parseDigits(s string, zone *time.Location) (time.Time, bool) {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if !allDigits(intPart) || (hasFrac && !allDigits(frac)) {
		return time.Time{}, false
	}
	if !hasFrac {
		switch len(intPart) {
		case 8:
			t, err := time.ParseInLocation("20060102", s, zone)
			return t, err == nil
		case 14:
			t, err := time.ParseInLocation("20060102150405", s, zone)
			return t, err == nil
		}
	}
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	switch l := len(intPart); {
	case l >= 9 && l <= 11:
		ns := int64(0)
		if hasFrac {
			f := (frac + "000000000")[:9]
			ns, _ = strconv.ParseInt(f, 10, 64)
		}
		return time.Unix(n, ns).UTC(), true
	case hasFrac:
		return time.Time{}, false
	case l == 12 || l == 13:
		return time.UnixMilli(n).UTC(), true
	case l == 16:
		return time.UnixMicro(n).UTC(), true
	case l == 19:
		return time.Unix(0, n).UTC(), true
	}
	return time.Time{}, false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// splitClock splits "15/03/2024 14:30:00 +01:00" into the date and the
// time of day, at the first word (or 'T' suffix) holding a ':'.
func splitClock(s string) (string, string) {
	fields := strings.Fields(s)
	for i, f := range fields {
		if strings.Contains(f, ":") {
			if i == 0 {
				if j := strings.IndexByte(f, 'T'); j > 0 {
					return f[:j], f[j+1:] + " " + strings.Join(fields[1:], " ")
				}
				break
			}
			return strings.Join(fields[:i], " "), strings.Join(fields[i:], " ")
		}
	}
	return s, ""
}

// parseClock reads "hh:mm[:ss[.fff]] [am|pm] [zone]".
func parseClock(s string, zone *time.Location) (h, m, sec int, loc *time.Location, err error) {
	loc = zone
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, 0, 0, loc, nil
	}
	words := strings.Fields(strings.ToLower(s))
	clock := words[0]
	rest := words[1:]
	// A zone glued to the clock: 14:30:00Z, 14:30+01:00.
	if i := strings.IndexAny(clock, "z+-"); i > 0 {
		rest = append([]string{clock[i:]}, rest...)
		clock = clock[:i]
	}
	parts := strings.Split(clock, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, loc, fmt.Errorf("time of day %q", s)
	}
	var nums [3]int
	for i, p := range parts {
		if i == 2 {
			p, _, _ = strings.Cut(p, ".")
		}
		if !allDigits(p) || len(p) > 2 {
			return 0, 0, 0, loc, fmt.Errorf("time of day %q", s)
		}
		nums[i], _ = strconv.Atoi(p)
	}
	h, m, sec = nums[0], nums[1], nums[2]
	for _, w := range rest {
		switch {
		case w == "am" || w == "a.m.":
			if h < 1 || h > 12 {
				return 0, 0, 0, loc, fmt.Errorf("hour %d with am", h)
			}
			if h == 12 {
				h = 0
			}
		case w == "pm" || w == "p.m.":
			if h < 1 || h > 12 {
				return 0, 0, 0, loc, fmt.Errorf("hour %d with pm", h)
			}
			if h != 12 {
				h += 12
			}
		case w == "z" || w == "utc" || w == "gmt":
			loc = time.UTC
		case (w[0] == '+' || w[0] == '-') && len(w) > 1:
			off, ok := parseOffset(w[1:])
			if !ok {
				return 0, 0, 0, loc, fmt.Errorf("zone %q", w)
			}
			if w[0] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		default:
			return 0, 0, 0, loc, fmt.Errorf("unexpected %q after the time", w)
		}
	}
	if h > 23 || m > 59 || sec > 60 {
		return 0, 0, 0, loc, fmt.Errorf("time of day %q out of range", s)
	}
	return h, m, sec, loc, nil
}

// parseOffset reads "01:00", "0100" or "01" as seconds east of UTC.
func parseOffset(s string) (int, bool) {
	s = strings.ReplaceAll(s, ":", "")
	if !allDigits(s) || (len(s) != 2 && len(s) != 4) {
		return 0, false
	}
	hh, _ := strconv.Atoi(s[:2])
	mm := 0
	if len(s) == 4 {
		mm, _ = strconv.Atoi(s[2:])
	}
	if hh > 14 || mm > 59 {
		return 0, false
	}
	return hh*3600 + mm*60, true
}
