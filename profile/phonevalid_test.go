package profile

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// checkValidPhoneAgrees parses s in region and compares validPhone with
// phonenumbers.IsValidNumber, the implementation it replaces.
func checkValidPhoneAgrees(t testing.TB, s, region string) {
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		return
	}
	if got, want := validPhone(num), phonenumbers.IsValidNumber(num); got != want {
		t.Fatalf("validPhone(%q in %s = +%d %s) = %v, IsValidNumber = %v", s, region,
			num.GetCountryCode(), phonenumbers.GetNationalSignificantNumber(num), got, want)
	}
}

// supportedRegions returns the regions phonenumbers supports, sorted.
func supportedRegions() []string {
	return slices.Sorted(func(yield func(string) bool) {
		for r := range phonenumbers.GetSupportedRegions() {
			if !yield(r) {
				return
			}
		}
	})
}

// phoneTypes are the number types phonenumbers has example numbers of.
var phoneTypes = []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
	phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER,
	phonenumbers.PAGER, phonenumbers.UAN, phonenumbers.VOICEMAIL}

// TestValidPhoneAgrees compares validPhone with IsValidNumber on every
// region's example numbers of every type, and on variations of them: each
// digit changed, a digit dropped or added, and random digit strings, so
// that invalid numbers of every region are covered too.
func TestValidPhoneAgrees(t *testing.T) {
	regions, types := supportedRegions(), phoneTypes
	rng := rand.New(rand.NewPCG(1, 2))
	checked, valid := 0, 0
	check := func(s, region string) {
		checked++
		checkValidPhoneAgrees(t, s, region)
		if num, err := phonenumbers.Parse(s, region); err == nil && phonenumbers.IsValidNumber(num) {
			valid++
		}
	}
	for _, r := range regions {
		for _, typ := range types {
			ex := phonenumbers.GetExampleNumberForType(r, typ)
			if ex == nil {
				continue
			}
			e164 := phonenumbers.Format(ex, phonenumbers.E164)
			check(e164, "ZZ")
			check(phonenumbers.Format(ex, phonenumbers.NATIONAL), r)
			for i := 2; i < len(e164); i++ {
				d := byte('0' + rng.IntN(10))
				check(e164[:i]+string(d)+e164[i+1:], "ZZ")
				check(e164[:i]+e164[i+1:], "ZZ")
				check(e164[:i]+string(d)+e164[i:], "ZZ")
			}
		}
		for range 20 {
			var b strings.Builder
			for range 6 + rng.IntN(8) {
				b.WriteByte(byte('0' + rng.IntN(10)))
			}
			check(b.String(), r)
			check(fmt.Sprintf("+%d%s", phonenumbers.GetCountryCodeForRegion(r), b.String()), "ZZ")
		}
	}
	// Non-geographic numbers (+800, +882, ...).
	for cc := range phonenumbers.GetSupportedGlobalNetworkCallingCodes() {
		if ex := phonenumbers.GetExampleNumberForNonGeoEntity(cc); ex != nil {
			e164 := phonenumbers.Format(ex, phonenumbers.E164)
			check(e164, "ZZ")
			check(e164[:len(e164)-1], "ZZ")
		}
	}
	if valid < checked/10 {
		t.Fatalf("only %d of %d numbers valid: the comparison covers too few valid numbers", valid, checked)
	}
	t.Logf("%d numbers compared, %d valid", checked, valid)
}

func FuzzValidPhone(f *testing.F) {
	for _, s := range []string{"+61412345678", "+12015550123", "+442079460958", "+80012345678", "+4917537649716",
		"+7 912 345 67 89", "+1 684 733 1234", "+590 690 00 12 34", "0412 345 678", "+999"} {
		f.Add(s, "ZZ")
	}
	f.Add("0175 37649716", "DE")
	f.Add("(201) 555-0123", "US")
	f.Fuzz(func(t *testing.T, s, region string) {
		if !validRegion(region) {
			region = "ZZ"
		}
		checkValidPhoneAgrees(t, s, strings.ToUpper(region))
	})
}
