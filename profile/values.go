package profile

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Gender codes written to Record.Gender.Norm.
const (
	GenderMale      = "m"
	GenderFemale    = "f"
	GenderNonBinary = "x"
)

// genders maps the keys of common spellings to gender codes.
var genders = func() map[string]string {
	m := map[string]string{}
	for code, words := range map[string]string{
		GenderMale: "m male man boy masculine mr he him " +
			"1 " + // ISO/IEC 5218
			"h hombre masculino masculin homme männlich mannlich maennlich mann",
		GenderFemale: "f female woman girl feminine she her mrs ms miss " +
			"2 " + // ISO/IEC 5218
			"w weiblich frau mujer femenino feminin féminin femme donna",
		GenderNonBinary: "x nonbinary non binary nb enby genderqueer agender genderfluid " +
			"other diverse divers d third gender intersex",
	} {
		for _, w := range strings.Split(words, " ") {
			m[w] = code
		}
		_ = words
	}
	// Multi-word spellings.
	m["non binary"] = GenderNonBinary
	m["gender queer"] = GenderNonBinary
	m["third gender"] = GenderNonBinary
	return m
}()

// ParseGender reads a gender value into one of the codes "m", "f" or "x"
// (non-binary and other genders). It accepts the common English spellings
// (m, male, man, f, female, woman, x, nonbinary, non-binary, other, ...),
// the codes 1 and 2 of ISO/IEC 5218, and common German, French and Spanish
// words (w/weiblich, d/divers, homme, femme, hombre, mujer). A value it does
// not know returns a Text without Norm and an error wrapping
// [ErrInvalidGender]; "unknown" and similar placeholders are left to [Junk].
func ParseGender(raw string) (Text, error) {
	n := cleanText(raw)
	if n == "" {
		return Text{Raw: raw}, nil
	}
	if code, ok := genders[textKey(n)]; ok {
		return Text{Raw: raw, Norm: code, Key: code}, nil
	}
	return Text{Raw: raw}, reason(ErrInvalidGender, "not a gender this package knows (m, f, x and their spellings)")
}

// consentWords maps keys of consent answers to granted (true) or not.
var consentWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Split("yes y true t 1 on opt in optin opted in opt ed in subscribed subscribe "+
		"granted grant given accepted accept agreed agree consent consented allow allowed ok ja oui si sí", " ") {
		m[w] = true
	}
	for _, w := range []string{"opt in", "opted in", "i agree"} {
		m[w] = true
	}
	for _, w := range strings.Split("no n false f 0 off optout unsubscribed unsubscribe denied deny declined "+
		"decline refused refuse withdrawn revoked disagree rejected nein non", " ") {
		m[w] = false
	}
	for _, w := range []string{"opt out", "opted out", "do not contact", "not consented", "no consent"} {
		m[w] = false
	}
	return m
}()

// ParseConsent reads a consent answer: yes/no, y/n, true/false, t/f, 1/0,
// on/off, opt-in/opt-out, opted in/opted out, subscribed/unsubscribed,
// granted/denied, accepted/declined, agreed/refused, withdrawn, revoked, and
// ja/nein, oui/non, si. The result has Known false, and the error wraps
// [ErrInvalidConsent], when raw is none of these.
func ParseConsent(purpose, raw string) (Consent, error) {
	c := Consent{Purpose: purpose, Raw: raw}
	k := textKey(raw)
	if k == "" {
		return c, reason(ErrInvalidConsent, "empty")
	}
	g, ok := consentWords[k]
	if !ok {
		return c, reason(ErrInvalidConsent, "not a yes or no answer")
	}
	c.Granted, c.Known = g, true
	return c, nil
}

// IdentifierValue normalizes an external identifier: Unicode NFKC, surrounding
// space removed, case folded to lower case, and spaces and dashes (any
// Unicode dash) removed, so "AB-123 456" and "ab123456" are one value.
// Other punctuation is kept: in identifiers it can be significant.
func IdentifierValue(raw string) string {
	if isASCII(raw) {
		clean := true
		for i := 0; i < len(raw); i++ {
			if c := raw[i]; c <= ' ' || c == '-' || c >= 'A' && c <= 'Z' || c == 0x7f {
				clean = false
				break
			}
		}
		if clean {
			return raw
		}
		var b strings.Builder
		b.Grow(len(raw))
		for i := 0; i < len(raw); i++ {
			c := raw[i]
			switch {
			case c <= ' ' || c == '-' || c == 0x7f:
			case c >= 'A' && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
			default:
				b.WriteByte(c)
			}
		}
		return b.String()
	}
	return identifierUnicode(raw)
}

func identifierUnicode(raw string) string {
	n := cleanText(raw)
	// Removing spaces can bring a letter and a mark together, and lower
	// casing can denormalize: repeat until stable (in practice once or twice).
	for range 4 {
		var b strings.Builder
		b.Grow(len(n))
		for _, r := range n {
			if r == ' ' || unicode.Is(unicode.Pd, r) {
				continue
			}
			b.WriteRune(unicode.ToLower(r))
		}
		next := norm.NFKC.String(b.String())
		if next == n {
			break
		}
		n = next
	}
	return n
}
