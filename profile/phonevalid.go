package profile

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nyaruka/phonenumbers"
)

// validPhone reports whether num is valid, as phonenumbers.IsValidNumber
// does, from the same metadata, but about three times faster: normalizing a
// million records parses well over a million numbers.
//
// IsValidNumber classifies the number by type (premium rate, toll free, ...,
// fixed line, mobile) and calls it valid when some type matches; each test
// builds its pattern string, looks it up in a locked cache and runs the
// regular expression twice. Validity needs only whether any type matches, so
// the types are tested here with expressions compiled once, each run once,
// fixed line and mobile first since they are what customer records hold.
// TestValidPhoneAgrees and FuzzValidPhone compare the two.
func validPhone(num *phonenumbers.PhoneNumber) bool {
	meta := phoneMeta()
	if meta == nil {
		return phonenumbers.IsValidNumber(num)
	}
	return validNSN(meta, num.GetCountryCode(), phonenumbers.GetNationalSignificantNumber(num))
}

// validNSN reports whether nsn is a valid national significant number for
// the country code cc.
func validNSN(meta *phoneMetadata, cc int32, nsn string) bool {
	regions := phonenumbers.GetRegionCodesForCountryCode(int(cc))
	if len(regions) == 0 {
		return false
	}
	var r *phoneRegion
	if len(regions) == 1 {
		r = meta.region(regions[0], cc)
	} else {
		// The region the number belongs to, as GetRegionCodeForNumber
		// finds it: the first whose leading digits match or, without
		// leading digits, whose patterns accept the number.
		for _, code := range regions {
			c := meta.region(code, cc)
			if c == nil {
				continue
			}
			if c.leading != nil {
				if c.leading.MatchString(nsn) {
					r = c
					break
				}
			} else if c.valid(nsn) {
				r = c
				break
			}
		}
	}
	if r == nil || r.countryCode != cc {
		return false
	}
	return r.valid(nsn)
}

// phoneDesc is one number type's description: the lengths it allows (none
// listed: any) and its pattern, anchored at both ends.
type phoneDesc struct {
	lengths []int32
	re      *regexp.Regexp
}

func (d *phoneDesc) matches(nsn string) bool {
	if len(d.lengths) > 0 {
		n := int32(len(nsn))
		found := false
		for _, l := range d.lengths {
			if l == n {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return d.re.MatchString(nsn)
}

// phoneRegion is a region's metadata as validPhone and fastPhone read it.
type phoneRegion struct {
	countryCode int32
	leading     *regexp.Regexp // nil when the region has no leading digits
	general     phoneDesc
	types       []phoneDesc // fixed line and mobile first

	// For fastPhone: the region's country code in digits, its
	// international and national prefixes anchored at the start (nil when
	// it has none), whether the national prefix has a transformation rule,
	// and the lengths only dialled locally.
	ccDigits       string
	idd            *regexp.Regexp
	nationalPrefix *regexp.Regexp
	// nationalLiteral is the national prefix when it is digits only ("0",
	// most regions'), tested without the expression, whose match
	// allocates. (LiteralPrefix cannot tell: it calls "^(?:0)" incomplete.)
	nationalLiteral string
	transform       bool
	localLengths    []int32
}

// valid reports whether the general description and some type accept nsn.
func (r *phoneRegion) valid(nsn string) bool {
	if !r.general.matches(nsn) {
		return false
	}
	for i := range r.types {
		if r.types[i].matches(nsn) {
			return true
		}
	}
	return false
}

type phoneMetadata struct {
	byRegion map[string]*lazyRegion
	nonGeo   map[int32]*lazyRegion // region "001", by country code
}

// lazyRegion compiles a region's expressions when a number first needs
// them: all regions' take some 15 MB, and most data sets use a few.
type lazyRegion struct {
	md     *phonenumbers.PhoneMetadata
	once   sync.Once
	done   atomic.Bool
	region phoneRegion
}

func (m *phoneMetadata) region(code string, cc int32) *phoneRegion {
	l := m.byRegion[code]
	if code == "001" {
		l = m.nonGeo[cc]
	}
	if l == nil {
		return nil
	}
	if !l.done.Load() { // checked first: the closure Do takes would be allocated on every call
		l.once.Do(func() {
			l.region = compileRegion(l.md)
			l.done.Store(true)
		})
	}
	return &l.region
}

func compileRegion(md *phonenumbers.PhoneMetadata) phoneRegion {
	desc := func(d *phonenumbers.PhoneNumberDesc) phoneDesc {
		return phoneDesc{lengths: d.GetPossibleLength(), re: regexp.MustCompile("^(?:" + d.GetNationalNumberPattern() + ")$")}
	}
	r := phoneRegion{countryCode: md.GetCountryCode(), general: desc(md.GetGeneralDesc())}
	r.ccDigits = strconv.Itoa(int(r.countryCode))
	if p := md.GetInternationalPrefix(); p != "" {
		r.idd = regexp.MustCompile("^(?:" + p + ")")
	}
	if p := md.GetNationalPrefixForParsing(); p != "" {
		r.nationalPrefix = regexp.MustCompile("^(?:" + p + ")")
		if strings.Trim(p, "0123456789") == "" {
			r.nationalLiteral = p
		}
	}
	r.transform = md.GetNationalPrefixTransformRule() != ""
	r.localLengths = md.GetGeneralDesc().GetPossibleLengthLocalOnly()
	if ld := md.GetLeadingDigits(); ld != "" {
		r.leading = regexp.MustCompile("^(?:" + ld + ")")
	}
	for _, d := range []*phonenumbers.PhoneNumberDesc{md.GetFixedLine(), md.GetMobile(), md.GetPremiumRate(),
		md.GetTollFree(), md.GetSharedCost(), md.GetVoip(), md.GetPersonalNumber(), md.GetPager(),
		md.GetUan(), md.GetVoicemail()} {
		if d.GetNationalNumberPattern() == "" {
			continue // "^(?:)$" accepts only the empty string
		}
		r.types = append(r.types, desc(d))
	}
	return r
}

// phoneMeta indexes the metadata once. It returns nil if the library's
// metadata cannot be read, and validPhone then falls back to
// IsValidNumber.
var phoneMeta = sync.OnceValue(func() *phoneMetadata {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil || coll == nil {
		return nil
	}
	m := &phoneMetadata{byRegion: map[string]*lazyRegion{}, nonGeo: map[int32]*lazyRegion{}}
	for _, md := range coll.GetMetadata() {
		if md.GetId() == "001" {
			m.nonGeo[md.GetCountryCode()] = &lazyRegion{md: md}
		} else {
			m.byRegion[md.GetId()] = &lazyRegion{md: md}
		}
	}
	return m
})
