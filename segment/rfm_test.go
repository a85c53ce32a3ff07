package segment_test

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unifyhq/unify/segment"
	"pgregory.net/rapid"
)

func buyer(id string, daysAgo, orders int, spend float64) *segment.View {
	a := &segment.Aggregates{Now: fixtureNow, Purchases: orders, Spend: spend}
	if orders > 0 && daysAgo >= 0 {
		a.LastPurchase = fixtureNow.Add(-time.Duration(daysAgo)*24*time.Hour - time.Hour)
	}
	return &segment.View{Profile: profileID(id), Agg: a}
}

func TestScoreRFM(t *testing.T) {
	views := []*segment.View{
		buyer("A", 1, 10, 1000),
		buyer("B", 10, 5, 500),
		buyer("C", 100, 2, 200),
		buyer("D", 200, 1, 50),
		buyer("E", 400, 1, 20),
		buyer("F", 0, 0, 0),   // no purchases
		buyer("G", -1, 1, 10), // an order without a time
		nil,
		{Profile: profileID("H")}, // no aggregates
	}
	// Five scored customers; score = 1 + floor(5 * beaten / 4), capped at 5,
	// which is 1 + beaten here.
	// R beaten (more days): A4 B3 C2 D1 E0. F beaten (fewer orders): A4 B3
	// C2 D0 E0 (D and E tie). M beaten: A4 B3 C2 D1 E0.
	// FM = (F+M+1)/2: A5 B4 C3 D2 E1.
	want := []segment.RFMScore{
		{RecencyDays: 1, Frequency: 10, Monetary: 1000, R: 5, F: 5, M: 5, Segment: segment.Champions},
		{RecencyDays: 10, Frequency: 5, Monetary: 500, R: 4, F: 4, M: 4, Segment: segment.Loyal},
		{RecencyDays: 100, Frequency: 2, Monetary: 200, R: 3, F: 3, M: 3, Segment: segment.NeedAttention},
		{RecencyDays: 200, Frequency: 1, Monetary: 50, R: 2, F: 1, M: 2, Segment: segment.Hibernating},
		{RecencyDays: 400, Frequency: 1, Monetary: 20, R: 1, F: 1, M: 1, Segment: segment.Lost},
		{Segment: segment.NoPurchases},
		{Frequency: 1, Monetary: 10, Segment: segment.UndatedPurchases},
		{Segment: segment.NoPurchases},
		{Segment: segment.NoPurchases},
	}
	if diff := cmp.Diff(want, segment.ScoreRFM(views, segment.RFMOptions{})); diff != "" {
		t.Errorf("ScoreRFM (-want +got):\n%s", diff)
	}
	// On the R x F grid, D is R2 F1: still Hibernating; B R4 F4 Loyal.
	got := segment.ScoreRFM(views, segment.RFMOptions{FrequencyOnly: true})
	if got[3].Segment != segment.Hibernating || got[1].Segment != segment.Loyal || got[0].Segment != segment.Champions {
		t.Errorf("FrequencyOnly: %v %v %v", got[0].Segment, got[1].Segment, got[3].Segment)
	}
	segment.AssignRFM(views, segment.RFMOptions{})
	if s := segment.MustNew("t", `rfm_segment = "champions" and rfm_r = 5 and rfm_f = 5 and rfm_m = 5`); !s.Match(views[0]) || s.Match(views[1]) {
		t.Error("rfm fields in conditions")
	}
}

func TestScoreRFMTies(t *testing.T) {
	// Ten customers, orders 1,1,1,1,1,1,2,2,3,4, all on the same day.
	orders := []int{1, 1, 1, 1, 1, 1, 2, 2, 3, 4}
	var views []*segment.View
	for i, o := range orders {
		views = append(views, buyer(string(rune('a'+i)), 3, o, 10))
	}
	// F: six ones beat nobody (1); twos beat six (1 + floor(30/9) = 4);
	// three beats eight (1 + floor(40/9) = 5); four beats nine (5). R and M
	// all tie: 1.
	wantF := []int{1, 1, 1, 1, 1, 1, 4, 4, 5, 5}
	for i, s := range segment.ScoreRFM(views, segment.RFMOptions{}) {
		if s.F != wantF[i] || s.R != 1 || s.M != 1 {
			t.Errorf("customer %d: R%d F%d M%d, want R1 F%d M1", i, s.R, s.F, s.M, wantF[i])
		}
	}
}

// Properties over random populations: scores are 1..5 for every customer
// with a dated order; equal values get equal scores; better values never get
// lower scores; and each customer's score does not depend on the order of
// the population.
func TestRFMProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 60).Draw(t, "n")
		views := make([]*segment.View, n)
		for i := range views {
			orders := rapid.IntRange(0, 6).Draw(t, "orders")
			views[i] = buyer(string(rune('A'+i)), rapid.IntRange(0, 30).Draw(t, "days"), orders, float64(rapid.IntRange(0, 8).Draw(t, "spend"))*10)
		}
		scores := segment.ScoreRFM(views, segment.RFMOptions{})
		for i, s := range scores {
			if views[i].Agg.Purchases == 0 {
				if s.Segment != segment.NoPurchases || s.R != 0 {
					t.Fatalf("customer %d without orders: %+v", i, s)
				}
				continue
			}
			for _, x := range []int{s.R, s.F, s.M} {
				if x < 1 || x > 5 {
					t.Fatalf("customer %d: score out of 1..5: %+v", i, s)
				}
			}
			if !slices.Contains(segment.RFMSegments[:11], s.Segment) {
				t.Fatalf("customer %d: segment %q", i, s.Segment)
			}
			for j, o := range scores {
				if o.R == 0 {
					continue
				}
				if s.RecencyDays == o.RecencyDays && s.R != o.R {
					t.Fatalf("equal recency, different R: %+v %+v", s, o)
				}
				if s.RecencyDays < o.RecencyDays && s.R < o.R || s.Frequency > o.Frequency && s.F < o.F || s.Monetary > o.Monetary && s.M < o.M {
					t.Fatalf("customers %d and %d: better value, lower score: %+v %+v", i, j, s, o)
				}
				if s.Frequency == o.Frequency && s.F != o.F || s.Monetary == o.Monetary && s.M != o.M {
					t.Fatalf("customers %d and %d: equal values, different scores: %+v %+v", i, j, s, o)
				}
			}
		}
		perm := rapid.Permutation(indexes(n)).Draw(t, "perm")
		shuffled := make([]*segment.View, n)
		for i, p := range perm {
			shuffled[i] = views[p]
		}
		for i, s := range segment.ScoreRFM(shuffled, segment.RFMOptions{}) {
			if s != scores[perm[i]] {
				t.Fatalf("order changed the score of %s: %+v vs %+v", shuffled[i].ID(), s, scores[perm[i]])
			}
		}
	})
}

func indexes(n int) []int {
	xs := make([]int, n)
	for i := range xs {
		xs[i] = i
	}
	return xs
}

func TestValueTiers(t *testing.T) {
	var views []*segment.View
	for i := 1; i <= 20; i++ {
		views = append(views, buyer(string(rune('a'+i)), 1, 1, float64(i)))
	}
	views = append(views, buyer("zero", 0, 0, 0), nil)
	tiers, err := segment.ValueTiers(views, segment.TierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// n = 20 spenders. VIP: fewer than 1 above (spend 20). High: fewer than
	// 4 above (17, 18, 19).
	for i, tier := range tiers {
		want := segment.TierStandard
		switch {
		case i >= 20:
			want = segment.TierNone
		case i == 19:
			want = segment.TierVIP
		case i >= 16:
			want = segment.TierHigh
		}
		if tier != want {
			t.Errorf("view %d: tier %q, want %q", i, tier, want)
		}
	}
	// A tie at the top: both are VIPs.
	views[18].Agg.Spend = 20
	tiers, _ = segment.ValueTiers(views, segment.TierOptions{})
	if tiers[18] != segment.TierVIP || tiers[19] != segment.TierVIP {
		t.Errorf("tied top spenders: %q %q", tiers[18], tiers[19])
	}
	for _, bad := range []segment.TierOptions{{VIP: 0.3, High: 0.2}, {VIP: -1}, {High: 1.5}, {VIP: math.NaN()}} {
		if _, err := segment.ValueTiers(views, bad); !errors.Is(err, segment.ErrOptions) {
			t.Errorf("ValueTiers(%+v) error %v, want ErrOptions", bad, err)
		}
	}
	if err := segment.AssignTiers(views, segment.TierOptions{}); err != nil {
		t.Fatal(err)
	}
	if !segment.MustNew("t", `value_tier = "vip"`).Match(views[19]) {
		t.Error("value_tier in conditions")
	}
}

func TestBuiltins(t *testing.T) {
	segs, err := segment.Builtins(segment.BuiltinOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		segment.SegmentLapsed:        `last_seen before 180d`,
		segment.SegmentNew:           `first_seen within 30d`,
		segment.SegmentMultiChannel:  `channel_count >= 2`,
		segment.SegmentComplaintRisk: `count(complaint, 90d) >= 2 or complaint_ratio >= 0.5`,
		segment.SegmentVIP:           `value_tier = "vip"`,
	}
	// On the fixture: 4 channels; 1 complaint in 90 days but 2 complaints
	// per 3 orders; the latest event is after now, the first 2023-01-10.
	match := map[string]bool{segment.SegmentMultiChannel: true, segment.SegmentComplaintRisk: true}
	v := fixtureView(t)
	for _, s := range segs {
		if s.String() != want[s.Name()] {
			t.Errorf("%s: %s, want %s", s.Name(), s, want[s.Name()])
		}
		if got := s.Match(v); got != match[s.Name()] {
			t.Errorf("%s on the fixture: %v", s.Name(), got)
		}
	}
	segs, err = segment.Builtins(segment.BuiltinOptions{LapsedAfter: segment.Days(7), ComplaintRatio: -1, MultiChannelMin: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got := segs[0].String() + " | " + segs[2].String() + " | " + segs[3].String(); got != `last_seen before 7d | channel_count >= 5 | count(complaint, 90d) >= 2` {
		t.Errorf("options: %s", got)
	}
	if _, err := segment.Builtins(segment.BuiltinOptions{NewWithin: segment.Window{N: -1, Unit: segment.Day}}); !errors.Is(err, segment.ErrType) {
		t.Errorf("bad window: %v", err)
	}
}

// TestPopulationRanksMoneyPerCurrency checks that monetary scores and value
// tiers compare spends only in one currency (JPY 50000 does not outrank
// GBP 200), that customers without a currency are ranked with the one
// currency there is, and that a customer alone in its currency is neither
// a VIP nor the lowest spender for it.
func TestPopulationRanksMoneyPerCurrency(t *testing.T) {
	// spenders returns n customers in cur spending 1, 2, ..., n.
	spenders := func(cur string, n int) []*segment.View {
		var vs []*segment.View
		for i := 1; i <= n; i++ {
			v := buyer(cur+string(rune('a'+i%26))+string(rune('a'+i/26)), 1, 1, float64(i))
			v.Agg.SpendCurrency = cur
			vs = append(vs, v)
		}
		return vs
	}
	one := func(cur string, spend float64) []*segment.View {
		v := buyer("probe", 1, 1, spend)
		v.Agg.SpendCurrency = cur
		return []*segment.View{v}
	}
	tests := []struct {
		name  string
		views []*segment.View // the last is checked
		m     int
		tier  segment.ValueTier
	}{
		{"top of two GBP beside JPY", slices.Concat(one("JPY", 50000), spenders("GBP", 2)), 5, segment.TierStandard},
		{"lowest of two GBP beside JPY", slices.Concat(one("JPY", 50000), spenders("GBP", 2)[1:], one("GBP", 1)), 1, segment.TierStandard},
		{"alone in JPY beside GBP", slices.Concat(spenders("GBP", 2), one("JPY", 50000)), 3, segment.TierStandard},
		{"1 EUR beside 100 GBP", slices.Concat(spenders("GBP", 100), one("EUR", 1)), 3, segment.TierStandard},
		{"top of 100 GBP beside EUR", slices.Concat(one("EUR", 1), spenders("GBP", 100)[:99], one("GBP", 100)), 5, segment.TierVIP},
		{"top of 10 GBP beside EUR: High, no VIP", slices.Concat(one("EUR", 1), spenders("GBP", 9), one("GBP", 10)), 5, segment.TierHigh},
		{"no currency, ranked with GBP", slices.Concat(spenders("GBP", 19), one("", 20)), 5, segment.TierVIP},
		{"no currency, lowest with GBP", slices.Concat(spenders("GBP", 19), one("", 0.5)), 1, segment.TierStandard},
		{"no currency beside GBP and EUR", slices.Concat(spenders("GBP", 20), spenders("EUR", 20), one("", 20)), 3, segment.TierStandard},
		{"no spend, alone beside GBP and EUR", slices.Concat(spenders("GBP", 20), spenders("EUR", 20), one("", 0)), 1, segment.TierNone},
		{"the only customer", one("JPY", 50000), 1, segment.TierVIP},
		{"top of a single small group", slices.Concat(spenders("GBP", 2)), 5, segment.TierVIP},
	}
	for _, tt := range tests {
		scores := segment.ScoreRFM(tt.views, segment.RFMOptions{})
		tiers, err := segment.ValueTiers(tt.views, segment.TierOptions{})
		if err != nil {
			t.Fatal(err)
		}
		last := len(tt.views) - 1
		if scores[last].M != tt.m || tiers[last] != tt.tier {
			t.Errorf("%s: M %d tier %q, want %d %q", tt.name, scores[last].M, tiers[last], tt.m, tt.tier)
		}
	}
}
