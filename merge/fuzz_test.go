package merge

import (
	"slices"
	"strconv"
	"testing"

	"github.com/unifyhq/unify/profile"
)

// decodeCase turns fuzz bytes into a small clustering problem: options from
// the first bytes, then records, links and assertions over 12 refs.
func decodeCase(data []byte) (Options, []*profile.Record, []Link, []Assertion) {
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	o := Options{}
	flags := next()
	if flags&1 != 0 {
		o.Method = Components
	}
	if flags&2 != 0 {
		o.StrongIDs = []string{"national"}
	}
	if flags&4 != 0 {
		o.DistinctSources = []string{"a", "b"}
		o.MutualBest = flags&8 != 0
	}
	if flags&16 != 0 {
		o.Bridge = -1
	}
	if flags&32 != 0 {
		o.Cohesion = -1
	}
	o.MaxClusterSize = int(flags>>6) * 2 // 0, 2, 4, 6
	o.Threshold = float64(16+next()%48) / 64

	refOf := func(b byte) profile.Ref {
		return profile.Ref{Source: string(rune('a' + b%3)), Key: strconv.Itoa(int(b/3) % 4)}
	}
	var recs []*profile.Record
	have := map[profile.Ref]bool{}
	for range int(next() % 13) {
		b := next()
		r := refOf(b)
		if have[r] {
			continue
		}
		have[r] = true
		rec := &profile.Record{Source: r.Source, Key: r.Key}
		if v := next() % 4; v > 0 {
			rec.IDs = []profile.Identifier{{Type: "national", Value: strconv.Itoa(int(v))}}
		}
		recs = append(recs, rec)
	}
	var links []Link
	pairs := map[[2]profile.Ref]bool{}
	for len(data) >= 3 {
		x, y, p := refOf(next()), refOf(next()), next()
		if x == y || !have[x] || !have[y] {
			continue
		}
		if y.Compare(x) < 0 {
			x, y = y, x
		}
		if pairs[[2]profile.Ref{x, y}] {
			if p%5 == 0 && len(recs) > 1 { // an assertion instead
				break
			}
			continue
		}
		pairs[[2]profile.Ref{x, y}] = true
		w := 0.0
		if p%7 == 0 {
			w = -12
		}
		links = append(links, Link{A: x, B: y, Prob: float64(p%65) / 64, Weight: w})
	}
	var as []Assertion
	for len(data) >= 2 {
		x, y := refOf(next()), refOf(next())
		if !have[x] || !have[y] {
			continue
		}
		if x == y {
			as = append(as, AssertDetached(x))
		} else {
			as = append(as, AssertNotSame(x, y))
		}
	}
	return o, recs, links, as
}

// FuzzCluster checks the batch procedure against the naive implementation
// and against a Graph fed the same data in pieces, and the partition
// invariants, on arbitrary inputs.
func FuzzCluster(f *testing.F) {
	f.Add([]byte{0, 32, 6, 0, 1, 3, 0, 6, 2, 9, 0, 0, 3, 60, 3, 6, 58, 0, 6, 2})
	f.Add([]byte{2, 0, 5, 0, 1, 3, 2, 6, 3, 9, 1, 0, 3, 64, 3, 6, 64, 6, 9, 64, 0, 9, 0})
	f.Add([]byte{4 | 8, 10, 8, 0, 0, 1, 0, 3, 0, 4, 0, 0, 1, 63, 0, 4, 62, 3, 1, 61, 3, 4, 60})
	f.Add([]byte{1, 40, 4, 0, 0, 3, 0, 6, 0, 9, 0, 0, 3, 64, 3, 6, 64, 6, 9, 64, 0, 9})
	f.Add([]byte{64 | 16, 30, 6, 0, 0, 3, 0, 6, 0, 9, 0, 12, 0, 15, 0, 0, 3, 64, 3, 6, 64, 9, 12, 64, 12, 15, 64, 6, 9, 40})
	f.Fuzz(func(t *testing.T, data []byte) {
		o, recs, links, as := decodeCase(data)
		got, err := Cluster(recs, links, as, o)
		if err != nil {
			t.Fatalf("Cluster: %v", err)
		}
		seen := map[profile.Ref]bool{}
		for _, c := range got {
			if !slices.IsSortedFunc(c, profile.Ref.Compare) {
				t.Fatalf("cluster not sorted: %v", c)
			}
			for _, r := range c {
				if seen[r] {
					t.Fatalf("%s in two clusters", r)
				}
				seen[r] = true
			}
		}
		if len(seen) != len(recs) {
			t.Fatalf("%d records clustered, %d given", len(seen), len(recs))
		}
		if want := naiveCluster(recs, links, as, o); show(want) != show(got) {
			t.Fatalf("Cluster %s\nnaive   %s", show(got), show(want))
		}
		// The same data through a Graph: records one at a time with the
		// links to records already there, then the assertions.
		g, err := NewGraph(o)
		if err != nil {
			t.Fatal(err)
		}
		present := map[profile.Ref]bool{}
		for _, r := range recs {
			present[r.Ref()] = true
			var ls []Link
			for _, l := range links {
				if (l.A == r.Ref() && present[l.B]) || (l.B == r.Ref() && present[l.A]) {
					ls = append(ls, l)
				}
			}
			if _, err := g.Add([]*profile.Record{r}, ls); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := g.Assert(as...); err != nil {
			t.Fatal(err)
		}
		if inc := g.Clusters(); show(inc) != show(got) {
			t.Fatalf("Graph %s\nbatch %s", show(inc), show(got))
		}
	})
}
