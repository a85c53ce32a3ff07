package segment_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
	"pgregory.net/rapid"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want segment.Expr
	}{
		{
			`total_spend >= 1000 and last_purchase within 90d and channel in ("email", "sms") and not has(complaint, 30d)`,
			segment.And(
				segment.Ge("total_spend", 1000),
				segment.Within("last_purchase", segment.Days(90)),
				segment.In("channel", "email", "sms"),
				segment.Not(segment.Has(profile.Complaint, segment.Days(30))),
			),
		},
		// "and" binds tighter than "or"; both nest to the left.
		{`a = 1 or b = 2 and c = 3 or d = 4`, segment.Or(
			segment.Eq("a", 1),
			segment.And(segment.Eq("b", 2), segment.Eq("c", 3)),
			segment.Eq("d", 4),
		)},
		{`(a = 1 or b = 2) and not (c = 3)`, segment.And(
			segment.Or(segment.Eq("a", 1), segment.Eq("b", 2)),
			segment.Not(segment.Eq("c", 3)),
		)},
		// Keywords and field names are case-insensitive; == is =.
		{`Attr:Tier == "Gold" AND ID:loyalty EXISTS`, segment.And(
			segment.Eq("attr:tier", "Gold"),
			segment.Exists("id:loyalty"),
		)},
		{`x not in (1, -2.5, 3e2)`, segment.Not(segment.In("x", 1, -2.5, 300))},
		{`locality contains "bour"`, segment.Contains(profile.FieldLocality, "bour")},
		{`count(purchase, 12mo) between 2 and 5`, segment.Between(segment.Count("purchase", segment.Months(12)), 2, 5)},
		{`count("web-visit") > 0 or spend(1y) >= 10 or spend() < 1`, segment.Or(
			segment.Gt(segment.Count("web-visit", segment.Window{}), 0),
			segment.Ge(segment.Spend(segment.Years(1)), 10),
			segment.Lt(segment.Spend(segment.Window{}), 1),
		)},
		{"first_seen before 2w\n\tor last_seen within 36h", segment.Or(
			segment.Before("first_seen", segment.Weeks(2)),
			segment.Within("last_seen", segment.Hours(36)),
		)},
		{`has(complaint) and a != "x\"y\u00e9"`, segment.And(
			segment.Has("complaint", segment.Window{}),
			segment.Ne("a", "x\"yé"),
		)},
		{`not not a <= 1 and b < 2 and c > 3`, segment.And(
			segment.Not(segment.Not(segment.Le("a", 1))), segment.Lt("b", 2), segment.Gt("c", 3),
		)},
	} {
		got, err := segment.Parse(tc.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.src, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tc.src, diff)
		}
	}
}

func TestString(t *testing.T) {
	for _, tc := range []struct {
		e    segment.Expr
		want string
	}{
		{segment.And(segment.Or(segment.Eq("a", 1), segment.Eq("b", 2)), segment.Eq("c", "x")), `(a = 1 or b = 2) and c = "x"`},
		{segment.Or(segment.Eq("a", 1), segment.Or(segment.Eq("b", 2), segment.Eq("c", 3))), `a = 1 or (b = 2 or c = 3)`},
		{segment.And(segment.Eq("a", 1), segment.And(segment.Eq("b", 2), segment.Eq("c", 3))), `a = 1 and (b = 2 and c = 3)`},
		{segment.Not(segment.And(segment.Eq("a", 1), segment.Eq("b", 2))), `not (a = 1 and b = 2)`},
		{segment.Has("Web Visit", segment.Days(7)), `has("Web Visit", 7d)`},
		{segment.Has("and", segment.Window{}), `has("and")`},
		{segment.Ge(segment.Spend(segment.Months(3)), 1e21), `spend(3mo) >= 1e+21`},
	} {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("String() = %s, want %s", got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`total_spend >= `, `segment: 1:16: expected value after ">=", found end of input`},
		{``, `segment: 1:1: expected condition, found end of input`},
		{`   `, `segment: 1:4: expected condition, found end of input`},
		{`a = 1 b`, `segment: 1:7: expected "and", "or" or end of input after "1", found "b"`},
		{"a = 1 and\n  b = ", `segment: 2:7: expected value after "=", found end of input`},
		{`has(complaint 30d)`, `segment: 1:15: expected "," or ")" after "complaint", found window 30d`},
		{`has(, 30d)`, `segment: 1:5: expected event type after "has(", found ","`},
		{`x in ()`, `segment: 1:7: expected value after "(", found ")"`},
		{`x between 1 or 2`, `segment: 1:13: expected "and" after "1", found keyword "or"`},
		{`x = "abc`, `segment: 1:5: unterminated string`},
		{`x = "a\qb"`, `segment: 1:5: invalid string "a\qb": bad escape or control character`},
		{`x = 'a'`, `segment: 1:5: unexpected "'": strings are written in double quotes`},
		{`x within 30`, `segment: 1:10: expected window such as 90d after "within", found number 30`},
		{`x within 30m`, `segment: 1:10: ambiguous window unit "m" in "30m": write mo for months (minutes are not supported)`},
		{`x within 30days`, `segment: 1:10: unknown window unit "days" in "30days": use h, d, w, mo or y`},
		{`x within 0d`, `segment: 1:10: window "0d": the count must be 1 to 100000`},
		{`x within 1.5d`, `segment: 1:10: window "1.5d": the count must be a whole number`},
		{`x = 1.`, `segment: 1:7: expected digit after decimal point in "1."`},
		{`x = 1e999`, `segment: 1:5: number 1e999 is out of range`},
		{`not`, `segment: 1:4: expected field, found end of input`},
		{`and = 1`, `segment: 1:1: expected field, found keyword "and"`},
		{`x ! 1`, `segment: 1:3: unexpected "!" (did you mean "!=" or "not"?)`},
		{`x`, `segment: 1:2: expected operator (=, !=, <, <=, >, >=, in, not in, contains, exists, between, within, before) after "x", found end of input`},
		{`x not 1`, `segment: 1:7: expected "in" after "not", found number 1`},
		{`foo:bar = 1`, `segment: 1:1: unknown field prefix "foo:": fields with a colon are id:<type>, attr:<name> or consent:<purpose>`},
		{`attr: = 1`, `segment: 1:6: expected a name after "attr:" (letters, digits, '_', '-' or '.')`},
		{`x = "é" y`, `segment: 1:9: expected "and", "or" or end of input after "\"é\"", found "y"`},
		{`x = 1 ; y`, `segment: 1:7: unexpected character ';'`},
		{"x = \xff", `segment: 1:5: invalid UTF-8 byte 0xff`},
		{`()`, `segment: 1:2: expected condition after "(", found ")"`},
		{`(a = 1`, `segment: 1:7: expected ")" after "1", found end of input`},
		{`spend(30) > 1`, `segment: 1:7: expected window or ")" after "(", found number 30`},
		{strings.Repeat("(", 201) + "a = 1" + strings.Repeat(")", 201), `segment: 1:201: condition nested deeper than 200 levels`},
		{strings.Repeat("not ", 201) + "a = 1", `segment: 1:801: condition nested deeper than 200 levels`},
	} {
		_, err := segment.Parse(tc.src)
		var se *segment.SyntaxError
		if !errors.As(err, &se) || !errors.Is(err, segment.ErrSyntax) {
			t.Errorf("Parse(%q) error = %v, want a SyntaxError", tc.src, err)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("Parse(%q) error\n got %s\nwant %s", tc.src, err, tc.want)
		}
	}
}

// Round trip: for any tree the language can write, Parse(String(e)) == e.

var (
	genFieldName = rapid.SampledFrom([]string{
		"total_spend", "purchase_count", "last_purchase", "first_seen", "channel", "channels",
		"given_name", "locality", "country", "attr:tier", "attr:a.b-c_1", "id:loyalty", "consent:email", "x", "a_1",
	})
	genEventType = rapid.SampledFrom([]string{"purchase", "complaint", "web-visit", "Purchase", "in", "has", "a b", "é", `q"uote`})
)

func genWindow(zeroOK bool) *rapid.Generator[segment.Window] {
	return rapid.Custom(func(t *rapid.T) segment.Window {
		if zeroOK && rapid.Bool().Draw(t, "zero") {
			return segment.Window{}
		}
		return segment.Window{
			N:    rapid.IntRange(1, 100000).Draw(t, "n"),
			Unit: segment.Unit(rapid.IntRange(1, 5).Draw(t, "unit")),
		}
	})
}

var genValue = rapid.Custom(func(t *rapid.T) segment.Value {
	if rapid.Bool().Draw(t, "isNum") {
		f := rapid.Float64().Draw(t, "num")
		if math.IsNaN(f) || math.IsInf(f, 0) {
			f = 0
		}
		return segment.Num(f)
	}
	return segment.Str(string(rapid.SliceOf(rapid.Byte()).Draw(t, "str")))
})

var genOperand = rapid.Custom(func(t *rapid.T) segment.Operand {
	switch rapid.IntRange(0, 4).Draw(t, "operand") {
	case 0:
		return segment.Count(genEventType.Draw(t, "type"), genWindow(true).Draw(t, "window"))
	case 1:
		return segment.Spend(genWindow(true).Draw(t, "window"))
	}
	return segment.Field(genFieldName.Draw(t, "field"))
})

func genExpr(depth int) *rapid.Generator[segment.Expr] {
	return rapid.Custom(func(t *rapid.T) segment.Expr {
		n := 10
		if depth > 0 {
			n = 13
		}
		left := genOperand.Draw(t, "left")
		switch rapid.IntRange(0, n).Draw(t, "node") {
		case 0, 1:
			return segment.CompareExpr{Left: left, Op: segment.Op(rapid.IntRange(1, 6).Draw(t, "op")), Value: genValue.Draw(t, "value")}
		case 2:
			return segment.InExpr{Left: left, Values: rapid.SliceOfN(genValue, 1, 4).Draw(t, "values")}
		case 3:
			return segment.ContainsExpr{Left: left, Value: genValue.Draw(t, "value")}
		case 4:
			return segment.ExistsExpr{Left: left}
		case 5:
			return segment.BetweenExpr{Left: left, Low: genValue.Draw(t, "low"), High: genValue.Draw(t, "high")}
		case 6:
			return segment.WithinExpr{Left: left, Window: genWindow(false).Draw(t, "window")}
		case 7:
			return segment.BeforeExpr{Left: left, Window: genWindow(false).Draw(t, "window")}
		case 8, 9, 10:
			return segment.HasExpr{Type: genEventType.Draw(t, "type"), Window: genWindow(true).Draw(t, "window")}
		case 11:
			return segment.AndExpr{X: genExpr(depth-1).Draw(t, "x"), Y: genExpr(depth-1).Draw(t, "y")}
		case 12:
			return segment.OrExpr{X: genExpr(depth-1).Draw(t, "x"), Y: genExpr(depth-1).Draw(t, "y")}
		}
		return segment.NotExpr{X: genExpr(depth-1).Draw(t, "x")}
	})
}

func TestRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := genExpr(4).Draw(t, "expr")
		src := e.String()
		got, err := segment.Parse(src)
		if err != nil {
			t.Fatalf("Parse(%s): %v", src, err)
		}
		if diff := cmp.Diff(e, got); diff != "" {
			t.Fatalf("Parse(%s) (-want +got):\n%s", src, diff)
		}
		if again := got.String(); again != src {
			t.Fatalf("String not stable: %s then %s", src, again)
		}
	})
}

func TestWindowText(t *testing.T) {
	for _, w := range []segment.Window{segment.Days(30), segment.Hours(1), segment.Weeks(2), segment.Months(18), segment.Years(3), {}} {
		b, _ := w.MarshalText()
		var got segment.Window
		if err := got.UnmarshalText(b); err != nil || got != w {
			t.Errorf("Window %v: text %q read back as %v, %v", w, b, got, err)
		}
	}
	var w segment.Window
	for _, bad := range []string{"30", "30x", "d", "30d 1", "-3d"} {
		if err := w.UnmarshalText([]byte(bad)); !errors.Is(err, segment.ErrSyntax) {
			t.Errorf("UnmarshalText(%q) error = %v, want ErrSyntax", bad, err)
		}
	}
}

// FuzzParse checks that no input panics the parser or the compiler, that
// errors carry a position inside the input, and that what parses prints
// back to the same tree.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`total_spend >= 1000 and last_purchase within 90d and channel in ("email", "sms") and not has(complaint, 30d)`,
		`(a = 1 or b = 2) and not (c = 3)`,
		`x not in (1, -2.5, 3e2)`,
		`count("web-visit", 12mo) between 2 and 5 or spend() < 1`,
		`attr:tier = "gold" and id:loyalty exists and consent:email = "yes"`,
		`locality contains "bour" and first_seen before 2w`,
		`last_purchase > "2024-01-01" and last_purchase between "2024-01-01" and "2024-12-31T23:59:59Z"`,
		"a = \"\\u00e9\"\n or b < -1e-3",
		`x = 'a'`, `x within 30m`, `((((`, `"`, `has(`, `1d`,
	} {
		f.Add(s)
	}
	v := fixtureView(f)
	f.Fuzz(func(t *testing.T, src string) {
		e, err := segment.Parse(src)
		if err != nil {
			var se *segment.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %v is not a SyntaxError", src, err)
			}
			lines := strings.Count(src, "\n") + 1
			if se.Line < 1 || se.Line > lines || se.Col < 1 || se.Col > len(src)+1 {
				t.Fatalf("Parse(%q): position %d:%d outside the input", src, se.Line, se.Col)
			}
			return
		}
		printed := e.String()
		again, err := segment.Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) printed %s, which does not parse: %v", src, printed, err)
		}
		if diff := cmp.Diff(e, again); diff != "" {
			t.Fatalf("Parse(%q) printed %s, which parses differently (-first +second):\n%s", src, printed, diff)
		}
		if s, err := segment.Compile("fuzz", e); err == nil {
			s.Match(v)
		} else {
			var ce *segment.CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile(%s): error %v is not a CompileError", printed, err)
			}
		}
	})
}

// The constructors take named string types, any integer or float kind, and
// Values.
func TestConstructorLiterals(t *testing.T) {
	for _, tc := range []struct {
		e    segment.Expr
		want string
	}{
		{segment.Eq(profile.FieldCountry, profile.Channel("AU")), `country = "AU"`},
		{segment.Ge("n", uint8(3)), `n >= 3`},
		{segment.Lt("n", float32(0.5)), `n < 0.5`},
		{segment.Le("n", int64(-7)), `n <= -7`},
		{segment.Eq("n", segment.Num(2)), `n = 2`},
		{segment.In(segment.Field("channel"), segment.Str("a"), segment.Str("b")), `channel in ("a", "b")`},
		{segment.Compare(segment.Count("visit", segment.Weeks(1)), segment.OpNe, 0), `count(visit, 1w) != 0`},
		{segment.MustParse(`x exists`), `x exists`},
	} {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("got %s, want %s", got, tc.want)
		}
	}
	for name, f := range map[string]func(){
		"And()":     func() { segment.And() },
		"In()":      func() { segment.In[string, string]("x") },
		"MustParse": func() { segment.MustParse("x =") },
		"MustNew":   func() { segment.MustNew("s", "nope = 1") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}
