package merge

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/unifyhq/unify/profile"
)

func TestClusterGuards(t *testing.T) {
	off := -1.0
	twoGroups := append(dense(0.99, "a/1", "a/2", "a/3"), dense(0.99, "b/1", "b/2", "b/3")...)
	tests := []struct {
		name     string
		records  []*profile.Record
		links    []Link
		asserts  []Assertion
		opts     Options
		together [][2]string
		apart    [][2]string
	}{
		{
			name:     "two dense groups joined by one weak link stay apart",
			records:  recs("a/1", "a/2", "a/3", "b/1", "b/2", "b/3"),
			links:    append(slices.Clone(twoGroups), lk("a/3", "b/1", 0.7)),
			together: [][2]string{{"a/1", "a/3"}, {"b/1", "b/3"}},
			apart:    [][2]string{{"a/3", "b/1"}},
		},
		{
			name:     "a strong lone link still joins two groups",
			records:  recs("a/1", "a/2", "a/3", "b/1", "b/2", "b/3"),
			links:    append(slices.Clone(twoGroups), lk("a/3", "b/1", 0.95)),
			together: [][2]string{{"a/1", "b/3"}},
		},
		{
			name:     "with bridges off, the weak link chains",
			records:  recs("a/1", "a/2", "a/3", "b/1", "b/2", "b/3"),
			links:    append(slices.Clone(twoGroups), lk("a/3", "b/1", 0.7)),
			opts:     Options{Bridge: off},
			together: [][2]string{{"a/1", "b/3"}},
		},
		{
			name:     "components chain too",
			records:  recs("a/1", "a/2", "a/3", "b/1", "b/2", "b/3"),
			links:    append(slices.Clone(twoGroups), lk("a/3", "b/1", 0.7)),
			opts:     Options{Method: Components},
			together: [][2]string{{"a/1", "b/3"}},
		},
		{
			name:     "a chain whose ends score strongly negative is cut",
			records:  recs("x/a", "x/b", "x/c"),
			links:    []Link{lk("x/a", "x/b", 0.95), lk("x/b", "x/c", 0.9), {A: ref("x/a"), B: ref("x/c"), Prob: 0.0001, Weight: -15}},
			together: [][2]string{{"x/a", "x/b"}},
			apart:    [][2]string{{"x/a", "x/c"}, {"x/b", "x/c"}},
		},
		{
			name:     "with probabilities only, VetoProb does it",
			records:  recs("x/a", "x/b", "x/c"),
			links:    []Link{lk("x/a", "x/b", 0.95), lk("x/b", "x/c", 0.9), lk("x/a", "x/c", 0.0001)},
			opts:     Options{VetoProb: 0.001},
			together: [][2]string{{"x/a", "x/b"}},
			apart:    [][2]string{{"x/a", "x/c"}, {"x/b", "x/c"}},
		},
		{
			name:     "a vetoing weight cuts even when the average is high",
			records:  recs("x/a", "x/b", "x/c", "x/d"),
			links:    append(dense(0.99, "x/a", "x/b", "x/c"), lk("x/a", "x/d", 0.99), lk("x/b", "x/d", 0.99), Link{A: ref("x/c"), B: ref("x/d"), Prob: 0.2, Weight: -12}),
			together: [][2]string{{"x/a", "x/c"}},
			apart:    [][2]string{{"x/a", "x/d"}},
		},
		{
			name:     "without the veto, the average decides",
			records:  recs("x/a", "x/b", "x/c", "x/d"),
			links:    append(dense(0.99, "x/a", "x/b", "x/c"), lk("x/a", "x/d", 0.99), lk("x/b", "x/d", 0.99), Link{A: ref("x/c"), B: ref("x/d"), Prob: 0.2, Weight: -12}),
			opts:     Options{Veto: off},
			together: [][2]string{{"x/a", "x/d"}},
		},
		{
			name:     "different strong identifiers never join, whatever chain links them",
			records:  []*profile.Record{withID(rec("x/a"), "national", "1"), rec("x/b"), withID(rec("x/c"), "national", "2")},
			links:    []Link{lk("x/a", "x/b", 0.99), lk("x/b", "x/c", 0.98)},
			opts:     Options{StrongIDs: []string{"national"}},
			together: [][2]string{{"x/a", "x/b"}},
			apart:    [][2]string{{"x/a", "x/c"}},
		},
		{
			name:     "overlapping identifier sets do not conflict",
			records:  []*profile.Record{withID(withID(rec("x/a"), "national", "1"), "national", "2"), withID(rec("x/c"), "national", "2")},
			links:    []Link{lk("x/a", "x/c", 0.9)},
			opts:     Options{StrongIDs: []string{"national"}},
			together: [][2]string{{"x/a", "x/c"}},
		},
		{
			name:     "identifiers not listed as strong do not conflict",
			records:  []*profile.Record{withID(rec("x/a"), "crm", "1"), withID(rec("x/c"), "crm", "2")},
			links:    []Link{lk("x/a", "x/c", 0.9)},
			opts:     Options{StrongIDs: []string{"national"}},
			together: [][2]string{{"x/a", "x/c"}},
		},
		{
			name:     "max cluster size",
			records:  recs("x/a", "x/b", "x/c"),
			links:    dense(0.99, "x/a", "x/b", "x/c"),
			opts:     Options{MaxClusterSize: 2},
			together: [][2]string{{"x/a", "x/b"}},
			apart:    [][2]string{{"x/a", "x/c"}, {"x/b", "x/c"}},
		},
		{
			name:     "not-same assertion",
			records:  recs("x/a", "x/b", "x/c"),
			links:    dense(0.99, "x/a", "x/b", "x/c"),
			asserts:  []Assertion{AssertNotSame(ref("x/c"), ref("x/a"))},
			together: [][2]string{{"x/a", "x/b"}},
			apart:    [][2]string{{"x/a", "x/c"}},
		},
		{
			name:    "not-same assertion holds under components",
			records: recs("x/a", "x/b", "x/c"),
			links:   dense(0.99, "x/a", "x/b", "x/c"),
			asserts: []Assertion{AssertNotSame(ref("x/a"), ref("x/c"))},
			opts:    Options{Method: Components},
			apart:   [][2]string{{"x/a", "x/c"}},
		},
		{
			name:     "detached record",
			records:  recs("x/a", "x/b", "x/c"),
			links:    dense(0.99, "x/a", "x/b", "x/c"),
			asserts:  []Assertion{AssertDetached(ref("x/b"))},
			together: [][2]string{{"x/a", "x/c"}},
			apart:    [][2]string{{"x/a", "x/b"}, {"x/b", "x/c"}},
		},
		{
			name:     "below the threshold nothing joins",
			records:  recs("x/a", "x/b"),
			links:    []Link{lk("x/a", "x/b", 0.49)},
			apart:    [][2]string{{"x/a", "x/b"}},
			together: nil,
		},
		{
			name:    "distinct sources: one record per source",
			records: recs("a/1", "a/2", "b/1"),
			links:   []Link{lk("a/1", "b/1", 0.99), lk("a/2", "b/1", 0.98), lk("a/1", "a/2", 0.97)},
			opts:    Options{DistinctSources: []string{"a", "b"}},
			// greedy: a/1-b/1 first; a/2 cannot join (source a taken)
			together: [][2]string{{"a/1", "b/1"}},
			apart:    [][2]string{{"a/1", "a/2"}, {"a/2", "b/1"}},
		},
		{
			name:    "greedy one-to-one takes the second choice",
			records: recs("a/1", "a/2", "b/1", "b/2"),
			// a/1's best is b/1 (0.99); a/2's best is b/1 too (0.98) but
			// b/1 is taken; greedy then links a/2 with b/2.
			links:    []Link{lk("a/1", "b/1", 0.99), lk("a/2", "b/1", 0.98), lk("a/2", "b/2", 0.9)},
			opts:     Options{DistinctSources: []string{"a", "b"}, Bridge: off},
			together: [][2]string{{"a/1", "b/1"}, {"a/2", "b/2"}},
		},
		{
			name:    "mutual best does not",
			records: recs("a/1", "a/2", "b/1", "b/2"),
			// b/2's best is a/2 but a/2's best is b/1: not mutual.
			links:    []Link{lk("a/1", "b/1", 0.99), lk("a/2", "b/1", 0.98), lk("a/2", "b/2", 0.9)},
			opts:     Options{DistinctSources: []string{"a", "b"}, MutualBest: true},
			together: [][2]string{{"a/1", "b/1"}},
			apart:    [][2]string{{"a/2", "b/2"}, {"a/2", "b/1"}},
		},
		{
			name:     "cohesion: one strong pair among many weak ones does not join",
			records:  recs("x/a", "x/b", "x/c", "x/d", "x/e", "y/1"),
			links:    append(dense(0.99, "x/a", "x/b", "x/c", "x/d", "x/e"), lk("y/1", "x/a", 0.9), lk("y/1", "x/b", 0.01), lk("y/1", "x/c", 0.01), lk("y/1", "x/d", 0.01), lk("y/1", "x/e", 0.01)),
			together: [][2]string{{"x/a", "x/e"}},
			apart:    [][2]string{{"x/a", "y/1"}},
		},
		{
			name:     "cohesion off joins on the strong link",
			records:  recs("x/a", "x/b", "x/c", "x/d", "x/e", "y/1"),
			links:    append(dense(0.99, "x/a", "x/b", "x/c", "x/d", "x/e"), lk("y/1", "x/a", 0.9), lk("y/1", "x/b", 0.01), lk("y/1", "x/c", 0.01), lk("y/1", "x/d", 0.01), lk("y/1", "x/e", 0.01)),
			opts:     Options{Cohesion: off},
			together: [][2]string{{"x/a", "y/1"}},
		},
		{
			name:     "a messy true cluster still joins: half the pairs across look different",
			records:  recs("x/a", "x/b", "x/c"),
			links:    []Link{lk("x/a", "x/b", 0.99), lk("x/b", "x/c", 0.9), lk("x/a", "x/c", 0.05)},
			together: [][2]string{{"x/a", "x/c"}},
		},
		{
			name:     "unscored pairs carry no evidence: a plain chain joins",
			records:  recs("x/a", "x/b", "x/c"),
			links:    []Link{lk("x/a", "x/b", 0.99), lk("x/b", "x/c", 0.9)},
			together: [][2]string{{"x/a", "x/c"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs := mustCluster(t, tc.records, tc.links, tc.asserts, tc.opts)
			for _, p := range tc.together {
				if !together(cs, p[0], p[1]) {
					t.Errorf("%s and %s apart: %s", p[0], p[1], show(cs))
				}
			}
			for _, p := range tc.apart {
				if together(cs, p[0], p[1]) {
					t.Errorf("%s and %s together: %s", p[0], p[1], show(cs))
				}
			}
			// The incremental graph agrees.
			g := mustGraph(t, tc.opts)
			must(g.Add(tc.records, tc.links))
			must(g.Assert(tc.asserts...))
			if got := g.Clusters(); show(got) != show(cs) {
				t.Errorf("graph: %s\nbatch: %s", show(got), show(cs))
			}
		})
	}
}

func TestClusterOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var rs []*profile.Record
	for i := range 40 {
		rs = append(rs, rec("s/"+string(rune('a'+i%26))+string(rune('a'+i/26))))
	}
	var ls []Link
	for i := range rs {
		for j := i + 1; j < len(rs); j++ {
			if rng.IntN(8) == 0 {
				// Coarse probabilities make ties common.
				ls = append(ls, Link{A: rs[i].Ref(), B: rs[j].Ref(), Prob: float64(rng.IntN(5)) / 4})
			}
		}
	}
	want := show(mustCluster(t, rs, ls, nil, Options{}))
	for range 20 {
		rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
		rng.Shuffle(len(ls), func(i, j int) { ls[i], ls[j] = ls[j], ls[i] })
		for i := range ls {
			if rng.IntN(2) == 0 {
				ls[i].A, ls[i].B = ls[i].B, ls[i].A
			}
		}
		if got := show(mustCluster(t, rs, ls, nil, Options{})); got != want {
			t.Fatalf("order changed the result:\n%s\n%s", got, want)
		}
	}
}

func TestClusterErrors(t *testing.T) {
	rs := recs("x/a", "x/b")
	tests := []struct {
		name string
		rs   []*profile.Record
		ls   []Link
		as   []Assertion
		o    Options
		want error
	}{
		{"unknown record", rs, []Link{lk("x/a", "x/z", 0.9)}, nil, Options{}, ErrUnknownRecord},
		{"self link", rs, []Link{lk("x/a", "x/a", 0.9)}, nil, Options{}, ErrInvalidLink},
		{"probability above 1", rs, []Link{lk("x/a", "x/b", 1.5)}, nil, Options{}, ErrInvalidLink},
		{"duplicate pair", rs, []Link{lk("x/a", "x/b", 0.9), lk("x/b", "x/a", 0.8)}, nil, Options{}, ErrDuplicateLink},
		{"duplicate record", append(recs("x/a"), rs...), nil, nil, Options{}, ErrDuplicateRecord},
		{"nil record", []*profile.Record{nil}, nil, nil, Options{}, ErrInvalidRecord},
		{"empty key", []*profile.Record{{Source: "x"}}, nil, nil, Options{}, ErrInvalidRecord},
		{"bad threshold", rs, nil, nil, Options{Threshold: 2}, ErrInvalidOptions},
		{"mutual best without sources", rs, nil, nil, Options{MutualBest: true}, ErrInvalidOptions},
		{"veto prob above threshold", rs, nil, nil, Options{VetoProb: 0.6}, ErrInvalidOptions},
		{"address part rule", rs, nil, nil, Options{Survivorship: Survivorship{Fields: map[profile.Field]Rule{profile.FieldStreet: MostRecent()}}}, ErrInvalidOptions},
		{"self assertion", rs, nil, []Assertion{AssertNotSame(ref("x/a"), ref("x/a"))}, Options{}, ErrInvalidAssertion},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Cluster(tc.rs, tc.ls, tc.as, tc.o)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}
