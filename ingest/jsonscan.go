package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonItem is one JSON Lines line or JSON array element, as bytes.
type jsonItem struct {
	line, offset int64
	data         []byte // the item's text, cut at maxRow
	tooLong      bool
	terminated   bool // JSON Lines: the line ended with '\n'
}

// lineScanner reads JSON Lines: one item per non-blank line, with bounded
// memory (lines longer than maxRow are scanned to their end and flagged).
type lineScanner struct {
	br     *bufio.Reader
	maxRow int
	line   int64
	offset int64
	buf    []byte
}

// next returns io.EOF at the end or the reader's error.
func (s *lineScanner) next(it *jsonItem) error {
	for {
		s.buf = s.buf[:0]
		*it = jsonItem{line: s.line, offset: s.offset}
		n := 0
		for {
			chunk, err := s.br.ReadSlice('\n')
			n += len(chunk)
			if len(s.buf)+len(chunk) <= s.maxRow+1 { // +1 for the '\n'
				s.buf = append(s.buf, chunk...)
			} else {
				it.tooLong = true
				if room := s.maxRow + 1 - len(s.buf); room > 0 {
					s.buf = append(s.buf, chunk[:room]...)
				}
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil && err != io.EOF {
				return err
			}
			if n == 0 && err == io.EOF {
				return io.EOF
			}
			s.offset += int64(n)
			s.line++
			it.terminated = err == nil
			break
		}
		d := s.buf
		if it.terminated {
			d = bytes.TrimSuffix(d, []byte("\n"))
		}
		d = bytes.TrimSuffix(d, []byte("\r"))
		if len(d) > s.maxRow {
			d = d[:s.maxRow]
		}
		it.data = d
		if len(bytes.TrimSpace(d)) == 0 && !it.tooLong {
			if !it.terminated {
				return io.EOF
			}
			continue // blank lines are no rows
		}
		return nil
	}
}

// arrayScanner splits a JSON array into its elements without decoding
// them, tracking nesting and strings, so that an element's bytes can be
// checked and decoded on their own and one bad element does not end the
// stream. Memory is bounded by maxRow per element.
type arrayScanner struct {
	br      *bufio.Reader
	maxRow  int
	line    int64
	offset  int64
	started bool // '[' read
	done    bool // ']' read
	buf     []byte
}

// errArrayStructure is wrapped with details for a broken array layout.
var errArrayStructure = errors.New("ingest: bad array layout")

func (s *arrayScanner) readByte() (byte, error) {
	c, err := s.br.ReadByte()
	if err != nil {
		return 0, err
	}
	s.offset++
	if c == '\n' {
		s.line++
	}
	return c, nil
}

// skipSpace returns the next byte that is not JSON white space.
func (s *arrayScanner) skipSpace() (byte, error) {
	for {
		c, err := s.readByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c, nil
	}
}

// next returns the next element, io.EOF after the closing ']' (and only
// white space after it), an error wrapping ErrTruncated if the input ends
// early, an error wrapping errArrayStructure for a broken layout, or the
// reader's error.
func (s *arrayScanner) next(it *jsonItem) error {
	if s.done {
		return io.EOF
	}
	eof := func(err error) error {
		if err == io.EOF {
			return ErrTruncated
		}
		return err
	}
	c, err := s.skipSpace()
	if !s.started {
		if err == io.EOF {
			return fmt.Errorf("%w: empty input, want a JSON array", ErrTruncated)
		}
		if err != nil {
			return err
		}
		if c != '[' {
			return fmt.Errorf("%w: input starts with %q, want '['", errArrayStructure, c)
		}
		s.started = true
		c, err = s.skipSpace()
		if err != nil {
			return eof(err)
		}
		if c == ']' {
			return s.end()
		}
	} else {
		// After an element: ',' or ']'.
		if err != nil {
			return eof(err)
		}
		switch c {
		case ']':
			return s.end()
		case ',':
			c, err = s.skipSpace()
			if err != nil {
				return eof(err)
			}
		default:
			return fmt.Errorf("%w: %q after an element, want ',' or ']'", errArrayStructure, c)
		}
	}
	// c is the first byte of an element.
	*it = jsonItem{line: s.line, offset: s.offset - 1, terminated: true}
	s.buf = s.buf[:0]
	add := func(c byte) {
		if len(s.buf) < s.maxRow {
			s.buf = append(s.buf, c)
		} else {
			it.tooLong = true
		}
	}
	switch c {
	case ']', ',', ':', '}':
		return fmt.Errorf("%w: %q where an element should start", errArrayStructure, c)
	case '{', '[':
		depth, inStr, esc := 0, false, false
		for {
			add(c)
			switch {
			case inStr:
				if esc {
					esc = false
				} else if c == '\\' {
					esc = true
				} else if c == '"' {
					inStr = false
				}
			case c == '"':
				inStr = true
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
			}
			if depth == 0 {
				break
			}
			c, err = s.readByte()
			if err != nil {
				return eof(err)
			}
		}
	default:
		// A scalar element: up to the next ',' or ']' outside a string.
		inStr, esc := false, false
		for {
			add(c)
			switch {
			case inStr:
				if esc {
					esc = false
				} else if c == '\\' {
					esc = true
				} else if c == '"' {
					inStr = false
				}
			case c == '"':
				inStr = true
			}
			b, err := s.br.Peek(1)
			if err != nil {
				return eof(err)
			}
			if !inStr && (b[0] == ',' || b[0] == ']' || b[0] == ' ' || b[0] == '\n' || b[0] == '\r' || b[0] == '\t') {
				break
			}
			c, err = s.readByte()
			if err != nil {
				return eof(err)
			}
		}
	}
	it.data = s.buf
	return nil
}

// end checks that only white space follows the closing ']'.
func (s *arrayScanner) end() error {
	s.done = true
	c, err := s.skipSpace()
	if err == io.EOF {
		return io.EOF
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: %q after the closing ']'", errArrayStructure, c)
}

// kv is one flattened JSON value: key path and value text.
type kv struct {
	key, val string
}

// maxJSONDepth bounds nesting in one object: deeper objects are rejected
// rather than followed, so a hostile input cannot exhaust the stack.
const maxJSONDepth = 64

// flattenJSON decodes one JSON object into key/value pairs in document
// order: nested objects become "parent.child" keys, arrays give one pair
// per element under the same key, numbers keep their text, booleans are
// "true"/"false", and null is no value. Strings decode as encoding/json
// decodes them (escapes, surrogate pairs, U+FFFD for invalid UTF-8 and
// lone surrogates); the tests compare the two on fuzzed input. It is
// written by hand because encoding/json's token API allocates per token
// and made JSON ingest four times slower than CSV.
func flattenJSON(data []byte, out []kv) ([]kv, error) {
	p := jsonParser{data: data}
	p.space()
	if p.i >= len(p.data) {
		return out, malformed(io.EOF)
	}
	if c := p.data[p.i]; c != '{' {
		what := startsWith(c)
		if what == "" {
			return out, p.syntax("looking for beginning of value")
		}
		// Read the value's first token, so that one cut short is
		// reported as the end of the text, as encoding/json does.
		if c != '[' {
			if _, err := p.value("", nil, 1); err != nil {
				return out, err
			}
		}
		return out, fmt.Errorf("%w: not an object (starts with %s)", ErrMalformedJSON, what)
	}
	p.i++
	out, err := p.object("", out, 1)
	if err != nil {
		return out, err
	}
	p.space()
	if p.i != len(p.data) {
		return out, fmt.Errorf("%w: text after the object", ErrMalformedJSON)
	}
	return out, nil
}

// startsWith names the JSON value a byte starts, or "" when none does.
func startsWith(c byte) string {
	switch {
	case c == '[':
		return `"["`
	case c == '"':
		return "a string"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	}
	return ""
}

// jsonParser reads one JSON text from data, from offset i.
type jsonParser struct {
	data []byte
	i    int
	buf  []byte // scratch for strings with escapes
}

func (p *jsonParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// syntax returns the error for an unexpected byte at p.i, or for the end
// of the data there.
func (p *jsonParser) syntax(context string) error {
	if p.i >= len(p.data) {
		return malformed(io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("%w: invalid character %q at offset %d %s", ErrMalformedJSON, p.data[p.i], p.i, context)
}

// object reads an object's members after its '{'.
func (p *jsonParser) object(prefix string, out []kv, depth int) ([]kv, error) {
	if depth > maxJSONDepth {
		return out, fmt.Errorf("%w: nested deeper than %d", ErrMalformedJSON, maxJSONDepth)
	}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return out, nil
	}
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return out, p.syntax("looking for beginning of object key string")
		}
		k, err := p.str()
		if err != nil {
			return out, err
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return out, p.syntax("after object key")
		}
		p.i++
		if out, err = p.value(prefix+k, out, depth); err != nil {
			return out, err
		}
		if more, err := p.next('}', "after object key:value pair"); !more {
			return out, err
		}
	}
}

// next reads what follows an object member or array element: a comma,
// when more follow (more is true), or the closing byte.
func (p *jsonParser) next(closing byte, context string) (more bool, err error) {
	p.space()
	if p.i >= len(p.data) {
		return false, p.syntax("")
	}
	switch p.data[p.i] {
	case ',':
		p.i++
		return true, nil
	case closing:
		p.i++
		return false, nil
	}
	return false, p.syntax(context)
}

// value reads one value under key.
func (p *jsonParser) value(key string, out []kv, depth int) ([]kv, error) {
	p.space()
	if p.i >= len(p.data) {
		return out, p.syntax("")
	}
	switch c := p.data[p.i]; {
	case c == '{':
		p.i++
		return p.object(key+".", out, depth+1)
	case c == '[':
		p.i++
		if depth+1 > maxJSONDepth {
			return out, fmt.Errorf("%w: nested deeper than %d", ErrMalformedJSON, maxJSONDepth)
		}
		p.space()
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			return out, nil
		}
		for {
			var err error
			if out, err = p.value(key, out, depth+1); err != nil {
				return out, err
			}
			if more, err := p.next(']', "after array element"); !more {
				return out, err
			}
		}
	case c == '"':
		v, err := p.str()
		if err != nil {
			return out, err
		}
		return append(out, kv{key, v}), nil
	case c == '-' || c >= '0' && c <= '9':
		v, err := p.number()
		if err != nil {
			return out, err
		}
		return append(out, kv{key, v}), nil
	case c == 't':
		return p.literal("true", key, out, true)
	case c == 'f':
		return p.literal("false", key, out, true)
	case c == 'n':
		return p.literal("null", key, out, false)
	}
	return out, p.syntax("looking for beginning of value")
}

// literal reads true, false or null, and appends it unless it is null.
func (p *jsonParser) literal(word, key string, out []kv, keep bool) ([]kv, error) {
	for k := 0; k < len(word); k++ {
		if p.i >= len(p.data) || p.data[p.i] != word[k] {
			return out, p.syntax("in literal " + word)
		}
		p.i++
	}
	if keep {
		out = append(out, kv{key, word})
	}
	return out, nil
}

// number reads a number and returns its text.
func (p *jsonParser) number() (string, error) {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.data[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.data) && p.data[p.i] == '0':
		p.i++
	case digits() == 0:
		return "", p.syntax("in numeric literal")
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return "", p.syntax("after decimal point in numeric literal")
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return "", p.syntax("in exponent of numeric literal")
		}
	}
	return string(p.data[start:p.i]), nil
}

// str reads a string from its opening quote and returns its value.
func (p *jsonParser) str() (string, error) {
	p.i++ // '"'
	start := p.i
	// Fast path: no escapes, ASCII or valid UTF-8.
	for p.i < len(p.data) {
		c := p.data[p.i]
		if c == '"' {
			seg := p.data[start:p.i]
			p.i++
			if utf8.Valid(seg) {
				return string(seg), nil
			}
			return string(appendValidUTF8(p.buf[:0], seg)), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	b := appendValidUTF8(p.buf[:0], p.data[start:p.i])
	for {
		if p.i >= len(p.data) {
			return "", malformed(io.ErrUnexpectedEOF)
		}
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			p.buf = b
			return string(b), nil
		case c < 0x20:
			return "", p.syntax("in string literal")
		case c == '\\':
			p.i++
			if p.i >= len(p.data) {
				return "", malformed(io.ErrUnexpectedEOF)
			}
			e := p.data[p.i]
			p.i++
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.syntax("in \\u hexadecimal character escape")
				}
				if utf16.IsSurrogate(r) {
					// A high surrogate followed by an escaped low one is one
					// character; anything else is U+FFFD, as encoding/json
					// has it.
					save := p.i
					if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
						p.i += 2
						if r2, ok := p.hex4(); ok {
							if d := utf16.DecodeRune(r, r2); d != unicode.ReplacementChar {
								b = utf8.AppendRune(b, d)
								continue
							}
						}
					}
					p.i = save
					r = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, r)
			default:
				p.i--
				return "", p.syntax("in string escape code")
			}
		default:
			// Copy a run of ordinary bytes.
			j := p.i
			for j < len(p.data) && p.data[j] != '"' && p.data[j] != '\\' && p.data[j] >= 0x20 {
				j++
			}
			b = appendValidUTF8(b, p.data[p.i:j])
			p.i = j
		}
	}
}

// hex4 reads four hexadecimal digits; ok is false, with p.i at the
// offending byte or the end of the data, when they are not there.
func (p *jsonParser) hex4() (r rune, ok bool) {
	for range 4 {
		if p.i >= len(p.data) {
			return 0, false
		}
		c := p.data[p.i]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
		p.i++
	}
	return r, true
}

// appendValidUTF8 appends s with each byte that is not part of valid UTF-8
// replaced by U+FFFD, as encoding/json decodes strings.
func appendValidUTF8(b, s []byte) []byte {
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		if r == utf8.RuneError && n == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[:n]...)
		}
		s = s[n:]
	}
	return b
}

// errJSONEnd marks JSON that ends inside a value: at the end of a file
// without a final line end, that is a truncation, not a bad row.
var errJSONEnd = errors.New("unexpected end of JSON")

func malformed(err error) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %w", ErrMalformedJSON, errJSONEnd)
	}
	return fmt.Errorf("%w: %v", ErrMalformedJSON, err)
}
