package match

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/unifyhq/unify/profile"
	"pgregory.net/rapid"
)

func TestWordSubset(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"aguilar", "casona aguilar", true},
		{"casona aguilar", "aguilar", true},
		{"anna", "anna maria", true},
		{"ann", "anna maria", false},  // a word, not a prefix
		{"aguilar", "aguilar", false}, // one word each: exact or not, not a subset
		{"maria anna", "anna maria", true},
		{"", "anna maria", false},
		{"lopez garcia", "garcia lopez perez", true},
	}
	for _, tt := range tests {
		if got := wordSubset(tt.a, tt.b); got != tt.want {
			t.Errorf("wordSubset(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestNationalDigits(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"017537649716", "17537649716"},
		{"(0)2 9776 7062", "297767062"},
		{"000-000-0000", ""},
		{"1234567890", ""},
		{"555-01", ""},
		{"unknown", ""},
	}
	for _, tt := range tests {
		if got := nationalDigits(tt.raw); got != tt.want {
			t.Errorf("nationalDigits(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestFullNameKey(t *testing.T) {
	rec := func(given, family, full string) *profile.Record {
		r := &profile.Record{}
		r.Name.Given.Key, r.Name.Family.Key, r.Name.Full.Key = given, family, full
		return r
	}
	tests := []struct {
		r       *profile.Record
		key     string
		unsplit bool
	}{
		{rec("達也", "渡辺", ""), "渡辺達也", false},
		{rec("", "", "渡辺達也"), "渡辺達也", true},
		{rec("", "", "渡辺 達也"), "渡辺達也", true},
		{rec("john", "smith", ""), "john smith", false},
		{rec("", "", "smith john"), "john smith", true},
		{rec("john", "", ""), "john", false},
		{rec("", "", ""), "", false},
	}
	for _, tt := range tests {
		key, unsplit := fullNameKey(tt.r)
		if key != tt.key || unsplit != tt.unsplit {
			t.Errorf("fullNameKey(%+v) = %q, %v; want %q, %v", tt.r.Name, key, unsplit, tt.key, tt.unsplit)
		}
	}
	// An unsplit CJK name meets the split one at the exact level.
	pr := Preparer{}
	a, b := pr.Prepare(rec("達也", "渡辺", "")), pr.Prepare(rec("", "", "渡辺達也"))
	if l := FullNameComparison().Compare(a, b); l != 0 {
		t.Errorf("split vs unsplit CJK name: level %d, want 0", l)
	}
	// Two split names leave the evidence to the part comparisons.
	if l := FullNameComparison().Compare(a, a); l != Covered {
		t.Errorf("two split names: level %d, want Covered", l)
	}
}

func TestAddressComparisonLevels(t *testing.T) {
	addr := func(house, street, line2, postcode string) *Prepared {
		r := &profile.Record{Addresses: []profile.Address{{
			HouseNumber: profile.Text{Norm: house, Key: house}, Street: profile.Text{Norm: street, Key: street},
			Line2: profile.Text{Norm: line2, Key: line2}, Postcode: profile.Text{Norm: postcode, Key: postcode},
		}}}
		return Preparer{}.Prepare(r)
	}
	c := AddressComparison()
	tests := []struct {
		a, b *Prepared
		want Level
	}{
		{addr("7", "aoyama 6 18", "", "8113975"), addr("7", "6 18 aoyama", "", "8113975"), 0},
		{addr("7", "main st", "", "2000"), addr("9", "main st", "", "2000"), 1},
		{addr("", "", "", "2000"), addr("", "", "", "2001"), 2},
		{addr("", "", "", "2000"), addr("", "", "", "3999"), 3},
		{addr("", "", "", "2000"), addr("", "main st", "", ""), Missing},
	}
	for i, tt := range tests {
		if got := c.Compare(tt.a, tt.b); got != tt.want {
			t.Errorf("case %d: level %d, want %d", i, got, tt.want)
		}
	}
}

func TestSimilarStreet(t *testing.T) {
	var n profile.AddressNormalizer
	street := func(s string) *preparedAddress {
		k := n.Street(s).Key
		return &preparedAddress{street: k, streetWords: streetWordSet(k)}
	}
	tests := []struct {
		a, b string
		want bool
	}{
		{"188 Station Street, Flat 24", "188 Station St", true},
		{"1 Walnut Ln, #32", "1 Walnut Ln", true},
		{"6-5-16 Sakae, #404", "Sakae 6-丁目 5-16", true},
		{"Namba 4-chome 28-11, Room 1203", "4-28-11 Namba", true},
		{"Storgata 1, lgh 1104", "Storgatan 1", true},
		{"Flat B, 6 Beech St", "6 Beech St", true},
		{"Calle Castilla, 1, 1ºA", "C/ Castilla, 1, 1ºA", true},
		{"Avda Serrano, 93", "Avenida Serrano 93", true},
		{"12 Beech Street", "Beech St", false},
		{"Beech St", "Beech St", true},
		{"9 Highland Street", "407 Main Lane", false},
	}
	for _, tt := range tests {
		a, b := street(tt.a), street(tt.b)
		if got := similarStreet(a, b); got != tt.want {
			t.Errorf("similarStreet(%q, %q) = %v, want %v (keys %q, %q)", tt.a, tt.b, got, tt.want, a.street, b.street)
		}
		if got := similarStreet(b, a); got != tt.want {
			t.Errorf("similarStreet(%q, %q) reversed = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSameStreetWordsUnits(t *testing.T) {
	// Different units of one building differ (Jaro-Winkler on the whole
	// key may still join them).
	for _, u := range [][2]string{{"flat 12 6 beech st", "flat 14 6 beech st"}, {"flat b 6 beech st", "flat c 6 beech st"}} {
		if a, b := streetWordSet(u[0]), streetWordSet(u[1]); sameStreetWords(a, b) {
			t.Errorf("%q and %q read as one: %q, %q", u[0], u[1], a, b)
		}
	}
	a := streetWordSet("flat 12 6 beech st")
	if !sameStreetWords(a, streetWordSet("6 beech st")) {
		t.Errorf("a unit on one record only should not separate the streets")
	}
	if sameStreetWords("", "") {
		t.Errorf("two empty streets agree")
	}
}

func TestPhoneUnplacedNumber(t *testing.T) {
	ph := func(raw, e164 string) *Prepared {
		return Preparer{}.Prepare(&profile.Record{Phones: []profile.Phone{{Raw: raw, E164: e164}}})
	}
	c := PhoneComparison()
	placed := ph("+49 175 37649716", "+4917537649716")
	national := ph("0175/37649716", "") // a source with no country
	other := ph("0175/99999123", "")
	junk := ph("000-000-0000", "")
	if l := c.Compare(placed, national); l != 1 {
		t.Errorf("placed vs the same national number: level %d, want 1", l)
	}
	if l := c.Compare(placed, other); l != 3 {
		t.Errorf("placed vs another national number: level %d, want 3", l)
	}
	if l := c.Compare(placed, junk); l != Missing {
		t.Errorf("a junk number should be missing: level %d", l)
	}
	// A typo is often why no region could place a number: one edit from
	// the end of the other is the one_edit level, either way round.
	for _, typo := range []string{"0175/37694716", "0175/3764971", "0175/376497160", "0175/37649816"} {
		if l := c.Compare(placed, ph(typo, "")); l != 2 {
			t.Errorf("placed vs %s: level %d, want 2", typo, l)
		}
		if l := c.Compare(national, ph(typo, "")); l != 2 {
			t.Errorf("%s vs %s: level %d, want 2", "0175/37649716", typo, l)
		}
	}
	if l := c.Compare(ph("030 1234 5978", ""), ph("030 9876 5978", "")); l != 3 {
		t.Errorf("numbers ending alike but not one edit apart: level %d, want 3", l)
	}
}

func TestEmailMailbox(t *testing.T) {
	em := func(addr string) *Prepared {
		return Preparer{}.Prepare(&profile.Record{Emails: []profile.Email{{Raw: addr, Address: addr, Canonical: addr}}})
	}
	c := EmailComparison()
	if l := c.Compare(em("anna.amato+spa@gmail.com"), em("annaamato@googlemail.com")); l != 0 {
		t.Errorf("one gmail mailbox spelt two ways: level %d, want exact", l)
	}
	if l := c.Compare(em("anna.amato+spa@example.com"), em("anna.amato@example.com")); l == 0 {
		t.Error("a +tag at an unknown domain is a different address, compared exact")
	}
}

// TestJointNameLift checks that agreeing on a given and family name that
// many different people share together weighs less than their separate
// frequencies say, and that the explanation shows the correction.
func TestJointNameLift(t *testing.T) {
	var recs []*profile.Record
	add := func(key, given, family string, year int) {
		r := &profile.Record{Source: "s", Key: key}
		r.Name.Given = profile.Text{Raw: given, Norm: given, Key: given}
		r.Name.Family = profile.Text{Raw: family, Norm: family, Key: family}
		r.BirthDate.Date = profile.Date{Year: year, Month: 1 + len(key)%12, Day: 1 + len(key)%28}
		recs = append(recs, r)
	}
	// Ten different people named phuong nguyen (different birth dates), in
	// a population where neither name is common on its own.
	for i := range 10 {
		add(fmt.Sprint("pn", i), "phuong", "nguyen", 1950+i)
	}
	for i := range 400 {
		add(fmt.Sprint("x", i), fmt.Sprint("given", i%97), fmt.Sprint("family", i%89), 1940+i%60)
	}
	m, err := Train(context.Background(), recs, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Model().JointTF == nil || len(m.Model().JointTF.Values) == 0 {
		t.Fatal("no joint name frequencies learnt")
	}
	a, b := m.Prepare(recs[0]), m.Prepare(recs[1])
	e := m.Explain(a, b)
	last := e.Terms[len(e.Terms)-1]
	if last.Label != "often_together" || last.Weight >= 0 {
		t.Fatalf("no joint correction in the explanation; last term %+v", last)
	}
	_, w := m.Score(a, b)
	if math.Abs(w-e.Weight) > 1e-9 {
		t.Errorf("Score weight %v, Explain %v", w, e.Weight)
	}
}

// TestNicknameDefault checks that a zero Preparer uses the default nickname
// table, as the engine and a zero Settings do, and NoNicknames turns the
// level off.
func TestNicknameDefault(t *testing.T) {
	c := GivenNameComparison()
	a, b := &profile.Record{}, &profile.Record{}
	a.Name.Given.Key, b.Name.Given.Key = "bob", "robert"
	for _, tt := range []struct {
		pr   Preparer
		want string
	}{
		{Preparer{}, "nickname"},
		{Preparer{Nicknames: profile.DefaultNicknames()}, "nickname"},
		{Preparer{Nicknames: NoNicknames}, "else"},
	} {
		if got := c.Levels[c.Compare(tt.pr.Prepare(a), tt.pr.Prepare(b))]; got != tt.want {
			t.Errorf("%T: bob vs robert %s, want %s", tt.pr.Nicknames, got, tt.want)
		}
	}
}

func TestGivenNameLevels(t *testing.T) {
	tests := []struct {
		a, b         string
		aFam, bFam   string // family names; empty if none
		want, family string // levels of the given- and family-name comparisons
	}{
		{"barbara", "barbara", "", "", "exact", ""},
		{"b", "b", "", "", "initial", ""}, // two initials, not one name
		{"b", "barbara", "", "", "initial", ""},
		{"蓮", "蓮", "", "", "exact", ""}, // one Han character is a whole name
		{"é", "é", "", "", "initial", ""},
		{"bob", "robert", "", "", "nickname", ""},
		{"kuba", "jakub", "", "", "nickname", ""},
		{"barbara", "brian", "", "", "else", ""},
		// Swapped: both names agree crosswise.
		{"drayer", "william", "william", "drayer", "swapped_with_other_name", ""},
		// One record's only name is the other's family name.
		{"drayer", "william", "", "drayer", "sole_name_is_other_family_name", ""},
		{"william", "drayer", "drayer", "", "sole_name_is_other_family_name", ""},
		{"draier", "william", "", "drayer", "sole_name_is_other_family_name", ""},
		// One side in Cyrillic or Greek: compared romanized.
		{"екатерина", "ekaterina", "", "", "jaro_winkler>=0.92|word_subset", ""},
		{"yekaterina", "екатерина", "", "", "jaro_winkler>=0.92|word_subset", ""},
		{"дмитрий", "dmitriy", "", "", "jaro_winkler>=0.92|word_subset", ""},
		{"γιώργος", "giorgos", "", "", "jaro_winkler>=0.92|word_subset", ""},
		{"nikos", "νικος", "", "", "jaro_winkler>=0.92|word_subset", ""},
		{"ivan", "сергей", "", "", "else", ""},
		{"anna", "papadopoulos", "παπαδόπουλος", "", "else", ""}, // no family name on one side: Missing
		{"anna", "anna", "παπαδόπουλος", "papadopoulos", "exact", "jaro_winkler>=0.92|word_subset"},
		// Both have family names: a one-sided cross agreement is no swap.
		{"drayer", "william", "smith", "drayer", "else", "else"},
		{"smith", "william", "", "drayer", "else", ""},
	}
	c, fc := GivenNameComparison(), FamilyNameComparison()
	pr := Preparer{Nicknames: profile.DefaultNicknames()}
	for _, tt := range tests {
		a, b := &profile.Record{}, &profile.Record{}
		a.Name.Given.Key, b.Name.Given.Key = tt.a, tt.b
		a.Name.Family.Key, b.Name.Family.Key = tt.aFam, tt.bFam
		pa, pb := pr.Prepare(a), pr.Prepare(b)
		if got := c.Levels[c.Compare(pa, pb)]; got != tt.want {
			t.Errorf("%q %q vs %q %q: %s, want %s", tt.a, tt.aFam, tt.b, tt.bFam, got, tt.want)
		}
		if l := c.Compare(pb, pa); c.Levels[l] != tt.want {
			t.Errorf("%q %q vs %q %q, reversed: %s, want %s", tt.a, tt.aFam, tt.b, tt.bFam, c.Levels[l], tt.want)
		}
		got := ""
		if l := fc.Compare(pa, pb); l != Missing {
			got = fc.Levels[l]
		}
		if got != tt.family {
			t.Errorf("%q %q vs %q %q: family level %q, want %q", tt.a, tt.aFam, tt.b, tt.bFam, got, tt.family)
		}
	}
}

// sameStreetWords is symmetric, reflexive for a street with words, and
// blind to the order of a key's words.
func TestSameStreetWordsProperties(t *testing.T) {
	words := []string{"12", "6", "5-16", "flat", "unit", "b", "beech", "st", "sakae", "chome", "丁目", "piso", "1oa", "rd"}
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.SliceOfN(rapid.SampledFrom(words), 1, 6).Draw(t, "a")
		b := rapid.SliceOfN(rapid.SampledFrom(words), 1, 6).Draw(t, "b")
		ka, kb := strings.Join(a, " "), strings.Join(b, " ")
		wa, wb := streetWordSet(ka), streetWordSet(kb)
		if sameStreetWords(wa, wb) != sameStreetWords(wb, wa) {
			t.Fatalf("not symmetric: %q, %q", ka, kb)
		}
		if strings.IndexByte(wa, 0) > 0 && !sameStreetWords(wa, wa) {
			t.Fatalf("%q is not the same street as itself (%q)", ka, wa)
		}
		perm := rapid.Permutation(a).Draw(t, "perm")
		// A unit designator keeps the word after it, so permute only keys
		// without one.
		if !slices.ContainsFunc(a, func(w string) bool { return unitWords[w] }) {
			if got := streetWordSet(strings.Join(perm, " ")); got != wa {
				t.Fatalf("word order changed the set: %q -> %q, %q -> %q", ka, wa, perm, got)
			}
		}
	})
}

func TestBirthDateLevels(t *testing.T) {
	d := func(y, m, day int) profile.Date { return profile.Date{Year: y, Month: m, Day: day} }
	c := BirthDateComparison()
	level := func(name string) Level { return Level(slices.Index(c.Levels, name)) }
	tests := []struct {
		x, y profile.Date
		want string
	}{
		{d(1980, 3, 12), d(1980, 3, 12), "exact"},
		{d(1980, 3, 12), d(1980, 3, 13), "one_digit"},
		{d(1980, 3, 12), d(1980, 12, 3), "day_month_transposed"},
		{d(1980, 3, 12), d(1980, 3, 28), "same_year_month"},
		{d(1980, 3, 12), d(1980, 9, 28), "within_a_year"},
		{d(1980, 3, 12), d(1975, 6, 20), "else"},
		// Partial dates agree at their precision, or not.
		{d(1980, 0, 0), d(1980, 3, 12), "partial_date_agrees"},
		{d(1980, 0, 0), d(1980, 0, 0), "partial_date_agrees"},
		{d(1980, 3, 0), d(1980, 3, 12), "partial_date_agrees"},
		{d(1980, 3, 0), d(1980, 4, 12), "within_a_year"},
		{d(1980, 0, 0), d(1981, 3, 12), "within_a_year"},
		{d(1980, 0, 0), d(1975, 3, 12), "else"},
	}
	for _, tt := range tests {
		for _, p := range [][2]profile.Date{{tt.x, tt.y}, {tt.y, tt.x}} {
			if got := compareDate(p[0], p[1]); got != level(tt.want) {
				t.Errorf("compareDate(%v, %v) = %v, want %s", p[0], p[1], got, tt.want)
			}
		}
	}
	if got := compareDate(profile.Date{}, d(1980, 1, 1)); got != Missing {
		t.Errorf("no date: level %d", got)
	}
}

// A source that writes only the birth year: agreeing on it weighs for a
// match, where it used to share the within_a_year level (which weighs
// against) with two full dates months apart.
func TestPartialBirthDateWeighsFor(t *testing.T) {
	givens := []string{"anna", "ben", "carl", "dora", "emil", "fay", "gus", "hana"}
	families := []string{"smith", "jones", "brown", "davies", "evans"}
	var recs []*profile.Record
	for p := range 400 {
		g, f := givens[p%len(givens)], families[p/len(givens)%len(families)]
		dob := profile.Date{Year: 1940 + p%60, Month: 1 + p%12, Day: 1 + p%28}
		full := person(fmt.Sprintf("%d-0", p), g, f, dob.String(), "", "")
		full.BirthDate = profile.DateValue{Raw: dob.String(), Date: dob}
		year := person(fmt.Sprintf("%d-1", p), g, f, "", "", "")
		year.BirthDate = profile.DateValue{Raw: fmt.Sprint(dob.Year), Date: profile.Date{Year: dob.Year}}
		recs = append(recs, full, year)
	}
	m, err := Train(context.Background(), recs, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Model().Comparisons {
		if c.Name != string(profile.FieldBirthDate) {
			continue
		}
		for _, l := range c.Levels {
			if l.Label == "partial_date_agrees" && !(l.M > l.U) {
				t.Errorf("partial_date_agrees: m %v <= u %v", l.M, l.U)
			}
		}
	}
	ps := m.PrepareAll(recs)
	e := m.Explain(ps[0], ps[1])
	for _, term := range e.Terms {
		if term.Comparison == string(profile.FieldBirthDate) && (term.Label != "partial_date_agrees" || term.Weight <= 0) {
			t.Errorf("a full date and its year: %s weighs %v", term.Label, term.Weight)
		}
	}
}

// One name written with an umlaut and with its two-letter spelling is one
// name; two names that differ by such an e are not.
func TestUmlautSpelling(t *testing.T) {
	var n profile.TextNormalizer
	rec := func(given, family string) *Prepared {
		r := &profile.Record{}
		r.Name.Given, r.Name.Family = n.Text(given), n.Text(family)
		return Preparer{}.Prepare(r)
	}
	gc, fc := GivenNameComparison(), FamilyNameComparison()
	tests := []struct {
		a, b          [2]string
		given, family string // level labels
	}{
		{[2]string{"Jürgen", "Müller"}, [2]string{"Juergen", "Mueller"}, "exact", "exact"},
		{[2]string{"Søren", "Løkke"}, [2]string{"Soeren", "Loekke"}, "exact", "exact"},
		{[2]string{"Bärbel", "Grünbauer"}, [2]string{"Baerbel", "Gruenbauer"}, "exact", "exact"},
		{[2]string{"Håkan", "Ålund"}, [2]string{"Haakan", "Aalund"}, "exact", "exact"},
		// Written without the umlaut on both sides: Jaro-Winkler's level
		// (the two-letter spelling is not a typo's one letter).
		{[2]string{"Jurgen", "Muller"}, [2]string{"Juergen", "Mueller"}, "jaro_winkler>=0.80", "jaro_winkler>=0.80"},
		// Two names.
		{[2]string{"Michal", "Nowak"}, [2]string{"Michael", "Nowak"}, "jaro_winkler>=0.92|word_subset", "exact"},
		{[2]string{"Rafał", "Nowak"}, [2]string{"Rafael", "Nowak"}, "jaro_winkler>=0.92|word_subset", "exact"},
		// The umlaut is on the longer name: nothing to spell out.
		{[2]string{"Müeller", "Weber"}, [2]string{"Muller", "Weber"}, "jaro_winkler>=0.80", "exact"},
	}
	for _, tt := range tests {
		a, b := rec(tt.a[0], tt.a[1]), rec(tt.b[0], tt.b[1])
		for _, p := range [][2]*Prepared{{a, b}, {b, a}} {
			if got := gc.Levels[gc.Compare(p[0], p[1])]; got != tt.given {
				t.Errorf("given %q / %q: %s, want %s", tt.a[0], tt.b[0], got, tt.given)
			}
			if got := fc.Levels[fc.Compare(p[0], p[1])]; got != tt.family {
				t.Errorf("family %q / %q: %s, want %s", tt.a[1], tt.b[1], got, tt.family)
			}
		}
	}
}
