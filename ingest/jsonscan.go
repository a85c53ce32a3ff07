package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
var errArrayStructure = errors.New("ingest: malformed JSON array")

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
// "true"/"false", and null is no value.
func flattenJSON(data []byte, out []kv) ([]kv, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return out, malformed(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return out, fmt.Errorf("%w: not an object (starts with %s)", ErrMalformedJSON, describeToken(tok))
	}
	out, err = flattenObject(dec, "", out, 1)
	if err != nil {
		return out, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return out, fmt.Errorf("%w: text after the object", ErrMalformedJSON)
	}
	return out, nil
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

func describeToken(tok any) string {
	switch t := tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", string(t))
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}

func flattenObject(dec *json.Decoder, prefix string, out []kv, depth int) ([]kv, error) {
	if depth > maxJSONDepth {
		return out, fmt.Errorf("%w: nested deeper than %d", ErrMalformedJSON, maxJSONDepth)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return out, malformed(err)
		}
		k, ok := tok.(string)
		if !ok {
			return out, fmt.Errorf("%w: object key is %s", ErrMalformedJSON, describeToken(tok))
		}
		out, err = flattenValue(dec, prefix+k, out, depth)
		if err != nil {
			return out, err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return out, malformed(err)
	}
	return out, nil
}

func flattenValue(dec *json.Decoder, key string, out []kv, depth int) ([]kv, error) {
	tok, err := dec.Token()
	if err != nil {
		return out, malformed(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return flattenObject(dec, key+".", out, depth+1)
		case '[':
			if depth+1 > maxJSONDepth {
				return out, fmt.Errorf("%w: nested deeper than %d", ErrMalformedJSON, maxJSONDepth)
			}
			for dec.More() {
				out, err = flattenValue(dec, key, out, depth+1)
				if err != nil {
					return out, err
				}
			}
			if _, err := dec.Token(); err != nil { // ']'
				return out, malformed(err)
			}
			return out, nil
		}
		return out, fmt.Errorf("%w: unexpected %q", ErrMalformedJSON, string(t))
	case string:
		return append(out, kv{key, t}), nil
	case json.Number:
		return append(out, kv{key, string(t)}), nil
	case bool:
		if t {
			return append(out, kv{key, "true"}), nil
		}
		return append(out, kv{key, "false"}), nil
	case nil:
		return out, nil
	}
	return out, fmt.Errorf("%w: unexpected token %v", ErrMalformedJSON, tok)
}
