package segment_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
	"pgregory.net/rapid"
)

// A second implementation of the condition semantics: a direct tree-walking
// interpreter that reads the raw events and the profile, written from the
// package documentation. The property below checks that compiled segments
// (with their aggregates, event index and reordered and/or) agree with it on
// random conditions and random customers.

type refCustomer struct {
	p      *profile.Profile
	events []profile.Event // no order IDs: each purchase is an order
	now    time.Time
}

func (c refCustomer) dated(typ profile.EventType) []time.Time {
	var ts []time.Time
	for _, e := range c.events {
		if (typ == "" || e.Type == typ) && !e.Time.IsZero() {
			ts = append(ts, e.Time)
		}
	}
	return ts
}

func (c refCustomer) windowStart(w segment.Window) time.Time {
	switch w.Unit {
	case segment.Hour:
		return c.now.Add(-time.Duration(w.N) * time.Hour)
	case segment.Day:
		return c.now.Add(-time.Duration(w.N) * 24 * time.Hour)
	case segment.Week:
		return c.now.Add(-time.Duration(w.N) * 7 * 24 * time.Hour)
	case segment.Month:
		return c.now.AddDate(0, -w.N, 0)
	}
	return c.now.AddDate(-w.N, 0, 0)
}

// inWindow: [now-w, now], both ends included.
func (c refCustomer) inWindow(t time.Time, w segment.Window) bool {
	return !t.Before(c.windowStart(w)) && !t.After(c.now)
}

func (c refCustomer) count(typ string, w segment.Window) float64 {
	n := 0
	for _, e := range c.events {
		if string(e.Type) == typ && (w.IsZero() || !e.Time.IsZero() && c.inWindow(e.Time, w)) {
			n++
		}
	}
	return float64(n)
}

func (c refCustomer) spend(w segment.Window) float64 {
	s := 0.0
	for _, e := range c.events {
		if e.Type == profile.Purchase && (w.IsZero() || !e.Time.IsZero() && c.inWindow(e.Time, w)) {
			s += e.Amount
		}
	}
	return s
}

func extreme(ts []time.Time, latest bool) (time.Time, bool) {
	if len(ts) == 0 {
		return time.Time{}, false
	}
	if latest {
		return slices.MaxFunc(ts, time.Time.Compare), true
	}
	return slices.MinFunc(ts, time.Time.Compare), true
}

// value returns a field's values: strs for strings and sets, num or tim.
func (c refCustomer) value(o segment.Operand) (strs []string, num float64, tim time.Time, ok bool) {
	switch o := o.(type) {
	case segment.EventCount:
		return nil, c.count(o.Type, o.Window), time.Time{}, true
	case segment.SpendSum:
		return nil, c.spend(o.Window), time.Time{}, true
	}
	name := string(o.(segment.Field))
	switch name {
	case "total_spend":
		return nil, c.spend(segment.Window{}), time.Time{}, true
	case "purchase_count":
		return nil, c.count("purchase", segment.Window{}), time.Time{}, true
	case "complaint_count":
		return nil, c.count("complaint", segment.Window{}), time.Time{}, true
	case "last_purchase":
		t, ok := extreme(c.dated(profile.Purchase), true)
		return nil, 0, t, ok
	case "first_seen":
		t, ok := extreme(c.dated(""), false)
		return nil, 0, t, ok
	case "last_seen":
		t, ok := extreme(c.dated(""), true)
		return nil, 0, t, ok
	case "channel", "channels", "devices":
		counts := map[string]int{}
		for _, e := range c.events {
			k := string(e.Channel)
			if name == "devices" {
				k = e.Device
			}
			if k != "" {
				counts[k]++
			}
		}
		var keys []string
		for k := range counts {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if name != "channel" {
			return keys, 0, time.Time{}, len(keys) > 0
		}
		best := ""
		for _, k := range keys {
			if best == "" || counts[k] > counts[best] {
				best = k
			}
		}
		if best == "" {
			return nil, 0, time.Time{}, false
		}
		return []string{best}, 0, time.Time{}, true
	}
	for _, gv := range c.p.Fields[profile.Field(name)] {
		if gv.Value != "" {
			strs = append(strs, gv.Value)
		}
	}
	return strs, 0, time.Time{}, len(strs) > 0
}

func refKind(o segment.Operand) segment.Kind {
	switch o {
	case segment.Field("last_purchase"), segment.Field("first_seen"), segment.Field("last_seen"):
		return segment.KindTime
	case segment.Field("channels"), segment.Field("devices"):
		return segment.KindSet
	case segment.Field("channel"), segment.Field("locality"), segment.Field("attr:tier"):
		return segment.KindString
	}
	return segment.KindNumber
}

func refTime(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func holds(op segment.Op, c int) bool {
	switch op {
	case segment.OpEq:
		return c == 0
	case segment.OpNe:
		return c != 0
	case segment.OpLt:
		return c < 0
	case segment.OpLe:
		return c <= 0
	case segment.OpGt:
		return c > 0
	}
	return c >= 0
}

func cmpNum(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func anyOf(xs []string, f func(string) bool) bool { return slices.ContainsFunc(xs, f) }

func (c refCustomer) eval(e segment.Expr) bool {
	switch e := e.(type) {
	case segment.AndExpr:
		return c.eval(e.X) && c.eval(e.Y)
	case segment.OrExpr:
		return c.eval(e.X) || c.eval(e.Y)
	case segment.NotExpr:
		return !c.eval(e.X)
	case segment.HasExpr:
		return c.count(e.Type, e.Window) > 0
	case segment.ExistsExpr:
		_, _, _, ok := c.value(e.Left)
		return ok
	}
	var left segment.Operand
	switch e := e.(type) {
	case segment.CompareExpr:
		left = e.Left
	case segment.InExpr:
		left = e.Left
	case segment.ContainsExpr:
		left = e.Left
	case segment.BetweenExpr:
		left = e.Left
	case segment.WithinExpr:
		left = e.Left
	case segment.BeforeExpr:
		left = e.Left
	}
	strs, num, tim, ok := c.value(left)
	if !ok {
		return false
	}
	lower := strings.ToLower
	switch kind := refKind(left); e := e.(type) {
	case segment.CompareExpr:
		switch kind {
		case segment.KindNumber:
			return holds(e.Op, cmpNum(num, e.Value.Num))
		case segment.KindTime:
			return holds(e.Op, tim.Compare(refTime(e.Value.Str)))
		}
		if e.Op == segment.OpNe {
			return !anyOf(strs, func(s string) bool { return lower(s) == lower(e.Value.Str) })
		}
		return anyOf(strs, func(s string) bool { return holds(e.Op, strings.Compare(lower(s), lower(e.Value.Str))) })
	case segment.InExpr:
		if kind == segment.KindNumber {
			return slices.ContainsFunc(e.Values, func(v segment.Value) bool { return v.Num == num })
		}
		return anyOf(strs, func(s string) bool {
			return slices.ContainsFunc(e.Values, func(v segment.Value) bool { return lower(v.Str) == lower(s) })
		})
	case segment.ContainsExpr:
		if kind == segment.KindSet {
			return anyOf(strs, func(s string) bool { return lower(s) == lower(e.Value.Str) })
		}
		return anyOf(strs, func(s string) bool { return strings.Contains(lower(s), lower(e.Value.Str)) })
	case segment.BetweenExpr:
		switch kind {
		case segment.KindNumber:
			return num >= e.Low.Num && num <= e.High.Num
		case segment.KindTime:
			return !tim.Before(refTime(e.Low.Str)) && !tim.After(refTime(e.High.Str))
		}
		return anyOf(strs, func(s string) bool {
			return lower(s) >= lower(e.Low.Str) && lower(s) <= lower(e.High.Str)
		})
	case segment.WithinExpr:
		return c.inWindow(tim, e.Window)
	case segment.BeforeExpr:
		return tim.Before(c.windowStart(e.Window))
	}
	panic("unreachable")
}

// Generators of well-typed conditions over the reference's fields, with
// literals from small domains so that both outcomes occur.

var (
	refNumFields  = []segment.Operand{segment.Field("total_spend"), segment.Field("purchase_count"), segment.Field("complaint_count")}
	refTimeFields = []string{"last_purchase", "first_seen", "last_seen"}
	refStrFields  = []string{"channel", "locality", "attr:tier"}
	refSetFields  = []string{"channels", "devices"}
	refWords      = []string{"web", "EMAIL", "sms", "store", "mobile", "desktop", "sydney", "Perth", "gold", "sil", "e", ""}
	refDates      = []string{"2023-06-01", "2024-01-01", "2024-03-15", "2024-06-01", "2024-06-29"}
	refTypes      = []string{"purchase", "complaint", "visit", "login"}
)

func refWindow(t *rapid.T) segment.Window {
	return segment.Window{N: rapid.IntRange(1, 400).Draw(t, "n"), Unit: segment.Unit(rapid.IntRange(1, 5).Draw(t, "unit"))}
}

func refNumOperand(t *rapid.T) segment.Operand {
	switch rapid.IntRange(0, 3).Draw(t, "numop") {
	case 0:
		return segment.Count(rapid.SampledFrom(refTypes).Draw(t, "type"), refWindow(t))
	case 1:
		return segment.Spend(refWindow(t))
	}
	return rapid.SampledFrom(refNumFields).Draw(t, "numfield")
}

func refNum(t *rapid.T) segment.Value {
	return segment.Num(float64(rapid.IntRange(0, 12).Draw(t, "num") * 25))
}

func refExpr(depth int) *rapid.Generator[segment.Expr] {
	return rapid.Custom(func(t *rapid.T) segment.Expr {
		n := 11
		if depth > 0 {
			n = 14
		}
		word := func() segment.Value { return segment.Str(rapid.SampledFrom(refWords).Draw(t, "word")) }
		date := func() segment.Value { return segment.Str(rapid.SampledFrom(refDates).Draw(t, "date")) }
		switch rapid.IntRange(0, n).Draw(t, "node") {
		case 0:
			return segment.CompareExpr{Left: refNumOperand(t), Op: segment.Op(rapid.IntRange(1, 6).Draw(t, "op")), Value: refNum(t)}
		case 1:
			return segment.CompareExpr{Left: segment.Field(rapid.SampledFrom(refTimeFields).Draw(t, "f")), Op: segment.Op(rapid.IntRange(1, 6).Draw(t, "op")), Value: date()}
		case 2:
			return segment.CompareExpr{Left: segment.Field(rapid.SampledFrom(refStrFields).Draw(t, "f")), Op: segment.Op(rapid.IntRange(1, 6).Draw(t, "op")), Value: word()}
		case 3:
			return segment.InExpr{Left: refNumOperand(t), Values: []segment.Value{refNum(t), refNum(t)}}
		case 4:
			f := rapid.SampledFrom(append(slices.Clone(refStrFields), refSetFields...)).Draw(t, "f")
			return segment.InExpr{Left: segment.Field(f), Values: []segment.Value{word(), word()}}
		case 5:
			f := rapid.SampledFrom(append(slices.Clone(refStrFields), refSetFields...)).Draw(t, "f")
			return segment.ContainsExpr{Left: segment.Field(f), Value: word()}
		case 6:
			f := rapid.SampledFrom(append(append(slices.Clone(refStrFields), refSetFields...), refTimeFields...)).Draw(t, "f")
			return segment.ExistsExpr{Left: segment.Field(f)}
		case 7:
			lo := rapid.IntRange(0, 8).Draw(t, "lo")
			return segment.BetweenExpr{Left: refNumOperand(t), Low: segment.Num(float64(lo * 25)), High: segment.Num(float64((lo + rapid.IntRange(0, 4).Draw(t, "w")) * 25))}
		case 8:
			i := rapid.IntRange(0, len(refDates)-1).Draw(t, "lo")
			j := rapid.IntRange(i, len(refDates)-1).Draw(t, "hi")
			return segment.BetweenExpr{Left: segment.Field(rapid.SampledFrom(refTimeFields).Draw(t, "f")), Low: segment.Str(refDates[i]), High: segment.Str(refDates[j])}
		case 9:
			return segment.WithinExpr{Left: segment.Field(rapid.SampledFrom(refTimeFields).Draw(t, "f")), Window: refWindow(t)}
		case 10:
			return segment.BeforeExpr{Left: segment.Field(rapid.SampledFrom(refTimeFields).Draw(t, "f")), Window: refWindow(t)}
		case 11:
			w := segment.Window{}
			if rapid.Bool().Draw(t, "windowed") {
				w = refWindow(t)
			}
			return segment.HasExpr{Type: rapid.SampledFrom(refTypes).Draw(t, "type"), Window: w}
		case 12:
			return segment.AndExpr{X: refExpr(depth-1).Draw(t, "x"), Y: refExpr(depth-1).Draw(t, "y")}
		case 13:
			return segment.OrExpr{X: refExpr(depth-1).Draw(t, "x"), Y: refExpr(depth-1).Draw(t, "y")}
		}
		return segment.NotExpr{X: refExpr(depth-1).Draw(t, "x")}
	})
}

var refCustomerGen = rapid.Custom(func(t *rapid.T) refCustomer {
	now := fixtureNow
	c := refCustomer{now: now, p: &profile.Profile{ID: "c", Fields: map[profile.Field][]profile.GoldenValue{}}}
	for _, city := range rapid.SliceOfN(rapid.SampledFrom([]string{"Sydney", "Perth", "Hobart"}), 0, 2).Draw(t, "cities") {
		c.p.Fields[profile.FieldLocality] = append(c.p.Fields[profile.FieldLocality], profile.GoldenValue{Value: city})
	}
	if tier := rapid.SampledFrom([]string{"", "gold", "silver"}).Draw(t, "tier"); tier != "" {
		c.p.Fields[profile.AttrField("tier")] = gv(tier)
	}
	for range rapid.IntRange(0, 8).Draw(t, "events") {
		e := profile.Event{
			Type:    profile.EventType(rapid.SampledFrom(refTypes).Draw(t, "type")),
			Channel: profile.Channel(rapid.SampledFrom([]string{"", "web", "email", "sms", "store"}).Draw(t, "channel")),
			Device:  rapid.SampledFrom([]string{"", "mobile", "desktop"}).Draw(t, "device"),
		}
		if rapid.IntRange(0, 9).Draw(t, "dated") > 0 {
			// Whole hours back from now, up to ~450 days, sometimes exactly on a
			// window boundary.
			h := rapid.IntRange(0, 450*24).Draw(t, "hours")
			if rapid.IntRange(0, 2).Draw(t, "whole days") == 0 {
				h -= h % 24
			}
			e.Time = now.Add(-time.Duration(h) * time.Hour)
		}
		if e.Type == profile.Purchase {
			e.Amount = float64(rapid.IntRange(1, 12).Draw(t, "amount") * 25)
		}
		c.events = append(c.events, e)
	}
	return c
})

func TestMatchAgreesWithReference(t *testing.T) {
	ag, err := segment.NewAggregator(segment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		// Several cases per check: boundary cases are rare, and each is cheap.
		for range 20 {
			c := refCustomerGen.Draw(t, "customer")
			e := refExpr(3).Draw(t, "cond")
			s, err := segment.Compile("ref", e)
			if err != nil {
				t.Fatalf("Compile(%s): %v", e, err)
			}
			a, err := ag.Compute(c.now, c.events)
			if err != nil {
				t.Fatal(err)
			}
			v := &segment.View{Profile: c.p, Agg: a}
			if got, want := s.Match(v), c.eval(e); got != want {
				t.Fatalf("%s: Match %v, reference %v\nevents: %+v", e, got, want, c.events)
			}
		}
	})
}
