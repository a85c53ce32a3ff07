package profile

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// fastPhone reads s in region as phonenumbers.Parse, validPhone and
// Format(E164) do together, for the shape most numbers in customer records
// have: ASCII digits with spaces, hyphens, dots, slashes or parentheses
// between them, and at most a leading "+". It returns the E.164 form and
// true only for a valid number; for anything else (another shape, a prefix
// whose reading needs libphonenumber's finer rules, an invalid number) it
// returns false and the caller asks the library, which also words the
// error.
//
// phonenumbers.Parse costs about 7 µs and 40 allocations a number, most of
// it regular expressions for forms such numbers cannot have (extensions,
// RFC 3966, alternative digits) and a lookup in a locked cache of
// expressions for the rest. This reads the same metadata with expressions
// compiled once per region, in under a microsecond and at most three
// allocations (the digits, a non-literal national prefix's match, the
// result; none for a number already in E.164). TestFastPhoneAgrees and
// FuzzFastPhone compare the two.
//
// The steps are the library's (parseHelper): a "+" takes the country code
// from the first one to three digits that name a country; otherwise the
// number is national to region, unless it starts with the region's
// international prefix or its own country code, which the library may
// read either way and which are left to it. The national prefix is then
// stripped as maybeStripNationalPrefixAndCarrierCode does, where the
// region's rule needs no transformation, and kept when what would remain
// has no possible length.
func fastPhone(s, region string) (string, bool) {
	meta := phoneMeta()
	if meta == nil || len(s) == 0 || len(s) > 250 {
		return "", false
	}
	plus := s[0] == '+'
	first := 0
	if plus {
		first = 1
	}
	var buf [phonenumbers.MAX_LENGTH_FOR_NSN + 3]byte
	n, separated := 0, false
	for i := first; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return "", false
			}
			buf[n] = c
			n++
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/':
			separated = true
		default:
			return "", false
		}
	}
	// The digits as a string for the expressions: s itself when nothing
	// separates them ("+61412345678"), else an allocation.
	digits := s[first:]
	if separated {
		digits = string(buf[:n])
	}
	var cc int32
	var parse *phoneRegion // the metadata the library strips the national prefix with
	nsn := digits
	if plus {
		if len(digits) <= phonenumbers.MIN_LENGTH_FOR_NSN || digits[0] == '0' {
			return "", false
		}
		c := 0
		for n := 1; n <= 3 && n <= len(digits); n++ {
			c = c*10 + int(digits[n-1]-'0')
			if len(phonenumbers.GetRegionCodesForCountryCode(c)) > 0 {
				cc, nsn = int32(c), digits[n:]
				break
			}
		}
		if cc == 0 {
			return "", false
		}
		parse = meta.region(phonenumbers.GetRegionCodeForCountryCode(int(cc)), cc)
	} else {
		if meta.byRegion[region] == nil {
			return "", false // "ZZ" or unknown: the library needs a "+"
		}
		parse = meta.region(region, 0)
		cc = parse.countryCode
		if parse.idd != nil && parse.idd.MatchString(digits) {
			return "", false
		}
		if strings.HasPrefix(digits, parse.ccDigits) {
			return "", false
		}
	}
	if parse == nil {
		return "", false
	}
	if parse.nationalPrefix != nil && len(nsn) > 0 {
		end := -1
		if lit := parse.nationalLiteral; lit != "" {
			if strings.HasPrefix(nsn, lit) {
				end = len(lit)
			}
		} else if m := parse.nationalPrefix.FindStringIndex(nsn); m != nil {
			end = m[1]
		}
		if end >= 0 {
			if parse.transform {
				return "", false
			}
			rest := nsn[end:]
			if !(parse.general.re.MatchString(nsn) && !parse.general.re.MatchString(rest)) {
				switch parse.lengthResult(len(rest)) {
				case lengthPossible, lengthTooLong:
					nsn = rest
				}
			}
		}
	}
	if len(nsn) < phonenumbers.MIN_LENGTH_FOR_NSN || len(nsn) > phonenumbers.MAX_LENGTH_FOR_NSN {
		return "", false
	}
	if !validNSN(meta, cc, nsn) {
		return "", false
	}
	var out [1 + 3 + phonenumbers.MAX_LENGTH_FOR_NSN]byte
	b := append(strconv.AppendInt(append(out[:0], '+'), int64(cc), 10), nsn...)
	if len(b) > 16 {
		return "", false // the library's own answer is an error
	}
	if plus && !separated && len(b) == len(s) {
		return s, true // already E.164
	}
	return string(b), true
}

// The results of the library's testNumberLength that fastPhone tells apart.
const (
	lengthPossible = iota
	lengthTooShort
	lengthTooLong
	lengthLocalOnly
	lengthInvalid
)

// lengthResult is testNumberLength(number, metadata, UNKNOWN) for a number
// of n digits: the general description's lengths decide.
func (r *phoneRegion) lengthResult(n int) int {
	lengths := r.general.lengths
	if len(lengths) == 0 || lengths[0] == -1 {
		return lengthInvalid
	}
	for _, l := range r.localLengths {
		if int(l) == n {
			return lengthLocalOnly
		}
	}
	switch {
	case int(lengths[0]) == n:
		return lengthPossible
	case int(lengths[0]) > n:
		return lengthTooShort
	case int(lengths[len(lengths)-1]) < n:
		return lengthTooLong
	}
	for _, l := range lengths[1:] {
		if int(l) == n {
			return lengthPossible
		}
	}
	return lengthInvalid
}
