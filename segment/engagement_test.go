package segment_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/unifyhq/unify/segment"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// engagementViews: three customers with hand-made aggregates.
func engagementViews() []*segment.View {
	v1 := &segment.Aggregates{
		Now: fixtureNow, Events: 4, Purchases: 1, Spend: 100,
		EventTypes: []segment.Tally{{Name: "visit", N: 3}, {Name: "purchase", N: 1}},
		Channels:   []segment.Tally{{Name: "web", N: 3}, {Name: "email", N: 1}},
		Devices:    []segment.Tally{{Name: "mobile", N: 4}},
		Currencies: []segment.CurrencyTotal{{Currency: "EUR", Purchases: 1, Spend: 100}},
	}
	v1.Hours[10], v1.Weekdays[time.Monday], v1.Months[0] = 4, 4, 4
	v2 := &segment.Aggregates{
		Now: fixtureNow, Events: 2, Purchases: 2, Spend: 300,
		EventTypes: []segment.Tally{{Name: "purchase", N: 2}},
		Channels:   []segment.Tally{{Name: "store", N: 2}},
		Currencies: []segment.CurrencyTotal{{Currency: "EUR", Purchases: 1, Spend: 200}, {Currency: "USD", Purchases: 1, Spend: 100}},
	}
	v2.Hours[15], v2.Weekdays[time.Saturday], v2.Months[5] = 2, 2, 2
	v3 := &segment.Aggregates{Now: fixtureNow}
	return []*segment.View{
		{Profile: profileID("1"), Agg: v1},
		{Profile: profileID("2"), Agg: v2},
		{Profile: profileID("3"), Agg: v3},
		nil,
	}
}

func ptr(f float64) *float64 { return &f }

func TestEngagement(t *testing.T) {
	big := segment.MustNew("big", `total_spend > 200`)
	r := segment.Engagement(engagementViews(), big)

	// Pearson by hand over (x, y) for the three customers, spend y =
	// (100, 300, 0), mean 400/3, sum of squared deviations 420000/9:
	//   purchases x = (1, 2, 0): covariance sum 300, x deviations 2
	//   visits    x = (3, 0, 0): covariance sum -100, x deviations 6
	//   events    x = (4, 2, 0): covariance sum 200, x deviations 8
	//   mobile    x = (4, 0, 0): a multiple of visits, so the same r
	syy := 420000.0 / 9
	corr := func(cov, sxx float64) *float64 { return ptr(cov / math.Sqrt(sxx*syy)) }
	hours := make([]segment.Slot, 24)
	for h := range hours {
		hours[h] = segment.Slot{Key: []string{"00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23"}[h]}
	}
	hours[10].Events, hours[15].Events = 4, 2
	want := &segment.Report{
		Profiles: 3, ActiveProfiles: 2, Events: 6, Orders: 3, Spend: 400, MixedCurrencyProfiles: 1,
		EventTypes: []segment.Bucket{
			{Key: "purchase", Events: 3, Profiles: 2, AvgSpendWith: 200, AvgSpendWithout: 0, SpendCorrelation: corr(300, 2)},
			{Key: "visit", Events: 3, Profiles: 1, AvgSpendWith: 100, AvgSpendWithout: 150, SpendCorrelation: corr(-100, 6)},
		},
		Campaigns: []segment.Bucket{},
		Channels: []segment.Bucket{
			// web x = (3, 0, 0): as visits. store x = (0, 2, 0): covariance
			// sum 1000/3, x deviations 8/3. email x = (1, 0, 0): -100/3, 2/3.
			{Key: "web", Events: 3, Profiles: 1, AvgSpendWith: 100, AvgSpendWithout: 150, SpendCorrelation: corr(-100, 6)},
			{Key: "store", Events: 2, Profiles: 1, AvgSpendWith: 300, AvgSpendWithout: 50, SpendCorrelation: corr(1000.0/3, 8.0/3)},
			{Key: "email", Events: 1, Profiles: 1, AvgSpendWith: 100, AvgSpendWithout: 150, SpendCorrelation: corr(-100.0/3, 2.0/3)},
		},
		Devices: []segment.Bucket{{Key: "mobile", Events: 4, Profiles: 1, AvgSpendWith: 100, AvgSpendWithout: 150, SpendCorrelation: corr(-100, 6)}},
		Regions: []segment.Bucket{},
		Hours:   hours,
		Weekdays: []segment.Slot{{Key: "Monday", Events: 4}, {Key: "Tuesday"}, {Key: "Wednesday"}, {Key: "Thursday"}, {Key: "Friday"},
			{Key: "Saturday", Events: 2}, {Key: "Sunday"}},
		Months: []segment.Slot{{Key: "January", Events: 4}, {Key: "February"}, {Key: "March"}, {Key: "April"}, {Key: "May"},
			{Key: "June", Events: 2}, {Key: "July"}, {Key: "August"}, {Key: "September"}, {Key: "October"}, {Key: "November"}, {Key: "December"}},
		// Events per profile 0, 2, 4; nearest rank.
		EventsPerProfile: segment.Distribution{Min: 0, P25: 0, Median: 2, P75: 4, P90: 4, Max: 4, Mean: 2,
			Histogram: []segment.Range{{Range: "0", Profiles: 1}, {Range: "1"}, {Range: "2-3", Profiles: 1}, {Range: "4-7", Profiles: 1}}},
		SpendCorrelation: corr(200, 8),
	}
	approx := cmpopts.EquateApprox(0, 1e-12)
	if diff := cmp.Diff(want, r, approx, cmpopts.IgnoreFields(segment.Report{}, "Segments")); diff != "" {
		t.Errorf("Engagement (-want +got):\n%s", diff)
	}
	if len(r.Segments) != 1 || r.Segments[0].Name != "big" {
		t.Fatalf("segments: %+v", r.Segments)
	}
	s := r.Segments[0].Report
	// Only customer 2: one profile, so no correlation.
	if s.Profiles != 1 || s.Spend != 300 || s.Orders != 2 || s.SpendCorrelation != nil ||
		len(s.Channels) != 1 || s.Channels[0].Key != "store" || s.Channels[0].SpendCorrelation != nil || s.Segments != nil {
		t.Errorf("segment report: %+v", s)
	}

	empty := segment.Engagement(nil)
	if empty.Profiles != 0 || empty.SpendCorrelation != nil || len(empty.Hours) != 24 || empty.EventsPerProfile.Histogram == nil {
		t.Errorf("empty report: %+v", empty)
	}
}

// TestEngagementJSON pins the JSON field names and order with a golden
// file; run with -update to rewrite it after a deliberate change.
func TestEngagementJSON(t *testing.T) {
	r := segment.Engagement(engagementViews(), segment.MustNew("big", `total_spend > 200`))
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "engagement.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	// Compare decoded values with a float tolerance: the last digit of a
	// correlation may differ on platforms that fuse multiply-adds.
	var gotV, wantV any
	if err := json.Unmarshal(got, &gotV); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &wantV); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantV, gotV, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("JSON differs from %s (run with -update if intended) (-want +got):\n%s", path, diff)
	}
	// Deterministic: the same input gives the same bytes.
	again, _ := json.MarshalIndent(segment.Engagement(engagementViews(), segment.MustNew("big", `total_spend > 200`)), "", "  ")
	if !bytes.Equal(again, got[:len(got)-1]) {
		t.Error("two runs gave different JSON")
	}
}

// TestEngagementCurrencies checks that spends in different currencies are
// not added up: the report's spend figures are in the currency most
// profiles' spend is in, and the others are counted apart.
func TestEngagementCurrencies(t *testing.T) {
	view := func(id, cur string, spend float64, web int) *segment.View {
		a := &segment.Aggregates{Now: fixtureNow, Events: 1 + web, Purchases: 1, Spend: spend, SpendCurrency: cur,
			EventTypes: []segment.Tally{{Name: "purchase", N: 1}}}
		if web > 0 {
			a.Channels = []segment.Tally{{Name: "web", N: web}}
		}
		return &segment.View{Profile: profileID(id), Agg: a}
	}
	views := []*segment.View{view("1", "GBP", 100, 1), view("2", "GBP", 300, 0), view("3", "USD", 5000, 2), view("4", "", 0, 0)}
	r := segment.Engagement(views)
	if r.SpendCurrency != "GBP" || r.Spend != 400 || r.OtherCurrencyProfiles != 2 || r.Profiles != 4 || r.Events != 7 {
		t.Errorf("report: currency %q, spend %v, other-currency profiles %d, profiles %d, events %d; want GBP, 400, 2 (USD and none), 4, 7",
			r.SpendCurrency, r.Spend, r.OtherCurrencyProfiles, r.Profiles, r.Events)
	}
	for _, b := range r.Channels {
		if b.Key == "web" && (b.Profiles != 2 || b.AvgSpendWith != 100 || b.AvgSpendWithout != 300) {
			t.Errorf("web bucket %+v: want 2 profiles, GBP spend 100 with and 300 without", b)
		}
	}
	// With one named currency, profiles without one count in it.
	r = segment.Engagement(views[:2:2])
	r2 := segment.Engagement(append(views[:2:2], view("5", "", 50, 0)))
	if r.SpendCurrency != "GBP" || r2.Spend != 450 || r2.OtherCurrencyProfiles != 0 {
		t.Errorf("one currency: %q, spend %v with the currency-less profile, %d apart; want GBP, 450, 0",
			r.SpendCurrency, r2.Spend, r2.OtherCurrencyProfiles)
	}
}
