package match

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/unifyhq/unify/profile"
)

// TestHeldU checks the u of the phone's last_7_digits level against the
// truth on data where that level is nearly all one person (a number in
// international form in one source, national in another) and the only
// strangers at it are households sharing a landline. The random-pair
// sample sees at most a few such pairs, so its estimate sits at its floor,
// several times the truth here (and hundreds of times at scale); heldU
// counts them in the blocks.
func TestHeldU(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 19))
	var recs []*profile.Record
	add := func(given, family, dob, phone string, national bool) {
		r := person(fmt.Sprint(len(recs)), given, family, dob, "", "")
		ph := profile.Phone{Raw: phone, E164: phone}
		if national {
			ph = profile.Phone{Raw: "0" + phone[3:]} // +44 7911... -> 07911..., no country known
		}
		r.Phones = []profile.Phone{ph}
		recs = append(recs, r)
	}
	dob := func() string { return fmt.Sprintf("%d-%02d-%02d", 1940+rng.IntN(60), 1+rng.IntN(12), 1+rng.IntN(28)) }
	number := func(i int) string { return fmt.Sprintf("+447911%06d", i) }
	const people, households = 6000, 20
	for i := range people {
		g, f, d := randWord(rng, 6), randWord(rng, 8), dob()
		typo := []byte(f)
		typo[rng.IntN(len(typo))] = byte('a' + rng.IntN(26))
		add(g, f, d, number(i), false)
		add(g, string(typo), d, number(i), true)
	}
	for i := range households {
		f := randWord(rng, 8)
		add(randWord(rng, 5), f, dob(), number(people+i), false)
		add(randWord(rng, 5), f, dob(), number(people+i), true)
	}
	m, err := Train(context.Background(), recs, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	n := float64(len(recs))
	truth := households / (n * (n - 1) / 2)
	floor := 0.5 / float64(m.Model().Trained.RandomPairs)
	for _, c := range m.Model().Comparisons {
		if c.Name != "phone" {
			continue
		}
		u := c.Levels[1].U
		t.Logf("last_7_digits u %.3g (truth %.3g, random-pair floor %.3g), m %.3f", u, truth, floor, c.Levels[1].M)
		if u < truth/2 || u > truth*2 {
			t.Errorf("last_7_digits u %.3g, truth %.3g", u, truth)
		}
		return
	}
	t.Fatal("no phone comparison")
}
