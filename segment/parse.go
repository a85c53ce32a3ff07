package segment

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The condition language, as the hand-written lexer and recursive-descent
// parser below read it:
//
//	condition  = or
//	or         = and { "or" and }
//	and        = unary { "and" unary }
//	unary      = "not" unary | "(" condition ")" | predicate
//	predicate  = "has" "(" type [ "," window ] ")"
//	           | operand ( op value
//	                     | [ "not" ] "in" "(" value { "," value } ")"
//	                     | "contains" value | "exists"
//	                     | "between" value "and" value
//	                     | "within" window | "before" window )
//	operand    = field | "count" "(" type [ "," window ] ")" | "spend" "(" [ window ] ")"
//	field      = ident | ( "id" | "attr" | "consent" ) ":" name
//	op         = "=" | "==" | "!=" | "<" | "<=" | ">" | ">="
//	value      = string | number
//	type       = ident | string
//	window     = digits ( "h" | "d" | "w" | "mo" | "y" )
//
// Keywords and field names are case-insensitive and read as lower case.
// Strings are double-quoted with Go escapes. Numbers are decimal with an
// optional sign, fraction and exponent.

var keywords = map[string]bool{
	"and": true, "or": true, "not": true, "in": true, "contains": true, "exists": true,
	"between": true, "within": true, "before": true, "has": true, "count": true, "spend": true,
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokError
	tokIdent    // identifier or keyword, lower-cased in str
	tokField    // prefixed field such as attr:tier, lower-cased in str
	tokString   // unquoted in str
	tokNumber   // num
	tokDuration // win
	tokLParen
	tokRParen
	tokComma
	tokOp // op
)

type token struct {
	kind      tokKind
	text      string // source text; the message for tokError
	line, col int
	str       string
	num       float64
	win       Window
	op        Op
}

// describe names a token for "found ..." in error messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokString:
		return "string " + t.text
	case tokNumber:
		return "number " + t.text
	case tokDuration:
		return "window " + t.text
	case tokIdent:
		if keywords[t.str] {
			return "keyword " + strconv.Quote(t.text)
		}
	}
	return strconv.Quote(t.text)
}

type lexer struct {
	src       string
	pos       int
	line, col int
}

func (lx *lexer) peekByte(off int) byte {
	if lx.pos+off < len(lx.src) {
		return lx.src[lx.pos+off]
	}
	return 0
}

// advance moves past n bytes of ASCII (or one rune when the byte is not
// ASCII), keeping line and column.
func (lx *lexer) advance(n int) {
	for i := 0; i < n && lx.pos < len(lx.src); i++ {
		c := lx.src[lx.pos]
		if c == '\n' {
			lx.line++
			lx.col = 1
			lx.pos++
			continue
		}
		if c < utf8.RuneSelf {
			lx.pos++
		} else {
			_, size := utf8.DecodeRuneInString(lx.src[lx.pos:])
			lx.pos += size
		}
		lx.col++
	}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isSuffix(c byte) bool { return isLetter(c) || isDigit(c) || c == '.' || c == '-' }

func (lx *lexer) errorf(line, col int, format string, args ...any) token {
	return token{kind: tokError, line: line, col: col, text: fmt.Sprintf(format, args...)}
}

func (lx *lexer) next() token {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			lx.advance(1)
			continue
		}
		break
	}
	t := token{line: lx.line, col: lx.col}
	if lx.pos >= len(lx.src) {
		return t
	}
	start := lx.pos
	c := lx.src[lx.pos]
	switch {
	case c == '(' || c == ')' || c == ',':
		lx.advance(1)
		t.kind = map[byte]tokKind{'(': tokLParen, ')': tokRParen, ',': tokComma}[c]
		t.text = string(c)
		return t
	case c == '=' || c == '!' || c == '<' || c == '>':
		n, op := 1, Op(0)
		two := lx.peekByte(1) == '='
		switch c {
		case '=':
			op = OpEq
			if two {
				n = 2
			}
		case '!':
			if !two {
				lx.advance(1)
				return lx.errorf(t.line, t.col, `unexpected "!" (did you mean "!=" or "not"?)`)
			}
			op, n = OpNe, 2
		case '<':
			op = OpLt
			if two {
				op, n = OpLe, 2
			}
		case '>':
			op = OpGt
			if two {
				op, n = OpGe, 2
			}
		}
		lx.advance(n)
		t.kind, t.op, t.text = tokOp, op, lx.src[start:lx.pos]
		return t
	case c == '"':
		return lx.lexString(t)
	case isDigit(c) || c == '-' && isDigit(lx.peekByte(1)):
		return lx.lexNumber(t)
	case isLetter(c):
		for lx.pos < len(lx.src) && (isLetter(lx.src[lx.pos]) || isDigit(lx.src[lx.pos])) {
			lx.advance(1)
		}
		t.kind, t.text = tokIdent, lx.src[start:lx.pos]
		t.str = strings.ToLower(t.text)
		if lx.peekByte(0) != ':' {
			return t
		}
		switch t.str {
		case "id", "attr", "consent":
		default:
			return lx.errorf(t.line, t.col, "unknown field prefix %q: fields with a colon are id:<type>, attr:<name> or consent:<purpose>", t.text+":")
		}
		lx.advance(1)
		nameStart := lx.pos
		for lx.pos < len(lx.src) && isSuffix(lx.src[lx.pos]) {
			lx.advance(1)
		}
		if lx.pos == nameStart {
			return lx.errorf(lx.line, lx.col, "expected a name after %q (letters, digits, '_', '-' or '.')", t.text+":")
		}
		t.kind, t.text = tokField, lx.src[start:lx.pos]
		t.str = strings.ToLower(t.text)
		return t
	}
	r, size := utf8.DecodeRuneInString(lx.src[lx.pos:])
	lx.advance(1)
	if r == utf8.RuneError && size == 1 {
		return lx.errorf(t.line, t.col, "invalid UTF-8 byte %#x", c)
	}
	if r == '\'' {
		return lx.errorf(t.line, t.col, `unexpected "'": strings are written in double quotes`)
	}
	return lx.errorf(t.line, t.col, "unexpected character %q", r)
}

func (lx *lexer) lexString(t token) token {
	start := lx.pos
	i := lx.pos + 1
	for {
		if i >= len(lx.src) || lx.src[i] == '\n' {
			return lx.errorf(t.line, t.col, "unterminated string")
		}
		if lx.src[i] == '\\' {
			i += 2
			continue
		}
		if lx.src[i] == '"' {
			break
		}
		i++
	}
	text := lx.src[start : i+1]
	s, err := strconv.Unquote(text)
	if err != nil {
		return lx.errorf(t.line, t.col, "invalid string %s: bad escape or control character", text)
	}
	for lx.pos <= i {
		lx.advance(1)
	}
	t.kind, t.text, t.str = tokString, text, s
	return t
}

func (lx *lexer) lexNumber(t token) token {
	start := lx.pos
	if lx.src[lx.pos] == '-' {
		lx.advance(1)
	}
	digits := func() int {
		n := 0
		for lx.pos < len(lx.src) && isDigit(lx.src[lx.pos]) {
			lx.advance(1)
			n++
		}
		return n
	}
	digits()
	integer := lx.src[start] != '-'
	if lx.peekByte(0) == '.' {
		integer = false
		lx.advance(1)
		if digits() == 0 {
			return lx.errorf(lx.line, lx.col, "expected digit after decimal point in %q", lx.src[start:lx.pos])
		}
	}
	if c := lx.peekByte(0); (c == 'e' || c == 'E') && (isDigit(lx.peekByte(1)) || (lx.peekByte(1) == '+' || lx.peekByte(1) == '-') && isDigit(lx.peekByte(2))) {
		integer = false
		lx.advance(2)
		digits()
	}
	if isLetter(lx.peekByte(0)) {
		// A window such as 30d.
		numEnd := lx.pos
		for lx.pos < len(lx.src) && (isLetter(lx.src[lx.pos]) || isDigit(lx.src[lx.pos])) {
			lx.advance(1)
		}
		unitText := lx.src[numEnd:lx.pos]
		t.text = lx.src[start:lx.pos]
		var u Unit
		switch strings.ToLower(unitText) {
		case "h":
			u = Hour
		case "d":
			u = Day
		case "w":
			u = Week
		case "mo":
			u = Month
		case "y":
			u = Year
		case "m":
			return lx.errorf(t.line, t.col, `ambiguous window unit "m" in %q: write mo for months (minutes are not supported)`, t.text)
		default:
			return lx.errorf(t.line, t.col, "unknown window unit %q in %q: use h, d, w, mo or y", unitText, t.text)
		}
		if !integer {
			return lx.errorf(t.line, t.col, "window %q: the count must be a whole number", t.text)
		}
		n, err := strconv.Atoi(lx.src[start:numEnd])
		if err != nil || n < 1 || n > maxWindowN {
			return lx.errorf(t.line, t.col, "window %q: the count must be 1 to %d", t.text, maxWindowN)
		}
		t.kind, t.win = tokDuration, Window{n, u}
		return t
	}
	t.text = lx.src[start:lx.pos]
	f, err := strconv.ParseFloat(t.text, 64)
	if err != nil || math.IsInf(f, 0) {
		return lx.errorf(t.line, t.col, "number %s is out of range", t.text)
	}
	t.kind, t.num = tokNumber, f
	return t
}

// maxDepth bounds nesting of parentheses and "not", so hostile input cannot
// exhaust the stack.
const maxDepth = 200

type parser struct {
	lx    lexer
	tok   token
	prev  token
	depth int
}

type bailout struct{ err *SyntaxError }

// Parse reads a condition written in the language (see the package
// documentation) and returns its tree. Errors are [*SyntaxError] values that
// give the line, column and what was expected, for example
//
//	segment: 1:16: expected value after ">=", found end of input
//
// Parse checks syntax only; [Compile] checks fields and kinds.
func Parse(src string) (e Expr, err error) {
	p := &parser{lx: lexer{src: src, line: 1, col: 1}}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			e, err = nil, b.err
		}
	}()
	p.advance()
	if p.tok.kind == tokEOF {
		p.fail("expected condition, found end of input")
	}
	e = p.parseOr()
	if p.tok.kind != tokEOF {
		p.fail("expected \"and\", \"or\" or end of input after %s, found %s", p.prevText(), p.tok.describe())
	}
	return e, nil
}

// MustParse is like [Parse] but panics on error. It is for conditions written
// in the program's source.
func MustParse(src string) Expr {
	e, err := Parse(src)
	if err != nil {
		panic(err)
	}
	return e
}

func (p *parser) advance() {
	p.prev = p.tok
	p.tok = p.lx.next()
	if p.tok.kind == tokError {
		panic(bailout{&SyntaxError{Line: p.tok.line, Col: p.tok.col, Msg: p.tok.text}})
	}
}

func (p *parser) fail(format string, args ...any) {
	panic(bailout{&SyntaxError{Line: p.tok.line, Col: p.tok.col, Msg: fmt.Sprintf(format, args...)}})
}

func (p *parser) prevText() string { return strconv.Quote(p.prev.text) }

func (p *parser) isKeyword(kw string) bool { return p.tok.kind == tokIdent && p.tok.str == kw }

func (p *parser) expect(kind tokKind, what string) token {
	if p.tok.kind != kind {
		p.fail("expected %s after %s, found %s", what, p.prevText(), p.tok.describe())
	}
	t := p.tok
	p.advance()
	return t
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.fail("condition nested deeper than %d levels", maxDepth)
	}
}

func (p *parser) parseOr() Expr {
	x := p.parseAnd()
	for p.isKeyword("or") {
		p.advance()
		x = OrExpr{x, p.parseAnd()}
	}
	return x
}

func (p *parser) parseAnd() Expr {
	x := p.parseUnary()
	for p.isKeyword("and") {
		p.advance()
		x = AndExpr{x, p.parseUnary()}
	}
	return x
}

func (p *parser) parseUnary() Expr {
	switch {
	case p.isKeyword("not"):
		p.enter()
		p.advance()
		x := NotExpr{p.parseUnary()}
		p.depth--
		return x
	case p.tok.kind == tokLParen:
		p.enter()
		p.advance()
		if p.tok.kind == tokEOF || p.tok.kind == tokRParen {
			p.fail("expected condition after \"(\", found %s", p.tok.describe())
		}
		x := p.parseOr()
		p.expect(tokRParen, `")"`)
		p.depth--
		return x
	}
	return p.parsePredicate()
}

func (p *parser) parsePredicate() Expr {
	if p.isKeyword("has") {
		p.advance()
		typ, w := p.typeWindow("has")
		return HasExpr{typ, w}
	}
	left := p.parseOperand()
	switch {
	case p.tok.kind == tokOp:
		op := p.tok.op
		p.advance()
		return CompareExpr{left, op, p.parseValue()}
	case p.isKeyword("in"):
		p.advance()
		return InExpr{left, p.parseValueList()}
	case p.isKeyword("not"):
		p.advance()
		if !p.isKeyword("in") {
			p.fail("expected \"in\" after \"not\", found %s", p.tok.describe())
		}
		p.advance()
		return NotExpr{InExpr{left, p.parseValueList()}}
	case p.isKeyword("contains"):
		p.advance()
		return ContainsExpr{left, p.parseValue()}
	case p.isKeyword("exists"):
		p.advance()
		return ExistsExpr{left}
	case p.isKeyword("between"):
		p.advance()
		low := p.parseValue()
		if !p.isKeyword("and") {
			p.fail("expected \"and\" after %s, found %s", p.prevText(), p.tok.describe())
		}
		p.advance()
		return BetweenExpr{left, low, p.parseValue()}
	case p.isKeyword("within"):
		p.advance()
		return WithinExpr{left, p.expect(tokDuration, "window such as 90d").win}
	case p.isKeyword("before"):
		p.advance()
		return BeforeExpr{left, p.expect(tokDuration, "window such as 30d").win}
	}
	p.fail("expected operator (=, !=, <, <=, >, >=, in, not in, contains, exists, between, within, before) after %s, found %s",
		strconv.Quote(left.String()), p.tok.describe())
	return nil
}

func (p *parser) parseOperand() Operand {
	t := p.tok
	switch {
	case t.kind == tokField:
		p.advance()
		return Field(t.str)
	case t.kind == tokIdent && t.str == "count":
		p.advance()
		typ, w := p.typeWindow("count")
		return EventCount{typ, w}
	case t.kind == tokIdent && t.str == "spend":
		p.advance()
		p.expect(tokLParen, `"("`)
		var w Window
		if p.tok.kind == tokDuration {
			w = p.tok.win
			p.advance()
		}
		p.expect(tokRParen, `window or ")"`)
		return SpendSum{w}
	case t.kind == tokIdent && !keywords[t.str]:
		p.advance()
		return Field(t.str)
	}
	p.fail("expected field, found %s", t.describe())
	return nil
}

// typeWindow reads "(" type [ "," window ] ")" after has or count.
func (p *parser) typeWindow(fn string) (string, Window) {
	p.expect(tokLParen, `"("`)
	var typ string
	switch {
	case p.tok.kind == tokString && p.tok.str != "":
		typ = p.tok.str
	case p.tok.kind == tokIdent && !keywords[p.tok.str]:
		typ = p.tok.str
	default:
		p.fail("expected event type after \"%s(\", found %s", fn, p.tok.describe())
	}
	p.advance()
	var w Window
	if p.tok.kind == tokComma {
		p.advance()
		w = p.expect(tokDuration, "window such as 30d").win
	}
	p.expect(tokRParen, `"," or ")"`)
	return typ, w
}

func (p *parser) parseValue() Value {
	switch p.tok.kind {
	case tokString:
		v := Str(p.tok.str)
		p.advance()
		return v
	case tokNumber:
		v := Num(p.tok.num)
		p.advance()
		return v
	}
	p.fail("expected value after %s, found %s", p.prevText(), p.tok.describe())
	return Value{}
}

func (p *parser) parseValueList() []Value {
	p.expect(tokLParen, `"("`)
	vs := []Value{p.parseValue()}
	for p.tok.kind == tokComma {
		p.advance()
		vs = append(vs, p.parseValue())
	}
	p.expect(tokRParen, `"," or ")"`)
	return vs
}
