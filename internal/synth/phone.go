package synth

import "strconv"

// phone is a number as its national significant number (NSN): the digits
// after the country calling code, without the trunk prefix.
type phone struct {
	c       *country
	nsn     string
	mobile  bool
	areaLen int // digits of the NSN that form the area code or mobile prefix
}

func (p phone) isZero() bool { return p.nsn == "" }

// numbering hands out distinct numbers: one counter per country for mobile
// ranges and one per city for landlines (and, in NANP countries, for mobiles,
// which share the geographic area codes). A keyed permutation of the counter
// gives random-looking, never-repeated numbers.
type numbering struct {
	mobileN   []uint64
	mobileP   []perm
	cityN     []uint64
	cityP     []perm
	cityValid []bool
}

func pow10(n int) uint64 {
	v := uint64(1)
	for range n {
		v *= 10
	}
	return v
}

func newNumbering(seed uint64) *numbering {
	n := &numbering{mobileN: make([]uint64, len(countries)), mobileP: make([]perm, len(countries)),
		cityN: make([]uint64, len(allCities)), cityP: make([]perm, len(allCities))}
	for _, c := range countries {
		if len(c.mobile) > 0 {
			space := uint64(len(c.mobile)) * pow10(c.mobileLen-len(c.mobile[0]))
			n.mobileP[c.idx] = newPerm(space, seed^hashString("mobile"+c.code))
		}
	}
	for _, ct := range allCities {
		space := ct.localSpace()
		n.cityP[ct.idx] = newPerm(space, seed^hashString("land"+ct.name+ct.region))
	}
	return n
}

// appendDigits writes v as exactly width digits.
func appendDigits(b []byte, v uint64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendUint(tmp[:0], v, 10)
	for range width - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

func (n *numbering) mobile(c *country, ct *city) phone {
	if len(c.mobile) == 0 {
		p := n.landline(ct)
		p.mobile = true
		return p
	}
	k := c.mobileLen - len(c.mobile[0])
	v := n.mobileP[c.idx].at(n.mobileN[c.idx] % n.mobileP[c.idx].n)
	n.mobileN[c.idx]++
	m := pow10(k)
	b := make([]byte, 0, c.mobileLen)
	b = append(b, c.mobile[v/m]...)
	b = appendDigits(b, v%m, k)
	return phone{c: c, nsn: string(b), mobile: true, areaLen: min(3, len(b))}
}

func (ct *city) localSpace() uint64 {
	rest := ct.areaLen - len(ct.areas[0])
	var s uint64
	for _, l := range ct.leads {
		s += uint64(len(l)) * pow10(rest-1)
	}
	return s
}

func (n *numbering) landline(ct *city) phone {
	c := ct.country
	rest := ct.areaLen - len(ct.areas[0])
	unit := pow10(rest - 1)
	p := &n.cityP[ct.idx]
	for {
		v := p.at(n.cityN[ct.idx] % p.n)
		n.cityN[ct.idx]++
		// v indexes (area, lead digit, remaining digits) in order.
		a := 0
		for v >= uint64(len(ct.leads[a]))*unit {
			v -= uint64(len(ct.leads[a])) * unit
			a++
		}
		b := make([]byte, 0, ct.areaLen)
		b = append(b, ct.areas[a]...)
		// The lead digit comes from the area's class (by default 2-9: 0 and 1
		// lead to trunk, service and special ranges in most plans).
		b = append(b, ct.leads[a][v/unit])
		b = appendDigits(b, v%unit, rest-1)
		if c.cc == "1" && rest == 7 {
			// NANP exchanges: no N11 (service codes) and no 555 (fiction and
			// directory assistance).
			ex := string(b[3:6])
			if ex[1:] == "11" || ex == "555" {
				continue
			}
		}
		return phone{c: c, nsn: string(b), areaLen: len(ct.areas[0])}
	}
}

// appendGroups appends how the NSN is split for display in the country's
// usual national format.
func (p phone) appendGroups(g []int) []int {
	n := len(p.nsn)
	switch p.c.code {
	case "US", "CA":
		return append(g, 3, 3, 4)
	case "GB":
		if p.mobile {
			return append(g, 4, n-4)
		}
		if p.areaLen == 3 && p.nsn[2] != '1' { // 020 and 029 style: 2 + 4 + 4
			return append(g, 2, 4, 4)
		}
		return append(g, 3, 3, n-6)
	case "FR":
		return append(g, 1, 2, 2, 2, 2)
	case "DE":
		a := p.areaLen
		return append(g, a, n-a)
	case "ES":
		return append(g, 3, 3, 3)
	case "IT":
		if p.mobile {
			return append(g, 3, 3, 4)
		}
		a := p.areaLen
		return append(g, a, (n-a)/2, n-a-(n-a)/2)
	case "PL":
		if p.mobile {
			return append(g, 3, 3, 3)
		}
		return append(g, 2, 3, 2, 2)
	case "SE":
		if p.areaLen == 1 {
			return append(g, 1, 3, 3, 2)
		}
		return append(g, 2, 3, 2, 2)
	case "AU":
		if p.mobile {
			return append(g, 3, 3, 3)
		}
		return append(g, 1, 4, 4)
	case "JP":
		if p.mobile {
			return append(g, 2, 4, 4)
		}
		if p.areaLen == 1 {
			return append(g, 1, 4, 4)
		}
		return append(g, p.areaLen, n-p.areaLen-4, 4)
	}
	return append(g, n)
}

// Phone display styles. Sources pick one per record, as people and forms do.
type phoneStyle uint8

const (
	phoneNational      phoneStyle = iota // 07700 900123, (415) 555-0123
	phoneNationalAlt                     // 415-555-0123, 0151/2345678, (02) 9123 4567
	phoneNationalPlain                   // 07700900123
	phoneIntl                            // +44 7700 900123
	phoneIntlAlt                         // +44 (0)7700 900123, 0044 7700 900123
	phoneE164                            // +447700900123
	numPhoneStyles
)

func (p phone) format(b []byte, st phoneStyle) []byte {
	var gb [5]int
	g := p.appendGroups(gb[:0])
	nanp := p.c.cc == "1"
	switch st {
	case phoneNational, phoneNationalAlt:
		if nanp {
			if st == phoneNational {
				b = append(b, '(')
				b = append(b, p.nsn[:3]...)
				b = append(b, ") "...)
				b = append(b, p.nsn[3:6]...)
				b = append(b, '-')
				return append(b, p.nsn[6:]...)
			}
			return p.join(b, g, '-', '-')
		}
		if st == phoneNationalAlt {
			switch p.c.code {
			case "DE":
				b = append(b, p.c.trunk...)
				return p.join(b, g, '/', 0)
			case "AU", "GB":
				if !p.mobile {
					b = append(b, '(')
					b = append(b, p.c.trunk...)
					b = append(b, p.nsn[:g[0]]...)
					b = append(b, ") "...)
					return p.join(b, g[1:], ' ', ' ', g[0])
				}
			}
		}
		b = append(b, p.c.trunk...)
		switch p.c.code {
		case "DE":
			return p.join(b, g, ' ', 0)
		case "SE":
			return p.join(b, g, '-', ' ')
		case "JP":
			return p.join(b, g, '-', '-')
		}
		return p.join(b, g, ' ', ' ')
	case phoneNationalPlain:
		b = append(b, p.c.trunk...)
		return append(b, p.nsn...)
	case phoneIntl, phoneIntlAlt:
		if st == phoneIntlAlt && !nanp {
			if p.c.trunk != "" {
				b = append(b, '+')
				b = append(b, p.c.cc...)
				b = append(b, " ("...)
				b = append(b, p.c.trunk...)
				b = append(b, ')')
				return p.join(b, g, ' ', ' ')
			}
			b = append(b, "00"...)
		} else {
			b = append(b, '+')
		}
		b = append(b, p.c.cc...)
		b = append(b, ' ')
		switch {
		case nanp:
			return p.join(b, g, '-', '-')
		case p.c.code == "JP":
			return p.join(b, g, '-', '-')
		}
		return p.join(b, g, ' ', ' ')
	default: // phoneE164
		b = append(b, '+')
		b = append(b, p.c.cc...)
		return append(b, p.nsn...)
	}
}

// join writes the NSN split by groups, with sep1 after the first group and
// sep between the others; a zero separator writes nothing. An optional
// offset says where in the NSN the first group starts.
func (p phone) join(b []byte, g []int, sep1, sep byte, offset ...int) []byte {
	i := 0
	if len(offset) > 0 {
		i = offset[0]
	}
	for k, n := range g {
		if k == 1 && sep1 != 0 {
			b = append(b, sep1)
		} else if k > 1 && sep != 0 {
			b = append(b, sep)
		}
		b = append(b, p.nsn[i:i+n]...)
		i += n
	}
	return b
}
