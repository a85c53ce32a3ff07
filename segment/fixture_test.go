package segment_test

import (
	"time"

	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

// The shared hand-built fixture. Expected values in the tests are worked
// out by hand from these events (see the comments), not by calling the code.

var fixtureNow = time.Date(2024, 6, 30, 12, 0, 0, 0, time.UTC)

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

var (
	crm1  = profile.Ref{Source: "crm", Key: "1"}
	shop9 = profile.Ref{Source: "shop", Key: "9"}
)

// fixtureEvents are the events of profile P (members crm/1 and shop/9).
func fixtureEvents() []profile.Event {
	return []profile.Event{
		// 1, 2: two line items of shop order A: one order of 120 EUR.
		{ID: "e1", Record: shop9, Type: profile.Purchase, Time: at(2024, 6, 25, 10, 0), Channel: "web", Device: "mobile", Region: "NSW", OrderID: "A", Amount: 100, Currency: "EUR"},
		{ID: "e2", Record: shop9, Type: profile.Purchase, Time: at(2024, 6, 25, 10, 5), Channel: "web", OrderID: "A", Amount: 20, Currency: "EUR"},
		// 3: a purchase without order ID: an order of its own, 50 USD = 25 EUR.
		{ID: "e3", Record: shop9, Type: profile.Purchase, Time: at(2024, 3, 1, 9, 0), Channel: "store", Amount: 50, Currency: "usd"},
		// 4: order "A" again, but in another source: a different order.
		{ID: "e4", Record: crm1, Type: profile.Purchase, Time: at(2023, 1, 10, 15, 0), Channel: "email", OrderID: "A", Amount: 30, Currency: "EUR"},
		{ID: "e5", Record: crm1, Type: profile.Return, Time: at(2024, 6, 28, 8, 0), Channel: "web", Amount: 20, Currency: "EUR"},
		{ID: "e6", Record: crm1, Type: profile.Complaint, Time: at(2024, 6, 20, 14, 0), Channel: "phone"},
		{ID: "e7", Record: crm1, Type: profile.Complaint, Time: at(2024, 1, 5, 14, 0), Channel: "phone"},
		// 8: undated.
		{ID: "e8", Record: crm1, Type: profile.Enquiry, Channel: "email"},
		{ID: "e9", Record: crm1, Type: profile.CampaignResponse, Time: at(2024, 6, 29, 19, 0), Channel: "email", Campaign: "summer"},
		// 10: after now.
		{ID: "e10", Record: shop9, Type: profile.Visit, Time: at(2024, 7, 2, 10, 0), Channel: "web"},
	}
}

func gv(v string) []profile.GoldenValue { return []profile.GoldenValue{{Value: v, Rule: "test"}} }

func fixtureProfile() *profile.Profile {
	return &profile.Profile{
		ID:      "P",
		Members: []profile.Ref{crm1, shop9},
		Fields: map[profile.Field][]profile.GoldenValue{
			profile.FieldGivenName:          gv("Anna"),
			profile.FieldLocality:           {{Value: "Sydney"}, {Value: "Melbourne"}},
			profile.FieldCountry:            gv("AU"),
			profile.AttrField("tier"):       gv("Gold"),
			profile.IDField("loyalty"):      gv("l123"),
			profile.ConsentField("email"):   gv("yes"),
			profile.FieldEmail:              {{Value: "anna@example.com"}, {Value: ""}},
			profile.Field("attr:empty"):     gv(""),
			profile.Field("attr:spend_tag"): gv("b"),
		},
	}
}

func fixtureOptions() segment.Options {
	return segment.Options{Currency: "EUR", Rates: map[string]float64{"USD": 0.5}}
}

// fixtureView aggregates the fixture as of fixtureNow.
func fixtureView(t interface{ Fatal(...any) }) *segment.View {
	ag, err := segment.NewAggregator(fixtureOptions())
	if err != nil {
		t.Fatal(err)
	}
	a, err := ag.Compute(fixtureNow, fixtureEvents())
	if err != nil {
		t.Fatal(err)
	}
	return &segment.View{Profile: fixtureProfile(), Agg: a}
}

func profileID(id string, members ...profile.Ref) *profile.Profile {
	return &profile.Profile{ID: id, Members: members}
}
