package match_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/profile"
)

// namesakeRecords makes people who share a few given names, with two or
// three records each. With shared set, a person's email local part is the
// given name and the family initial, as people often choose, so different
// people with one given name often share a local part at different
// providers; without it the local part also holds the person's number.
func namesakeRecords(shared bool) (recs []*profile.Record, person map[string]int) {
	rng := rand.New(rand.NewPCG(7, 11))
	givens := []string{"anna", "ben", "carl", "dora", "emil", "fay", "gus", "hana", "ivan", "jill"}
	domains := []string{"gmail.com", "yahoo.com", "web.de"}
	letters := "abcdefghijklmnopqrstuvwxyz"
	person = map[string]int{}
	for p := range 1500 {
		given := givens[rng.IntN(len(givens))]
		var family strings.Builder
		for range 6 {
			family.WriteByte(letters[rng.IntN(len(letters))])
		}
		local := given + family.String()[:1]
		if !shared {
			local = fmt.Sprintf("%s.%s%d", given, family.String(), p)
		}
		home := domains[rng.IntN(len(domains))]
		dob := profile.Date{Year: 1940 + rng.IntN(60), Month: 1 + rng.IntN(12), Day: 1 + rng.IntN(28)}
		for k := range 2 + rng.IntN(2) {
			d := home
			if rng.IntN(5) == 0 {
				d = domains[rng.IntN(len(domains))]
			}
			key := fmt.Sprintf("%d-%d", p, k)
			recs = append(recs, rec(key, given, family.String(), dob, local+"@"+d))
			person[key] = p
		}
	}
	return recs, person
}

// TestNamesakeEmailEvidence checks that agreeing on an email's local part
// at another provider is worth what it is among namesakes, the pairs that
// blocking on names puts forward: random pairs almost never agree so, and
// u estimated from them alone made it near-certain evidence.
func TestNamesakeEmailEvidence(t *testing.T) {
	for _, shared := range []bool{true, false} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			recs, person := namesakeRecords(shared)
			// The truth: how often two different people with one given
			// name have one local part at different providers.
			var pairs, same int
			for i, a := range recs {
				for _, b := range recs[i+1:] {
					if a.Name.Given.Key != b.Name.Given.Key || person[a.Key] == person[b.Key] {
						continue
					}
					pairs++
					ea, eb := a.Emails[0].Address, b.Emails[0].Address
					if ea != eb && strings.Split(ea, "@")[0] == strings.Split(eb, "@")[0] {
						same++
					}
				}
			}
			want := float64(same) / float64(pairs)
			m, err := match.Train(context.Background(), recs, match.Settings{})
			if err != nil {
				t.Fatal(err)
			}
			var got float64 = -1
			for _, c := range m.Model().Comparisons {
				if c.Name != string(profile.FieldEmail) {
					continue
				}
				for _, l := range c.Levels {
					if l.Label == "same_local_part" {
						got = l.U
					}
				}
			}
			t.Logf("same_local_part among different namesakes: truth %.5f, model u %.5f", want, got)
			if shared && (got < want/2 || got > 2*want) {
				t.Errorf("u = %.5f, want within a factor 2 of %.5f", got, want)
			}
			if !shared && got > 1e-3 {
				t.Errorf("u = %.5f where no two people share a local part; want < 0.001", got)
			}
		})
	}
}

// TestFullNamesakeEmailEvidence checks UNamesake: people who share a given
// and a family name choose the same local part (anna.berg@) at different
// providers, so for pairs whose family names agree that level is weak
// evidence, estimated from such pairs; explanations show the correction.
func TestFullNamesakeEmailEvidence(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	givens := []string{"anna", "ben", "carl", "dora", "emil", "fay", "gus", "hugo", "ivan", "jill"}
	families := make([]string, 120)
	for i := range families {
		families[i] = fmt.Sprintf("fam%c%c", 'a'+i%26, 'a'+i/26)
	}
	domains := []string{"gmail.com", "yahoo.com", "web.de"}
	var recs []*profile.Record
	person := map[string]int{}
	taken := map[string]int{} // people per full name so far
	for p := range 1200 {
		g, f := givens[rng.IntN(len(givens))], families[rng.IntN(len(families))]
		// Namesakes take the same local part at another provider while
		// one is free; later ones add a number, as people must.
		k := taken[g+f]
		taken[g+f]++
		local := g + "." + f
		if k >= len(domains) {
			local += fmt.Sprint(k)
		}
		email := local + "@" + domains[k%len(domains)]
		dob := profile.Date{Year: 1940 + rng.IntN(60), Month: 1 + rng.IntN(12), Day: 1 + rng.IntN(28)}
		for k := range 2 {
			key := fmt.Sprintf("%d-%d", p, k)
			recs = append(recs, rec(key, g, f, dob, email))
			person[key] = p
		}
	}
	// The truth: among different people with one full name, how often
	// their addresses share the local part at different providers.
	var pairs, same int
	for i, a := range recs {
		for _, b := range recs[i+1:] {
			if a.Name.Given.Key != b.Name.Given.Key || a.Name.Family.Key != b.Name.Family.Key || person[a.Key] == person[b.Key] {
				continue
			}
			pairs++
			la, _, _ := strings.Cut(a.Emails[0].Address, "@")
			lb, _, _ := strings.Cut(b.Emails[0].Address, "@")
			if la == lb {
				same++
			}
		}
	}
	want := float64(same) / float64(pairs)
	m, err := match.Train(context.Background(), recs, match.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	var got float64
	for _, c := range m.Model().Comparisons {
		if c.Name == string(profile.FieldEmail) {
			got = c.Levels[1].UNamesake // same_local_part
		}
	}
	t.Logf("same_local_part among different full namesakes: truth %.3f, UNamesake %.3f", want, got)
	if got < want/1.5 || got > want*1.5 {
		t.Errorf("UNamesake = %.3f, want within a factor 1.5 of %.3f", got, want)
	}
	// Two such records of different people: the level is discounted.
	for i, a := range recs {
		for _, b := range recs[i+1:] {
			if a.Name.Given.Key != b.Name.Given.Key || a.Name.Family.Key != b.Name.Family.Key ||
				person[a.Key] == person[b.Key] || a.Emails[0].Address == b.Emails[0].Address {
				continue
			}
			x := m.Explain(m.Prepare(a), m.Prepare(b))
			if !strings.Contains(x.String(), "namesakes") {
				t.Fatalf("no namesakes term in\n%v", x)
			}
			return
		}
	}
	t.Fatal("no full namesakes with different providers in the data")
}
