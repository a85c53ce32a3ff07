package segment_test

import (
	"errors"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
	"pgregory.net/rapid"
)

// Each condition's truth on the fixture view, worked out by hand: now is
// 2024-06-30 12:00 UTC, the last order 2024-06-25 10:00, complaints on
// 2024-06-20 and 2024-01-05, orders 120 + 25 + 30 EUR.
func TestMatchFixture(t *testing.T) {
	v := fixtureView(t)
	for _, tc := range []struct {
		cond string
		want bool
	}{
		// Events in windows.
		{`has(complaint, 30d)`, true},
		{`has(complaint, 7d)`, false}, // 10 days ago
		{`has(complaint)`, true},
		{`has(login)`, false},
		{`has("Purchase")`, false}, // event types are case-sensitive
		{`count(complaint) = 2`, true},
		{`count(purchase) = 3`, true},
		{`count(purchase, 365d) = 2`, true},
		{`count(visit) = 1 and count(visit, 30d) = 0`, true},      // after now: in totals, in no window
		{`count(enquiry) = 1 and count(enquiry, 365d) = 0`, true}, // undated
		{`spend(30d) = 120`, true},
		{`spend() = 175`, true},
		{`spend(1y) = 145`, true}, // since 2023-06-30 12:00
		{`spend(12mo) = 145`, true},
		// Times.
		{`last_purchase within 7d`, true},
		{`last_purchase within 1mo`, true},
		{`last_purchase within 121h`, false},
		{`last_purchase within 122h`, true}, // exactly 122h ago: the window includes its start
		{`last_purchase before 30d`, false},
		{`last_purchase before 5d`, true},
		{`last_purchase > "2024-06-25"`, true},
		{`last_purchase <= "2024-06-25T10:00:00Z"`, true},
		{`last_purchase = "2024-06-25T12:00:00+02:00"`, true},
		{`last_purchase between "2024-06-01" and "2024-06-30"`, true},
		{`first_purchase < "2023-02-01"`, true},
		{`first_seen before 365d`, true},
		{`last_seen within 30d`, false}, // the latest event is after now
		{`updated exists`, false},
		{`recency_days = 5`, true},
		{`days_since_last_seen = 0`, true},
		{`tenure_days = 536`, true}, // 537 days less 3 hours
		// Numbers.
		{`events = 10 and purchase_count = 3 and complaint_count = 2`, true},
		{`enquiry_count = 1 and campaign_response_count = 1 and return_count = 1`, true},
		{`total_spend >= 175 and net_spend = 155 and returned_amount = 20 and unconverted = 0`, true},
		{`avg_order_value between 58.3 and 58.4`, true},
		{`complaint_ratio > 0.66 and complaint_ratio < 0.67`, true},
		{`purchase_count in (1, 3)`, true},
		{`purchase_count != 3`, false},
		{`member_count = 2`, true},
		// Strings and sets; case-insensitive.
		{`channel = "WEB"`, true},
		{`channel in ("email", "sms")`, false},
		{`channels contains "Store"`, true},
		{`channels in ("sms", "phone")`, true},
		{`channels contains "sms"`, false},
		{`channel_count = 4`, true},
		{`devices contains "mobile" and regions in ("nsw") and campaigns contains "summer"`, true},
		{`event_types contains "visit"`, true},
		{`currencies in ("usd")`, true},
		{`sources contains "crm"`, true},
		{`profile_id = "P"`, true},
		// Profile fields: any value matches.
		{`locality = "melbourne"`, true},
		{`locality contains "BOUR"`, true},
		{`locality != "Sydney"`, false},
		{`locality != "Perth"`, true},
		{`given_name < "B" and given_name >= "anna"`, true},
		{`given_name between "a" and "b"`, true},
		{`attr:tier in ("gold", "silver")`, true},
		{`id:loyalty exists and not id:crm exists`, true},
		{`consent:email = "yes"`, true},
		{`email = "ANNA@example.com" and email exists`, true},
		{`attr:empty exists`, false},
		{`family_name exists`, false},
		// Missing values: comparisons are false, "not" negates.
		{`attr:missing = "x"`, false},
		{`attr:missing != "x"`, false},
		{`not attr:missing = "x"`, true},
		{`rfm_segment exists or value_tier exists or rfm_r >= 1`, false},
		// The example: spend is under 1000.
		{`total_spend >= 1000 and last_purchase within 90d and channel in ("email", "sms") and not has(complaint, 30d)`, false},
		{`total_spend >= 100 and last_purchase within 90d and channels in ("email", "sms") and not has(complaint, 7d)`, true},
	} {
		s, err := segment.New("t", tc.cond)
		if err != nil {
			t.Errorf("New(%s): %v", tc.cond, err)
			continue
		}
		if got := s.Match(v); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.cond, got, tc.want)
		}
	}
}

func TestMatchNil(t *testing.T) {
	s := segment.MustNew("t", `not total_spend > 0 and not has(purchase)`)
	if s.Match(nil) {
		t.Error("a nil view matched")
	}
	// A view without profile or aggregates has no events and no fields.
	if !s.Match(&segment.View{}) {
		t.Error("empty view did not match")
	}
	if segment.MustNew("t", `given_name exists or sources contains "x" or member_count > 0 or updated exists`).Match(&segment.View{}) {
		t.Error("empty view has profile fields")
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		cond string
		sent error
		want string
	}{
		{`totl_spend > 3`, segment.ErrUnknownField, `segment: totl_spend > 3: unknown field "totl_spend" (did you mean "total_spend"?)`},
		{`zzz exists`, segment.ErrUnknownField, `segment: zzz exists: unknown field "zzz"`},
		{`channels = "web"`, segment.ErrType, `segment: channels = "web": channels is a set: use contains or in`},
		{`channels between "a" and "b"`, segment.ErrType, `segment: channels between "a" and "b": channels is a set: use contains or in`},
		{`total_spend = "a"`, segment.ErrType, `segment: total_spend = "a": "a" is a string; this field is a number`},
		{`total_spend in (1, "a")`, segment.ErrType, `segment: total_spend in (1, "a"): "a" is a string; this field is a number`},
		{`given_name > 3`, segment.ErrType, `segment: given_name > 3: 3 is a number; this field is a string: quote the value`},
		{`channels contains 3`, segment.ErrType, `segment: channels contains 3: 3 is a number; this field is a set: quote the value`},
		{`last_purchase > "yesterday"`, segment.ErrType, `segment: last_purchase > "yesterday": "yesterday" is not a time: write 2006-01-02, 2006-01-02T15:04:05 or RFC 3339`},
		{`last_purchase > 3`, segment.ErrType, `segment: last_purchase > 3: 3 is a number; this field is a time: write a date such as "2024-05-01"`},
		{`last_purchase in ("2024-01-01")`, segment.ErrType, `segment: last_purchase in ("2024-01-01"): last_purchase is a time: use within, before, between or a comparison`},
		{`total_spend within 30d`, segment.ErrType, `segment: total_spend within 30d: within and before need a time field; total_spend is a number`},
		{`count(purchase) before 30d`, segment.ErrType, `segment: count(purchase) before 30d: within and before need a time field; count(purchase) is a number`},
		{`total_spend contains "x"`, segment.ErrType, `segment: total_spend contains "x": contains needs a string or set field; total_spend is a number`},
		{`purchase_count between 5 and 1`, segment.ErrType, `segment: purchase_count between 5 and 1: the range is empty: 5 is greater than 1`},
		{`last_seen between "2024-02-01" and "2024-01-01"`, segment.ErrType, `segment: last_seen between "2024-02-01" and "2024-01-01": the range is empty: "2024-02-01" is after "2024-01-01"`},
		{`given_name between "b" and "a"`, segment.ErrType, `segment: given_name between "b" and "a": the range is empty: "b" sorts after "a"`},
		// Literals compared with closed sets must be in them.
		{`rfm_segment = "Champion"`, segment.ErrUnknownValue, `segment: rfm_segment = "Champion": "Champion" is no rfm_segment (did you mean "Champions"?); rfm_segment is one of "Champions", "Loyal", "Potential Loyalist", "New Customers", "Promising", "Need Attention", "About To Sleep", "At Risk", "Cannot Lose Them", "Hibernating", "Lost", "No Purchases", "Undated Purchases"`},
		{`rfm_segment != "Lost Cause"`, segment.ErrUnknownValue, `segment: rfm_segment != "Lost Cause": "Lost Cause" is no rfm_segment; rfm_segment is one of "Champions", "Loyal", "Potential Loyalist", "New Customers", "Promising", "Need Attention", "About To Sleep", "At Risk", "Cannot Lose Them", "Hibernating", "Lost", "No Purchases", "Undated Purchases"`},
		{`value_tier = "gold"`, segment.ErrUnknownValue, `segment: value_tier = "gold": "gold" is no value_tier; value_tier is one of "vip", "high", "standard", "none"`},
		{`value_tier in ("vip", "hgh")`, segment.ErrUnknownValue, `segment: value_tier in ("vip", "hgh"): "hgh" is no value_tier (did you mean "high"?); value_tier is one of "vip", "high", "standard", "none"`},
		{`value_tier contains "gold"`, segment.ErrUnknownValue, `segment: value_tier contains "gold": "gold" is no part of any value_tier; value_tier is one of "vip", "high", "standard", "none"`},
		// Closed sets have no order: alphabetical order would mean nothing.
		{`value_tier < "vip"`, segment.ErrType, `segment: value_tier < "vip": value_tier has no order: compare it with = or in`},
		{`rfm_segment between "A" and "M"`, segment.ErrType, `segment: rfm_segment between "A" and "M": rfm_segment has no order: compare it with = or in`},
		// The error names the innermost failing predicate.
		{`total_spend > 1 and (channel = "web" or attr:x.y > 2)`, segment.ErrType, `segment: attr:x.y > 2: 2 is a number; this field is a string: quote the value`},
	} {
		_, err := segment.New("t", tc.cond)
		var ce *segment.CompileError
		if !errors.As(err, &ce) || !errors.Is(err, tc.sent) {
			t.Errorf("New(%s) error = %v, want a CompileError wrapping %v", tc.cond, err, tc.sent)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("New(%s) error\n got %s\nwant %s", tc.cond, err, tc.want)
		}
	}
}

// Trees built in Go can hold what the parser never produces; Compile
// rejects them with an error instead of panicking or matching nobody.
// TestClosedValuesAccepted checks that the values of closed fields compile
// in any case, as matching ignores case, and match.
func TestClosedValuesAccepted(t *testing.T) {
	v := &segment.View{RFM: segment.RFMScore{R: 5, F: 5, M: 5, Segment: segment.Champions}, Tier: segment.TierVIP}
	for _, cond := range []string{
		`rfm_segment = "Champions"`,
		`rfm_segment = "champions"`,
		`rfm_segment != "Lost"`,
		`rfm_segment in ("Champions", "Loyal")`,
		`rfm_segment contains "champ"`,
		`value_tier = "VIP"`,
		`value_tier in ("vip", "high")`,
		`value_tier != "none"`,
	} {
		s, err := segment.New("t", cond)
		if err != nil {
			t.Errorf("New(%s): %v", cond, err)
			continue
		}
		if !s.Match(v) {
			t.Errorf("%s does not match a VIP Champion", cond)
		}
	}
}

func TestCompileGoTrees(t *testing.T) {
	for _, e := range []segment.Expr{
		segment.Ge("total_spend", math.NaN()),
		segment.Ge("total_spend", math.Inf(1)),
		segment.Within("last_seen", segment.Window{}),
		segment.Within("last_seen", segment.Window{N: -1, Unit: segment.Day}),
		segment.Has("", segment.Days(1)),
		segment.Has("x", segment.Window{N: 1, Unit: 9}),
		segment.Gt(segment.Count("", segment.Days(1)), 1),
		segment.CompareExpr{Left: nil, Op: segment.OpEq, Value: segment.Num(1)},
		segment.CompareExpr{Left: segment.Field("events"), Op: 0, Value: segment.Num(1)},
		segment.InExpr{Left: segment.Field("channel")},
		segment.AndExpr{X: segment.Exists("events")},
		segment.NotExpr{},
		nil,
		segment.Eq("Total_Spend", 1), // names are canonical (lower case) in trees
	} {
		_, err := segment.Compile("t", e)
		var ce *segment.CompileError
		if !errors.As(err, &ce) {
			t.Errorf("Compile(%v) error = %v, want a CompileError", e, err)
		}
	}
}

func TestSchema(t *testing.T) {
	s := &segment.Schema{Attrs: []string{"tier"}, IDTypes: []string{"loyalty"}, Consents: []string{}}
	if _, err := s.New("ok", `attr:tier = "gold" and id:loyalty exists`); err != nil {
		t.Errorf("listed names: %v", err)
	}
	for cond, want := range map[string]string{
		`attr:tiers = "x"`:        `segment: attr:tiers = "x": unknown field "attr:tiers": the schema lists no attribute "tiers"`,
		`id:crm exists`:           `segment: id:crm exists: unknown field "id:crm": the schema lists no identifier type "crm"`,
		`consent:sms = "yes"`:     `segment: consent:sms = "yes": unknown field "consent:sms": the schema lists no consent purpose "sms"`,
		`attr:tier = 1 or x = 1`:  `segment: attr:tier = 1: 1 is a number; this field is a string: quote the value`,
		`locality = "x" or y = 1`: `segment: y = 1: unknown field "y"`,
	} {
		_, err := s.New("t", cond)
		if err == nil || err.Error() != want {
			t.Errorf("New(%s) error\n got %v\nwant %s", cond, err, want)
		}
	}
	// The default schema accepts any event type: hosts define their own.
	if _, err := segment.New("t", `has(purchse, 30d)`); err != nil {
		t.Errorf("default schema rejects an event type: %v", err)
	}
	// A schema that lists the types rejects a misspelt one.
	typed := &segment.Schema{EventTypes: []string{"purchase", "return", "loyalty_scan"}}
	for _, tc := range []struct {
		cond, want string
	}{
		{`has(purchase, 30d) and count(loyalty_scan) > 2`, ""},
		{`has(purchse, 30d)`, `segment: has(purchse, 30d): unknown event type "purchse": the schema lists no such type (did you mean "purchase"?)`},
		{`count("Return") >= 1`, `segment: count("Return") >= 1: unknown event type "Return": the schema lists no such type (did you mean "return"?)`},
		{`count(visit, 7d) > 0`, `segment: count(visit, 7d) > 0: unknown event type "visit": the schema lists no such type`},
	} {
		_, err := typed.New("t", tc.cond)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("New(%s): %v", tc.cond, err)
		case tc.want != "" && (!errors.Is(err, segment.ErrUnknownValue) || err.Error() != tc.want):
			t.Errorf("New(%s) error\n got %v\nwant %s (ErrUnknownValue)", tc.cond, err, tc.want)
		}
	}
	// Date literals without an offset are read in the schema's location.
	syd := time.FixedZone("AEST", 10*3600)
	v := fixtureView(t) // last purchase 2024-06-25 10:00 UTC = 20:00 AEST
	for loc, want := range map[*time.Location]bool{nil: false, syd: true} {
		sg, err := (&segment.Schema{Location: loc}).New("t", `last_purchase >= "2024-06-25T20:00:00"`)
		if err != nil {
			t.Fatal(err)
		}
		if got := sg.Match(v); got != want {
			t.Errorf("location %v: match %v, want %v", loc, got, want)
		}
	}
}

func TestFields(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range segment.Fields() {
		if seen[f.Name] {
			t.Errorf("field %q listed twice", f.Name)
		}
		seen[f.Name] = true
		// Every listed field compiles with exists.
		if _, err := segment.New("t", f.Name+" exists"); err != nil {
			t.Errorf("%s exists: %v", f.Name, err)
		}
		if f.Doc == "" || f.Kind.String() == "" {
			t.Errorf("field %q lacks doc or kind", f.Name)
		}
	}
}

// TestMatchAllocs checks the promise that evaluation does not allocate.
func TestMatchAllocs(t *testing.T) {
	v := fixtureView(t)
	for _, cond := range benchConditions {
		s := segment.MustNew("t", cond)
		if n := testing.AllocsPerRun(100, func() { s.Match(v) }); n != 0 {
			t.Errorf("%s: %v allocations per Match, want 0", cond, n)
		}
	}
}

// The fold helpers agree with a second implementation on ASCII text:
// strings.ToLower then the plain functions.
func TestFoldAgreesWithToLower(t *testing.T) {
	ascii := rapid.StringMatching(`[a-cA-C ]{0,6}`)
	rapid.Check(t, func(t *rapid.T) {
		s, sub := ascii.Draw(t, "s"), ascii.Draw(t, "sub")
		e, err := segment.Compile("t", segment.Contains("given_name", sub))
		if err != nil {
			t.Fatal(err)
		}
		v := &segment.View{Profile: fixtureProfile()}
		v.Profile.Fields["given_name"] = gv(s)
		want := s != "" && strings.Contains(strings.ToLower(s), strings.ToLower(sub))
		if got := e.Match(v); got != want {
			t.Fatalf("%q contains %q: %v, want %v", s, sub, got, want)
		}
		lt, _ := segment.Compile("t", segment.Lt("given_name", sub))
		wantLt := s != "" && strings.Compare(strings.ToLower(s), strings.ToLower(sub)) < 0
		if got := lt.Match(v); got != wantLt {
			t.Fatalf("%q < %q: %v, want %v", s, sub, got, wantLt)
		}
	})
}

// Compiled segments are shared by goroutines; run with -race.
func TestMatchConcurrent(t *testing.T) {
	segs := benchSegments(t)
	views := synthViews(t, 200, 3)
	want := make([]int, len(segs))
	for j, s := range segs {
		for _, v := range views {
			if s.Match(v) {
				want[j]++
			}
		}
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for j, s := range segs {
				n := 0
				for _, v := range views {
					if s.Match(v) {
						n++
					}
				}
				if n != want[j] {
					t.Errorf("segment %d: %d members, want %d", j, n, want[j])
				}
			}
		})
	}
	wg.Wait()
}

// Every field is documented in the package documentation.
func TestFieldsDocumented(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range segment.Fields()[len(profile.Fields):] {
		if !strings.Contains(string(doc), "//\t"+f.Name+" ") {
			t.Errorf("aggregate %s is not in the field table of doc.go", f.Name)
		}
	}
}

// Long and/or chains built in Go compile into flat lists and evaluate as
// written (the fixture has 10 events).
func TestLongChains(t *testing.T) {
	v := fixtureView(t)
	var ands, ors []segment.Expr
	for i := range 500 {
		ands = append(ands, segment.Le("events", 10+i))
		ors = append(ors, segment.Gt("events", 10+i))
	}
	for _, tc := range []struct {
		e    segment.Expr
		want bool
	}{
		{segment.And(ands...), true},
		{segment.And(append(ands, segment.Gt("events", 10))...), false},
		{segment.Or(ors...), false},
		{segment.Or(append(ors, segment.Eq("events", 10))...), true},
		{segment.And(segment.Or(ors...), segment.And(ands...)), false},
	} {
		s, err := segment.Compile("t", tc.e)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Match(v); got != tc.want {
			t.Errorf("chain of %d: %v, want %v", len(tc.e.String()), got, tc.want)
		}
	}
}

func TestNeedsPopulation(t *testing.T) {
	for _, tc := range []struct {
		cond string
		want bool
	}{
		{`total_spend > 10 and has(purchase, 30d)`, false},
		{`rfm_segment = "Champions"`, true},
		{`not (value_tier = "vip")`, true},
		{`channel = "web" or rfm_m >= 4`, true},
		{`rfm_r exists`, true},
		{`count(purchase) > 1 and rfm_f between 1 and 2`, true},
	} {
		if got := segment.MustNew("t", tc.cond).NeedsPopulation(); got != tc.want {
			t.Errorf("%s: NeedsPopulation() = %v, want %v", tc.cond, got, tc.want)
		}
	}
}
