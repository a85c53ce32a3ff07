package segment

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Unit is the unit of a [Window].
type Unit uint8

// Window units. A day is 24 hours and a week 7 days; months and years are
// calendar months and years counted back from "now" in its location.
const (
	Hour Unit = iota + 1
	Day
	Week
	Month
	Year
)

var unitNames = [...]string{Hour: "h", Day: "d", Week: "w", Month: "mo", Year: "y"}

// String returns the unit as written in the language: h, d, w, mo or y.
func (u Unit) String() string {
	if u >= Hour && u <= Year {
		return unitNames[u]
	}
	return fmt.Sprintf("Unit(%d)", uint8(u))
}

// maxWindowN bounds a window's count so that window arithmetic cannot overflow.
const maxWindowN = 100000

// Window is a span of time back from "now": the last 30 days is
// Window{30, Day}, written 30d, and holds the times in [now-30d, now] (to the
// second). The zero Window means all time where a condition allows it (has,
// count, spend).
type Window struct {
	N    int
	Unit Unit
}

// Hours returns a window of n hours.
func Hours(n int) Window { return Window{n, Hour} }

// Days returns a window of n days (of 24 hours).
func Days(n int) Window { return Window{n, Day} }

// Weeks returns a window of n weeks (of 7 days).
func Weeks(n int) Window { return Window{n, Week} }

// Months returns a window of n calendar months.
func Months(n int) Window { return Window{n, Month} }

// Years returns a window of n calendar years.
func Years(n int) Window { return Window{n, Year} }

// IsZero reports whether w is the zero window (all time).
func (w Window) IsZero() bool { return w == Window{} }

// String returns w as written in the language ("30d"), or "" for the zero window.
func (w Window) String() string {
	if w.IsZero() {
		return ""
	}
	return strconv.Itoa(w.N) + w.Unit.String()
}

var (
	_ encoding.TextMarshaler   = Window{}
	_ encoding.TextUnmarshaler = (*Window)(nil)
)

// MarshalText writes w as "30d", so JSON shows windows as the language does.
func (w Window) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// UnmarshalText reads a window written as in the language ("30d", "12h").
func (w *Window) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*w = Window{}
		return nil
	}
	lx := lexer{src: string(b), line: 1, col: 1}
	t := lx.next()
	if t.kind != tokDuration || lx.next().kind != tokEOF {
		if t.kind == tokError {
			return &SyntaxError{Line: t.line, Col: t.col, Msg: t.text}
		}
		return fmt.Errorf("%w: window %q: want a count and a unit such as 30d", ErrSyntax, b)
	}
	*w = t.win
	return nil
}

func (w Window) check() error {
	if w.Unit < Hour || w.Unit > Year {
		return fmt.Errorf("window %v: unknown unit", w)
	}
	if w.N < 1 || w.N > maxWindowN {
		return fmt.Errorf("window %v: count must be 1 to %d", w, maxWindowN)
	}
	return nil
}

// startUnix returns now minus w in Unix seconds. It does not allocate.
func (w Window) startUnix(now time.Time) int64 {
	n := int64(w.N)
	switch w.Unit {
	case Hour:
		return now.Unix() - n*3600
	case Day:
		return now.Unix() - n*86400
	case Week:
		return now.Unix() - n*7*86400
	case Month:
		return now.AddDate(0, -w.N, 0).Unix()
	case Year:
		return now.AddDate(-w.N, 0, 0).Unix()
	}
	return math.MinInt64
}

// Expr is a condition: a tree of the node types below, built by [Parse] or
// by the constructors ([And], [Ge], [In], [Has], ...). Its String method
// prints it in the condition language, so that Parse(e.String()) returns a
// tree equal to e (for trees whose fields and literals the language can
// write: finite numbers, field names that are identifiers).
//
// A tree is only checked against the fields and their kinds when it is
// compiled ([Compile]).
type Expr interface {
	String() string
	isExpr()
}

// Operand is what a predicate tests: a [Field], an [EventCount] or a
// [SpendSum].
type Operand interface {
	String() string
	isOperand()
}

// Field names a field of the schema: a profile field of the field vocabulary
// ("locality", "id:loyalty", "attr:tier", "consent:email") or an aggregate
// ("total_spend", "last_purchase", "channels"). See [Fields].
type Field string

// EventCount is count(type, window): the number of events of a type in the
// window back from now (orders for purchases); the zero window counts all time.
type EventCount struct {
	Type   string
	Window Window
}

// SpendSum is spend(window): the spend of orders in the window, in the
// reporting currency; the zero window is all time (same as total_spend).
type SpendSum struct {
	Window Window
}

// Count returns the operand count(typ, w).
func Count(typ string, w Window) EventCount { return EventCount{typ, w} }

// Spend returns the operand spend(w).
func Spend(w Window) SpendSum { return SpendSum{w} }

func (Field) isOperand()      {}
func (EventCount) isOperand() {}
func (SpendSum) isOperand()   {}

// String returns the field name.
func (f Field) String() string { return string(f) }

// String returns "count(type, window)".
func (c EventCount) String() string {
	if c.Window.IsZero() {
		return "count(" + eventTypeString(c.Type) + ")"
	}
	return "count(" + eventTypeString(c.Type) + ", " + c.Window.String() + ")"
}

// String returns "spend(window)".
func (s SpendSum) String() string { return "spend(" + s.Window.String() + ")" }

// Value is a literal: a string or a finite number. Times are written as
// strings ("2024-05-01", RFC 3339) and read when the condition is compiled.
type Value struct {
	Str   string
	Num   float64
	IsNum bool
}

// Str returns a string literal.
func Str(s string) Value { return Value{Str: s} }

// Num returns a number literal.
func Num(f float64) Value { return Value{Num: f, IsNum: true} }

// String returns the literal as written in the language.
func (v Value) String() string {
	if v.IsNum {
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	}
	return strconv.Quote(v.Str)
}

// Op is a comparison operator.
type Op uint8

// Comparison operators.
const (
	OpEq Op = iota + 1 // =
	OpNe               // !=
	OpLt               // <
	OpLe               // <=
	OpGt               // >
	OpGe               // >=
)

var opNames = [...]string{OpEq: "=", OpNe: "!=", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">="}

// String returns the operator as written in the language.
func (o Op) String() string {
	if o >= OpEq && o <= OpGe {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// The node types of an [Expr].
type (
	// AndExpr is "X and Y".
	AndExpr struct{ X, Y Expr }
	// OrExpr is "X or Y".
	OrExpr struct{ X, Y Expr }
	// NotExpr is "not X".
	NotExpr struct{ X Expr }
	// CompareExpr is "Left Op Value", for example total_spend >= 1000.
	CompareExpr struct {
		Left  Operand
		Op    Op
		Value Value
	}
	// InExpr is `Left in (v1, v2, ...)`. On a set field it holds when any
	// element is one of the values.
	InExpr struct {
		Left   Operand
		Values []Value
	}
	// ContainsExpr is `Left contains v`: substring of a string field,
	// membership of a set field.
	ContainsExpr struct {
		Left  Operand
		Value Value
	}
	// ExistsExpr is "Left exists": the field has a value.
	ExistsExpr struct{ Left Operand }
	// BetweenExpr is "Left between Low and High", both ends included.
	BetweenExpr struct {
		Left      Operand
		Low, High Value
	}
	// WithinExpr is "Left within 90d": a time in [now-90d, now].
	WithinExpr struct {
		Left   Operand
		Window Window
	}
	// BeforeExpr is "Left before 30d": a time earlier than now-30d.
	BeforeExpr struct {
		Left   Operand
		Window Window
	}
	// HasExpr is "has(type, window)": at least one event of the type in the
	// window (all time for the zero window).
	HasExpr struct {
		Type   string
		Window Window
	}
)

func (AndExpr) isExpr()      {}
func (OrExpr) isExpr()       {}
func (NotExpr) isExpr()      {}
func (CompareExpr) isExpr()  {}
func (InExpr) isExpr()       {}
func (ContainsExpr) isExpr() {}
func (ExistsExpr) isExpr()   {}
func (BetweenExpr) isExpr()  {}
func (WithinExpr) isExpr()   {}
func (BeforeExpr) isExpr()   {}
func (HasExpr) isExpr()      {}

// Printing: "or" binds loosest, then "and", then "not", then predicates.
// Operands of the same operator on the left print without parentheses (the
// parser is left-associative); anything else that binds looser is wrapped.

func prec(e Expr) int {
	switch e.(type) {
	case OrExpr:
		return 1
	case AndExpr:
		return 2
	}
	return 3
}

func wrap(e Expr, min int) string {
	if e == nil {
		return "<nil>"
	}
	if prec(e) < min {
		return "(" + e.String() + ")"
	}
	return e.String()
}

// String prints the condition.
func (e OrExpr) String() string { return wrap(e.X, 1) + " or " + wrap(e.Y, 2) }

// String prints the condition.
func (e AndExpr) String() string { return wrap(e.X, 2) + " and " + wrap(e.Y, 3) }

// String prints the condition.
func (e NotExpr) String() string { return "not " + wrap(e.X, 3) }

func operandString(o Operand) string {
	if o == nil {
		return "<nil>"
	}
	return o.String()
}

// String prints the condition.
func (e CompareExpr) String() string {
	return operandString(e.Left) + " " + e.Op.String() + " " + e.Value.String()
}

// String prints the condition.
func (e InExpr) String() string {
	var b strings.Builder
	b.WriteString(operandString(e.Left))
	b.WriteString(" in (")
	for i, v := range e.Values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v.String())
	}
	b.WriteString(")")
	return b.String()
}

// String prints the condition.
func (e ContainsExpr) String() string {
	return operandString(e.Left) + " contains " + e.Value.String()
}

// String prints the condition.
func (e ExistsExpr) String() string { return operandString(e.Left) + " exists" }

// String prints the condition.
func (e BetweenExpr) String() string {
	return operandString(e.Left) + " between " + e.Low.String() + " and " + e.High.String()
}

// String prints the condition.
func (e WithinExpr) String() string {
	return operandString(e.Left) + " within " + e.Window.String()
}

// String prints the condition.
func (e BeforeExpr) String() string {
	return operandString(e.Left) + " before " + e.Window.String()
}

// String prints the condition.
func (e HasExpr) String() string {
	if e.Window.IsZero() {
		return "has(" + eventTypeString(e.Type) + ")"
	}
	return "has(" + eventTypeString(e.Type) + ", " + e.Window.String() + ")"
}

// eventTypeString writes an event type bare when the lexer reads it back as
// the same identifier, quoted otherwise.
func eventTypeString(t string) string {
	if isPlainIdent(t) {
		return t
	}
	return strconv.Quote(t)
}

// isPlainIdent reports whether s lexes as one lower-case identifier that is
// not a keyword.
func isPlainIdent(s string) bool {
	if s == "" || keywords[s] {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Constructors. They build the same trees Parse does, so a condition can be
// written in Go without a string:
//
//	segment.And(segment.Ge("total_spend", 1000), segment.Within("last_purchase", segment.Days(90)))

// LeftSide is what the constructors accept as the tested operand: a field
// name (string, [Field], profile.Field) or an [EventCount] or [SpendSum].
type LeftSide interface {
	~string | EventCount | SpendSum
}

// Literal is what the constructors accept as a value: a string kind, an
// integer or float kind, or a [Value].
type Literal interface {
	~string | ~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64 | Value
}

func toOperand[L LeftSide](l L) Operand {
	switch x := any(l).(type) {
	case EventCount:
		return x
	case SpendSum:
		return x
	}
	return Field(reflect.ValueOf(l).String())
}

func toValue[V Literal](v V) Value {
	if x, ok := any(v).(Value); ok {
		return x
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return Str(rv.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Num(float64(rv.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return Num(float64(rv.Uint()))
	}
	return Num(rv.Float())
}

// And returns "x and y and ...", nested to the left as the parser nests it.
// It panics when given no condition.
func And(xs ...Expr) Expr { return fold(xs, func(x, y Expr) Expr { return AndExpr{x, y} }, "And") }

// Or returns "x or y or ...", nested to the left as the parser nests it. It
// panics when given no condition.
func Or(xs ...Expr) Expr { return fold(xs, func(x, y Expr) Expr { return OrExpr{x, y} }, "Or") }

func fold(xs []Expr, f func(x, y Expr) Expr, name string) Expr {
	if len(xs) == 0 {
		panic("segment." + name + ": no conditions")
	}
	e := xs[0]
	for _, y := range xs[1:] {
		e = f(e, y)
	}
	return e
}

// Not returns "not x".
func Not(x Expr) Expr { return NotExpr{x} }

// Compare returns "l op v".
func Compare[L LeftSide, V Literal](l L, op Op, v V) Expr {
	return CompareExpr{toOperand(l), op, toValue(v)}
}

// Eq returns "l = v".
func Eq[L LeftSide, V Literal](l L, v V) Expr { return Compare(l, OpEq, v) }

// Ne returns "l != v".
func Ne[L LeftSide, V Literal](l L, v V) Expr { return Compare(l, OpNe, v) }

// Lt returns "l < v".
func Lt[L LeftSide, V Literal](l L, v V) Expr { return Compare(l, OpLt, v) }

// Le returns "l <= v".
func Le[L LeftSide, V Literal](l L, v V) Expr { return Compare(l, OpLe, v) }

// Gt returns "l > v".
func Gt[L LeftSide, V Literal](l L, v V) Expr { return Compare(l, OpGt, v) }

// Ge returns "l >= v".
func Ge[L LeftSide, V Literal](l L, v V) Expr { return Compare(l, OpGe, v) }

// In returns "l in (vs...)". It panics when given no value.
func In[L LeftSide, V Literal](l L, vs ...V) Expr {
	if len(vs) == 0 {
		panic("segment.In: no values")
	}
	e := InExpr{Left: toOperand(l), Values: make([]Value, len(vs))}
	for i, v := range vs {
		e.Values[i] = toValue(v)
	}
	return e
}

// Contains returns "l contains v".
func Contains[L LeftSide, V Literal](l L, v V) Expr {
	return ContainsExpr{toOperand(l), toValue(v)}
}

// Exists returns "l exists".
func Exists[L LeftSide](l L) Expr { return ExistsExpr{toOperand(l)} }

// Between returns "l between low and high".
func Between[L LeftSide, V Literal](l L, low, high V) Expr {
	return BetweenExpr{toOperand(l), toValue(low), toValue(high)}
}

// Within returns "l within w".
func Within[L LeftSide](l L, w Window) Expr { return WithinExpr{toOperand(l), w} }

// Before returns "l before w".
func Before[L LeftSide](l L, w Window) Expr { return BeforeExpr{toOperand(l), w} }

// Has returns "has(typ, w)"; the zero window means ever.
func Has[T ~string](typ T, w Window) Expr { return HasExpr{string(typ), w} }
