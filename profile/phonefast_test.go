package profile

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// checkFastPhone compares fastPhone with what it shortcuts: when it
// claims s, phonenumbers.Parse must read the same number, valid, with the
// same E.164 form. It reports whether fastPhone claimed s.
func checkFastPhone(t testing.TB, s, region string) bool {
	t.Helper()
	got, ok := fastPhone(s, region)
	if !ok {
		return false
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		t.Fatalf("fastPhone(%q, %s) = %s, but phonenumbers.Parse fails: %v", s, region, got, err)
	}
	if !phonenumbers.IsValidNumber(num) {
		t.Fatalf("fastPhone(%q, %s) = %s, but phonenumbers finds +%d %s invalid", s, region, got,
			num.GetCountryCode(), phonenumbers.GetNationalSignificantNumber(num))
	}
	if want := phonenumbers.Format(num, phonenumbers.E164); got != want {
		t.Fatalf("fastPhone(%q, %s) = %s, phonenumbers reads %s", s, region, got, want)
	}
	return true
}

// TestFastPhoneAgrees compares fastPhone with phonenumbers on every
// region's example numbers of every type, written in E.164, international
// and national form, with other separators, and with a digit changed,
// dropped or added, and on random digit strings in every region.
func TestFastPhoneAgrees(t *testing.T) {
	regions, types := supportedRegions(), phoneTypes
	rng := rand.New(rand.NewPCG(3, 4))
	seps := []string{" ", "-", ".", "/", ""}
	resep := func(s string) string {
		// The same digits with other separators between random ones.
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c == ' ' || c == '-' || c == '.' {
				continue
			}
			b.WriteByte(c)
			if c >= '0' && c <= '9' && rng.IntN(3) == 0 {
				b.WriteString(seps[rng.IntN(len(seps))])
			}
		}
		return b.String()
	}
	// common counts the example fixed-line and mobile numbers in E.164
	// and national form, which customer records mostly hold, and claimed
	// how many of them fastPhone read: a fast path that gave up on
	// everything would agree with anything.
	var checked, claimed, common, commonClaimed int
	check := func(s, region string, isCommon bool) {
		checked++
		ok := checkFastPhone(t, s, region)
		if ok {
			claimed++
		}
		if isCommon {
			common++
			if ok {
				commonClaimed++
			}
		}
	}
	for _, r := range regions {
		for _, typ := range types {
			ex := phonenumbers.GetExampleNumberForType(r, typ)
			if ex == nil {
				continue
			}
			isCommon := typ == phonenumbers.FIXED_LINE || typ == phonenumbers.MOBILE
			e164 := phonenumbers.Format(ex, phonenumbers.E164)
			national := phonenumbers.Format(ex, phonenumbers.NATIONAL)
			intl := phonenumbers.Format(ex, phonenumbers.INTERNATIONAL)
			check(e164, "ZZ", isCommon)
			check(e164, r, false)
			check(national, r, isCommon)
			check(intl, "ZZ", false)
			check(resep(national), r, false)
			check(resep(intl), r, false)
			check("("+national+")", r, false)
			for i := 2; i < len(e164); i++ {
				d := byte('0' + rng.IntN(10))
				check(e164[:i]+string(d)+e164[i+1:], "ZZ", false)
				check(e164[:i]+e164[i+1:], "ZZ", false)
				check(e164[:i]+string(d)+e164[i:], "ZZ", false)
			}
			for i := 0; i < len(national); i++ {
				d := byte('0' + rng.IntN(10))
				check(national[:i]+string(d)+national[i+1:], r, false)
				check(national[:i]+national[i+1:], r, false)
			}
			// The number with its country code but no "+", and after
			// "00": the library reads these with rules fastPhone leaves
			// to it.
			check(e164[1:], r, false)
			check("00"+e164[1:], r, false)
		}
		cc := phonenumbers.GetCountryCodeForRegion(r)
		for range 40 {
			var b strings.Builder
			for range 5 + rng.IntN(10) {
				b.WriteByte(byte('0' + rng.IntN(10)))
			}
			check(b.String(), r, false)
			check("0"+b.String(), r, false)
			check(fmt.Sprintf("+%d%s", cc, b.String()), "ZZ", false)
			check(fmt.Sprintf("+%d 0%s", cc, b.String()), r, false)
		}
	}
	for cc := range phonenumbers.GetSupportedGlobalNetworkCallingCodes() {
		if ex := phonenumbers.GetExampleNumberForNonGeoEntity(cc); ex != nil {
			e164 := phonenumbers.Format(ex, phonenumbers.E164)
			check(e164, "ZZ", false)
			check(phonenumbers.Format(ex, phonenumbers.INTERNATIONAL), "ZZ", false)
			check(e164[:len(e164)-1], "ZZ", false)
		}
	}
	if commonClaimed < common*9/10 {
		t.Fatalf("fastPhone read %d of %d example fixed-line and mobile numbers in E.164 and national form; want 90%%", commonClaimed, common)
	}
	t.Logf("%d numbers compared, %d read by fastPhone; %d of %d example fixed-line and mobile numbers", checked, claimed, commonClaimed, common)
}

func FuzzFastPhone(f *testing.F) {
	for _, s := range []string{"+61412345678", "+61 (0) 412 345 678", "+12015550123", "+442079460958", "+80012345678",
		"+4917537649716", "+7 912 345 67 89", "+1 684 733 1234", "+590 690 00 12 34", "+999", "+39 06 1234 5678"} {
		f.Add(s, "ZZ")
	}
	f.Add("0412 345 678", "AU")
	f.Add("(02) 9374 4000", "AU")
	f.Add("0175 37649716", "DE")
	f.Add("(201) 555-0123", "US")
	f.Add("1 201 555 0123", "US")
	f.Add("011 44 20 7946 0958", "US")
	f.Add("06 1234 5678", "IT")
	f.Add("8 (912) 345-67-89", "RU")
	f.Add("044 668 1800", "MX")
	f.Fuzz(func(t *testing.T, s, region string) {
		region = strings.ToUpper(region)
		if !validRegion(region) {
			region = "ZZ"
		}
		checkFastPhone(t, s, region)
		// And the whole Parse: the fast path must not change an answer.
		p := PhoneNormalizer{DefaultRegion: region}
		if region == "ZZ" {
			p.DefaultRegion = ""
		}
		got, err := p.Parse(s)
		num, perr := phonenumbers.Parse(strings.TrimSpace(s), region)
		if err == nil && perr != nil && !strings.HasPrefix(strings.TrimSpace(s), "00") {
			t.Fatalf("Parse(%q, %s) = %s, phonenumbers fails: %v", s, region, got.E164, perr)
		}
		if err == nil && perr == nil && phonenumbers.IsValidNumber(num) {
			if want := phonenumbers.Format(num, phonenumbers.E164); got.E164 != want {
				t.Fatalf("Parse(%q, %s) = %s, phonenumbers reads %s", s, region, got.E164, want)
			}
		}
	})
}
