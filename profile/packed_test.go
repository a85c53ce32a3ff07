package profile

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// genText draws a text whose normalized forms are often, but not always,
// equal to the raw one: the cases Pack stores once.
func genText(t *rapid.T, label string) Text {
	pick := func(l string, prev string) string {
		switch rapid.IntRange(0, 3).Draw(t, l) {
		case 0:
			return ""
		case 1:
			return prev
		default:
			return rapid.StringN(0, 12, -1).Draw(t, l+"s")
		}
	}
	if !rapid.Bool().Draw(t, label) {
		return Text{}
	}
	raw := rapid.StringN(0, 12, -1).Draw(t, label+".raw")
	norm := pick(label+".norm", raw)
	return Text{Raw: raw, Norm: norm, Key: pick(label+".key", norm)}
}

func genTime(t *rapid.T) time.Time {
	if rapid.IntRange(0, 4).Draw(t, "zero") == 0 {
		return time.Time{}
	}
	sec := rapid.Int64Range(-1<<40, 1<<40).Draw(t, "sec")
	nsec := rapid.Int64Range(0, 999_999_999).Draw(t, "nsec")
	tm := time.Unix(sec, nsec)
	switch rapid.IntRange(0, 3).Draw(t, "zone") {
	case 0:
		return tm.UTC()
	case 1:
		return tm.Local()
	case 2:
		return tm.In(time.FixedZone("", rapid.IntRange(-14*3600, 14*3600).Draw(t, "off")))
	}
	return tm.In(time.FixedZone("", 0))
}

func genRecord(t *rapid.T) *Record {
	r := &Record{
		Source:   rapid.StringN(1, 8, -1).Draw(t, "source"),
		Key:      rapid.StringN(1, 8, -1).Draw(t, "key"),
		Observed: genTime(t),
		Name: Name{
			Full: genText(t, "full"), Honorific: genText(t, "hon"), Given: genText(t, "given"),
			Middle: genText(t, "middle"), Family: genText(t, "family"), Suffix: genText(t, "suffix"),
		},
		Gender: genText(t, "gender"),
	}
	str := func(l string) string { return rapid.StringN(0, 10, -1).Draw(t, l) }
	for i := range rapid.IntRange(0, 3).Draw(t, "emails") {
		raw := str(fmt.Sprint("email", i))
		addr := rapid.SampledFrom([]string{"", raw, str(fmt.Sprint("addr", i))}).Draw(t, "a")
		r.Emails = append(r.Emails, Email{Raw: raw, Address: addr,
			Canonical: rapid.SampledFrom([]string{"", addr, str(fmt.Sprint("canon", i))}).Draw(t, "c")})
	}
	for i := range rapid.IntRange(0, 3).Draw(t, "phones") {
		raw := str(fmt.Sprint("phone", i))
		r.Phones = append(r.Phones, Phone{Raw: raw, E164: rapid.SampledFrom([]string{"", raw, "+61412345678"}).Draw(t, "e")})
	}
	for i := range rapid.IntRange(0, 2).Draw(t, "addrs") {
		l := fmt.Sprint("addr", i)
		r.Addresses = append(r.Addresses, Address{
			HouseNumber: genText(t, l+"house"), Street: genText(t, l+"street"), Line2: genText(t, l+"line2"),
			Locality: genText(t, l+"loc"), Region: genText(t, l+"region"), Postcode: genText(t, l+"pc"),
			Country: genText(t, l+"country"),
		})
	}
	if rapid.Bool().Draw(t, "dob") {
		r.BirthDate = DateValue{Raw: str("dobraw"), Date: Date{
			Year: rapid.IntRange(-3000, 3000).Draw(t, "y"), Month: rapid.IntRange(0, 12).Draw(t, "m"), Day: rapid.IntRange(0, 31).Draw(t, "d"),
		}}
	}
	for i := range rapid.IntRange(0, 3).Draw(t, "ids") {
		raw := str(fmt.Sprint("idraw", i))
		r.IDs = append(r.IDs, Identifier{Type: str(fmt.Sprint("idtype", i)), Raw: raw,
			Value: rapid.SampledFrom([]string{"", raw, "x" + raw}).Draw(t, "v")})
	}
	for i := range rapid.IntRange(0, 2).Draw(t, "consents") {
		r.Consents = append(r.Consents, Consent{Purpose: str(fmt.Sprint("purpose", i)), Raw: str(fmt.Sprint("craw", i)),
			Granted: rapid.Bool().Draw(t, "g"), Known: rapid.Bool().Draw(t, "k")})
	}
	if n := rapid.IntRange(0, 3).Draw(t, "attrs"); n > 0 {
		r.Attrs = map[string]string{}
		for i := range n {
			r.Attrs[str(fmt.Sprint("attrk", i))] = str(fmt.Sprint("attrv", i))
		}
	}
	return r
}

// recordsEqual compares records as Pack promises to keep them: empty and
// nil slices alike, times by instant and zone offset.
func recordsDiff(want, got *Record) string {
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		return d
	}
	_, wo := want.Observed.Zone()
	_, go_ := got.Observed.Zone()
	if wo != go_ {
		return fmt.Sprintf("observed zone offset %d, want %d", go_, wo)
	}
	return ""
}

func TestPackRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRecord(t)
		before := r.Clone()
		p := Pack(r)
		if d := recordsDiff(before, r); d != "" {
			t.Fatalf("Pack changed its input (-before +after):\n%s", d)
		}
		got := p.Record()
		if d := recordsDiff(r, got); d != "" {
			t.Fatalf("Record() differs from the packed record (-want +got):\n%s", d)
		}
		if p.Ref() != r.Ref() {
			t.Fatalf("Ref() = %v, want %v", p.Ref(), r.Ref())
		}
		if !p.Observed().Equal(r.Observed) || p.Observed().IsZero() != r.Observed.IsZero() {
			t.Fatalf("Observed() = %v, want %v", p.Observed(), r.Observed)
		}
		if Pack(got) != p {
			t.Fatalf("packing the unpacked record gives another string")
		}
		// Decode into a record that held another: nothing of it remains.
		dirty := genRecord(t)
		Pack(dirty).Decode(dirty)
		p.Decode(dirty)
		if d := recordsDiff(r, dirty); d != "" {
			t.Fatalf("Decode into a used record (-want +got):\n%s", d)
		}
	})
}

// TestPackNormalized packs records the normalizer made from the examples'
// raw values, where most normalized forms equal the raw ones.
func TestPackNormalized(t *testing.T) {
	n := NewNormalizer(Options{DefaultRegion: "AU"})
	rows := []map[Field]string{
		{FieldFullName: "Dr. José  María O'Neil-Smith Jr", FieldEmail: "Jose.Maria+news@GoogleMail.com", FieldPhone: "0412 345 678", FieldBirthDate: "3/12/1980", FieldStreet: "12 Main St", FieldLocality: "Sydney", FieldPostcode: "2000", FieldCountry: "Australia"},
		{FieldGivenName: "渡辺", FieldFamilyName: "達也", FieldPhone: "N/A", Field("id:loyalty"): "LX-77", Field("attr:tier"): "gold", Field("consent:email"): "yes"},
		{FieldEmail: "not an email", FieldGender: "F"},
	}
	for i, row := range rows {
		r := &Record{Source: "s", Key: fmt.Sprint(i), Observed: time.Date(2024, 2, 29, 10, 0, 0, 0, time.FixedZone("IST", 19800))}
		for f, v := range row {
			n.Set(r, f, v)
		}
		p := Pack(r)
		if d := recordsDiff(r, p.Record()); d != "" {
			t.Errorf("row %d (-want +got):\n%s", i, d)
		}
	}
}

func TestPackZero(t *testing.T) {
	var p Packed
	if !p.IsZero() || p.Record() != nil || p.Ref() != (Ref{}) || !p.Observed().IsZero() || !Pack(nil).IsZero() {
		t.Fatal("the zero Packed is not empty")
	}
	r := &Record{Source: "a", Key: "1", Emails: []Email{{Raw: "x"}}}
	p.Decode(r)
	if d := cmp.Diff(&Record{}, r, cmpopts.EquateEmpty()); d != "" {
		t.Fatalf("decoding the zero Packed left (-want +got):\n%s", d)
	}
	if Pack(&Record{Source: "a", Key: "1"}).IsZero() {
		t.Fatal("a record with a reference packs to the zero Packed")
	}
}

// TestPackedReadsDoNotAllocate holds the hot paths' promise: the merge
// graph reads references and times from packed records millions of times.
func TestPackedReadsDoNotAllocate(t *testing.T) {
	p := Pack(&Record{Source: "crm", Key: "42", Observed: time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("", 3600)),
		Name: Name{Given: Text{Raw: "Ann", Norm: "Ann", Key: "ann"}}, Emails: []Email{{Raw: "a@b.c", Address: "a@b.c", Canonical: "a@b.c"}}})
	p.Observed() // caches the zone
	var r Record
	p.Decode(&r)
	if n := testing.AllocsPerRun(100, func() { _, _ = p.Ref(), p.Observed() }); n != 0 {
		t.Errorf("Ref and Observed: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { p.Decode(&r) }); n != 0 {
		t.Errorf("Decode into a record with room: %v allocations, want 0", n)
	}
}

func BenchmarkPack(b *testing.B) {
	n := NewNormalizer(Options{DefaultRegion: "AU"})
	r := &Record{Source: "crm", Key: "C-000123", Observed: time.Now()}
	for f, v := range map[Field]string{FieldGivenName: "Jonathan", FieldFamilyName: "O'Connor", FieldEmail: "jon.oconnor@example.com",
		FieldPhone: "0412 345 678", FieldBirthDate: "1980-03-12", FieldStreet: "12 Main St", FieldLocality: "Sydney",
		FieldRegion: "NSW", FieldPostcode: "2000", FieldCountry: "AU"} {
		n.Set(r, f, v)
	}
	b.Run("pack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Pack(r)
		}
	})
	p := Pack(r)
	b.Logf("packed size %d bytes", p.Size())
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		var d Record
		for b.Loop() {
			p.Decode(&d)
		}
	})
	b.Run("record", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p.Record()
		}
	})
}

// TestPackEdgeCases covers what the generators above rarely draw: long
// values (varint lengths of several bytes), empty attribute keys, times at
// the ends of the calendar and odd zone offsets.
func TestPackEdgeCases(t *testing.T) {
	long := strings.Repeat("é", 100_000)
	for name, r := range map[string]*Record{
		"long values": {Source: "s", Key: long, Name: Name{Full: Text{Raw: long, Norm: long[:1000], Key: long}},
			Attrs: map[string]string{"note": long}},
		"empty attribute key": {Source: "s", Key: "1", Attrs: map[string]string{"": "v", "k": ""}},
		"year 1":              {Source: "s", Key: "1", Observed: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC)},
		"year 9999":           {Source: "s", Key: "1", Observed: time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.FixedZone("", -12*3600-1))},
		"negative birth year": {Source: "s", Key: "1", BirthDate: DateValue{Raw: "44 BC", Date: Date{Year: -44, Month: 3, Day: 15}}},
		"raw only texts":      {Source: "s", Key: "1", Name: Name{Suffix: Text{Raw: "N/A"}}, Gender: Text{Raw: "?"}},
	} {
		t.Run(name, func(t *testing.T) {
			p := Pack(r)
			if d := recordsDiff(r, p.Record()); d != "" {
				t.Fatalf("(-want +got):\n%s", d)
			}
			if p.Ref() != r.Ref() {
				t.Fatalf("Ref() = %v", p.Ref())
			}
		})
	}
}
