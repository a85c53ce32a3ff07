package segment

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/unifyhq/unify/profile"
)

// Kind is the kind of a field's values, checked when a condition compiles.
type Kind uint8

// Field kinds.
const (
	KindNumber Kind = iota + 1 // a number: counts, spend, scores
	KindString                 // text; profile fields may hold several values
	KindTime                   // an instant: first_seen, last_purchase
	KindSet                    // a set of strings: channels, devices
)

// String returns the kind's name as error messages use it.
func (k Kind) String() string {
	switch k {
	case KindNumber:
		return "number"
	case KindString:
		return "string"
	case KindTime:
		return "time"
	case KindSet:
		return "set"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// FieldInfo describes one field conditions can name.
type FieldInfo struct {
	Name string
	Kind Kind
	Doc  string
}

// accessors read a field of a view without allocating. Exactly one is set,
// by kind. any calls f on each value until f returns true (missing values
// never reach f).
type accessor struct {
	num func(v *View) (float64, bool)
	tim func(v *View) (time.Time, bool)
	any func(v *View, f func(string) bool) bool
}

type fieldDef struct {
	FieldInfo
	accessor
	// values, when non-nil, is the closed set of values the field can
	// hold, so that a literal outside it fails to compile instead of
	// matching nobody.
	values []string
	// ranked says the field ranks the profile against the population (RFM
	// scores, value tiers), so a view needs them computed.
	ranked bool
}

// rankedField marks d as read from RFM scores or value tiers.
func rankedField(d fieldDef) fieldDef {
	d.ranked = true
	return d
}

// closed gives d the closed set of values vs.
func closed[T ~string](d fieldDef, vs []T) fieldDef {
	d.values = make([]string, len(vs))
	for i, v := range vs {
		d.values[i] = string(v)
	}
	return d
}

func numField(name, doc string, f func(v *View) (float64, bool)) fieldDef {
	return fieldDef{FieldInfo: FieldInfo{name, KindNumber, doc}, accessor: accessor{num: f}}
}

func countField(name, doc string, f func(a *Aggregates) int) fieldDef {
	return numField(name, doc, func(v *View) (float64, bool) { return float64(f(v.agg())), true })
}

func timeField(name, doc string, f func(v *View) time.Time) fieldDef {
	return fieldDef{FieldInfo: FieldInfo{name, KindTime, doc}, accessor: accessor{tim: func(v *View) (time.Time, bool) {
		t := f(v)
		return t, !t.IsZero()
	}}}
}

func strField(name, doc string, f func(v *View) string) fieldDef {
	return fieldDef{FieldInfo: FieldInfo{name, KindString, doc}, accessor: accessor{any: func(v *View, p func(string) bool) bool {
		s := f(v)
		return s != "" && p(s)
	}}}
}

func tallyField(name, doc string, f func(a *Aggregates) []Tally) fieldDef {
	return fieldDef{FieldInfo: FieldInfo{name, KindSet, doc}, accessor: accessor{any: func(v *View, p func(string) bool) bool {
		for _, t := range f(v.agg()) {
			if p(t.Name) {
				return true
			}
		}
		return false
	}}}
}

// days returns whole days from t to now, at least 0.
func days(now, t time.Time) float64 {
	d := math.Floor(now.Sub(t).Hours() / 24)
	if d < 0 {
		return 0
	}
	return d
}

// aggregateFields is the fixed part of the schema, in documentation order.
var aggregateFields = []fieldDef{
	strField("profile_id", "the golden profile's ID", func(v *View) string { return v.ID() }),
	numField("member_count", "number of source records in the profile", func(v *View) (float64, bool) {
		if v.Profile == nil {
			return 0, true
		}
		return float64(len(v.Profile.Members)), true
	}),
	{FieldInfo: FieldInfo{"sources", KindSet, "source systems of the member records"}, accessor: accessor{any: func(v *View, p func(string) bool) bool {
		if v.Profile == nil {
			return false
		}
		for _, m := range v.Profile.Members {
			if p(m.Source) {
				return true
			}
		}
		return false
	}}},
	timeField("updated", "when the golden profile last changed", func(v *View) time.Time {
		if v.Profile == nil {
			return time.Time{}
		}
		return v.Profile.Updated
	}),
	countField("events", "number of events", func(a *Aggregates) int { return a.Events }),
	timeField("first_seen", "time of the earliest dated event", func(v *View) time.Time { return v.agg().FirstSeen }),
	timeField("last_seen", "time of the latest dated event", func(v *View) time.Time { return v.agg().LastSeen }),
	numField("days_since_last_seen", "whole days from last_seen to now; missing without dated events", func(v *View) (float64, bool) {
		a := v.agg()
		if a.LastSeen.IsZero() {
			return 0, false
		}
		return days(a.Now, a.LastSeen), true
	}),
	numField("tenure_days", "whole days from first_seen to now; missing without dated events", func(v *View) (float64, bool) {
		a := v.agg()
		if a.FirstSeen.IsZero() {
			return 0, false
		}
		return days(a.Now, a.FirstSeen), true
	}),
	countField("purchase_count", "number of orders", func(a *Aggregates) int { return a.Purchases }),
	timeField("first_purchase", "time of the first dated order", func(v *View) time.Time { return v.agg().FirstPurchase }),
	timeField("last_purchase", "time of the latest dated order", func(v *View) time.Time { return v.agg().LastPurchase }),
	numField("recency_days", "whole days from last_purchase to now; missing without a dated order", func(v *View) (float64, bool) {
		a := v.agg()
		if a.LastPurchase.IsZero() {
			return 0, false
		}
		return days(a.Now, a.LastPurchase), true
	}),
	numField("total_spend", "purchase amounts in spend_currency", func(v *View) (float64, bool) { return v.agg().Spend, true }),
	strField("spend_currency", "currency of the spend fields: the reporting one, or the profile's main currency", func(v *View) string { return v.agg().SpendCurrency }),
	numField("net_spend", "total_spend less returned_amount", func(v *View) (float64, bool) {
		a := v.agg()
		return a.Spend - a.Returned, true
	}),
	numField("avg_order_value", "total_spend per order; missing without orders", func(v *View) (float64, bool) {
		a := v.agg()
		return a.AvgOrderValue, a.Purchases > 0
	}),
	countField("unconverted", "purchases and returns not in spend_currency nor converted into it (not in total_spend)", func(a *Aggregates) int { return a.Unconverted }),
	countField("return_count", "number of returns", func(a *Aggregates) int { return a.Returns }),
	numField("returned_amount", "returned amounts in spend_currency", func(v *View) (float64, bool) { return v.agg().Returned, true }),
	countField("complaint_count", "number of complaints", func(a *Aggregates) int { return a.Complaints }),
	numField("complaint_ratio", "complaints per order; missing without orders", func(v *View) (float64, bool) {
		a := v.agg()
		if a.Purchases == 0 {
			return 0, false
		}
		return float64(a.Complaints) / float64(a.Purchases), true
	}),
	countField("enquiry_count", "number of enquiries", func(a *Aggregates) int { return a.Enquiries }),
	countField("campaign_response_count", "number of campaign responses", func(a *Aggregates) int { return a.CampaignResponses }),
	strField("channel", "preferred channel: most events, ties to the alphabetically first", func(v *View) string { return string(v.agg().PreferredChannel) }),
	tallyField("channels", "channels with at least one event", func(a *Aggregates) []Tally { return a.Channels }),
	countField("channel_count", "number of distinct channels", func(a *Aggregates) int { return len(a.Channels) }),
	tallyField("devices", "devices with at least one event", func(a *Aggregates) []Tally { return a.Devices }),
	countField("device_count", "number of distinct devices", func(a *Aggregates) int { return len(a.Devices) }),
	tallyField("regions", "regions with at least one event", func(a *Aggregates) []Tally { return a.Regions }),
	tallyField("campaigns", "campaigns responded to", func(a *Aggregates) []Tally { return a.Campaigns }),
	tallyField("event_types", "event types with at least one event", func(a *Aggregates) []Tally { return a.EventTypes }),
	{FieldInfo: FieldInfo{"currencies", KindSet, "currencies of purchases and returns"}, accessor: accessor{any: func(v *View, p func(string) bool) bool {
		for _, c := range v.agg().Currencies {
			if c.Currency != "" && p(c.Currency) {
				return true
			}
		}
		return false
	}}},
	rankedField(numField("rfm_r", "RFM recency score 1-5; missing when not scored", func(v *View) (float64, bool) { return float64(v.RFM.R), v.RFM.R > 0 })),
	rankedField(numField("rfm_f", "RFM frequency score 1-5; missing when not scored", func(v *View) (float64, bool) { return float64(v.RFM.F), v.RFM.F > 0 })),
	rankedField(numField("rfm_m", "RFM monetary score 1-5; missing when not scored", func(v *View) (float64, bool) { return float64(v.RFM.M), v.RFM.M > 0 })),
	rankedField(closed(strField("rfm_segment", "named RFM segment, such as \"Champions\"; missing when not scored", func(v *View) string { return string(v.RFM.Segment) }), RFMSegments)),
	rankedField(closed(strField("value_tier", "value tier (vip, high, standard, none); missing when not assigned", func(v *View) string { return string(v.Tier) }), Tiers)),
}

var aggregateByName = func() map[string]*fieldDef {
	m := make(map[string]*fieldDef, len(aggregateFields))
	for i := range aggregateFields {
		m[aggregateFields[i].Name] = &aggregateFields[i]
	}
	return m
}()

// Evaluation costs, roughly in memory touched, used to test cheap operands
// of and/or first. The conditions are pure, so the order cannot change a
// result, only how soon it is known.
const (
	costScalar   = 1 // a field of the aggregates
	costSet      = 2 // a list in the aggregates
	costProfile  = 3 // the profile struct (ID, members)
	costWindow   = 3 // binary search of an event index
	costCalendar = 2 // extra for mo and y windows (calendar arithmetic)
	costField    = 4 // a golden field: map lookup and values
)

var profileBacked = map[string]bool{"profile_id": true, "member_count": true, "sources": true, "updated": true}

func windowCost(w Window) int {
	switch {
	case w.IsZero():
		return costScalar
	case w.Unit == Month || w.Unit == Year:
		return costWindow + costCalendar
	}
	return costWindow
}

func operandCost(o Operand) int {
	switch o := o.(type) {
	case Field:
		d := aggregateByName[string(o)]
		switch {
		case d == nil:
			return costField
		case profileBacked[d.Name]:
			return costProfile
		case d.Kind == KindSet:
			return costSet
		}
		return costScalar
	case EventCount:
		return windowCost(o.Window)
	case SpendSum:
		return windowCost(o.Window)
	}
	return costScalar
}

// costOf estimates what evaluating e touches.
func costOf(e Expr) int {
	switch e := e.(type) {
	case AndExpr:
		return costOf(e.X) + costOf(e.Y)
	case OrExpr:
		return costOf(e.X) + costOf(e.Y)
	case NotExpr:
		return costOf(e.X)
	case HasExpr:
		return windowCost(e.Window)
	case CompareExpr:
		return operandCost(e.Left)
	case InExpr:
		return operandCost(e.Left) + len(e.Values)/4
	case ContainsExpr:
		return operandCost(e.Left)
	case ExistsExpr:
		return operandCost(e.Left)
	case BetweenExpr:
		return operandCost(e.Left)
	case WithinExpr:
		return operandCost(e.Left)
	case BeforeExpr:
		return operandCost(e.Left)
	}
	return costScalar
}

// Fields lists the fields a condition can name: the profile fields of the
// vocabulary (kind string; id:<type>, attr:<name> and consent:<purpose> are
// open-ended and not listed) and the aggregates, in documentation order.
func Fields() []FieldInfo {
	out := make([]FieldInfo, 0, len(profile.Fields)+len(aggregateFields))
	for _, f := range profile.Fields {
		out = append(out, FieldInfo{string(f), KindString, "golden profile field"})
	}
	for _, d := range aggregateFields {
		out = append(out, d.FieldInfo)
	}
	return out
}

// profileField reads a golden profile field: any of its surviving values
// (normalized form; empty values are missing).
func profileField(name string, f profile.Field) fieldDef {
	return fieldDef{FieldInfo: FieldInfo{name, KindString, "golden profile field"}, accessor: accessor{any: func(v *View, p func(string) bool) bool {
		if v.Profile == nil {
			return false
		}
		for _, gv := range v.Profile.Fields[f] {
			if gv.Value != "" && p(gv.Value) {
				return true
			}
		}
		return false
	}}}
}

// Schema says which fields conditions may name beyond the fixed ones. The
// zero Schema (and a nil *Schema) accepts every well-formed id:, attr: and
// consent: name and reads date literals in UTC.
type Schema struct {
	// Attrs, IDTypes and Consents, when non-nil, list the attr:<name>,
	// id:<type> and consent:<purpose> names that exist; any other is an
	// unknown field, so a typo fails at compile time instead of matching
	// nobody.
	Attrs, IDTypes, Consents []string
	// EventTypes, when non-nil, lists the event types has(...) and
	// count(...) may name, so has(purchse, 30d) fails to compile. Nil
	// accepts any type, since hosts define their own: a misspelt type then
	// counts no events.
	EventTypes []string
	// Location is where date literals without an offset ("2024-05-01") are
	// read. Nil means UTC.
	Location *time.Location
}

// CompileError reports a condition that parses but cannot be compiled: an
// unknown field, a value a closed field never holds, or a type error. It
// names the offending predicate.
type CompileError struct {
	Cond string // the predicate, printed in the language
	Msg  string
	Err  error // ErrUnknownField, ErrUnknownValue or ErrType
}

// Error formats the error as "segment: <cond>: <msg>".
func (e *CompileError) Error() string { return "segment: " + e.Cond + ": " + e.Msg }

// Unwrap returns the sentinel ([ErrUnknownField], [ErrUnknownValue] or
// [ErrType]).
func (e *CompileError) Unwrap() error { return e.Err }

// Segment is a compiled condition with a name. It is immutable and safe
// for concurrent use; Match does not allocate.
type Segment struct {
	name   string
	expr   Expr
	match  func(*View) bool
	ranked bool
}

// Name returns the segment's name.
func (s *Segment) Name() string { return s.name }

// Expr returns the condition tree the segment was compiled from.
func (s *Segment) Expr() Expr { return s.expr }

// String returns the condition in the language.
func (s *Segment) String() string { return s.expr.String() }

// NeedsPopulation reports whether the condition reads RFM scores or value
// tiers (rfm_r, rfm_f, rfm_m, rfm_segment, value_tier). They rank a profile
// against the whole population, so such a segment can only be evaluated on
// views scored over it ([Population.Score], [AssignRFM], [AssignTiers]): on
// an unscored view they are missing, and the result says nothing about the
// customer.
func (s *Segment) NeedsPopulation() bool { return s.ranked }

// Match reports whether the view is in the segment. A nil view is in none.
func (s *Segment) Match(v *View) bool {
	if v == nil {
		return false
	}
	return s.match(v)
}

// Compile checks e against the default schema and returns the segment.
func Compile(name string, e Expr) (*Segment, error) { return (*Schema)(nil).Compile(name, e) }

// New parses src and compiles it against the default schema.
func New(name, src string) (*Segment, error) { return (*Schema)(nil).New(name, src) }

// MustNew is like [New] but panics on error; it is for conditions written in
// the program's source.
func MustNew(name, src string) *Segment {
	s, err := New(name, src)
	if err != nil {
		panic(err)
	}
	return s
}

// New parses src and compiles it against s.
func (s *Schema) New(name, src string) (*Segment, error) {
	e, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return s.Compile(name, e)
}

// Compile checks e against s: every field must exist, and every operator
// and literal must suit the field's kind, and a literal compared with
// rfm_segment or value_tier must be one of their values. Errors are
// [*CompileError] values wrapping [ErrUnknownField], [ErrUnknownValue] or
// [ErrType].
func (s *Schema) Compile(name string, e Expr) (*Segment, error) {
	if e == nil {
		return nil, &CompileError{Cond: "<nil>", Msg: "no condition", Err: ErrType}
	}
	c := compiler{s: s}
	if s == nil {
		c.s = &Schema{}
	}
	f, err := c.expr(e)
	if err != nil {
		return nil, err
	}
	return &Segment{name: name, expr: e, match: f, ranked: c.ranked}, nil
}

type compiler struct {
	s      *Schema
	ranked bool // a field read is ranked over the population
}

type pred = func(*View) bool

func typeErr(e fmt.Stringer, format string, args ...any) error {
	return &CompileError{Cond: e.String(), Msg: fmt.Sprintf(format, args...), Err: ErrType}
}

func (c *compiler) expr(e Expr) (pred, error) {
	switch e := e.(type) {
	case AndExpr:
		ps, err := c.chain(e, true)
		if err != nil {
			return nil, err
		}
		if len(ps) == 2 {
			x, y := ps[0], ps[1]
			return func(v *View) bool { return x(v) && y(v) }, nil
		}
		return func(v *View) bool {
			for _, p := range ps {
				if !p(v) {
					return false
				}
			}
			return true
		}, nil
	case OrExpr:
		ps, err := c.chain(e, false)
		if err != nil {
			return nil, err
		}
		if len(ps) == 2 {
			x, y := ps[0], ps[1]
			return func(v *View) bool { return x(v) || y(v) }, nil
		}
		return func(v *View) bool {
			for _, p := range ps {
				if p(v) {
					return true
				}
			}
			return false
		}, nil
	case NotExpr:
		if e.X == nil {
			return nil, typeErr(e, "not needs a condition")
		}
		x, err := c.expr(e.X)
		if err != nil {
			return nil, err
		}
		return func(v *View) bool { return !x(v) }, nil
	case HasExpr:
		if e.Type == "" {
			return nil, typeErr(e, "empty event type")
		}
		if err := c.eventType(e, e.Type); err != nil {
			return nil, err
		}
		if err := c.window(e, e.Window, true); err != nil {
			return nil, err
		}
		typ, w := keyOf(profile.EventType(e.Type)), e.Window
		if w.IsZero() {
			return func(v *View) bool { return v.agg().countType(typ, false, 0, 0) > 0 }, nil
		}
		return func(v *View) bool {
			a := v.agg()
			return a.countType(typ, true, w.startUnix(a.Now), a.Now.Unix()) > 0
		}, nil
	case CompareExpr:
		return c.compare(e)
	case InExpr:
		return c.in(e)
	case ContainsExpr:
		return c.contains(e)
	case ExistsExpr:
		acc, _, err := c.operand(e, e.Left)
		if err != nil {
			return nil, err
		}
		switch {
		case acc.num != nil:
			return func(v *View) bool { _, ok := acc.num(v); return ok }, nil
		case acc.tim != nil:
			return func(v *View) bool { _, ok := acc.tim(v); return ok }, nil
		}
		return func(v *View) bool { return acc.any(v, always) }, nil
	case BetweenExpr:
		return c.between(e)
	case WithinExpr:
		return c.recency(e, e.Left, e.Window, true)
	case BeforeExpr:
		return c.recency(e, e.Left, e.Window, false)
	}
	return nil, &CompileError{Cond: fmt.Sprintf("%T", e), Msg: "unknown condition node", Err: ErrType}
}

func always(string) bool { return true }

// chain compiles a run of "and" (or of "or") as one list, cheapest operand
// first. The conditions are pure and the operators associative and
// commutative, so the order changes only how soon the result is known.
// Errors are still reported in source order.
func (c *compiler) chain(e Expr, and bool) ([]pred, error) {
	var operands []Expr
	var walk func(e Expr) error
	walk = func(e Expr) error {
		var x, y Expr
		switch n := e.(type) {
		case AndExpr:
			if !and {
				operands = append(operands, e)
				return nil
			}
			x, y = n.X, n.Y
		case OrExpr:
			if and {
				operands = append(operands, e)
				return nil
			}
			x, y = n.X, n.Y
		default:
			operands = append(operands, e)
			return nil
		}
		if x == nil || y == nil {
			return &CompileError{Cond: "<nil>", Msg: "and/or needs two conditions", Err: ErrType}
		}
		if err := walk(x); err != nil {
			return err
		}
		return walk(y)
	}
	if err := walk(e); err != nil {
		return nil, err
	}
	type costed struct {
		p    pred
		cost int
	}
	cs := make([]costed, len(operands))
	for i, o := range operands {
		p, err := c.expr(o)
		if err != nil {
			return nil, err
		}
		cs[i] = costed{p, costOf(o)}
	}
	slices.SortStableFunc(cs, func(a, b costed) int { return a.cost - b.cost })
	ps := make([]pred, len(cs))
	for i, x := range cs {
		ps[i] = x.p
	}
	return ps, nil
}

func (c *compiler) window(e fmt.Stringer, w Window, zeroOK bool) error {
	if w.IsZero() && zeroOK {
		return nil
	}
	if err := w.check(); err != nil {
		return typeErr(e, "%v", err)
	}
	return nil
}

// operand resolves the tested operand to an accessor and its kind.
func (c *compiler) operand(e fmt.Stringer, o Operand) (accessor, Kind, error) {
	switch o := o.(type) {
	case Field:
		d, err := c.field(e, string(o))
		if err != nil {
			return accessor{}, 0, err
		}
		return d.accessor, d.Kind, nil
	case EventCount:
		if o.Type == "" {
			return accessor{}, 0, typeErr(e, "empty event type")
		}
		if err := c.eventType(e, o.Type); err != nil {
			return accessor{}, 0, err
		}
		if err := c.window(e, o.Window, true); err != nil {
			return accessor{}, 0, err
		}
		typ, w := keyOf(profile.EventType(o.Type)), o.Window
		if w.IsZero() {
			return accessor{num: func(v *View) (float64, bool) {
				return float64(v.agg().countType(typ, false, 0, 0)), true
			}}, KindNumber, nil
		}
		return accessor{num: func(v *View) (float64, bool) {
			a := v.agg()
			return float64(a.countType(typ, true, w.startUnix(a.Now), a.Now.Unix())), true
		}}, KindNumber, nil
	case SpendSum:
		if err := c.window(e, o.Window, true); err != nil {
			return accessor{}, 0, err
		}
		w := o.Window
		if w.IsZero() {
			return accessor{num: func(v *View) (float64, bool) { return v.agg().Spend, true }}, KindNumber, nil
		}
		return accessor{num: func(v *View) (float64, bool) {
			a := v.agg()
			return a.spendIn(w.startUnix(a.Now), a.Now.Unix()), true
		}}, KindNumber, nil
	}
	return accessor{}, 0, typeErr(e, "missing field")
}

func (c *compiler) field(e fmt.Stringer, name string) (*fieldDef, error) {
	if d := aggregateByName[name]; d != nil {
		c.ranked = c.ranked || d.ranked
		return d, nil
	}
	f, err := profile.ParseField(name)
	if err == nil && string(f) == name {
		if allowed, what := c.allowed(f); !allowed {
			return nil, &CompileError{Cond: e.String(), Err: ErrUnknownField,
				Msg: fmt.Sprintf("unknown field %q: the schema lists no %s %q", name, what, strings.SplitN(name, ":", 2)[1])}
		}
		d := profileField(name, f)
		return &d, nil
	}
	msg := fmt.Sprintf("unknown field %q", name)
	if s := suggest(name); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return nil, &CompileError{Cond: e.String(), Msg: msg, Err: ErrUnknownField}
}

// eventType checks typ against the schema's event types, when it lists
// them. Types are case-sensitive, as matching is.
func (c *compiler) eventType(e fmt.Stringer, typ string) error {
	if c.s.EventTypes == nil || slices.Contains(c.s.EventTypes, typ) {
		return nil
	}
	msg := fmt.Sprintf("unknown event type %q: the schema lists no such type", typ)
	best, bestD := "", 3
	for _, t := range c.s.EventTypes {
		if d := editDistance(typ, t); d < bestD {
			best, bestD = t, d
		}
	}
	if best != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", best)
	}
	return &CompileError{Cond: e.String(), Msg: msg, Err: ErrUnknownValue}
}

func (c *compiler) allowed(f profile.Field) (bool, string) {
	if n, ok := f.AttrName(); ok {
		return c.s.Attrs == nil || slices.Contains(c.s.Attrs, n), "attribute"
	}
	if n, ok := f.IDType(); ok {
		return c.s.IDTypes == nil || slices.Contains(c.s.IDTypes, n), "identifier type"
	}
	if n, ok := f.ConsentPurpose(); ok {
		return c.s.Consents == nil || slices.Contains(c.s.Consents, n), "consent purpose"
	}
	return true, ""
}

// suggest returns the known fixed field name closest to name, when close.
func suggest(name string) string {
	best, bestD := "", 3
	try := func(s string) {
		if d := editDistance(name, s); d < bestD {
			best, bestD = s, d
		}
	}
	for _, f := range profile.Fields {
		try(string(f))
	}
	for _, d := range aggregateFields {
		try(d.Name)
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkClosed returns an error wrapping [ErrUnknownValue] when o is a field
// with a closed set of values and lit is none of them (with sub, part of
// none of them), ignoring case as matching does.
func checkClosed(e fmt.Stringer, o Operand, lit string, sub bool) error {
	f, ok := o.(Field)
	if !ok {
		return nil
	}
	d := aggregateByName[string(f)]
	if d == nil || d.values == nil {
		return nil
	}
	best, bestD := "", 3
	for _, v := range d.values {
		if strings.EqualFold(v, lit) || sub && containsFold(v, lit) {
			return nil
		}
		if dist := editDistance(strings.ToLower(lit), strings.ToLower(v)); dist < bestD {
			best, bestD = v, dist
		}
	}
	what := "no"
	if sub {
		what = "no part of any"
	}
	msg := fmt.Sprintf("%q is %s %s", lit, what, d.Name)
	if best != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", best)
	}
	quoted := make([]string, len(d.values))
	for i, v := range d.values {
		quoted[i] = strconv.Quote(v)
	}
	msg += fmt.Sprintf("; %s is one of %s", d.Name, strings.Join(quoted, ", "))
	return &CompileError{Cond: e.String(), Msg: msg, Err: ErrUnknownValue}
}

// literal checks that v suits kind k and returns it as a number or time.
func (c *compiler) literal(e fmt.Stringer, k Kind, v Value) (float64, time.Time, error) {
	switch k {
	case KindNumber:
		if !v.IsNum {
			return 0, time.Time{}, typeErr(e, "%s is a string; this field is a number", v)
		}
		if math.IsNaN(v.Num) || math.IsInf(v.Num, 0) {
			return 0, time.Time{}, typeErr(e, "%v is not a finite number", v.Num)
		}
		return v.Num, time.Time{}, nil
	case KindTime:
		if v.IsNum {
			return 0, time.Time{}, typeErr(e, "%s is a number; this field is a time: write a date such as \"2024-05-01\"", v)
		}
		t, err := c.parseTime(v.Str)
		if err != nil {
			return 0, time.Time{}, typeErr(e, "%s is not a time: write 2006-01-02, 2006-01-02T15:04:05 or RFC 3339", v)
		}
		return 0, t, nil
	default:
		if v.IsNum {
			return 0, time.Time{}, typeErr(e, "%s is a number; this field is a %s: quote the value", v, k)
		}
		return 0, time.Time{}, nil
	}
}

func (c *compiler) parseTime(s string) (time.Time, error) {
	loc := c.s.Location
	if loc == nil {
		loc = time.UTC
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05", s, loc); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02", s, loc)
}

func (c *compiler) compare(e CompareExpr) (pred, error) {
	acc, k, err := c.operand(e, e.Left)
	if err != nil {
		return nil, err
	}
	if e.Op < OpEq || e.Op > OpGe {
		return nil, typeErr(e, "unknown operator")
	}
	if k == KindSet {
		return nil, typeErr(e, "%s is a set: use contains or in", e.Left)
	}
	n, t, err := c.literal(e, k, e.Value)
	if err != nil {
		return nil, err
	}
	op := e.Op
	switch k {
	case KindNumber:
		get := acc.num
		switch op {
		case OpEq:
			return func(v *View) bool { x, ok := get(v); return ok && x == n }, nil
		case OpNe:
			return func(v *View) bool { x, ok := get(v); return ok && x != n }, nil
		case OpLt:
			return func(v *View) bool { x, ok := get(v); return ok && x < n }, nil
		case OpLe:
			return func(v *View) bool { x, ok := get(v); return ok && x <= n }, nil
		case OpGt:
			return func(v *View) bool { x, ok := get(v); return ok && x > n }, nil
		}
		return func(v *View) bool { x, ok := get(v); return ok && x >= n }, nil
	case KindTime:
		get := acc.tim
		return func(v *View) bool {
			x, ok := get(v)
			return ok && cmpHolds(op, x.Compare(t))
		}, nil
	}
	// Strings: case-insensitive. "=" holds when any value equals the
	// literal; "!=" when the field has a value and none equals it.
	if op == OpEq || op == OpNe {
		if err := checkClosed(e, e.Left, e.Value.Str, false); err != nil {
			return nil, err
		}
	}
	anyOf, lit := acc.any, e.Value.Str
	eq := func(s string) bool { return strings.EqualFold(s, lit) }
	switch op {
	case OpEq:
		return func(v *View) bool { return anyOf(v, eq) }, nil
	case OpNe:
		return func(v *View) bool { return anyOf(v, always) && !anyOf(v, eq) }, nil
	}
	if err := checkUnordered(e, e.Left); err != nil {
		return nil, err
	}
	ord := func(s string) bool { return cmpHolds(op, compareFold(s, lit)) }
	return func(v *View) bool { return anyOf(v, ord) }, nil
}

// checkUnordered returns an error wrapping [ErrType] when o is a field with
// a closed set of values: their alphabetical order means nothing
// (value_tier < "vip" would hold for "high", "none" and "standard" alike).
func checkUnordered(e fmt.Stringer, o Operand) error {
	f, ok := o.(Field)
	if !ok {
		return nil
	}
	if d := aggregateByName[string(f)]; d != nil && d.values != nil {
		return typeErr(e, "%s has no order: compare it with = or in", d.Name)
	}
	return nil
}

func cmpHolds(op Op, c int) bool {
	switch op {
	case OpEq:
		return c == 0
	case OpNe:
		return c != 0
	case OpLt:
		return c < 0
	case OpLe:
		return c <= 0
	case OpGt:
		return c > 0
	}
	return c >= 0
}

func (c *compiler) in(e InExpr) (pred, error) {
	acc, k, err := c.operand(e, e.Left)
	if err != nil {
		return nil, err
	}
	if len(e.Values) == 0 {
		return nil, typeErr(e, "in needs at least one value")
	}
	switch k {
	case KindTime:
		return nil, typeErr(e, "%s is a time: use within, before, between or a comparison", e.Left)
	case KindNumber:
		nums := make([]float64, len(e.Values))
		for i, v := range e.Values {
			if nums[i], _, err = c.literal(e, k, v); err != nil {
				return nil, err
			}
		}
		get := acc.num
		return func(v *View) bool {
			x, ok := get(v)
			return ok && slices.Contains(nums, x)
		}, nil
	}
	strs := make([]string, len(e.Values))
	for i, v := range e.Values {
		if _, _, err = c.literal(e, k, v); err != nil {
			return nil, err
		}
		if err := checkClosed(e, e.Left, v.Str, false); err != nil {
			return nil, err
		}
		strs[i] = v.Str
	}
	member := func(s string) bool {
		for _, x := range strs {
			if strings.EqualFold(s, x) {
				return true
			}
		}
		return false
	}
	anyOf := acc.any
	return func(v *View) bool { return anyOf(v, member) }, nil
}

func (c *compiler) contains(e ContainsExpr) (pred, error) {
	acc, k, err := c.operand(e, e.Left)
	if err != nil {
		return nil, err
	}
	if k != KindString && k != KindSet {
		return nil, typeErr(e, "contains needs a string or set field; %s is a %s", e.Left, k)
	}
	if _, _, err := c.literal(e, k, e.Value); err != nil {
		return nil, err
	}
	if err := checkClosed(e, e.Left, e.Value.Str, k == KindString); err != nil {
		return nil, err
	}
	lit, anyOf := e.Value.Str, acc.any
	if k == KindSet {
		eq := func(s string) bool { return strings.EqualFold(s, lit) }
		return func(v *View) bool { return anyOf(v, eq) }, nil
	}
	sub := func(s string) bool { return containsFold(s, lit) }
	return func(v *View) bool { return anyOf(v, sub) }, nil
}

func (c *compiler) between(e BetweenExpr) (pred, error) {
	acc, k, err := c.operand(e, e.Left)
	if err != nil {
		return nil, err
	}
	if k == KindSet {
		return nil, typeErr(e, "%s is a set: use contains or in", e.Left)
	}
	lo, tlo, err := c.literal(e, k, e.Low)
	if err != nil {
		return nil, err
	}
	hi, thi, err := c.literal(e, k, e.High)
	if err != nil {
		return nil, err
	}
	switch k {
	case KindNumber:
		if lo > hi {
			return nil, typeErr(e, "the range is empty: %s is greater than %s", e.Low, e.High)
		}
		get := acc.num
		return func(v *View) bool { x, ok := get(v); return ok && x >= lo && x <= hi }, nil
	case KindTime:
		if tlo.After(thi) {
			return nil, typeErr(e, "the range is empty: %s is after %s", e.Low, e.High)
		}
		get := acc.tim
		return func(v *View) bool { x, ok := get(v); return ok && !x.Before(tlo) && !x.After(thi) }, nil
	}
	if err := checkUnordered(e, e.Left); err != nil {
		return nil, err
	}
	slo, shi := e.Low.Str, e.High.Str
	if compareFold(slo, shi) > 0 {
		return nil, typeErr(e, "the range is empty: %s sorts after %s", e.Low, e.High)
	}
	in := func(s string) bool { return compareFold(s, slo) >= 0 && compareFold(s, shi) <= 0 }
	anyOf := acc.any
	return func(v *View) bool { return anyOf(v, in) }, nil
}

func (c *compiler) recency(e Expr, left Operand, w Window, within bool) (pred, error) {
	acc, k, err := c.operand(e, left)
	if err != nil {
		return nil, err
	}
	if k != KindTime {
		return nil, typeErr(e, "within and before need a time field; %s is a %s", left, k)
	}
	if err := c.window(e, w, false); err != nil {
		return nil, err
	}
	get := acc.tim
	if within {
		// [now-w, now]: later (future) times are not "within the last w".
		return func(v *View) bool {
			t, ok := get(v)
			if !ok {
				return false
			}
			now := v.agg().Now
			s := t.Unix()
			return s >= w.startUnix(now) && !t.After(now)
		}, nil
	}
	return func(v *View) bool {
		t, ok := get(v)
		return ok && t.Unix() < w.startUnix(v.agg().Now)
	}, nil
}

// containsFold reports whether sub is within s, ignoring case (Unicode
// simple folding, rune by rune). It does not allocate.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	for i := 0; i < len(s); {
		if hasPrefixFold(s[i:], sub) {
			return true
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		r1, n1 := utf8.DecodeRuneInString(s)
		r2, n2 := utf8.DecodeRuneInString(prefix)
		if r1 != r2 && !strings.EqualFold(s[:n1], prefix[:n2]) {
			return false
		}
		s, prefix = s[n1:], prefix[n2:]
	}
	return true
}

// compareFold orders strings rune by rune on their lower-case forms, and
// agrees with strings.EqualFold on equality.
func compareFold(a, b string) int {
	if strings.EqualFold(a, b) {
		return 0
	}
	for a != "" && b != "" {
		r1, n1 := utf8.DecodeRuneInString(a)
		r2, n2 := utf8.DecodeRuneInString(b)
		if !strings.EqualFold(a[:n1], b[:n2]) {
			l1, l2 := unicode.ToLower(r1), unicode.ToLower(r2)
			if l1 != l2 {
				if l1 < l2 {
					return -1
				}
				return 1
			}
			if r1 < r2 {
				return -1
			}
			return 1
		}
		a, b = a[n1:], b[n2:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}
