package segment_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

func TestComputeFixture(t *testing.T) {
	v := fixtureView(t)
	want := &segment.Aggregates{
		Now:     fixtureNow,
		Events:  10,
		Undated: 1, // e8
		// e4 is the earliest event; e10 (after now) the latest.
		FirstSeen: at(2023, 1, 10, 15, 0),
		LastSeen:  at(2024, 7, 2, 10, 0),
		// Orders: shop/A (e1+e2, 120 EUR, 2024-06-25 10:00), e3 (25 EUR),
		// crm/A (e4, 30 EUR).
		Purchases:     3,
		FirstPurchase: at(2023, 1, 10, 15, 0),
		LastPurchase:  at(2024, 6, 25, 10, 0),
		Spend:         175,
		SpendCurrency: "EUR",
		AvgOrderValue: 175.0 / 3,
		Currencies: []segment.CurrencyTotal{
			{Currency: "EUR", Purchases: 3, Spend: 150, Returns: 1, Returned: 20},
			{Currency: "USD", Purchases: 1, Spend: 50},
		},
		Returns:           1,
		Returned:          20,
		Complaints:        2,
		Enquiries:         1,
		CampaignResponses: 1,
		Windows: []segment.WindowStats{
			// [2024-05-31 12:00, now]: e1, e2, e5, e6, e9.
			{Window: segment.Days(30), Events: 5, Purchases: 1, Spend: 120, Returns: 1, Complaints: 1},
			// [2024-04-01 12:00, now]: the same.
			{Window: segment.Days(90), Events: 5, Purchases: 1, Spend: 120, Returns: 1, Complaints: 1},
			// [2023-07-01 12:00, now]: also e3 and e7.
			{Window: segment.Days(365), Events: 7, Purchases: 2, Spend: 145, Returns: 1, Complaints: 2},
		},
		EventTypes: []segment.Tally{
			{Name: "purchase", N: 4}, {Name: "complaint", N: 2}, {Name: "campaign_response", N: 1},
			{Name: "enquiry", N: 1}, {Name: "return", N: 1}, {Name: "visit", N: 1},
		},
		Channels:         []segment.Tally{{Name: "web", N: 4}, {Name: "email", N: 3}, {Name: "phone", N: 2}, {Name: "store", N: 1}},
		PreferredChannel: "web",
		Devices:          []segment.Tally{{Name: "mobile", N: 1}},
		Regions:          []segment.Tally{{Name: "NSW", N: 1}},
		Campaigns:        []segment.Tally{{Name: "summer", N: 1}},
	}
	// Hours of the nine dated events: 10, 10, 9, 15, 8, 14, 14, 19, 10.
	want.Hours[10], want.Hours[9], want.Hours[15], want.Hours[8], want.Hours[14], want.Hours[19] = 3, 1, 1, 1, 2, 1
	// Tue 06-25 x2, 01-10, 07-02; Fri 03-01, 06-28, 01-05; Thu 06-20; Sat 06-29.
	want.Weekdays[time.Tuesday], want.Weekdays[time.Friday], want.Weekdays[time.Thursday], want.Weekdays[time.Saturday] = 4, 3, 1, 1
	want.Months[time.June-1], want.Months[time.March-1], want.Months[time.January-1], want.Months[time.July-1] = 5, 1, 2, 1

	if diff := cmp.Diff(want, v.Agg, cmpopts.IgnoreUnexported(segment.Aggregates{}), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("aggregates (-want +got):\n%s", diff)
	}
}

func TestComputeLocation(t *testing.T) {
	// 23:30 UTC on a Sunday is 09:30 Monday in Sydney (UTC+10 in June).
	syd, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	ag, err := segment.NewAggregator(segment.Options{Location: syd})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ag.Compute(fixtureNow, []profile.Event{{Type: profile.Visit, Time: at(2024, 6, 23, 23, 30)}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Hours[9] != 1 || a.Weekdays[time.Monday] != 1 || a.Months[time.June-1] != 1 {
		t.Errorf("hours %v weekdays %v months %v: want 09h Monday June", a.Hours, a.Weekdays, a.Months)
	}
}

func TestComputeUnconverted(t *testing.T) {
	ag, err := segment.NewAggregator(segment.Options{Currency: "eur"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ag.Compute(fixtureNow, []profile.Event{
		{Type: profile.Purchase, Time: at(2024, 6, 1, 0, 0), Amount: 10, Currency: "EUR"},
		{Type: profile.Purchase, Time: at(2024, 6, 2, 0, 0), Amount: 99, Currency: "GBP"},
		{Type: profile.Purchase, Time: at(2024, 6, 3, 0, 0), Amount: 5}, // no currency: taken as EUR
		{Type: profile.Return, Time: at(2024, 6, 4, 0, 0), Amount: 7, Currency: "GBP"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// GBP has no rate: its purchase and return stay out of Spend/Returned.
	if a.Spend != 15 || a.Returned != 0 || a.Unconverted != 2 || a.Purchases != 3 {
		t.Errorf("spend %v returned %v unconverted %d purchases %d: want 15, 0, 2, 3", a.Spend, a.Returned, a.Unconverted, a.Purchases)
	}
	// Average over the two orders whose amounts are in Spend.
	if a.AvgOrderValue != 7.5 {
		t.Errorf("avg order value %v, want 7.5", a.AvgOrderValue)
	}
	want := []segment.CurrencyTotal{
		{Currency: "", Purchases: 1, Spend: 5},
		{Currency: "EUR", Purchases: 1, Spend: 10},
		{Currency: "GBP", Purchases: 1, Spend: 99, Returns: 1, Returned: 7},
	}
	if diff := cmp.Diff(want, a.Currencies); diff != "" {
		t.Errorf("currencies (-want +got):\n%s", diff)
	}
}

func TestComputeNoEvents(t *testing.T) {
	ag, _ := segment.NewAggregator(segment.Options{})
	a, err := ag.Compute(fixtureNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Events != 0 || !a.FirstSeen.IsZero() || a.PreferredChannel != "" || len(a.Windows) != 3 || a.Windows[0].Events != 0 {
		t.Errorf("empty aggregates: %+v", a)
	}
}

func TestComputeErrors(t *testing.T) {
	ag, _ := segment.NewAggregator(segment.Options{})
	for _, tc := range []struct {
		e    profile.Event
		want string
	}{
		{profile.Event{Record: crm1, Type: ""}, `segment: invalid event: event 0 (record crm/1): empty type`},
		{profile.Event{Record: crm1, ID: "x", Type: profile.Purchase, Amount: -1}, `segment: invalid event: event 0 (record crm/1, id "x"): amount -1 is not a finite non-negative number`},
		{profile.Event{Type: profile.Purchase, Amount: math.NaN()}, `segment: invalid event: event 0 (record /): amount NaN is not a finite non-negative number`},
		{profile.Event{Type: profile.Return, Amount: math.Inf(1)}, `segment: invalid event: event 0 (record /): amount +Inf is not a finite non-negative number`},
	} {
		_, err := ag.Compute(fixtureNow, []profile.Event{tc.e})
		if !errors.Is(err, segment.ErrInvalidEvent) || err.Error() != tc.want {
			t.Errorf("Compute(%+v) error = %v, want %s", tc.e, err, tc.want)
		}
	}
}

func TestNewAggregatorErrors(t *testing.T) {
	for _, opts := range []segment.Options{
		{Currency: "EUR", Rates: map[string]float64{"USD": 0}},
		{Currency: "EUR", Rates: map[string]float64{"USD": math.Inf(1)}},
		{Currency: "EUR", Rates: map[string]float64{"USD": math.NaN()}},
		{Rates: map[string]float64{"USD": 1}}, // no currency to convert into
		{Windows: []segment.Window{{N: 0, Unit: segment.Day}}},
		{Windows: []segment.Window{{N: 3, Unit: 0}}},
	} {
		if _, err := segment.NewAggregator(opts); !errors.Is(err, segment.ErrOptions) {
			t.Errorf("NewAggregator(%+v) error = %v, want ErrOptions", opts, err)
		}
	}
}

// TestComputeOrderIndependent checks that shuffling a profile's events does
// not change its aggregates.
func TestComputeOrderIndependent(t *testing.T) {
	ag, _ := segment.NewAggregator(fixtureOptions())
	want, _ := ag.Compute(fixtureNow, fixtureEvents())
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		evs := fixtureEvents()
		r.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
		got, err := ag.Compute(fixtureNow, evs)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(segment.Aggregates{}), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
			t.Fatalf("shuffled (-want +got):\n%s", diff)
		}
	}
}

func TestEventIndex(t *testing.T) {
	evs := fixtureEvents()
	stray := profile.Event{Record: profile.Ref{Source: "pos", Key: "7"}, Type: profile.Visit}
	evs = append(evs, stray)
	idx := segment.IndexEvents(func(yield func(profile.Event) bool) {
		for _, e := range evs {
			if !yield(e) {
				return
			}
		}
	})
	p := fixtureProfile()
	got := idx.For(nil, p)
	if len(got) != 10 {
		t.Fatalf("For: %d events, want 10", len(got))
	}
	// Members in order: crm/1's events first.
	if got[0].Record != crm1 || got[9].Record != shop9 {
		t.Errorf("For order: first %v last %v", got[0].Record, got[9].Record)
	}
	if diff := cmp.Diff([]profile.Ref{stray.Record}, idx.Unclaimed([]*profile.Profile{p})); diff != "" {
		t.Errorf("Unclaimed (-want +got):\n%s", diff)
	}
	ag, _ := segment.NewAggregator(fixtureOptions())
	views, err := segment.Views(fixtureNow, []*profile.Profile{p}, idx, ag)
	if err != nil || len(views) != 1 || views[0].Agg.Purchases != 3 {
		t.Fatalf("Views: %v, %v", views, err)
	}
	if _, err := segment.Views(fixtureNow, []*profile.Profile{p, p}, idx, ag); !errors.Is(err, segment.ErrDuplicateProfile) {
		t.Errorf("Views with a duplicate ID: error %v, want ErrDuplicateProfile", err)
	}
	bad := segment.IndexEvents(func(yield func(profile.Event) bool) { yield(profile.Event{Record: shop9}) })
	_, err = segment.Views(fixtureNow, []*profile.Profile{p}, bad, ag)
	if want := `segment: invalid event: profile "P": event 0 (record shop/9): empty type`; !errors.Is(err, segment.ErrInvalidEvent) || err.Error() != want {
		t.Errorf("Views with a bad event: error %v, want %s", err, want)
	}
}

// First and last purchase are the events' own times (precision and zone),
// while windows count to the second.
func TestComputePurchaseTimes(t *testing.T) {
	zone := time.FixedZone("X", 5*3600)
	t1 := time.Date(2024, 6, 1, 10, 0, 0, 500_000_000, zone)
	ag, _ := segment.NewAggregator(segment.Options{})
	a, err := ag.Compute(fixtureNow, []profile.Event{
		{Type: profile.Purchase, Time: t1, Amount: 1},
		{Type: profile.Purchase, Time: t1.Add(-time.Hour), Amount: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if a.LastPurchase != t1 || a.FirstPurchase != t1.Add(-time.Hour) {
		t.Errorf("first %v last %v, want %v and %v", a.FirstPurchase, a.LastPurchase, t1.Add(-time.Hour), t1)
	}
}

// TestComputeMainCurrency checks that without a reporting currency a
// profile's amounts are summed in its main currency only, whatever the
// order of its events.
func TestComputeMainCurrency(t *testing.T) {
	buy := func(amt float64, cur string) profile.Event {
		return profile.Event{Type: profile.Purchase, Time: at(2024, 6, 1, 0, 0), Amount: amt, Currency: cur}
	}
	ret := func(amt float64, cur string) profile.Event {
		return profile.Event{Type: profile.Return, Time: at(2024, 6, 2, 0, 0), Amount: amt, Currency: cur}
	}
	for _, tc := range []struct {
		name        string
		events      []profile.Event
		cur         string
		spend       float64
		returned    float64
		unconverted int
	}{
		// One GBP and one USD order: a tie, to the alphabetically first.
		{"tie", []profile.Event{buy(176.53, "GBP"), buy(359.97, "USD")}, "GBP", 176.53, 0, 1},
		{"most events", []profile.Event{buy(10, "usd"), buy(20, "USD"), buy(500, "GBP")}, "USD", 30, 0, 1},
		// Returns count towards the main currency and are kept out of it.
		{"returns count", []profile.Event{buy(10, "EUR"), ret(5, "GBP"), ret(7, "GBP")}, "GBP", 0, 12, 1},
		// An amount without a currency is taken to be in the main one.
		{"blank", []profile.Event{buy(10, ""), buy(20, "EUR"), buy(1, "JPY"), buy(2, "JPY"), buy(3, "EUR")}, "EUR", 33, 0, 2},
		{"no currency", []profile.Event{buy(10, ""), buy(20, "")}, "", 30, 0, 0},
		{"single", []profile.Event{buy(10, "AUD"), ret(4, "AUD")}, "AUD", 10, 4, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ag, err := segment.NewAggregator(segment.Options{})
			if err != nil {
				t.Fatal(err)
			}
			rev := slices.Clone(tc.events)
			slices.Reverse(rev)
			for _, evs := range [][]profile.Event{tc.events, rev} {
				a, err := ag.Compute(fixtureNow, evs)
				if err != nil {
					t.Fatal(err)
				}
				if a.SpendCurrency != tc.cur || math.Abs(a.Spend-tc.spend) > 1e-9 || a.Returned != tc.returned || a.Unconverted != tc.unconverted {
					t.Errorf("currency %q spend %v returned %v unconverted %d: want %q, %v, %v, %d",
						a.SpendCurrency, a.Spend, a.Returned, a.Unconverted, tc.cur, tc.spend, tc.returned, tc.unconverted)
				}
				if w := a.Windows[len(a.Windows)-1]; math.Abs(w.Spend-tc.spend) > 1e-9 {
					t.Errorf("365-day window spend %v, want %v", w.Spend, tc.spend)
				}
			}
		})
	}
	// The review's case: GBP 176.53 and USD 359.97 must not make 536.50.
	ag, _ := segment.NewAggregator(segment.Options{})
	a, err := ag.Compute(fixtureNow, []profile.Event{buy(176.53, "GBP"), buy(359.97, "USD")})
	if err != nil {
		t.Fatal(err)
	}
	if segment.MustNew("big", `total_spend >= 500`).Match(&segment.View{Agg: a}) {
		t.Errorf("total_spend >= 500 matches GBP 176.53 + USD 359.97")
	}
}
