package profile

import (
	"errors"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestPhoneParse(t *testing.T) {
	tests := []struct {
		region, in, want string
		bad              string
	}{
		{"AU", "0412 345 678", "+61412345678", ""},
		{"AU", "(02) 9876 5432", "+61298765432", ""},
		{"AU", "+61 412 345 678", "+61412345678", ""},
		{"AU", "0011 44 20 7946 0958", "+442079460958", ""},
		// "00" is not Australia's international prefix, but a number no
		// Australian range holds is read as international.
		{"AU", "0044 20 7946 0958", "+442079460958", ""},
		{"AU", "0049 820 681", "+49820681", ""},
		{"AU", "0012", "", "assigned range"},
		{"", "+61 412 345 678", "+61412345678", ""},
		{"", "0061 412 345 678", "+61412345678", ""},
		{"US", "(201) 555-0123", "+12015550123", ""},
		{"US", "201.555.0123 ext. 45", "+12015550123", ""},
		{"us", "1-201-555-0123", "+12015550123", ""},
		{"GB", "020 7946 0958", "+442079460958", ""},
		{"GB", "07912 345678", "+447912345678", ""},
		{"GB", "07700 900123", "", "assigned range"}, // Ofcom's range for drama: never assigned
		{"GB", "+44 (0)20 7946 0958", "+442079460958", ""},
		{"DE", "030 1234567", "+49301234567", ""},
		{"", "0412 345 678", "", "no country code"},
		{"AU", "12", "", "assigned range"},
		{"AU", "hello", "", "invalid phone"},
		{"US", "555-0123", "", "assigned range"},
		{"DE", "20100000000000", "", "15 digits"},
		{"", "+999 1234 5678", "", "invalid phone"},
	}
	for _, tt := range tests {
		t.Run(tt.region+" "+tt.in, func(t *testing.T) {
			p, err := PhoneNormalizer{DefaultRegion: tt.region}.Parse(tt.in)
			if p.Raw != tt.in {
				t.Errorf("Raw = %q", p.Raw)
			}
			if tt.bad != "" {
				if !errors.Is(err, ErrInvalidPhone) || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.bad) {
					t.Errorf("err = %v, want ErrInvalidPhone with %q", err, tt.bad)
				}
				if p.E164 != "" {
					t.Errorf("invalid number got E164 %q", p.E164)
				}
				return
			}
			if err != nil || p.E164 != tt.want {
				t.Errorf("Parse = %+v, %v; want %q", p, err, tt.want)
			}
		})
	}
}

var phoneRegions = []string{"", "AU", "US", "GB", "DE", "FR", "IN", "JP", "BR", "NZ"}

func phoneString() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.StringOfN(rapid.RuneFrom([]rune("0123456789")), 6, 14, -1),
		rapid.Custom(func(t *rapid.T) string {
			prefix := rapid.SampledFrom([]string{"", "+", "0", "00", "+61 4", "04", "+1 ", "(0", "+44 7"}).Draw(t, "prefix")
			digits := rapid.StringOfN(rapid.RuneFrom([]rune("0123456789 -()")), 4, 16, -1).Draw(t, "digits")
			return prefix + digits
		}),
	)
}

// E.164 output re-parses to itself, from any region, and is well formed.
func TestPhoneE164Reparses(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		region := rapid.SampledFrom(phoneRegions).Draw(t, "region")
		s := phoneString().Draw(t, "phone")
		checkPhoneInvariants(t, region, s)
	})
}

func checkPhoneInvariants(t interface{ Fatalf(string, ...any) }, region, s string) {
	p, err := PhoneNormalizer{DefaultRegion: region}.Parse(s)
	if err != nil {
		if p.E164 != "" || !errors.Is(err, ErrInvalidPhone) {
			t.Fatalf("Parse(%q) = %+v, %v", s, p, err)
		}
		return
	}
	if len(p.E164) < 3 || len(p.E164) > 16 || p.E164[0] != '+' || !allDigits(p.E164[1:]) {
		t.Fatalf("Parse(%q) gave malformed E.164 %q", s, p.E164)
	}
	for _, r := range phoneRegions {
		again, err := PhoneNormalizer{DefaultRegion: r}.Parse(p.E164)
		if err != nil || again.E164 != p.E164 {
			t.Fatalf("E.164 %q (from %q, region %q) re-parsed with region %q to %+v, %v", p.E164, s, region, r, again, err)
		}
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"0412 345 678", "+61412345678", "(201) 555-0123", "+44 (0)20 7946 0958", "1-800-FLOWERS",
		"00", "+", "++1", "0011 44 20 7946 0958", "201.555.0123 x45", "\uff0b61 412 345 678", "٠٤١٢٣٤٥٦٧٨"} {
		f.Add(s, "AU")
	}
	f.Fuzz(func(t *testing.T, s, region string) {
		if !validRegion(region) {
			region = ""
		}
		checkPhoneInvariants(t, region, s)
	})
}

func TestPhoneNoRegion(t *testing.T) {
	_, err := PhoneNormalizer{}.Parse("(201) 555-0123")
	for _, target := range []error{ErrPhoneNoRegion, ErrInvalidPhone, ErrInvalid} {
		if !errors.Is(err, target) {
			t.Errorf("national number without a region: %v does not match %v", err, target)
		}
	}
	// A number with a country code that is not valid is another reason.
	if _, err := (PhoneNormalizer{DefaultRegion: "US"}).Parse("+1 000 000 0000"); !errors.Is(err, ErrInvalidPhone) || errors.Is(err, ErrPhoneNoRegion) {
		t.Errorf("invalid number: %v", err)
	}
	if errors.Is(ErrInvalidPhone, ErrPhoneNoRegion) || errors.Is(ErrInvalidDate, ErrPhoneNoRegion) {
		t.Errorf("the family matches its narrower reason")
	}
}
