package profile

import (
	_ "embed"
	"fmt"
	"strings"
)

// Postcode cleans a postcode for the country given as an ISO 3166-1 alpha-2
// code (any case; "" when unknown).
//
// Known formats are checked and written the way the national post writes
// them; a postcode that does not fit returns a Text without Norm and an
// error wrapping [ErrInvalidPostcode]:
//
//	US          12345, 12345-6789 (ZIP and ZIP+4, from 123456789 or "12345 6789")
//	GB GG JE IM SW1A 1AA (upper case, one space before the last three characters)
//	CA          K1A 0B1
//	NL          1234 AB
//	SE          123 45
//	PL          12-345
//	PT          1234-567
//	JP          123-4567
//	BR          12345-678
//	IE          A65 F4E2 (Eircode)
//	AU NZ AT BE CH DK NO HU LU PH ZA and others: 4 digits
//	DE FR IT ES FI MX TR MY UA and others: 5 digits
//	IN RU CN SG KZ and others: 6 digits
//
// Leading zeros are part of a postcode and are kept ("0800" in Darwin);
// postcodes that lost them in a spreadsheet (US "2134") are rejected, not
// padded. For other or unknown countries the postcode is cleaned and
// upper-cased, and never rejected.
//
// The key is the postcode in lower case without spaces or hyphens, so
// "SW1A 1AA", "sw1a1aa" and "12345-6789"/"123456789" compare equal even when
// the country is unknown.
func (AddressNormalizer) Postcode(raw, country string) (Text, error) {
	n := cleanText(raw)
	if n == "" {
		return Text{Raw: raw}, nil
	}
	compact := compactUpper(n)
	norm, err := formatPostcode(compact, strings.ToUpper(country))
	if err != nil {
		return Text{Raw: raw}, err
	}
	if norm == "" {
		norm = upperASCII(n)
	}
	return Text{Raw: raw, Norm: norm, Key: lowerASCII(compact)}, nil
}

// compactUpper drops spaces, hyphens and dots from s and upper-cases ASCII
// letters, without allocating when nothing changes.
func compactUpper(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' || c == '-' || c == '.' || c >= 'a' && c <= 'z' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '.':
		case r >= 'a' && r <= 'z':
			b.WriteByte(byte(r) - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			return strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' {
					return r - 'a' + 'A'
				}
				return r
			}, s)
		}
	}
	return s
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.Map(func(r rune) rune {
				if r >= 'A' && r <= 'Z' {
					return r - 'A' + 'a'
				}
				return r
			}, s)
		}
	}
	return s
}

// postcodeDigits lists countries whose postcodes are n plain digits.
var postcodeDigits = map[string]int{
	"AU": 4, "NZ": 4, "AT": 4, "BE": 4, "CH": 4, "DK": 4, "NO": 4, "HU": 4, "LU": 4, "PH": 4,
	"ZA": 4, "BG": 4, "CY": 4, "GE": 4, "LI": 4, "MK": 4, "SI": 4, "TN": 4, "AM": 4, "BD": 4,
	"DE": 5, "FR": 5, "IT": 5, "ES": 5, "FI": 5, "MX": 5, "TR": 5, "MY": 5, "UA": 5, "HR": 5,
	"EE": 5, "ID": 5, "KR": 5, "LT": 5, "MA": 5, "PK": 5, "RS": 5, "SA": 5, "TH": 5,
	"EG": 5, "DZ": 5, "ME": 5, "MC": 5, "BA": 5, "CR": 5, "CU": 5, "DO": 5, "GT": 5, "SV": 5,
	"IN": 6, "RU": 6, "CN": 6, "SG": 6, "KZ": 6, "BY": 6, "RO": 6, "VN": 6, "TJ": 6, "UZ": 6,
	"NG": 6, "EC": 6, "CO": 6, "KG": 6, "TM": 6,
}

// dashedDigits lists countries whose postcodes are digits with a separator
// after the first n.
var dashedDigits = map[string]struct {
	digits, at int
	sep        string
}{
	"SE": {5, 3, " "}, "PL": {5, 2, "-"}, "PT": {7, 4, "-"}, "JP": {7, 3, "-"}, "BR": {8, 5, "-"},
	"CZ": {5, 3, " "}, "SK": {5, 3, " "}, "GR": {5, 3, " "},
}

// formatPostcode formats a compact upper-case postcode for a country. It
// returns "" and no error for countries without a known format.
func formatPostcode(c, country string) (string, error) {
	if n, ok := postcodeDigits[country]; ok {
		if len(c) != n || !allDigits(c) {
			return "", reason(ErrInvalidPostcode, "%s postcodes have %d digits", country, n)
		}
		return c, nil
	}
	if d, ok := dashedDigits[country]; ok {
		if len(c) != d.digits || !allDigits(c) {
			return "", reason(ErrInvalidPostcode, "%s postcodes have %d digits", country, d.digits)
		}
		return c[:d.at] + d.sep + c[d.at:], nil
	}
	switch country {
	case "US", "PR", "VI", "GU", "AS", "MP":
		switch {
		case len(c) == 5 && allDigits(c):
			return c, nil
		case len(c) == 9 && allDigits(c):
			return c[:5] + "-" + c[5:], nil
		}
		return "", reason(ErrInvalidPostcode, "US ZIP codes have 5 or 9 digits")
	case "GB", "GG", "JE", "IM":
		if c == "GIR0AA" {
			return "GIR 0AA", nil
		}
		if len(c) < 5 || len(c) > 7 {
			return "", reason(ErrInvalidPostcode, "UK postcodes have 5 to 7 letters and digits")
		}
		out, in := c[:len(c)-3], c[len(c)-3:]
		if !ukOutward(out) || !isDigit(in[0]) || !isUpper(in[1]) || !isUpper(in[2]) {
			return "", reason(ErrInvalidPostcode, "not a UK postcode (like SW1A 1AA)")
		}
		return out + " " + in, nil
	case "CA":
		if len(c) != 6 || !isUpper(c[0]) || !isDigit(c[1]) || !isUpper(c[2]) || !isDigit(c[3]) || !isUpper(c[4]) || !isDigit(c[5]) {
			return "", reason(ErrInvalidPostcode, "Canadian postcodes are letter-digit-letter digit-letter-digit")
		}
		return c[:3] + " " + c[3:], nil
	case "NL":
		if len(c) != 6 || !allDigits(c[:4]) || c[0] == '0' || !isUpper(c[4]) || !isUpper(c[5]) {
			return "", reason(ErrInvalidPostcode, "Dutch postcodes are four digits and two letters")
		}
		return c[:4] + " " + c[4:], nil
	case "IE":
		if len(c) != 7 || !isUpper(c[0]) || !isAlnumUpper(c) {
			return "", reason(ErrInvalidPostcode, "Eircodes have 7 letters and digits (A65 F4E2)")
		}
		return c[:3] + " " + c[3:], nil
	}
	return "", nil
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isAlnumUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isUpper(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// ukOutward checks a UK outward code: A9, A99, AA9, AA99, A9A, AA9A.
func ukOutward(s string) bool {
	switch len(s) {
	case 2:
		return isUpper(s[0]) && isDigit(s[1])
	case 3:
		return isUpper(s[0]) && (isDigit(s[1]) && (isDigit(s[2]) || isUpper(s[2])) || isUpper(s[1]) && isDigit(s[2]))
	case 4:
		return isUpper(s[0]) && isUpper(s[1]) && isDigit(s[2]) && (isDigit(s[3]) || isUpper(s[3]))
	}
	return false
}

//go:embed countries.txt
var countriesTxt string

// Country is one ISO 3166-1 country.
type Country struct {
	Alpha2 string // "AU"
	Alpha3 string // "AUS"
	Name   string // English short name, "Australia"
}

var (
	countries      []Country         // in file order (by alpha-2)
	countryByKey   map[string]string // key of code, name or alias -> alpha-2
	countryByAlpha map[string]Country
)

func init() {
	countryByKey = map[string]string{}
	countryByAlpha = map[string]Country{}
	for i, line := range strings.Split(countriesTxt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) < 3 || len(f[0]) != 2 || len(f[1]) != 3 {
			panic(fmt.Sprintf("profile: countries.txt line %d: want alpha2|alpha3|name|aliases...", i+1))
		}
		c := Country{Alpha2: f[0], Alpha3: f[1], Name: f[2]}
		countries = append(countries, c)
		countryByAlpha[c.Alpha2] = c
		for _, name := range f {
			k := textKey(name)
			if prev, ok := countryByKey[k]; ok && prev != c.Alpha2 {
				panic(fmt.Sprintf("profile: countries.txt line %d: %q is both %s and %s", i+1, name, prev, c.Alpha2))
			}
			countryByKey[k] = c.Alpha2
			countryByKey[strings.ReplaceAll(k, " ", "")] = c.Alpha2 // "u s a", "usa"
		}
	}
}

// Countries returns the ISO 3166-1 table, sorted by alpha-2 code.
func Countries() []Country { return append([]Country(nil), countries...) }

// Country reads a country from its ISO 3166-1 alpha-2 or alpha-3 code, its
// English name or a common alias ("UK", "Great Britain", "England", "USA",
// "United States of America", "Deutschland", "Holland", "South Korea",
// "Ivory Coast", ...; the table is the embedded file countries.txt). Case,
// accents, punctuation and a leading "the" are ignored. The result holds the
// alpha-2 code: Norm "AU", Key "au". Names not in the table return a Text
// without Norm and an error wrapping [ErrInvalidCountry].
func (AddressNormalizer) Country(raw string) (Text, error) {
	n := cleanText(raw)
	if n == "" {
		return Text{Raw: raw}, nil
	}
	code, ok := LookupCountry(n)
	if !ok {
		return Text{Raw: raw}, reason(ErrInvalidCountry, "not an ISO 3166 country name or code")
	}
	return Text{Raw: raw, Norm: code, Key: lowerASCII(code)}, nil
}

// LookupCountry returns the alpha-2 code for a country code, name or alias
// (see [AddressNormalizer.Country]).
func LookupCountry(s string) (string, bool) {
	k := textKey(s)
	if c, ok := countryByKey[k]; ok {
		return c, true
	}
	if rest, ok := strings.CutPrefix(k, "the "); ok {
		if c, ok := countryByKey[rest]; ok {
			return c, true
		}
	}
	return "", false
}
