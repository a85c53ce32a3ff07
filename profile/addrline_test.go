package profile

import (
	"strings"
	"testing"
)

func TestCompleteAddresses(t *testing.T) {
	n := NewNormalizer(Options{})
	for _, tt := range []struct {
		line                                        string
		street, locality, region, postcode, country string
	}{
		{"12 High Street, London SW1A 1AA", "12 High Street", "London", "", "SW1A 1AA", ""},
		{"12 High St., London, SW1A 1AA", "12 High St.", "London", "", "SW1A 1AA", ""},
		{"123 Main St, Suite 1200, Springfield, IL 62704", "123 Main St, Suite 1200", "Springfield", "IL", "62704", ""},
		{"Hauptstraße 5, 10115 Berlin, Germany", "Hauptstraße 5", "Berlin", "", "10115", "DE"},
		{"5 rue de Rivoli, 75001 Paris", "5 rue de Rivoli", "Paris", "", "75001", ""},
		{"Damrak 1, 1012 LG Amsterdam", "Damrak 1", "Amsterdam", "", "1012 LG", ""},
		{"1 George St, Sydney NSW 2000, Australia", "1 George St", "Sydney", "NSW", "2000", "AU"},
		{"5 Park Rd, Leeds, LS1 2AB, UK", "5 Park Rd", "Leeds", "", "LS1 2AB", "GB"},
		{"1 King William St, Adelaide SA 5000", "1 King William St", "Adelaide", "SA", "5000", ""},
		{"1 King William St, Adelaide, SA", "1 King William St, Adelaide, SA", "", "", "", ""}, // SA: no country
		{"Flat 2\n5 Park Rd\nLeeds\nLS1 2AB", "Flat 2, 5 Park Rd", "Leeds", "", "LS1 2AB", ""},
		{"1600 Pennsylvania Ave NW, Washington, DC 20500, USA", "1600 Pennsylvania Ave NW", "Washington", "DC", "20500", "US"},
		{"10 Queen St W, Toronto, ON M5H 2N2", "10 Queen St W", "Toronto", "ON", "M5H 2N2", ""},
		// Left as they are: no postcode, state or country to anchor on, or a
		// number that is a house number or a unit.
		{"Flat 3, 12 High Street", "Flat 3, 12 High Street", "", "", "", ""},
		{"12 High Street, London", "12 High Street, London", "", "", "", ""},
		{"Unit 5, 1234 Main St", "Unit 5, 1234 Main St", "", "", "", ""},
		{"123 Main St, Suite 1200", "123 Main St, Suite 1200", "", "", "", ""},
		{"123 Main St, Los Angeles, CA", "123 Main St, Los Angeles, CA", "", "", "", ""},
		{"123 Peachtree St, Atlanta, Georgia", "123 Peachtree St, Atlanta, Georgia", "", "", "", ""},
		{"PO Box 1234, 2000", "PO Box 1234", "", "", "2000", ""},
		{"12 High Street", "12 High Street", "", "", "", ""},
	} {
		r := Record{}
		if err := n.Set(&r, FieldStreet, tt.line); err != nil {
			t.Fatalf("%q: %v", tt.line, err)
		}
		n.CompleteAddresses(&r)
		a := r.Addresses[0]
		got := [5]string{a.Street.Norm, a.Locality.Norm, a.Region.Norm, a.Postcode.Norm, a.Country.Norm}
		want := [5]string{tt.street, tt.locality, tt.region, tt.postcode, tt.country}
		if got != want {
			t.Errorf("%q:\n got %q\nwant %q", tt.line, got, want)
		}
	}
}

// TestCompleteAddressesKeepsSetParts checks that an address with a town or
// postcode of its own is left alone, and that a country already set
// decides the postcode's format.
func TestCompleteAddressesKeepsSetParts(t *testing.T) {
	n := NewNormalizer(Options{})
	var r Record
	mustSet(t, n, &r, FieldStreet, "12 High Street, London SW1A 1AA")
	mustSet(t, n, &r, FieldLocality, "Londres")
	n.CompleteAddresses(&r)
	if a := r.Addresses[0]; a.Street.Norm != "12 High Street, London SW1A 1AA" || a.Postcode.Norm != "" {
		t.Errorf("an address with a town was split: %+v", a)
	}
	var us Record
	mustSet(t, n, &us, FieldCountry, "US")
	mustSet(t, n, &us, FieldStreet, "1 Main St, Springfield, 1012 LG")
	n.CompleteAddresses(&us)
	if a := us.Addresses[0]; a.Postcode.Norm != "" {
		t.Errorf("a Dutch postcode read in a US address: %+v", a)
	}
}

// FuzzCompleteAddresses checks CompleteAddresses' invariants on any street
// line: it does not panic, a second call changes nothing, the street keeps
// the line's first part, every part it fills comes from the line, and
// parts already set stay.
func FuzzCompleteAddresses(f *testing.F) {
	for _, s := range []string{"12 High Street, London SW1A 1AA", "123 Main St, Suite 1200, Springfield, IL 62704",
		"Hauptstraße 5, 10115 Berlin, Germany", ",,,", "1, 2, 3", "a,b,SW1A 1AA", ", 2000", "x, Sydney NSW 2000, AUS"} {
		f.Add(s)
	}
	n := NewNormalizer(Options{})
	f.Fuzz(func(t *testing.T, line string) {
		var r Record
		if n.Set(&r, FieldStreet, line) != nil || len(r.Addresses) == 0 {
			return
		}
		n.CompleteAddresses(&r)
		once := r.Addresses[0]
		n.CompleteAddresses(&r)
		if r.Addresses[0] != once {
			t.Fatalf("%q: a second call changed %+v to %+v", line, once, r.Addresses[0])
		}
		first := line
		if i := strings.IndexAny(line, ",\n\r"); i >= 0 {
			first = line[:i]
		}
		if first = strings.TrimSpace(first); first != "" && !strings.HasPrefix(strings.TrimSpace(once.Street.Raw), first) {
			t.Fatalf("%q: street %q lost the first part %q", line, once.Street.Raw, first)
		}
		spaced := strings.Join(strings.Fields(strings.NewReplacer("\n", " ", "\r", " ").Replace(line)), " ")
		for _, p := range []Text{once.Locality, once.Region, once.Postcode, once.Country} {
			if p.Raw != "" && !strings.Contains(spaced, p.Raw) {
				t.Fatalf("%q: part %q is not from the line", line, p.Raw)
			}
		}
	})
}
