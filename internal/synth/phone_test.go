package synth

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestPhoneRanges checks every number range the generator draws from
// against libphonenumber: each landline area with each allowed lead digit,
// and each mobile prefix, completed with random digits, must be a valid
// number for its country.
func TestPhoneRanges(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	valid := func(c *country, nsn string) bool {
		num, err := phonenumbers.Parse("+"+c.cc+nsn, "")
		return err == nil && phonenumbers.IsValidNumberForRegion(num, c.code)
	}
	complete := func(prefix string, n int) string {
		b := []byte(prefix)
		for len(b) < n {
			b = append(b, byte('0'+r.IntN(10)))
		}
		return string(b)
	}
	for _, c := range countries {
		for _, ct := range c.cities {
			for i, a := range ct.areas {
				for _, lead := range []byte(ct.leads[i]) {
					for range 5 {
						nsn := complete(a+string(lead), ct.areaLen)
						if !valid(c, nsn) && (c.cc != "1" || !strings.HasSuffix(nsn[:6], "11") && nsn[3:6] != "555") {
							t.Errorf("%s %s: landline %s (area %s, lead %c) not valid", c.code, ct.name, nsn, a, lead)
						}
					}
				}
			}
		}
		for _, m := range c.mobile {
			for range 5 {
				if nsn := complete(m, c.mobileLen); !valid(c, nsn) {
					t.Errorf("%s: mobile %s (prefix %s) not valid", c.code, nsn, m)
				}
			}
		}
	}
}

// TestPhoneFormats: numbers handed out by the numbering, in every display
// style, parse back (with the country as default region) to the same
// national number, valid for the country.
func TestPhoneFormats(t *testing.T) {
	n := newNumbering(42)
	per := 30
	if testing.Short() || raceEnabled {
		per = 6
	}
	seen := map[string]bool{}
	for _, c := range countries {
		for _, ct := range c.cities {
			for i := range per {
				p := n.landline(ct)
				if i%2 == 1 {
					p = n.mobile(c, ct)
				}
				if seen[c.cc+p.nsn] {
					t.Fatalf("%s: number %s handed out twice", c.code, p.nsn)
				}
				seen[c.cc+p.nsn] = true
				for st := range numPhoneStyles {
					s := string(p.format(nil, st))
					num, err := phonenumbers.Parse(s, c.code)
					if err != nil {
						t.Fatalf("%s %s style %d: %q: %v", c.code, ct.name, st, s, err)
					}
					if !phonenumbers.IsValidNumberForRegion(num, c.code) {
						t.Fatalf("%s %s mobile=%v style %d: %q (nsn %s) not valid", c.code, ct.name, p.mobile, st, s, p.nsn)
					}
					if nat := phonenumbers.GetNationalSignificantNumber(num); nat != p.nsn {
						t.Fatalf("%s style %d: %q parsed to %s, want %s", c.code, st, s, nat, p.nsn)
					}
					if strings.ContainsAny(s, "\n,") {
						t.Fatalf("%q has a separator", s)
					}
				}
			}
		}
	}
}
