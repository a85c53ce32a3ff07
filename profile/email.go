package profile

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// EmailNormalizer checks and cleans email addresses. The zero value checks
// syntax and lower-cases; it is safe for concurrent use.
//
// The check is the practical subset of RFC 5322 that real mail systems
// accept: one '@'; a local part of 1 to 64 bytes made of letters, digits,
// dots (not first, last or doubled) and !#$%&'*+/=?^_`{|}~-; a domain of at
// most 253 bytes with at least two dot-separated labels of 1 to 63 letters,
// digits or hyphens (not first or last in a label) and a top-level label that
// is not all digits. Letters beyond ASCII are accepted in both parts
// (internationalized addresses, RFC 6531) and kept in Unicode, not converted
// to punycode. Quoted local parts, comments and IP-literal domains are
// rejected: customer data that has them is almost always wrong.
//
// Before the check, surrounding space and a "mailto:" prefix are removed,
// and a display form "Jane Smith <jane@example.com>" is reduced to the
// address between the angle brackets. The whole address is lower-cased:
// the standard lets a local part be case-sensitive, but no mainstream
// provider treats it so, and sources disagree on case.
//
// Misspelt domains (gmial.com, hotmail.co) are kept as written, never
// "corrected": a guessed fix can join two different people.
type EmailNormalizer struct {
	// ProviderRules sets Email.Canonical to the address as the provider
	// delivers it: for gmail.com and googlemail.com, dots in the local part
	// are removed, a "+tag" is dropped and the domain becomes gmail.com; for
	// providers that deliver "+tag" addresses to the base address
	// (outlook.com, hotmail.com, live.com, msn.com, icloud.com, me.com,
	// mac.com, fastmail.com, proton.me, protonmail.com, pm.me) the tag is
	// dropped. Other domains are left alone. Without it, Canonical equals
	// Address.
	ProviderRules bool
}

// Parse checks raw and returns the email with Address and Canonical set, or
// an Email holding only Raw and an error wrapping [ErrInvalidEmail]. It
// reads "mailto:" links, "Name <address>" forms, and an address followed by
// a full stop, comma or semicolon ("anna@web.de.").
func (e EmailNormalizer) Parse(raw string) (Email, error) {
	s := strings.TrimSpace(raw)
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = strings.TrimSpace(s[7:])
	}
	if strings.HasSuffix(s, ">") {
		if i := strings.LastIndexByte(s, '<'); i >= 0 {
			s = strings.TrimSpace(s[i+1 : len(s)-1])
		}
	}
	// A sentence's full stop or a list's comma typed after the address
	// ("anna@web.de.") cannot end one.
	s = strings.TrimRight(s, ".,;")
	if !isASCII(s) {
		s = cleanText(s)
	}
	addr := lowerASCIIOrUnicode(s)
	if err := checkEmail(addr); err != nil {
		return Email{Raw: raw}, err
	}
	em := Email{Raw: raw, Address: addr, Canonical: addr}
	if e.ProviderRules {
		em.Canonical = providerCanonical(addr)
	}
	return em, nil
}

// lowerASCIIOrUnicode lower-cases s, without allocating when it is already
// lower case.
func lowerASCIIOrUnicode(s string) string {
	if isASCII(s) {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c >= 'A' && c <= 'Z' {
				return strings.ToLower(s)
			}
		}
		return s
	}
	return strings.ToLower(s)
}

// checkEmail checks a trimmed, lower-cased address.
func checkEmail(a string) error {
	if a == "" {
		return reason(ErrInvalidEmail, "empty")
	}
	at := strings.IndexByte(a, '@')
	if at < 0 {
		return reason(ErrInvalidEmail, "no '@'")
	}
	if strings.IndexByte(a[at+1:], '@') >= 0 {
		return reason(ErrInvalidEmail, "more than one '@'")
	}
	local, domain := a[:at], a[at+1:]
	switch {
	case local == "":
		return reason(ErrInvalidEmail, "nothing before '@'")
	case len(local) > 64:
		return reason(ErrInvalidEmail, "local part longer than 64 bytes")
	case local[0] == '.' || local[len(local)-1] == '.':
		return reason(ErrInvalidEmail, "local part starts or ends with '.'")
	case strings.Contains(local, ".."):
		return reason(ErrInvalidEmail, "'..' in local part")
	}
	for _, r := range local {
		if r < utf8.RuneSelf {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune(".!#$%&'*+/=?^_`{|}~-", r) || r >= 'A' && r <= 'Z') {
				if r == ' ' {
					return reason(ErrInvalidEmail, "space in address")
				}
				return reason(ErrInvalidEmail, "character %q not allowed in local part", r)
			}
			continue
		}
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)) {
			return reason(ErrInvalidEmail, "character %q not allowed in local part", r)
		}
	}
	return checkDomain(domain)
}

// checkDomain checks the part after '@'.
func checkDomain(d string) error {
	switch {
	case d == "":
		return reason(ErrInvalidEmail, "nothing after '@'")
	case len(d) > 253:
		return reason(ErrInvalidEmail, "domain longer than 253 bytes")
	case strings.IndexByte(d, '.') < 0:
		return reason(ErrInvalidEmail, "domain %q has no dot", d)
	}
	rest := d
	for {
		label, tail, more := strings.Cut(rest, ".")
		if label == "" {
			return reason(ErrInvalidEmail, "empty label in domain %q", d)
		}
		if len(label) > 63 {
			return reason(ErrInvalidEmail, "domain label longer than 63 bytes")
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return reason(ErrInvalidEmail, "domain label %q starts or ends with '-'", label)
		}
		for _, r := range label {
			if r < utf8.RuneSelf {
				if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r >= 'A' && r <= 'Z') {
					if r == ' ' {
						return reason(ErrInvalidEmail, "space in address")
					}
					return reason(ErrInvalidEmail, "character %q not allowed in domain", r)
				}
				continue
			}
			if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)) {
				return reason(ErrInvalidEmail, "character %q not allowed in domain", r)
			}
		}
		if !more {
			if allDigits(label) {
				return reason(ErrInvalidEmail, "top-level domain %q is all digits", label)
			}
			break
		}
		rest = tail
	}
	return nil
}

// plusProviders deliver local+tag@domain to local@domain.
var plusProviders = map[string]bool{
	"outlook.com": true, "hotmail.com": true, "live.com": true, "msn.com": true,
	"icloud.com": true, "me.com": true, "mac.com": true, "fastmail.com": true,
	"proton.me": true, "protonmail.com": true, "pm.me": true,
}

// MailboxKey returns the mailbox a normalized address is delivered to, by
// the provider rules described at [EmailNormalizer.ProviderRules]:
// "Jane.Doe+shop@gmail.com" and "janedoe@googlemail.com" share the key
// "janedoe@gmail.com". Addresses at other domains, and strings without an
// '@', are returned unchanged. Matching compares emails by this key whatever
// the normalizer's setting, because two spellings of one mailbox are one
// address; the golden profile lists each mailbox once, as the latest of its
// records wrote it.
func MailboxKey(address string) string {
	if strings.IndexByte(address, '@') < 0 {
		return address
	}
	return providerCanonical(address)
}

// providerCanonical applies provider delivery rules to a valid address.
func providerCanonical(a string) string {
	at := strings.LastIndexByte(a, '@')
	local, domain := a[:at], a[at+1:]
	switch {
	case domain == "gmail.com" || domain == "googlemail.com":
		if i := strings.IndexByte(local, '+'); i >= 0 {
			local = local[:i]
		}
		local = strings.ReplaceAll(local, ".", "")
		if local == "" {
			return a
		}
		return local + "@gmail.com"
	case plusProviders[domain]:
		if i := strings.IndexByte(local, '+'); i > 0 {
			return local[:i] + "@" + domain
		}
	}
	return a
}
