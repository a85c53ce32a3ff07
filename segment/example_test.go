package segment_test

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

// A small population: two golden profiles and the events of their records.
func exampleData() ([]*profile.Profile, []profile.Event) {
	ann := &profile.Profile{ID: "ann", Members: []profile.Ref{{Source: "shop", Key: "1"}, {Source: "crm", Key: "7"}},
		Fields: map[profile.Field][]profile.GoldenValue{profile.FieldCountry: {{Value: "AU"}}}}
	bob := &profile.Profile{ID: "bob", Members: []profile.Ref{{Source: "shop", Key: "2"}},
		Fields: map[profile.Field][]profile.GoldenValue{profile.FieldCountry: {{Value: "NZ"}}}}
	day := func(d int) time.Time { return time.Date(2024, 6, d, 12, 0, 0, 0, time.UTC) }
	events := []profile.Event{
		{Record: ann.Members[0], Type: profile.Purchase, Time: day(3), Channel: "email", Amount: 900, Currency: "AUD"},
		{Record: ann.Members[0], Type: profile.Purchase, Time: day(20), Channel: "sms", Amount: 300, Currency: "AUD"},
		{Record: ann.Members[1], Type: profile.Enquiry, Time: day(21), Channel: "phone"},
		{Record: bob.Members[0], Type: profile.Purchase, Time: day(1), Channel: "web", Amount: 40, Currency: "AUD"},
		{Record: bob.Members[0], Type: profile.Complaint, Time: day(25), Channel: "email"},
	}
	return []*profile.Profile{ann, bob}, events
}

var exampleNow = time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)

func exampleViews() []*segment.View {
	profiles, events := exampleData()
	ag, err := segment.NewAggregator(segment.Options{Currency: "AUD"})
	if err != nil {
		panic(err)
	}
	views, err := segment.Views(exampleNow, profiles, segment.IndexEvents(slices.Values(events)), ag)
	if err != nil {
		panic(err)
	}
	return views
}

// Aggregate events onto profiles, then select with a rule segment.
func Example() {
	views := exampleViews()
	s, err := segment.New("engaged_vip", `total_spend >= 1000 and last_purchase within 90d
		and channels in ("email", "sms") and not has(complaint, 30d)`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range views {
		fmt.Printf("%s: spend %.0f, orders %d, preferred %s, in %s: %v\n",
			v.ID(), v.Agg.Spend, v.Agg.Purchases, v.Agg.PreferredChannel, s.Name(), s.Match(v))
	}
	// Output:
	// ann: spend 1200, orders 2, preferred email, in engaged_vip: true
	// bob: spend 40, orders 1, preferred email, in engaged_vip: false
}

// The same condition built from Go prints in the language.
func ExampleAnd() {
	e := segment.And(
		segment.Ge("total_spend", 1000),
		segment.Within("last_purchase", segment.Days(90)),
		segment.In("channel", "email", "sms"),
		segment.Not(segment.Has(profile.Complaint, segment.Days(30))),
	)
	fmt.Println(e)
	// Output:
	// total_spend >= 1000 and last_purchase within 90d and channel in ("email", "sms") and not has(complaint, 30d)
}

// Syntax errors give the line, the column and what was expected.
func ExampleParse_error() {
	_, err := segment.Parse("total_spend >= 1000 and\n  country in (\"AU\" \"NZ\")")
	fmt.Println(err)
	// Output:
	// segment: 2:20: expected "," or ")" after "\"AU\"", found string "NZ"
}

// Unknown fields and kind mismatches fail at compile time.
func ExampleCompile() {
	for _, src := range []string{`totl_spend > 100`, `channels = "email"`, `attr:tier = "gold"`} {
		e, err := segment.Parse(src)
		if err != nil {
			fmt.Println(err)
			continue
		}
		if _, err := segment.Compile("s", e); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println("ok:", e)
	}
	// Output:
	// segment: totl_spend > 100: unknown field "totl_spend" (did you mean "total_spend"?)
	// segment: channels = "email": channels is a set: use contains or in
	// ok: attr:tier = "gold"
}

// RFM scores rank customers against each other; conditions can use them
// once assigned.
func ExampleScoreRFM() {
	views := exampleViews()
	for i, s := range segment.ScoreRFM(views, segment.RFMOptions{}) {
		fmt.Printf("%s: R%d F%d M%d %s\n", views[i].ID(), s.R, s.F, s.M, s.Segment)
	}
	// Output:
	// ann: R5 F5 M5 Champions
	// bob: R1 F1 M1 Lost
}

// Diff reports who entered and left segments when profiles change; here
// bob is merged into ann.
func ExampleDiff() {
	before := exampleViews()
	merged := *before[0].Profile
	merged.Aliases = []string{"bob"}
	merged.Members = append(slices.Clone(merged.Members), before[1].Profile.Members...)
	after := []*segment.View{{Profile: &merged, Agg: before[0].Agg}}

	complainers := segment.MustNew("complainers", `has(complaint, 30d)`)
	changes, err := segment.Diff([]*segment.Segment{complainers}, before, after)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range changes {
		fmt.Printf("%s %s %s (into %q)\n", c.ProfileID, c.Kind, c.Segment, c.Into)
	}
	// Output:
	// bob exited complainers (into "ann")
}

// The engagement report is a Go value and JSON.
func ExampleEngagement() {
	r := segment.Engagement(exampleViews(), segment.MustNew("au", `country = "AU"`))
	fmt.Printf("%d profiles, %d events, spend %.0f\n", r.Profiles, r.Events, r.Spend)
	for _, b := range r.Channels {
		fmt.Printf("%s: %d events, avg spend of users %.0f vs others %.0f\n", b.Key, b.Events, b.AvgSpendWith, b.AvgSpendWithout)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.Encode(r.Segments[0].Report.EventTypes)
	// Output:
	// 2 profiles, 5 events, spend 1240
	// email: 2 events, avg spend of users 620 vs others 0
	// phone: 1 events, avg spend of users 1200 vs others 40
	// sms: 1 events, avg spend of users 1200 vs others 40
	// web: 1 events, avg spend of users 40 vs others 1200
	// [{"key":"purchase","events":2,"profiles":1,"avg_spend_with":1200,"avg_spend_without":0,"spend_correlation":null},{"key":"enquiry","events":1,"profiles":1,"avg_spend_with":1200,"avg_spend_without":0,"spend_correlation":null}]
}

// The built-in segments are written in the condition language.
func ExampleBuiltins() {
	segs, err := segment.Builtins(segment.BuiltinOptions{LapsedAfter: segment.Days(365)})
	if err != nil {
		fmt.Println(err)
		return
	}
	views := exampleViews()
	for _, s := range segs {
		var in []string
		for _, v := range views {
			if s.Match(v) {
				in = append(in, v.ID())
			}
		}
		fmt.Printf("%-15s %-55s %v\n", s.Name(), s, in)
	}
	// Output:
	// lapsed          last_seen before 365d                                   []
	// new             first_seen within 30d                                   [ann bob]
	// multi_channel   channel_count >= 2                                      [ann bob]
	// complaint_risk  count(complaint, 90d) >= 2 or complaint_ratio >= 0.5    [bob]
	// vip             value_tier = "vip"                                      []
}

// A schema that lists the attributes a data set has turns a typo into a
// compile error instead of an empty segment.
func ExampleSchema() {
	schema := &segment.Schema{Attrs: []string{"tier", "store"}}
	_, err := schema.New("gold", `attr:teir = "gold"`)
	fmt.Println(err)
	// Output:
	// segment: attr:teir = "gold": unknown field "attr:teir": the schema lists no attribute "teir"
}

// Rank customers one at a time, for a population too large to hold every
// view: a first pass gives the population every customer's aggregates, a
// second scores each customer as it comes.
func ExamplePopulation() {
	views := exampleViews() // here held; in a large export, computed twice
	aggs := func(yield func(*segment.Aggregates) bool) {
		for _, v := range views {
			if !yield(v.Agg) {
				return
			}
		}
	}
	pop, err := segment.NewPopulation(aggs, segment.RFMOptions{}, segment.TierOptions{VIP: 0.5, High: 1})
	if err != nil {
		panic(err)
	}
	for _, v := range views {
		pop.Score(v)
		fmt.Printf("%s: %s, R%d F%d M%d, tier %s\n", v.ID(), v.RFM.Segment, v.RFM.R, v.RFM.F, v.RFM.M, v.Tier)
	}
	// Output:
	// ann: Champions, R5 F5 M5, tier vip
	// bob: Lost, R1 F1 M1, tier high
}
