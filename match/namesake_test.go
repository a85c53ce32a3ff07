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
