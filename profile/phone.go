package profile

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// PhoneNormalizer turns telephone numbers into E.164 ("+61412345678") with
// github.com/nyaruka/phonenumbers, a port of Google's libphonenumber. The
// zero value accepts only international numbers; it is safe for concurrent
// use.
//
// A number is accepted only when libphonenumber finds it valid for its
// region (right length and prefix for an assigned range). Numbers it cannot
// place are reported with [ErrInvalidPhone], never guessed: a wrong guess
// links unrelated people. Extensions ("x123", "ext. 123") are accepted and
// dropped from the E.164 form, which has no place for them; Raw keeps them.
//
// Numbers written as digits with spaces, hyphens, dots, slashes or
// parentheses, and at most a leading "+", are read in under a microsecond
// with one to three allocations, from libphonenumber's metadata with
// expressions compiled once per region (see fastPhone and validPhone);
// other forms, and numbers that turn out invalid, go through
// phonenumbers.Parse, which takes several microseconds. Both give the same
// answers. Nothing is cached.
type PhoneNormalizer struct {
	// DefaultRegion is the ISO 3166-1 alpha-2 region ("US", "GB", "AU")
	// for numbers written without a country code. Empty means numbers must
	// be written internationally, with "+" or "00". A number starting "00"
	// that the region cannot place is read as international too, since
	// "00" is the international prefix in most regions.
	DefaultRegion string
}

// Parse reads raw as a telephone number. It returns a Phone holding only Raw
// and an error wrapping [ErrInvalidPhone] when raw is not a valid number.
func (p PhoneNormalizer) Parse(raw string) (Phone, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return Phone{Raw: raw}, reason(ErrInvalidPhone, "empty")
	}
	region := strings.ToUpper(p.DefaultRegion)
	if region == "" {
		region = "ZZ"
		if strings.HasPrefix(s, "00") {
			s = "+" + s[2:]
		}
		if !strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "\uFF0B") {
			return Phone{Raw: raw}, ErrPhoneNoRegion
		}
	}
	ph, err := parsePhone(raw, s, region)
	if err != nil && region != "ZZ" && strings.HasPrefix(s, "00") {
		// "00" is the international prefix in most of the world, though
		// not in every region ("0011" in Australia): a number the region
		// cannot place is read as international before it is given up.
		if q, qerr := parsePhone(raw, "+"+s[2:], "ZZ"); qerr == nil {
			return q, nil
		}
	}
	return ph, err
}

// parsePhone reads s (raw trimmed, or rewritten) in region.
func parsePhone(raw, s, region string) (Phone, error) {
	if e164, ok := fastPhone(s, region); ok {
		return Phone{Raw: raw, E164: e164}, nil
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		return Phone{Raw: raw}, reason(ErrInvalidPhone, "%v", err)
	}
	if !validPhone(num) {
		where := phonenumbers.GetRegionCodeForNumber(num)
		if where == "" || where == "ZZ" {
			return Phone{Raw: raw}, reason(ErrInvalidPhone, "not a number in any assigned range of country code +%d", num.GetCountryCode())
		}
		return Phone{Raw: raw}, reason(ErrInvalidPhone, "not a valid number for region %s", where)
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if len(e164) > 16 {
		// libphonenumber accepts a few over-long German ranges; E.164 caps
		// numbers at 15 digits.
		return Phone{Raw: raw}, reason(ErrInvalidPhone, "longer than the 15 digits E.164 allows")
	}
	return Phone{Raw: raw, E164: e164}, nil
}

// validRegion reports whether phonenumbers knows region.
func validRegion(region string) bool {
	return phonenumbers.GetCountryCodeForRegion(strings.ToUpper(region)) != 0
}
