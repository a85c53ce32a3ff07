package segment_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

// benchConditions are the ten rule segments of BenchmarkSegments1M: a mix
// of aggregates, windows over events, profile fields and sets.
var benchConditions = []string{
	`total_spend >= 1000 and last_purchase within 90d and channel in ("email", "sms") and not has(complaint, 30d)`,
	`purchase_count >= 5 or total_spend > 2500`,
	`last_seen before 180d`,
	`first_seen within 30d`,
	`channel_count >= 3`,
	`count(complaint, 90d) >= 2 or complaint_ratio >= 0.5`,
	`country = "AU" and locality in ("sydney", "melbourne", "brisbane")`,
	`attr:tier = "gold" and consent:email = "yes"`,
	`spend(365d) between 100 and 1000 and devices contains "mobile"`,
	`sources contains "pos" and not has(purchase, 30d) and email exists`,
}

func benchSegments(tb testing.TB) []*segment.Segment {
	segs := make([]*segment.Segment, len(benchConditions))
	for i, c := range benchConditions {
		s, err := segment.New(fmt.Sprint("s", i), c)
		if err != nil {
			tb.Fatal(err)
		}
		segs[i] = s
	}
	return segs
}

var (
	benchChannels = []profile.Channel{"email", "web", "app", "store", "sms", "phone"}
	benchTypes    = []profile.EventType{profile.Purchase, profile.Purchase, profile.Visit, profile.Visit, profile.Login, profile.CampaignResponse, profile.Complaint, profile.Enquiry, profile.Return}
	benchCities   = []string{"Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Hobart"}
	benchSources  = []string{"crm", "shop", "pos", "web"}
	benchDevices  = []string{"mobile", "desktop", "tablet"}
)

// synthViews makes n deterministic synthetic views: 1-3 member records,
// 0-24 events over the two years before fixtureNow.
func synthViews(tb testing.TB, n int, seed uint64) []*segment.View {
	ag, err := segment.NewAggregator(segment.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 7))
	views := make([]*segment.View, n)
	events := make([]profile.Event, 0, 32)
	for i := range views {
		id := strconv.Itoa(i)
		p := &profile.Profile{ID: id, Fields: map[profile.Field][]profile.GoldenValue{
			profile.FieldCountry:  gv("AU"),
			profile.FieldLocality: gv(benchCities[r.IntN(len(benchCities))]),
		}}
		if r.IntN(3) == 0 {
			p.Fields[profile.AttrField("tier")] = gv("gold")
			p.Fields[profile.ConsentField("email")] = gv("yes")
		}
		if r.IntN(2) == 0 {
			p.Fields[profile.FieldEmail] = gv("c" + id + "@example.com")
		}
		for m := 0; m <= r.IntN(3); m++ {
			p.Members = append(p.Members, profile.Ref{Source: benchSources[r.IntN(len(benchSources))], Key: id})
		}
		events = events[:0]
		for range r.IntN(25) {
			e := profile.Event{
				Record:  p.Members[0],
				Type:    benchTypes[r.IntN(len(benchTypes))],
				Time:    fixtureNow.Add(-time.Duration(r.Int64N(int64(2 * 365 * 24 * time.Hour)))),
				Channel: benchChannels[r.IntN(len(benchChannels))],
				Device:  benchDevices[r.IntN(len(benchDevices))],
			}
			if e.Type == profile.Purchase || e.Type == profile.Return {
				e.Amount = float64(r.IntN(40000)) / 100
			}
			events = append(events, e)
		}
		a, err := ag.Compute(fixtureNow, events)
		if err != nil {
			tb.Fatal(err)
		}
		views[i] = &segment.View{Profile: p, Agg: a}
	}
	return views
}

var (
	views1MOnce sync.Once
	views1M     []*segment.View
)

// BenchmarkSegments1M evaluates ten rule segments over one million
// profiles; one op is the whole population. The views are built once, on
// first use, and are not timed. Run on demand:
//
//	go test ./segment -run '^$' -bench Segments1M -benchmem -cpu 1
func BenchmarkSegments1M(b *testing.B) {
	views1MOnce.Do(func() { views1M = synthViews(b, 1_000_000, 1) })
	benchPopulation(b, views1M)
}

// BenchmarkSegments10K is the same over ten thousand profiles.
func BenchmarkSegments10K(b *testing.B) {
	benchPopulation(b, synthViews(b, 10_000, 1))
}

func benchPopulation(b *testing.B, views []*segment.View) {
	segs := benchSegments(b)
	members := make([]int, len(segs))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, cpuOK := processCPU()
	for b.Loop() {
		for _, v := range views {
			for j, s := range segs {
				if s.Match(v) {
					members[j]++
				}
			}
		}
	}
	cpu1, _ := processCPU()
	per := float64(b.N) * float64(len(views))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/profile")
	if cpuOK {
		// Evaluation allocates nothing, so no GC runs: the process's CPU
		// time in the loop is the loop's.
		b.ReportMetric(float64(cpu1-cpu0)/per, "cpu-ns/profile")
	}
	if members[0] == 0 && members[2] == 0 {
		b.Fatal("no profile in any segment: the synthetic data is wrong")
	}
}

func BenchmarkMatch(b *testing.B) {
	v := fixtureView(b)
	for i, c := range benchConditions {
		s := segment.MustNew("t", c)
		b.Run(strconv.Itoa(i), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Match(v)
			}
		})
	}
}

func BenchmarkCompute(b *testing.B) {
	ag, _ := segment.NewAggregator(fixtureOptions())
	evs := fixtureEvents()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ag.Compute(fixtureNow, evs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := segment.Parse(benchConditions[0]); err != nil {
			b.Fatal(err)
		}
	}
}
