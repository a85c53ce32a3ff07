package profile

import (
	"errors"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestStreetKeys(t *testing.T) {
	var a AddressNormalizer
	tests := []struct{ in, norm, key string }{
		{"12 North Tullaroop Street", "12 North Tullaroop Street", "12 n tullaroop st"},
		{"12 N. Tullaroop St.", "12 N. Tullaroop St.", "12 n tullaroop st"},
		{"tullaroop street", "tullaroop street", "tullaroop st"},
		{"Park Avenue", "Park Avenue", "park ave"},
		{"PARK AV", "PARK AV", "park ave"},
		{"5th Boulevard", "5th Boulevard", "5th blvd"},
		{"Sunset Bvd", "Sunset Bvd", "sunset blvd"},
		{"Goldfinch Circuit", "Goldfinch Circuit", "goldfinch cct"},
		{"salkauskas crescent", "salkauskas crescent", "salkauskas cres"},
		{"Ocean Parade", "Ocean Parade", "ocean pde"},
		{"The Esplanade", "The Esplanade", "the esp"},
		{"Lilac Close", "Lilac Close", "lilac cl"},
		{"Victoria Terrace", "Victoria Terrace", "victoria tce"},
		{"Victoria Ter", "Victoria Ter", "victoria tce"},
		{"Elm Grove", "Elm Grove", "elm gr"},
		{"Elm Grv", "Elm Grv", "elm gr"},
		{"macquoid place", "macquoid place", "macquoid pl"},
		{"Pacific Highway", "Pacific Highway", "pacific hwy"},
		{"St James Street", "St James Street", "st james st"},
		{"Saint James St", "Saint James St", "st james st"},
		{"Cnr King and George Streets", "Cnr King and George Streets", "cor king and george sts"},
		{"Mount Street South-West", "Mount Street South-West", "mt st s w"},
		{"Straße des 17. Juni", "Straße des 17. Juni", "st des 17 juni"},
		// Compound street types of Germanic languages split off.
		{"Gartenstraße 23", "Gartenstraße 23", "garten st 23"},
		{"Garten-Str. 23", "Garten-Str. 23", "garten st 23"},
		{"GartenStr. 23", "GartenStr. 23", "garten st 23"},
		{"Lindenallee 4", "Lindenallee 4", "linden aly 4"},
		{"Linden-Allee 4", "Linden-Allee 4", "linden aly 4"},
		{"Kerkstraat 9", "Kerkstraat 9", "kerk st 9"},
		{"Storgatan 55", "Storgatan 55", "stor gata 55"},
		{"Storgata 55", "Storgata 55", "stor gata 55"},
		{"Sodervagen 18", "Sodervagen 18", "soder way 18"},
		{"Marktplatz 1", "Marktplatz 1", "markt pl 1"},
		// English words that end like those types stay whole.
		{"Elmstone Way", "Elmstone Way", "elmstone way"},
		{"Alabaster Road", "Alabaster Road", "alabaster rd"},
		// Street types of other languages.
		{"Avda del Prado, 27", "Avda del Prado, 27", "ave del prado 27"},
		{"Avenida del Prado 27", "Avenida del Prado 27", "ave del prado 27"},
		{"C/ Mayor, 40", "C/ Mayor, 40", "cl mayor 40"},
		{"Calle Mayor 40", "Calle Mayor 40", "cl mayor 40"},
		{"Pza. Gran Vía, 3", "Pza. Gran Vía, 3", "pl gran via 3"},
		{"Plaza Gran Via 3", "Plaza Gran Via 3", "pl gran via 3"},
		{"2 r. Pasteur", "2 r. Pasteur", "2 rue pasteur"},
		{"2, rue Pasteur", "2, rue Pasteur", "2 rue pasteur"},
		{"32 ch. de la République", "32 ch. de la République", "32 ch de la republique"},
		{"32 chemin de la République", "32 chemin de la République", "32 ch de la republique"},
		{"V. Roma, 22", "V. Roma, 22", "via roma 22"},
		{"P.za Garibaldi 11", "P.za Garibaldi 11", "pl garibaldi 11"},
		{"piazza Garibaldi 11", "piazza Garibaldi 11", "pl garibaldi 11"},
		{"C.so Milano 23", "C.so Milano 23", "corso milano 23"},
		{"ul. Mickiewicza 60/45", "ul. Mickiewicza 60/45", "ul mickiewicza 60 45"},
		{"ulica Mickiewicza 60/45", "ulica Mickiewicza 60/45", "ul mickiewicza 60 45"},
		{"al. Leśna 15", "al. Leśna 15", "aly lesna 15"},
		{"aleja Leśna 15", "aleja Leśna 15", "aly lesna 15"},
		// A lone letter is a street type only before the name.
		{"12 C Street", "12 C Street", "12 cl st"},
		{"Via Roma 22 C", "Via Roma 22 C", "via roma 22 c"},
		// "#" before a number is a unit.
		{"1 Walnut Ln, #32", "1 Walnut Ln, #32", "1 walnut ln unit 32"},
		{"1 Walnut Ln, # 32", "1 Walnut Ln, # 32", "1 walnut ln unit 32"},
		{"No. 5 #", "No. 5 #", "no 5"},
	}
	for _, tt := range tests {
		got := a.Street(tt.in)
		if got.Raw != tt.in || got.Norm != tt.norm || got.Key != tt.key {
			t.Errorf("Street(%q) = %+v, want norm %q key %q", tt.in, got, tt.norm, tt.key)
		}
	}
	for in, key := range map[string]string{
		"Apartment 4B": "apt 4b", "Apt. 4B": "apt 4b", "Suite 200": "ste 200", "Level 3": "lvl 3",
		"Flat 2": "flat 2", "Unit 7": "unit 7", "Building C, Floor 2": "bldg c fl 2", "kela": "kela",
	} {
		if got := a.Line2(in).Key; got != key {
			t.Errorf("Line2(%q).Key = %q, want %q", in, got, key)
		}
	}
	for in, key := range map[string]string{"Mount Lawley": "mt lawley", "St Kilda": "st kilda", "Saint Kilda": "st kilda",
		"Fort Worth": "ft worth", "winston hills": "winston hills", "Port Melbourne": "port melbourne"} {
		if got := a.Locality(in).Key; got != key {
			t.Errorf("Locality(%q).Key = %q, want %q", in, got, key)
		}
	}
	for in, key := range map[string]string{"12A": "12a", "12 a": "12a", "12-14": "12 14", " 7 ": "7", "Lot 5": "lot5"} {
		if got := a.HouseNumber(in).Key; got != key {
			t.Errorf("HouseNumber(%q).Key = %q, want %q", in, got, key)
		}
	}
	for in, key := range map[string]string{"New South Wales": "nsw", "NSW": "nsw", "nsw": "nsw", "California": "ca",
		"Western Australia": "wa", "Québec": "qc", "Bavaria": "bavaria", "N.S.W.": "nsw", "N. S. W.": "nsw",
		"A.C.T": "act", "a b": "ab", "Nord-Pas de Calais": "nord pas de calais", "N": "n"} {
		if got := a.Region(in).Key; got != key {
			t.Errorf("Region(%q).Key = %q, want %q", in, got, key)
		}
	}
}

func TestPostcode(t *testing.T) {
	var a AddressNormalizer
	tests := []struct {
		country, in, norm, key, bad string
	}{
		{"US", "12345", "12345", "12345", ""},
		{"US", "12345-6789", "12345-6789", "123456789", ""},
		{"us", "123456789", "12345-6789", "123456789", ""},
		{"US", "12345 6789", "12345-6789", "123456789", ""},
		{"US", "2134", "", "", "5 or 9 digits"},
		{"GB", "sw1a1aa", "SW1A 1AA", "sw1a1aa", ""},
		{"GB", "SW1A  1AA", "SW1A 1AA", "sw1a1aa", ""},
		{"GB", "m1 1ae", "M1 1AE", "m11ae", ""},
		{"GB", "B33 8TH", "B33 8TH", "b338th", ""},
		{"GB", "CR2 6XH", "CR2 6XH", "cr26xh", ""},
		{"GB", "DN55 1PT", "DN55 1PT", "dn551pt", ""},
		{"GB", "W1A 0AX", "W1A 0AX", "w1a0ax", ""},
		{"GB", "EC1A 1BB", "EC1A 1BB", "ec1a1bb", ""},
		{"GB", "GIR 0AA", "GIR 0AA", "gir0aa", ""},
		{"GB", "12345", "", "", "not a UK postcode"},
		{"AU", "0800", "0800", "0800", ""},
		{"AU", "4011", "4011", "4011", ""},
		{"AU", "800", "", "", "4 digits"},
		{"CA", "k1a0b1", "K1A 0B1", "k1a0b1", ""},
		{"CA", "K1A-0B1", "K1A 0B1", "k1a0b1", ""},
		{"CA", "1A1 A1A", "", "", "letter-digit-letter"},
		{"NL", "1234ab", "1234 AB", "1234ab", ""},
		{"SE", "11434", "114 34", "11434", ""},
		{"PL", "00-950", "00-950", "00950", ""},
		{"JP", "100-0001", "100-0001", "1000001", ""},
		{"BR", "01310-100", "01310-100", "01310100", ""},
		{"DE", "01067", "01067", "01067", ""},
		{"DE", "1067", "", "", "5 digits"},
		{"IE", "a65f4e2", "A65 F4E2", "a65f4e2", ""},
		{"", "sw1a 1aa", "SW1A 1AA", "sw1a1aa", ""},
		{"", "4011", "4011", "4011", ""},
		{"", "  k1a  0b1 ", "K1A 0B1", "k1a0b1", ""},
		{"FJ", "anything-goes", "ANYTHING-GOES", "anythinggoes", ""},
	}
	for _, tt := range tests {
		got, err := a.Postcode(tt.in, tt.country)
		if tt.bad != "" {
			if !errors.Is(err, ErrInvalidPostcode) || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.bad) {
				t.Errorf("Postcode(%q, %q) error = %v, want %q", tt.in, tt.country, err, tt.bad)
			}
			if got.Norm != "" || got.Raw != tt.in {
				t.Errorf("Postcode(%q, %q) = %+v", tt.in, tt.country, got)
			}
			continue
		}
		if err != nil || got.Norm != tt.norm || got.Key != tt.key || got.Raw != tt.in {
			t.Errorf("Postcode(%q, %q) = %+v, %v; want %q %q", tt.in, tt.country, got, err, tt.norm, tt.key)
		}
	}
}

func TestCountry(t *testing.T) {
	var a AddressNormalizer
	for in, want := range map[string]string{
		"AU": "AU", "au": "AU", "AUS": "AU", "Australia": "AU", "australia ": "AU",
		"UK": "GB", "U.K.": "GB", "Great Britain": "GB", "England": "GB", "United Kingdom": "GB", "GBR": "GB",
		"USA": "US", "U.S.A.": "US", "United States of America": "US", "the United States": "US",
		"Deutschland": "DE", "Germany": "DE", "Österreich": "AT", "Oesterreich": "AT", "The Netherlands": "NL",
		"Holland": "NL", "South Korea": "KR", "Korea, Republic of": "KR", "Côte d'Ivoire": "CI",
		"Cote dIvoire": "CI", "Ivory Coast": "CI", "Türkiye": "TR", "Turkey": "TR", "Россия": "RU", "中国": "CN",
		"España": "ES", "Viet Nam": "VN", "Vietnam": "VN", "Czech Republic": "CZ", "Bosnia-Herzegovina": "BA",
	} {
		got, err := a.Country(in)
		if err != nil || got.Norm != want || got.Key != strings.ToLower(want) || got.Raw != in {
			t.Errorf("Country(%q) = %+v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"Atlantis", "XX", "Europe", "Earth"} {
		got, err := a.Country(in)
		if !errors.Is(err, ErrInvalidCountry) || !errors.Is(err, ErrInvalid) || got.Norm != "" || got.Raw != in {
			t.Errorf("Country(%q) = %+v, %v; want ErrInvalidCountry", in, got, err)
		}
	}
	if n := len(Countries()); n != 249 {
		t.Errorf("Countries() has %d entries, want the 249 of ISO 3166-1", n)
	}
	// Every code and name in the table maps back to its own alpha-2 code.
	for _, c := range Countries() {
		for _, s := range []string{c.Alpha2, c.Alpha3, c.Name, strings.ToLower(c.Name)} {
			if got, ok := LookupCountry(s); !ok || got != c.Alpha2 {
				t.Errorf("LookupCountry(%q) = %q, %v; want %s", s, got, ok, c.Alpha2)
			}
		}
	}
}

func TestAddressWordTables(t *testing.T) {
	// Every abbreviation maps to itself, so keys are idempotent.
	for _, table := range []map[string]string{streetWords, localityWords} {
		for w, a := range table {
			if table[a] != a {
				t.Errorf("%q -> %q, but %q -> %q", w, a, a, table[a])
			}
		}
	}
}

func TestAddressProperties(t *testing.T) {
	var a AddressNormalizer
	words := []string{"12", "North", "Street", "st", "St.", "Saint", "Avenue", "apt", "Level", "  ", "-", "Ł", "José", "ß", ",", "Crescent"}
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(rapid.String(), rapid.Custom(func(t *rapid.T) string {
			return strings.Join(rapid.SliceOfN(rapid.SampledFrom(words), 0, 6).Draw(t, "w"), " ")
		})).Draw(t, "addr")
		for name, fn := range map[string]func(string) Text{"Street": a.Street, "Line2": a.Line2, "Locality": a.Locality,
			"Region": a.Region, "HouseNumber": a.HouseNumber} {
			x := fn(s)
			if y := fn(x.Norm); y.Norm != x.Norm || y.Key != x.Key {
				t.Fatalf("%s not idempotent: %q -> %+v -> %+v", name, s, x, y)
			}
			if x.Raw != s || (x.Norm == "") != (cleanText(s) == "") {
				t.Fatalf("%s(%q) = %+v", name, s, x)
			}
		}
		country := rapid.SampledFrom([]string{"", "US", "GB", "CA", "AU", "NL", "SE", "IE", "JP", "FR"}).Draw(t, "country")
		checkPostcodeInvariants(t, s, country)
	})
}

func checkPostcodeInvariants(t interface{ Fatalf(string, ...any) }, s, country string) {
	var a AddressNormalizer
	p, err := a.Postcode(s, country)
	if err != nil {
		if p.Norm != "" || !errors.Is(err, ErrInvalidPostcode) {
			t.Fatalf("Postcode(%q, %q) = %+v, %v", s, country, p, err)
		}
		return
	}
	q, err := a.Postcode(p.Norm, country)
	if err != nil || q.Norm != p.Norm || q.Key != p.Key {
		t.Fatalf("Postcode not idempotent: %q -> %+v -> %+v, %v", s, p, q, err)
	}
	if country != "" && p.Norm != "" {
		// Formatting for the country never changes the key.
		r, _ := a.Postcode(s, "")
		if r.Key != p.Key {
			t.Fatalf("key of %q depends on country: %q vs %q", s, p.Key, r.Key)
		}
	}
}

func FuzzPostcode(f *testing.F) {
	for _, s := range []string{"SW1A 1AA", "12345-6789", "K1A 0B1", "0800", "1234 AB", "GIR0AA", "-", "ü"} {
		f.Add(s, "GB")
	}
	f.Fuzz(func(t *testing.T, s, country string) {
		checkPostcodeInvariants(t, s, country)
	})
}

// checkStreetInvariants: a street's key is a function of its display form
// (so normalizing the display form again gives the same key), has single
// spaces between words, and is empty when the display form is.
func checkStreetInvariants(t interface{ Fatalf(string, ...any) }, s string) {
	var a AddressNormalizer
	for name, fn := range map[string]func(string) Text{"Street": a.Street, "Line2": a.Line2} {
		x := fn(s)
		if x.Raw != s {
			t.Fatalf("%s(%q).Raw = %q", name, s, x.Raw)
		}
		if y := fn(x.Norm); y.Key != x.Key || y.Norm != x.Norm {
			t.Fatalf("%s not idempotent: %q -> %+v -> %+v", name, s, x, y)
		}
		if x.Key != "" && (strings.Contains(x.Key, "  ") || x.Key[0] == ' ' || x.Key[len(x.Key)-1] == ' ') {
			t.Fatalf("%s(%q).Key = %q has stray spaces", name, s, x.Key)
		}
		if x.Norm == "" && x.Key != "" {
			t.Fatalf("%s(%q): key %q without a display form", name, s, x.Key)
		}
	}
}

func TestStreetKeyProperties(t *testing.T) {
	words := []string{"12", "4b", "#", "#3", "C/", "r.", "V.", "P.za", "C.so", "Gartenstraße", "Garten-Str.", "str",
		"Storgatan", "Allee", "Building", "C", "Flat", "Apt", "Avda", "de", "la", "Mayor", "St", "Saint", "ß", "-", ",",
		"丁目", "Sakae", "ü"}
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(rapid.String(), rapid.Custom(func(t *rapid.T) string {
			return strings.Join(rapid.SliceOfN(rapid.SampledFrom(words), 0, 7).Draw(t, "w"), rapid.SampledFrom([]string{" ", "", ", "}).Draw(t, "sep"))
		})).Draw(t, "street")
		checkStreetInvariants(t, s)
	})
}

func FuzzStreetKey(f *testing.F) {
	for _, s := range []string{"Gartenstraße 23", "C/ Mayor, 40", "P.za Garibaldi 11", "1 Walnut Ln, #32", "# 4",
		"12 C Street", "Building C, Floor 2", "Sakae 6-丁目 5-16", "strstr", "c", "p za", "#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkStreetInvariants(t, s) })
}
