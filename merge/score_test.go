package merge

import (
	"fmt"
	"testing"

	"github.com/unifyhq/unify/profile"
)

// TestScoreOnDemand joins two groups by one strong link. The pairs across
// that nobody scored are strangers: with Options.Score the guards see them
// and refuse the join; without it, the one scored pair decides.
func TestScoreOnDemand(t *testing.T) {
	ref := func(k string) profile.Ref { return profile.Ref{Source: "s", Key: k} }
	var recs []*profile.Record
	for _, k := range []string{"a1", "a2", "a3", "b1", "b2", "b3"} {
		recs = append(recs, &profile.Record{Source: "s", Key: k})
	}
	links := []Link{
		{A: ref("a1"), B: ref("a2"), Prob: 0.99, Weight: 10},
		{A: ref("a2"), B: ref("a3"), Prob: 0.99, Weight: 10},
		{A: ref("a1"), B: ref("a3"), Prob: 0.99, Weight: 10},
		{A: ref("b1"), B: ref("b2"), Prob: 0.99, Weight: 10},
		{A: ref("b2"), B: ref("b3"), Prob: 0.99, Weight: 10},
		{A: ref("b1"), B: ref("b3"), Prob: 0.99, Weight: 10},
		{A: ref("a3"), B: ref("b1"), Prob: 0.95, Weight: 6}, // the bridge
	}
	calls := 0
	strangers := func(a, b profile.Ref) (float64, float64, bool) {
		calls++
		if a.Key[0] == b.Key[0] {
			return 0.99, 10, true
		}
		return 0.01, -8, true
	}
	opts := Options{Bridge: -1} // leave the bridge guard out: cohesion alone
	without, err := Cluster(recs, links, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(without) != 1 {
		t.Fatalf("without a scorer the lone scored pair should join the groups: %v", without)
	}
	opts.Score = strangers
	with, err := Cluster(recs, links, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(with) != 2 {
		t.Fatalf("with a scorer the unscored strangers should keep the groups apart: %v", with)
	}
	if calls == 0 {
		t.Fatal("the scorer was never called")
	}
	// A scored pair far enough below the veto refuses the join outright.
	opts.Score = func(a, b profile.Ref) (float64, float64, bool) {
		if a.Key[0] == b.Key[0] {
			return 0.99, 10, true
		}
		return 0, -50, true
	}
	vetoed, _ := Cluster(recs, links, nil, opts)
	if len(vetoed) != 2 {
		t.Fatalf("a vetoing on-demand pair did not keep the groups apart: %v", vetoed)
	}
	// Incremental equals batch with a scorer.
	g, err := NewGraph(Options{Bridge: -1, Score: strangers})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		var ls []Link
		for _, l := range links {
			if (l.A == r.Ref() || l.B == r.Ref()) && indexOf(recs, l.A) <= i && indexOf(recs, l.B) <= i {
				ls = append(ls, l)
			}
		}
		if _, err := g.Add([]*profile.Record{r}, ls); err != nil {
			t.Fatal(err)
		}
	}
	if got := g.Clusters(); fmt.Sprint(got) != fmt.Sprint(with) {
		t.Errorf("incremental %v, batch %v", got, with)
	}
}

func indexOf(recs []*profile.Record, r profile.Ref) int {
	for i, x := range recs {
		if x.Ref() == r {
			return i
		}
	}
	return -1
}
