package eval

import (
	"fmt"
	"math"
	"testing"

	"github.com/unifyhq/unify/profile"
	"pgregory.net/rapid"
)

func ref(k string) profile.Ref { return profile.Ref{Source: "s", Key: k} }

func TestClustersByHand(t *testing.T) {
	// Truth: {a b c} {d e}. Predicted: {a b} {c d e}.
	truth := Truth{ref("a"): "1", ref("b"): "1", ref("c"): "1", ref("d"): "2", ref("e"): "2"}
	pred := map[profile.Ref]string{ref("a"): "x", ref("b"): "x", ref("c"): "y", ref("d"): "y", ref("e"): "y"}
	m, err := Clusters(pred, truth)
	if err != nil {
		t.Fatal(err)
	}
	// Predicted pairs: ab, cd, ce, de = 4; true pairs: ab ac bc de = 4;
	// true positives ab, de = 2.
	if m.TruePositives != 2 || m.FalsePositives != 2 || m.FalseNegatives != 2 {
		t.Fatalf("got %v", m)
	}
	if m.Precision != 0.5 || m.Recall != 0.5 || m.F1 != 0.5 {
		t.Fatalf("got %v", m)
	}
	p, r, err := BCubed(pred, truth)
	if err != nil {
		t.Fatal(err)
	}
	// Precision per record: a 1, b 1, c 1/3, d 2/3, e 2/3 -> 11/15.
	// Recall per record: a 2/3, b 2/3, c 1/3, d 1, e 1 -> 11/15.
	if math.Abs(p-11.0/15) > 1e-12 || math.Abs(r-11.0/15) > 1e-12 {
		t.Fatalf("B-cubed %v %v", p, r)
	}
	delete(truth, ref("e"))
	if _, err := Clusters(pred, truth); err == nil {
		t.Fatal("missing truth label not reported")
	}
}

// TestSweepMatchesClusters checks the one-pass sweep against clustering
// from scratch at each threshold (a second implementation).
func TestSweepMatchesClusters(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 30).Draw(t, "n")
		refs := make([]profile.Ref, n)
		truth := Truth{}
		for i := range refs {
			refs[i] = ref(fmt.Sprint(i))
			truth[refs[i]] = fmt.Sprint(rapid.IntRange(0, 5).Draw(t, "label"))
		}
		var links []Link
		for range rapid.IntRange(0, 60).Draw(t, "links") {
			a, b := rapid.IntRange(0, n-1).Draw(t, "a"), rapid.IntRange(0, n-1).Draw(t, "b")
			if a == b {
				continue
			}
			links = append(links, Link{A: refs[a], B: refs[b], Prob: float64(rapid.IntRange(0, 10).Draw(t, "p")) / 10})
		}
		ths := []float64{0.9, 0.1, 0.5}
		pts, err := Sweep(refs, links, ths, truth)
		if err != nil {
			t.Fatal(err)
		}
		for i, th := range ths {
			want, err := Clusters(components(refs, links, th), truth)
			if err != nil {
				t.Fatal(err)
			}
			if pts[i].Metrics != want {
				t.Fatalf("threshold %v: sweep %v, direct %v", th, pts[i].Metrics, want)
			}
		}
	})
}

// components is a plain connected-components labelling by repeated
// relabelling.
func components(refs []profile.Ref, links []Link, th float64) map[profile.Ref]string {
	label := map[profile.Ref]string{}
	for _, r := range refs {
		label[r] = r.Key
	}
	for changed := true; changed; {
		changed = false
		for _, l := range links {
			if l.Prob < th {
				continue
			}
			a, b := label[l.A], label[l.B]
			if a == b {
				continue
			}
			lo, hi := min(a, b), max(a, b)
			for r, v := range label {
				if v == hi {
					label[r] = lo
				}
			}
			changed = true
		}
	}
	return label
}

func TestLinksAndBlocking(t *testing.T) {
	truth := Truth{ref("a"): "1", ref("b"): "1", ref("c"): "2", ref("d"): "2"}
	refs := []profile.Ref{ref("a"), ref("b"), ref("c"), ref("d")}
	links := []Link{{ref("a"), ref("b"), 0.9}, {ref("b"), ref("c"), 0.6}, {ref("c"), ref("d"), 0.2}}
	m, err := Links(refs, links, 0.5, truth)
	if err != nil {
		t.Fatal(err)
	}
	if m.TruePositives != 1 || m.FalsePositives != 1 || m.FalseNegatives != 1 {
		t.Fatalf("links: %v", m)
	}
	b, err := BlockingQuality([][2]profile.Ref{{ref("a"), ref("b")}, {ref("b"), ref("c")}}, 6, 2, truth)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(b.ReductionRatio-4.0/6) > 1e-12 || b.PairCompleteness != 0.5 {
		t.Fatalf("blocking: %+v", b)
	}
	if best := Best([]Point{{Threshold: 0.1, Metrics: Metrics{F1: 0.5}}, {Threshold: 0.2, Metrics: Metrics{F1: 0.7}}}); best.Threshold != 0.2 {
		t.Fatalf("Best picked %v", best.Threshold)
	}
}
