package match_test

import (
	"context"
	"fmt"

	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/profile"
)

func rec(key, given, family string, dob profile.Date, email string) *profile.Record {
	r := &profile.Record{Source: "crm", Key: key}
	r.Name.Given = profile.Text{Raw: given, Norm: given, Key: given}
	r.Name.Family = profile.Text{Raw: family, Norm: family, Key: family}
	r.BirthDate.Date = dob
	r.Emails = []profile.Email{{Raw: email, Address: email, Canonical: email}}
	return r
}

func ExampleJaroWinkler() {
	fmt.Printf("%.4f\n", match.JaroWinkler("martha", "marhta"))
	fmt.Printf("%.4f\n", match.JaroWinkler("zoë", "zoe"))
	// Output:
	// 0.9611
	// 0.8222
}

func ExampleOSA() {
	fmt.Println(match.OSA("jhon", "john"), match.OSA("müller", "muller"))
	// Output: 1 1
}

// Train a model on unlabelled records, then explain one pair.
func ExampleMatcher_Explain() {
	var recs []*profile.Record
	givens := []string{"anna", "ben", "carl", "dora", "emil", "fay", "gus", "hana", "ivan", "jill"}
	families := []string{"ng", "ortiz", "park", "quinn", "ruiz", "shaw", "tran", "usman", "vogel", "wong"}
	for i := range 200 {
		g, f := givens[i%10], families[(i/10)%10]
		dob := profile.Date{Year: 1950 + i%40, Month: 1 + i%12, Day: 1 + i%28}
		recs = append(recs, rec(fmt.Sprint(i), g, f, dob, fmt.Sprintf("%s.%s%d@example.com", g, f, i)))
		if i%4 == 0 { // a duplicate with a typo and no email
			d := rec(fmt.Sprint(i, "-dup"), g+"h", f, dob, "")
			d.Emails = nil
			recs = append(recs, d)
		}
	}
	m, err := match.Train(context.Background(), recs, match.Settings{})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, b := m.Prepare(recs[0]), m.Prepare(recs[1])
	e := m.Explain(a, b)
	fmt.Println(e.A, "vs", e.B, "match:", e.Match)
	for _, t := range e.Terms {
		if t.Level < 0 {
			continue // missing or covered by a finer comparison: no evidence either way
		}
		fmt.Printf("%-11s %-30s %+.1f\n", t.Comparison, t.Label, t.Weight)
	}
	// Output:
	// crm/0 vs crm/0-dup match: true
	// given_name  jaro_winkler>=0.92|word_subset +3.9
	// family_name exact                          +3.4
	// birth_date  exact                          +8.5
}

// Two people of one household share a family name and an address. The
// model learns from the data how often that happens to different people
// (Household.U) and discounts the shared family name for pairs that share
// a contact point, so housemates are not taken for one person.
func ExampleHousehold() {
	t := func(s string) profile.Text { return profile.Text{Raw: s, Norm: s, Key: s} }
	givens := []string{"anna", "ben", "carl", "dora", "emil", "fay", "gus", "hugo", "ivan", "jill"}
	var recs []*profile.Record
	for h := range 300 {
		family := fmt.Sprintf("fam%03d", h)
		for k, given := range []string{givens[h%10], givens[(h+3)%10]} {
			for copy := range 2 { // each person twice
				r := rec(fmt.Sprint(h, "-", k, "-", copy), given, family, profile.Date{}, fmt.Sprintf("%s.%s@example.com", given, family))
				r.Addresses = []profile.Address{{HouseNumber: t(fmt.Sprint(1 + h%90)), Street: t(fmt.Sprintf("street %d", h)), Postcode: t(fmt.Sprint(1000 + h))}}
				recs = append(recs, r)
			}
		}
	}
	m, err := match.Train(context.Background(), recs, match.Settings{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("housemates share a family name: %.1f\n", m.Model().Household.U)
	same := m.Explain(m.Prepare(recs[0]), m.Prepare(recs[1]))
	housemates := m.Explain(m.Prepare(recs[0]), m.Prepare(recs[2]))
	fmt.Println(same.A, "vs", same.B, "match:", same.Match)
	fmt.Println(housemates.A, "vs", housemates.B, "match:", housemates.Match)
	for _, term := range housemates.Terms {
		if term.Label == "household" {
			fmt.Printf("%s: %s\n", term.Comparison, term.Label)
		}
	}
	// Output:
	// housemates share a family name: 1.0
	// crm/0-0-0 vs crm/0-0-1 match: true
	// crm/0-0-0 vs crm/0-1-0 match: false
	// family_name+shared_contact: household
}

// A column the field vocabulary has no place for, here a birth place, is
// compared when Settings.Attrs names it. People who share their names are
// then told apart by it, with a weight EM learns from the data.
func ExampleSettings_attrs() {
	var recs []*profile.Record
	givens, families := []string{"anna", "ben", "carl"}, []string{"smith", "jones"}
	for p := range 120 {
		for n := range 2 {
			r := rec(fmt.Sprintf("%d-%d", p, n), givens[p%3], families[p/3%2], profile.Date{}, "")
			r.Emails = nil
			place := fmt.Sprintf("%c%c%cford", "BCDFGHKLMNPRST"[p%14], "aeiou"[p/14%5], "lnrst"[p/70])
			r.Attrs = map[string]string{"birth_place": place}
			recs = append(recs, r)
		}
	}
	m, err := match.Train(context.Background(), recs, match.Settings{Attrs: []string{"birth_place"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ps := m.PrepareAll(recs)
	same, _ := m.Score(ps[0], ps[1])      // person 0, twice
	namesake, _ := m.Score(ps[0], ps[12]) // person 6: anna smith of another town
	fmt.Printf("same person: %v; namesake: %v\n", same >= m.Threshold(), namesake >= m.Threshold())
	for _, t := range m.Explain(ps[0], ps[12]).Terms {
		if t.Comparison == "attr:birth_place" {
			fmt.Println(t.Comparison, t.Label, t.Weight < 0)
		}
	}
	// Output:
	// same person: true; namesake: false
	// attr:birth_place else true
}
