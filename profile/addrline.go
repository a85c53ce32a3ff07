package profile

import "strings"

// CompleteAddresses reads the end of a street line that holds a whole
// address, "12 High Street, London SW1A 1AA" or "Hauptstraße 5, 10115
// Berlin, Germany", into the parts of its address that are still empty:
// country, postcode, region (a US or Canadian state code before the ZIP)
// and locality. Exports often have one "Address" column for all of it,
// and without the split the postcode and town cannot be compared or
// blocked on. The street keeps what is left.
//
// It splits at commas and line breaks only, from the end, and takes a comma-separated
// part only when it is sure of it: a country it knows; a postcode of the
// address's country (any known format when the country is unknown: UK,
// Canadian, Dutch, or 4 to 6 digits, with ZIP+4) alone or at either end of
// a part, the rest of that part being the town (or a state code); then a
// part without digits before it as the town. The first part always stays
// the street. An address whose locality or postcode is already set, or
// whose street has no comma, is left as it is.
//
// Call it once a record's fields are all set (package ingest does, for
// every row): a postcode or town column later in the row would otherwise
// start a second address.
func (n *Normalizer) CompleteAddresses(r *Record) {
	for i := range r.Addresses {
		a := &r.Addresses[i]
		if a.Locality.Raw != "" || a.Postcode.Raw != "" || !strings.ContainsAny(a.Street.Raw, ",\n") {
			continue
		}
		if n.completeAddress(a) && a.Country.Norm != "" {
			n.recheckPhones(r)
			n.recheckBirthDate(r)
		}
	}
}

// completeAddress splits a's street line (see CompleteAddresses) and
// reports whether it set the country.
func (n *Normalizer) completeAddress(a *Address) (setCountry bool) {
	var parts []string
	for p := range strings.FieldsFuncSeq(a.Street.Raw, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) < 2 {
		return false
	}
	end := len(parts)
	country := a.Country.Norm
	var countryRaw string
	if cc, ok := countryPart(parts[end-1]); ok && (country == "" || country == cc) {
		country, countryRaw = cc, parts[end-1]
		end--
	}
	var postcode, region, locality string
	if end > 1 {
		last := parts[end-1]
		if pc, rest, ok := postcodeIn(last, country); ok {
			postcode = pc
			end--
			// "IL", "Sydney NSW", "London": a state code, a town, or both.
			words := strings.Fields(rest)
			if k := len(words); k > 0 && isStateCode(words[k-1], country) {
				region = words[k-1]
				words = words[:k-1]
			}
			locality = strings.Join(words, " ")
		}
	}
	if locality == "" && end > 1 && townLike(parts[end-1]) && (postcode != "" || region != "" || countryRaw != "") {
		locality = parts[end-1]
		end--
	}
	if postcode == "" && locality == "" && region == "" && countryRaw == "" {
		return false
	}
	a.Street = n.addrs.Street(strings.Join(parts[:end], ", "))
	if locality != "" {
		a.Locality = n.addrs.Locality(locality)
	}
	if region != "" && a.Region.Raw == "" {
		a.Region = n.addrs.Region(region)
	}
	if countryRaw != "" && a.Country.Raw == "" {
		if t, err := n.addrs.Country(countryRaw); err == nil {
			a.Country = t
			setCountry = true
		}
	}
	if postcode != "" {
		if t, err := n.addrs.Postcode(postcode, a.Country.Norm); err == nil {
			a.Postcode = t
		}
	}
	return setCountry
}

// countryPart returns the country a part of an address line names: a
// name or a code, but not a code that is also a region's ("CA", "IN", "DE"
// and "SA" are a US state and an Australian one as often), and not
// Georgia, a state as well.
func countryPart(s string) (string, bool) {
	k := textKey(s)
	if isRegionCode[strings.ToUpper(k)] || k == "georgia" {
		return "", false
	}
	return LookupCountry(s)
}

// isRegionCode holds the postal codes of regionCodes, upper case.
var isRegionCode = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range regionCodes {
		m[strings.ToUpper(c)] = true
	}
	return m
}()

// notTownWords are the keys (see streetWords) of words that make a part of
// an address line a street or a unit rather than a town.
var notTownWords = map[string]bool{
	"ave": true, "rd": true, "blvd": true, "dr": true, "ln": true, "way": true, "ct": true, "pl": true,
	"cres": true, "tce": true, "hwy": true, "pkwy": true, "cl": true, "rue": true, "ul": true,
	"apt": true, "ste": true, "unit": true, "flat": true, "fl": true, "bldg": true, "rm": true,
	"po": true, "box": true, "pobox": true,
}

// notTown reports whether part reads as a street or unit, not a town:
// "Main St", "Suite", "PO Box". "St" counts only after the first word, as
// towns begin with Saint ("St Albans").
func notTown(part string) bool {
	words := strings.Fields(textKey(part))
	for i, w := range words {
		if k, ok := streetWords[w]; ok {
			w = k
		}
		if notTownWords[w] || w == "st" && i > 0 {
			return true
		}
	}
	return false
}

// townLike reports whether the rest of a part beside a postcode can be a
// town or state: no digits, and no street or unit word.
func townLike(rest string) bool { return !hasDigit(rest) && !notTown(rest) }

// postcodeIn finds a postcode of the country cc (any known format when cc
// is "") making up part, or at its end ("London SW1A 1AA", "IL 62704") or
// start ("10115 Berlin"), and returns it and the rest of the part.
func postcodeIn(part, cc string) (postcode, rest string, ok bool) {
	words := strings.Fields(part)
	// Longest candidates first: a UK or Canadian postcode is two words.
	for k := min(2, len(words)); k >= 1; k-- {
		// The rest is a town or a state: no digits, no street or unit ("1234
		// Main St": a house number; "Suite 1200": a unit).
		if pc, rest := strings.Join(words[len(words)-k:], " "), strings.Join(words[:len(words)-k], " "); isPostcode(pc, cc) && townLike(rest) {
			return pc, rest, true
		}
		if pc, rest := strings.Join(words[:k], " "), strings.Join(words[k:], " "); k < len(words) && isPostcode(pc, cc) && townLike(rest) {
			return pc, rest, true
		}
	}
	return "", "", false
}

// isPostcode reports whether s is a postcode of country cc, or, for an
// unknown country, of a format that is rarely anything else.
func isPostcode(s, cc string) bool {
	c := compactUpper(cleanText(s))
	if c == "" {
		return false
	}
	if cc != "" {
		norm, err := formatPostcode(c, cc)
		if err != nil {
			return false
		}
		return norm != "" || hasDigit(c)
	}
	for _, guess := range [...]string{"GB", "CA", "NL"} {
		if _, err := formatPostcode(c, guess); err == nil {
			return true
		}
	}
	switch {
	case len(c) >= 4 && len(c) <= 6 && allDigits(c):
		return true
	case len(c) == 9 && allDigits(c) && strings.Contains(s, "-"): // ZIP+4
		return true
	}
	return false
}

// isStateCode reports whether s is the code of a US state, a Canadian
// province or an Australian state (regionCodes), as written before a
// postcode there.
func isStateCode(s, cc string) bool {
	if cc != "" && cc != "US" && cc != "CA" && cc != "AU" {
		return false
	}
	return isRegionCode[strings.ToUpper(s)]
}
