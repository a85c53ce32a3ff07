package profile

import "testing"

// Per-normalizer benchmarks. Run with
//
//	go test -run '^$' -bench . -benchmem ./profile

var sinkText Text

func BenchmarkTextASCIIClean(b *testing.B) {
	var tn TextNormalizer
	b.ReportAllocs()
	for b.Loop() {
		sinkText = tn.Text("tullaroop street")
	}
}

func BenchmarkTextASCIIMessy(b *testing.B) {
	var tn TextNormalizer
	b.ReportAllocs()
	for b.Loop() {
		sinkText = tn.Text("  St. John's   WOOD ")
	}
}

func BenchmarkTextUnicode(b *testing.B) {
	var tn TextNormalizer
	b.ReportAllocs()
	for b.Loop() {
		sinkText = tn.Text("José Łukasz Müller-Straße")
	}
}

func BenchmarkNamePart(b *testing.B) {
	var p NameParser
	b.ReportAllocs()
	for b.Loop() {
		sinkText = p.Part("waller")
	}
}

func BenchmarkNameParse(b *testing.B) {
	var p NameParser
	b.ReportAllocs()
	for b.Loop() {
		sinkText = p.Parse("Dr. John A. Smith Jr.").Family
	}
}

func BenchmarkNicknamesEquivalent(b *testing.B) {
	nk := DefaultNicknames()
	b.ReportAllocs()
	for b.Loop() {
		if !nk.Equivalent("bob", "robert") {
			b.Fatal("not equivalent")
		}
	}
}

func BenchmarkEmail(b *testing.B) {
	e := EmailNormalizer{ProviderRules: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Parse("john.smith@example.com.au"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPhone(b *testing.B) {
	p := PhoneNormalizer{DefaultRegion: "AU"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Parse("0412 345 678"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDateYYYYMMDD(b *testing.B) {
	var p DateParser
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Parse("19081209"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDateNamedMonth(b *testing.B) {
	var p DateParser
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Parse("March 12, 1980"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStreet(b *testing.B) {
	var a AddressNormalizer
	b.ReportAllocs()
	for b.Loop() {
		sinkText = a.Street("giblin street")
	}
}

func BenchmarkPostcode(b *testing.B) {
	var a AddressNormalizer
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Postcode("sw1a 1aa", "GB"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCountry(b *testing.B) {
	var a AddressNormalizer
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Country("United Kingdom"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJunkClean(b *testing.B) {
	j := DefaultJunk()
	b.ReportAllocs()
	for b.Loop() {
		if j.IsJunk(FieldGivenName, "waller") {
			b.Fatal("junk")
		}
	}
}

func BenchmarkSetGivenName(b *testing.B) {
	n := NewNormalizer(Options{})
	b.ReportAllocs()
	for b.Loop() {
		var r Record
		_ = n.Set(&r, FieldGivenName, "lachlan")
	}
}

func BenchmarkSetBirthDate(b *testing.B) {
	n := NewNormalizer(Options{})
	b.ReportAllocs()
	for b.Loop() {
		var r Record
		_ = n.Set(&r, FieldBirthDate, "19990219")
	}
}

func BenchmarkSetPhone(b *testing.B) {
	n := NewNormalizer(Options{DefaultRegion: "AU"})
	b.ReportAllocs()
	for b.Loop() {
		var r Record
		_ = n.Set(&r, FieldPhone, "0412 345 678")
	}
}

func BenchmarkNormUnicode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = cleanText("José Łukasz Müller-Straße")
	}
}

func BenchmarkKeyUnicode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = textKey("José Łukasz Müller-Straße")
	}
}
