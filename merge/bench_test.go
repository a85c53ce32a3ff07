package merge

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/unifyhq/unify/profile"
)

// synth is a deterministic synthetic workload: n records of people with 1-5
// records each (2.5 on average), and about perRecord scored links per record,
// as a blocking stage would produce them: every pair within a person (high
// probability, a few low), and the rest between records of different people
// that share a block (low probability, 1% of them at or above 0.5 so chains
// can form).
type synth struct {
	n      int
	person []int32 // record -> person
	edges  []cedge // a < b, dense ids in ref order
}

func newSynth(n, perRecord int, seed uint64) *synth {
	rng := rand.New(rand.NewPCG(seed, 7))
	s := &synth{n: n, person: make([]int32, n)}
	p := int32(0)
	for i := 0; i < n; {
		size := 1 + rng.IntN(5)
		for k := 0; k < size && i < n; k++ {
			s.person[i] = p
			i++
		}
		p++
	}
	want := n * perRecord
	s.edges = make([]cedge, 0, want)
	// Within-person pairs.
	for i := 0; i < n; {
		j := i
		for j < n && s.person[j] == s.person[i] {
			j++
		}
		for a := i; a < j; a++ {
			for b := a + 1; b < j; b++ {
				pr := 0.9 + 0.1*rng.Float64()
				if rng.IntN(20) == 0 {
					pr = rng.Float64() // a hard true pair
				}
				s.edges = append(s.edges, cedge{a: int32(a), b: int32(b), p: pr, w: float32(10 * pr)})
			}
		}
		i = j
	}
	// Blocking neighbours: records within a window of 64, other people.
	seen := make(map[uint64]struct{}, want)
	for _, e := range s.edges {
		seen[uint64(e.a)<<32|uint64(e.b)] = struct{}{}
	}
	for len(s.edges) < want {
		a := rng.IntN(n)
		b := a + 1 + rng.IntN(64)
		if b >= n || s.person[a] == s.person[b] {
			continue
		}
		k := uint64(a)<<32 | uint64(b)
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		pr := 0.2 * rng.Float64()
		if rng.IntN(100) == 0 {
			pr = 0.5 + 0.4*rng.Float64() // a false match
		}
		w := float32(-8 + 10*pr)
		s.edges = append(s.edges, cedge{a: int32(a), b: int32(b), p: pr, w: w})
	}
	return s
}

// ref of synthetic record i: keys are zero-padded so ref order is id order.
func (s *synth) ref(i int) profile.Ref {
	return profile.Ref{Source: "src" + strconv.Itoa(i%3), Key: fmt.Sprintf("%08d", i)}
}

func (s *synth) links() []Link {
	out := make([]Link, len(s.edges))
	for i, e := range s.edges {
		out[i] = Link{A: s.ref(int(e.a)), B: s.ref(int(e.b)), Prob: e.p, Weight: float64(e.w)}
	}
	return out
}

// record i with realistic fields for golden building.
func (s *synth) record(i int, rng *rand.Rand) *profile.Record {
	ref := s.ref(i)
	p := int(s.person[i])
	given := []string{"Ann", "Anne", "Anna", "Bob", "Robert", "Kate", "Katherine"}[(p+rng.IntN(2))%7]
	family := "Family" + strconv.Itoa(p%5000)
	r := &profile.Record{
		Source: ref.Source, Key: ref.Key,
		Observed: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(1500*24)) * time.Hour),
		Name:     profile.Name{Given: text(given), Family: text(family)},
	}
	if rng.IntN(3) > 0 {
		e := fmt.Sprintf("p%d@example.org", p)
		r.Emails = []profile.Email{{Raw: e, Address: e, Canonical: e}}
	}
	if rng.IntN(2) == 0 {
		r.Phones = []profile.Phone{{Raw: "0412", E164: "+61412" + strconv.Itoa(100000+p%900000)}}
	}
	if rng.IntN(2) == 0 {
		r.BirthDate = profile.DateValue{Raw: "x", Date: profile.Date{Year: 1950 + p%50, Month: 1 + p%12, Day: 1 + p%28}}
	}
	if rng.IntN(2) == 0 {
		r.Addresses = []profile.Address{{HouseNumber: text(strconv.Itoa(p % 200)), Street: text("Main St"), Postcode: text(strconv.Itoa(2000 + p%1000))}}
	}
	if rng.IntN(4) == 0 {
		r.IDs = []profile.Identifier{{Type: "loyalty", Raw: "L", Value: "l" + strconv.Itoa(p)}}
	}
	return r
}

func (s *synth) records() []*profile.Record {
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([]*profile.Record, s.n)
	for i := range out {
		out[i] = s.record(i, rng)
	}
	return out
}

// cpuMetric reports the process CPU time per op (user + system, all
// threads, GC included) since start: on a shared machine wall-clock time
// depends on the neighbours, CPU time much less.
func cpuMetric(b *testing.B, start time.Duration) {
	if start > 0 || cpuTime() > 0 {
		b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
	}
}

// BenchmarkConnectedComponents10M: union-find over 10 million links among 1
// million records (dense ids), then a label per record. "threshold" keeps
// the links at or above 0.5 (about 1.1 million here); "all" unions every
// link, the worst case (the window of 64 then chains everything into one
// component).
func BenchmarkConnectedComponents10M(b *testing.B) {
	s := newSynth(1_000_000, 10, 1)
	uf := NewUnionFind(s.n)
	for _, bc := range []struct {
		name      string
		threshold float64
	}{{"threshold", 0.5}, {"all", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				uf.Reset(s.n)
				for i := range s.edges {
					if e := &s.edges[i]; e.p >= bc.threshold {
						uf.Union(e.a, e.b)
					}
				}
				_ = uf.Labels()
			}
			cpuMetric(b, start)
			b.ReportMetric(float64(len(s.edges)), "links")
		})
	}
}

// benchCluster runs the batch Cluster on refs, from []Link to clusters.
func benchCluster(b *testing.B, n, perRecord int, o Options) {
	s := newSynth(n, perRecord, 1)
	links := s.links()
	rs := make([]*profile.Record, n)
	for i := range rs {
		r := s.ref(i)
		rs[i] = &profile.Record{Source: r.Source, Key: r.Key}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var cs [][]profile.Ref
	start := cpuTime()
	for b.Loop() {
		var err error
		if cs, err = Cluster(rs, links, nil, o); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpuMetric(b, start)
	b.ReportMetric(float64(len(links)), "links")
	b.ReportMetric(float64(len(cs)), "clusters")
	p, r := pairF1(s, cs)
	b.ReportMetric(p, "precision")
	b.ReportMetric(r, "recall")
}

// pairF1 returns pairwise precision and recall of clusters against the
// synthetic truth.
func pairF1(s *synth, cs [][]profile.Ref) (precision, recall float64) {
	id := func(r profile.Ref) int { n, _ := strconv.Atoi(r.Key); return n }
	var tp, predicted, truth float64
	for _, c := range cs {
		predicted += float64(len(c) * (len(c) - 1) / 2)
		count := map[int32]int{}
		for _, r := range c {
			count[s.person[id(r)]]++
		}
		for _, k := range count {
			tp += float64(k * (k - 1) / 2)
		}
	}
	for i := 0; i < s.n; {
		j := i
		for j < s.n && s.person[j] == s.person[i] {
			j++
		}
		truth += float64((j - i) * (j - i - 1) / 2)
		i = j
	}
	return tp / max(predicted, 1), tp / max(truth, 1)
}

// BenchmarkClusterComponents10M: Cluster from refs and 10M links, plain
// connected components: indexing refs, checking links, components.
func BenchmarkClusterComponents10M(b *testing.B) {
	benchCluster(b, 1_000_000, 10, Options{Method: Components})
}

// BenchmarkClusterGreedy10M: the same with the default greedy procedure.
func BenchmarkClusterGreedy10M(b *testing.B) { benchCluster(b, 1_000_000, 10, Options{}) }

// BenchmarkClusterThresholds: 100,000 records and a million links at
// thresholds from the default down to 0.01, where connected components
// would chain everything into one cluster; precision and recall against the
// synthetic truth are reported with the time.
func BenchmarkClusterThresholds(b *testing.B) {
	for _, th := range []float64{0.5, 0.15, 0.01} {
		for _, m := range []Method{Greedy, Components} {
			b.Run(fmt.Sprintf("%s/threshold=%v", m, th), func(b *testing.B) {
				benchCluster(b, 100_000, 10, Options{Threshold: th, Method: m})
			})
		}
	}
}

// BenchmarkGolden1M: golden profiles for 1 million records (about 400,000
// profiles of 1-5 records).
func BenchmarkGolden1M(b *testing.B) {
	s := newSynth(1_000_000, 0, 1)
	rs := s.records()
	var groups [][]*profile.Record
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && s.person[j] == s.person[i] {
			j++
		}
		groups = append(groups, rs[i:j])
		i = j
	}
	bl, _ := NewBuilder(Survivorship{})
	out := make([]profile.Profile, len(groups))
	var before, after runtime.MemStats
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	for b.Loop() {
		clear(out)
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := cpuTime()
		for i, g := range groups {
			out[i] = bl.Build(g)
		}
		cpu += cpuTime() - start
		runtime.ReadMemStats(&after)
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(rs)), "heapB/record")
	b.ReportMetric(float64(len(groups)), "profiles")
}

// BenchmarkGraphLoad1M: a Graph built in one batch from 1 million records
// and 10 million links, golden profiles included.
func BenchmarkGraphLoad1M(b *testing.B) {
	s := newSynth(1_000_000, 10, 1)
	rs := s.records()
	links := s.links()
	var before, after runtime.MemStats
	b.ReportAllocs()
	b.ResetTimer()
	var g *Graph
	var cpu time.Duration
	for b.Loop() {
		g = nil
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := cpuTime()
		g, _ = NewGraph(Options{})
		if _, err := g.Add(rs, links); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - start
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(rs)), "heapB/record")
	runtime.KeepAlive(g)
}

// BenchmarkGraphAddOne: adding one record (with 10 scored links, one of
// them a match) to a Graph holding 1 million records. Each op adds a new
// record; setup is excluded.
func BenchmarkGraphAddOne(b *testing.B) {
	const n = 1_000_000
	s := newSynth(n, 10, 1)
	rs := s.records()
	g, _ := NewGraph(Options{})
	if _, err := g.Add(rs, s.links()); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	lat := make([]time.Duration, 0, 1<<16)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	start := cpuTime()
	for b.Loop() {
		r := &profile.Record{Source: "new", Key: strconv.Itoa(i), Name: profile.Name{Given: text("Ann")}, Observed: at(1)}
		links := make([]Link, 10)
		for k := range links {
			links[k] = Link{A: r.Ref(), B: s.ref(rng.IntN(n)), Prob: 0.1 * rng.Float64()}
		}
		links[0].Prob = 0.97
		slices.SortFunc(links, func(x, y Link) int { return x.B.Compare(y.B) })
		links = slices.CompactFunc(links, func(x, y Link) bool { return x.B == y.B })
		t0 := time.Now()
		if _, err := g.Add([]*profile.Record{r}, links); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		i++
	}
	b.StopTimer()
	cpuMetric(b, start)
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	}
}

// BenchmarkGraphProfile: reading one profile from a Graph of 100,000
// records, which chooses its golden values on the call.
func BenchmarkGraphProfile(b *testing.B) {
	s := newSynth(100_000, 10, 1)
	g, _ := NewGraph(Options{})
	if _, err := g.Add(s.records(), s.links()); err != nil {
		b.Fatal(err)
	}
	ids := g.IDs()
	rng := rand.New(rand.NewPCG(3, 3))
	members := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, ok := g.Profile(ids[rng.IntN(len(ids))])
		if !ok {
			b.Fatal("profile missing")
		}
		members += len(p.Members)
	}
	b.ReportMetric(float64(members)/float64(b.N), "members/op")
}

// BenchmarkGraphSnapshot: the ID history of a Graph of 100,000 records,
// which a host stores at every checkpoint.
func BenchmarkGraphSnapshot(b *testing.B) {
	s := newSynth(100_000, 10, 1)
	g, _ := NewGraph(Options{})
	if _, err := g.Add(s.records(), s.links()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if snap := g.Snapshot(); len(snap.Profiles) == 0 {
			b.Fatal("no profiles")
		}
	}
}
