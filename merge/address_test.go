package merge

import (
	"testing"

	"github.com/unifyhq/unify/profile"
)

// addr normalizes an address as ingest would: street, locality, postcode,
// country.
func addr(t *testing.T, street, locality, postcode, country string) *profile.Address {
	t.Helper()
	n := profile.NewNormalizer(profile.Options{})
	r := &profile.Record{}
	for f, v := range map[profile.Field]string{profile.FieldStreet: street, profile.FieldLocality: locality, profile.FieldPostcode: postcode, profile.FieldCountry: country} {
		if v != "" {
			n.Set(r, f, v)
		}
	}
	if len(r.Addresses) != 1 {
		t.Fatalf("%q %q %q %q: %d addresses", street, locality, postcode, country, len(r.Addresses))
	}
	return &r.Addresses[0]
}

func TestSameAddress(t *testing.T) {
	type a [4]string
	tests := []struct {
		x, y a
		want bool
	}{
		// One address, written two ways (from the generator's sources).
		{a{"142 Main St.", "New Yor", "10443", "US"}, a{"142 Main Street", "New York", "10443", "US"}, true},
		{a{"Garten-Str. 23", "Berlin", "10417", "DE"}, a{"Gartenstrasse 23", "Berlin", "10417", "DE"}, true},
		{a{"Flat 12, 6 Beech St.", "Liverpool", "L17 8UX", "GB"}, a{"6 Beec hSt.", "Liverpool", "L17 8UX", "GB"}, true},
		{a{"UL. Kościuszki 1/71", "Łódź", "92-792", "PL"}, a{"Kościuszki 1 m. 71", "Lodz", "92-792", "PL"}, true},
		{a{"1184 Summit St, Apt. 2", "Denver", "80273", "US"}, a{"1184 Summit Street", "Denver", "80273", "US"}, true},
		{a{"4 Hill St.", "Columbus", "43201", "US"}, a{"4 Hill St, Suite 39C", "Colimbus", "43201", "US"}, true},
		{a{"BahnhofWeg4 3", "Frankfurt am Main", "60537", "DE"}, a{"Bahnhofweg 43", "Frankfurt am Main", "60537", "DE"}, true},
		{a{"1221 Franklin Rd", "LA", "90165", "US"}, a{"1221 Franklin Road", "Los Angeles", "90165", "US"}, true},
		{a{"P.zza Vittorio Emanuele II 51", "Genova", "16149", "IT"}, a{"piazza Vittorio Emanuele II, 51", "Genova", "16149", "IT"}, true},
		{a{"1548 Main St", "New York", "10280", "US"}, a{"", "", "10280-5290", "US"}, true},
		{a{"", "Bristol", "", ""}, a{"", "Bristo", "", ""}, true},
		// Different addresses.
		{a{"", "Bristol", "", ""}, a{"", "Bath", "", ""}, false},
		{a{"", "Bristol", "", ""}, a{"12 Main St", "Bristol", "", ""}, false}, // covers() joins these
		{a{"12 King's Road", "London", "E1 9UQ", "GB"}, a{"78 Meadow Ct", "London", "WC2H 8BS", "GB"}, false},
		{a{"5089 Washington Avenue", "St. Louis", "63152", "US"}, a{"5088 Washington Ave", "St. Louis", "63152", "US"}, false},
		{a{"12 Main St", "Springfield", "", "US"}, a{"14 Main St", "Springfield", "", "US"}, false},
		{a{"12 Main St", "Springfield", "", "US"}, a{"12 Main St", "Shelbyville", "", "US"}, false},
		{a{"12 Main St", "", "10001", "US"}, a{"12 Main St", "", "10002", "US"}, false},
		{a{"12 Main St", "", "", "US"}, a{"12 Main St", "", "", "CA"}, false},
		{a{"Main St", "", "10001", "US"}, a{"12 Main St", "", "10001", "US"}, false},
		{a{"12 Oak St", "", "10001", "US"}, a{"12 Elm St", "", "10001", "US"}, false},
		{a{"12 A St", "", "10001", "US"}, a{"12 B St", "", "10001", "US"}, false},
		{a{"9-29-12", "Tokyo", "", "JP"}, a{"9-29-13", "Tokyo", "", "JP"}, false},
		{a{"", "Sydney", "", "AU"}, a{"2/82 Bourke Pde", "Sydney", "", "AU"}, false}, // covers() joins these
		// A typo and a compound street type: the key splits "Dorfallee"
		// as it reads "Doef-Allee" ("dorf aly", "doef aly").
		{a{"Dorfallee 9a", "Berlin", "10351", "DE"}, a{"Doef-Allee 9a", "Berlin", "10351", "DE"}, true},
	}
	for _, tt := range tests {
		x, y := addr(t, tt.x[0], tt.x[1], tt.x[2], tt.x[3]), addr(t, tt.y[0], tt.y[1], tt.y[2], tt.y[3])
		if got := sameAddress(x, y); got != tt.want {
			t.Errorf("sameAddress(%q, %q) = %v, want %v (street keys %q, %q)", tt.x, tt.y, got, tt.want, x.Street.Key, y.Street.Key)
		}
		if got := sameAddress(y, x); got != tt.want {
			t.Errorf("sameAddress(%q, %q) reversed = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}
