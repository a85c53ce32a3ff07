package match

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/unifyhq/unify/profile"
)

// householdRecords makes homes of two people each, every person with two
// records. One home in flatmatesEvery is flatmates (two family names), the
// others families (one). Members differ in first name and email; there are no
// birth dates, as in many customer sources.
func householdRecords(flatmatesEvery int) (recs []*profile.Record, person map[profile.Ref]int) {
	rng := rand.New(rand.NewPCG(3, 5))
	word := func(n int) string { return randWord(rng, n) }
	givens := []string{"anna", "ben", "carl", "dora", "emil", "fay", "gus", "hugo", "ivan", "jill",
		"kai", "lea", "max", "olga", "otto", "pia", "quin", "rosa", "sven", "tara"}
	person = map[profile.Ref]int{}
	id := 0
	for h := range 600 {
		street, pc, house := word(8)+" road", fmt.Sprint(10000+rng.IntN(90000)), fmt.Sprint(1+rng.IntN(200))
		family := word(7)
		g := rng.Perm(len(givens))
		for k := range 2 {
			if k == 1 && h%flatmatesEvery == 0 {
				family = word(7) // flatmates
			}
			given := givens[g[k]]
			email := fmt.Sprintf("%s.%s%d@example.com", given, family, id)
			for range 2 {
				r := person0(fmt.Sprint(len(recs)), given, family, "", email)
				r.Addresses = []profile.Address{{HouseNumber: txt(house), Street: txt(street), Postcode: txt(pc)}}
				recs = append(recs, r)
				person[r.Ref()] = id
			}
			id++
		}
	}
	return recs, person
}

// randWord returns n random lower-case letters.
func randWord(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('a' + rng.IntN(26)))
	}
	return b.String()
}

func person0(key, given, family, dob, email string) *profile.Record {
	return person(key, given, family, dob, email, "")
}

// TestHousehold checks the household correction: the estimated share of
// non-matching housemates who share a family name is near the truth (0.8),
// housemates do not match while each person's records do, and
// explanations carry the correction.
func TestHousehold(t *testing.T) {
	recs, person := householdRecords(5)
	m, err := Train(context.Background(), recs, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	h := m.Model().Household
	if h == nil {
		t.Fatal("no household correction")
	}
	t.Logf("U %.3f over %.1f non-matching pairs", h.U, h.NonMatches)
	if math.Abs(h.U-0.8) > 0.1 {
		t.Errorf("U = %.3f, want about 0.8", h.U)
	}
	ps := m.PrepareAll(recs)
	var housemates, same int
	for i := 0; i < len(ps); i += 4 {
		// ps[i], ps[i+1]: one person; ps[i+2], ps[i+3]: the housemate.
		for _, pair := range [][2]int{{i, i + 1}, {i, i + 2}, {i + 1, i + 3}} {
			a, b := ps[pair[0]], ps[pair[1]]
			prob, w := m.Score(a, b)
			x := m.Explain(a, b)
			if math.Abs(x.Weight-w) > 1e-9 {
				t.Fatalf("%v-%v: explanation weight %v, score %v", a.Ref, b.Ref, x.Weight, w)
			}
			if person[a.Ref] == person[b.Ref] {
				if prob < 0.5 {
					same++
				}
				continue
			}
			if prob >= 0.5 {
				housemates++
				if housemates == 1 {
					t.Log(x)
				}
			}
			if a.family == b.family && !strings.Contains(x.String(), "household") {
				t.Fatalf("%v-%v: no household term in\n%v", a.Ref, b.Ref, x)
			}
		}
	}
	if housemates > 0 || same > 0 {
		t.Errorf("%d housemate pairs match, %d pairs of one person do not", housemates, same)
	}
}

// TestHouseholdNone checks that where sharing a contact does not make
// sharing a family name likelier (only flatmates), there is no correction.
func TestHouseholdNone(t *testing.T) {
	recs, _ := householdRecords(1)
	m, err := Train(context.Background(), recs, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if h := m.Model().Household; h != nil {
		t.Errorf("household correction with U %.4f over %.1f pairs, want none", h.U, h.NonMatches)
	}
}

// censusRecords makes homes of three people, each person with one record in
// list A and one in list B, as the SecondString census lists have them: no
// email, phone or birth date, and list B misspelling a home's family name
// in all its members' records (Century, Sentry) and often their given
// names.
func censusRecords() (recs []*profile.Record, person map[profile.Ref]int) {
	rng := rand.New(rand.NewPCG(7, 9))
	word := func(n int) string { return randWord(rng, n) }
	typo := func(s string) string {
		i := 1 + rng.IntN(len(s)-2)
		return s[:i] + string(byte('a'+rng.IntN(26))) + s[i+1:]
	}
	givens := []string{"anna", "benjamin", "carla", "dorothy", "emilio", "fatima", "gustav", "hugo", "ivana", "jillian",
		"kaiser", "leandra", "maxwell", "olga", "ottilie", "pietro", "quincy", "rosalind", "svenja", "tamara"}
	person = map[profile.Ref]int{}
	id := 0
	for range 300 {
		street, house := word(8), fmt.Sprint(1+rng.IntN(9000))
		family := word(7)
		familyB := family
		if rng.IntN(2) == 0 {
			familyB = typo(family)
		}
		g := rng.Perm(len(givens))
		for k := range 3 {
			for _, src := range []string{"a", "b"} {
				given, fam := givens[g[k]], family
				if src == "b" {
					fam = familyB
					if rng.IntN(2) == 0 {
						given = typo(given)
					}
				}
				r := person0(fmt.Sprint(len(recs)), given, fam, "", "")
				r.Source = src
				r.Addresses = []profile.Address{{HouseNumber: txt(house), Street: txt(street)}}
				recs = append(recs, r)
				person[r.Ref()] = id
			}
			id++
		}
	}
	return recs, person
}

// TestHouseholdMisspelt checks the household correction of the family
// name's partial levels: where one list misspells a home's family name,
// housemates agree on it partly and on the address, and must not match,
// while each person's two records do.
func TestHouseholdMisspelt(t *testing.T) {
	recs, person := censusRecords()
	m, err := Train(context.Background(), recs, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	h := m.Model().Household
	if h == nil || h.LevelU == nil {
		t.Fatalf("household correction %+v, want one with level u", h)
	}
	fam := m.Model().Comparisons[slices.IndexFunc(m.Model().Comparisons, func(c ComparisonModel) bool { return c.Name == h.Family })]
	t.Logf("level u %.3f over %.1f non-matching pairs; u %v", h.LevelU, h.NonMatches, fam.Levels)
	if h.LevelU[nameJW92] <= fam.Levels[nameJW92].U {
		t.Errorf("level u of %s = %.4f, not above u %.4f", fam.Levels[nameJW92].Label, h.LevelU[nameJW92], fam.Levels[nameJW92].U)
	}
	ps := m.PrepareAll(recs)
	var tp, fp, fn int
	for i := range ps {
		for j := i + 1; j < len(ps); j++ {
			a, b := ps[i], ps[j]
			if a.addrs[0] != b.addrs[0] {
				continue
			}
			prob, w := m.Score(a, b)
			if x := m.Explain(a, b); math.Abs(x.Weight-w) > 1e-9 {
				t.Fatalf("%v-%v: explanation weight %v, score %v", a.Ref, b.Ref, x.Weight, w)
			}
			same := person[a.Ref] == person[b.Ref]
			switch {
			case same && prob >= 0.5:
				tp++
			case same:
				fn++
			case prob >= 0.5:
				fp++
				if fp == 1 {
					t.Log(m.Explain(a, b))
				}
			}
		}
	}
	t.Logf("pairs at one address: %d of one person found, %d missed, %d of housemates matched", tp, fn, fp)
	if fp > tp/50 || fn > (tp+fn)/20 {
		t.Errorf("%d housemate pairs match, %d of %d pairs of one person do not", fp, fn, tp+fn)
	}
}

// TestExcludedByHousehold checks that a training session blocked on a
// household's contact point learns nothing about family names, and still
// learns the given name.
func TestExcludedByHousehold(t *testing.T) {
	comps := DefaultComparisons()
	idx := func(name string) int {
		return slices.IndexFunc(comps, func(c Comparison) bool { return c.Name == name })
	}
	for _, tc := range []struct {
		fields []profile.Field
		family bool
	}{
		{[]profile.Field{profile.FieldHouseNumber, profile.FieldStreet}, true},
		{[]profile.Field{profile.FieldEmail}, true},
		{[]profile.Field{profile.FieldPhone}, true},
		{[]profile.Field{profile.FieldBirthDate, profile.FieldPostcode}, false},
		{[]profile.Field{profile.FieldBirthDate}, false},
	} {
		ex := excludedBy(comps, tc.fields)
		for _, name := range []string{"family_name", "full_name"} {
			if ex[idx(name)] != tc.family {
				t.Errorf("blocked on %v: %s excluded = %v, want %v", tc.fields, name, ex[idx(name)], tc.family)
			}
		}
		if ex[idx("given_name")] {
			t.Errorf("blocked on %v: given_name excluded", tc.fields)
		}
	}
}

// TestHouseholdLevelBound checks the bound on the partial levels' u: where
// the pairs behind the estimate agree partly on the family name more often,
// against exactly, than matches do (corrupted records of one person that
// the other fields could not show, not housemates), LevelU is held to U
// times the matches' ratio m[l]/m[0].
func TestHouseholdLevelBound(t *testing.T) {
	comps := DefaultComparisons()
	family := slices.IndexFunc(comps, func(c Comparison) bool { return c.Name == "family_name" })
	address := slices.IndexFunc(comps, func(c Comparison) bool { return c.Name == "address" })
	m, u := initialM(comps), make([][]float64, len(comps))
	for i, c := range comps {
		u[i] = make([]float64, len(c.Levels))
		for l := range u[i] {
			u[i][l] = 0.001
		}
		u[i][len(u[i])-1] = 0.99
	}
	pat := func(fam Level, n int64) patternCount {
		var p pattern
		for i := range p {
			p[i] = Missing
		}
		p[family], p[address] = fam, 1 // the same house
		return patternCount{p, n}
	}
	// Exact agreement 30 times, the first partial level 60 times, the
	// rest disagreeing: among matches (initialM) the partial level is
	// rarer than the exact one.
	h := estimateHousehold(comps, []patternCount{pat(0, 30), pat(1, 60), pat(Level(len(comps[family].Levels)-1), 10)}, m, u, 1e-6)
	if h == nil || h.LevelU == nil {
		t.Fatalf("household %+v", h)
	}
	bound := h.U * m[family][1] / m[family][0]
	if h.LevelU[1] > bound+1e-12 || h.LevelU[1] < u[family][1] {
		t.Errorf("LevelU[1] = %.4f, want within [u %.4f, U·m1/m0 %.4f]", h.LevelU[1], u[family][1], bound)
	}
	t.Logf("U %.3f, LevelU %.3f, bound %.3f", h.U, h.LevelU, bound)
}
