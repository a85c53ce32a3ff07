package ingest

import (
	"bufio"
	"errors"
	"io"
	"unicode"
	"unicode/utf8"
)

// csvScanner splits CSV into rows. It follows encoding/csv's grammar (RFC
// 4180 with its relaxations: "\r\n" read as "\n", empty lines skipped, a
// trailing '\r' before EOF dropped, optional leading-space trimming with
// unicode.IsSpace, LazyQuotes), which the fuzz tests check by comparison,
// and adds what encoding/csv lacks for this job:
//
//   - bounded memory: values are kept up to maxField bytes and rows up to
//     maxRow bytes; longer ones are scanned to their end and flagged, so a
//     stray quote or a huge field cannot make the reader buffer the file;
//   - the raw text of every row, for rejects;
//   - the physical line and byte offset where each row starts;
//   - recovery after a quote error at the end of the physical line, as
//     encoding/csv does.
//
// It reads through a bufio.Reader with ReadSlice and a byte-level state
// machine, so a row costs no allocation once the buffers have grown.
type csvScanner struct {
	br       *bufio.Reader
	comma    byte
	trim     bool
	lazy     bool
	maxField int
	maxRow   int

	line   int64 // current physical line (1-based)
	offset int64 // bytes consumed before pending[0]... see next
	eof    bool
	ioErr  error

	// pending holds the unconsumed part of the last chunk from ReadSlice.
	pending []byte

	// State of the row being scanned.
	row      *csvRow
	state    uint8
	started  bool  // a byte of the row was seen (empty lines are skipped)
	cr       bool  // a '\r' is pending: its meaning depends on the next byte
	crPos    int64 // offset of the pending '\r'
	fieldLen int   // bytes of the current field, counting those not kept
	rowLen   int   // raw bytes of the row, counting those not kept
	runeN    int   // bytes in runeBuf
	runeBuf  [utf8.UTFMax]byte

	fieldBuf []byte
	ends     []int
	raw      []byte
}

// csvRow is one scanned row. Its slices are reused by the next scan.
type csvRow struct {
	line, offset int64
	fieldBuf     []byte
	ends         []int // end offset in fieldBuf of each field
	raw          []byte
	rawTrunc     bool
	// err is a row-level fault (ErrBareQuote, ErrQuote, ErrFieldTooLong,
	// ErrRowTooLong); errField is the 0-based field it concerns, or -1.
	err      error
	errField int
	// terminated is false when the row ended at EOF without a line end.
	terminated bool
}

func (r *csvRow) numFields() int { return len(r.ends) }

func (r *csvRow) field(i int) []byte {
	start := 0
	if i > 0 {
		start = r.ends[i-1]
	}
	return r.fieldBuf[start:r.ends[i]]
}

const (
	stFieldStart = iota // before a field's first byte (trimming, if asked)
	stUnquoted
	stQuoted
	stQuoteQuote // a '"' seen inside a quoted field
	stSkipLine   // after a quote error: skip to the end of the physical line
)

// errUnterminated is what next returns for a quoted field open at EOF; the
// caller turns it into a positioned ErrTruncated.
var errUnterminated = errors.New("unterminated quoted field")

func newCSVScanner(br *bufio.Reader, comma byte, trim, lazy bool, maxField, maxRow int) *csvScanner {
	return &csvScanner{br: br, comma: comma, trim: trim, lazy: lazy, maxField: maxField, maxRow: maxRow, line: 1}
}

// next scans one row into row. It returns io.EOF when no row is left,
// errUnterminated for a quoted field open at EOF (unless lazy), or the
// reader's I/O error. Empty lines are skipped.
func (s *csvScanner) next(row *csvRow) error {
	s.fieldBuf = s.fieldBuf[:0]
	s.ends = s.ends[:0]
	s.raw = s.raw[:0]
	*row = csvRow{errField: -1, terminated: true}
	s.row = row
	s.state = stFieldStart
	s.started = false
	s.fieldLen, s.rowLen, s.runeN = 0, 0, 0

	for {
		if len(s.pending) == 0 {
			if s.eof {
				break
			}
			chunk, err := s.br.ReadSlice('\n')
			switch err {
			case nil, bufio.ErrBufferFull:
			case io.EOF:
				s.eof = true
			default:
				s.eof = true
				s.ioErr = err
			}
			s.pending = chunk
			continue
		}
		chunk := s.pending
		for i := 0; i < len(chunk); i++ {
			// Fast path: a run of ordinary bytes inside a field is copied
			// in bulk rather than stepped through byte by byte.
			if !s.cr && (s.state == stUnquoted || s.state == stQuoted) {
				j := s.run(chunk, i)
				if j > i {
					s.bulk(chunk[i:j])
					s.offset += int64(j - i)
					if i = j; i == len(chunk) {
						break
					}
				}
			}
			c := chunk[i]
			pos := s.offset
			s.offset++
			if s.cr {
				s.cr = false
				if c == '\n' {
					if s.lineEnd(true) {
						s.pending = chunk[i+1:]
						s.finish(row)
						return nil
					}
					continue
				}
				s.content('\r', s.crPos)
			}
			switch c {
			case '\r':
				s.cr, s.crPos = true, pos
			case '\n':
				if s.lineEnd(false) {
					s.pending = chunk[i+1:]
					s.finish(row)
					return nil
				}
			default:
				s.content(c, pos)
			}
		}
		s.pending = nil
	}
	if s.ioErr != nil {
		return s.ioErr
	}
	// A '\r' right before EOF is dropped, as encoding/csv does.
	s.cr = false
	if !s.started {
		return io.EOF
	}
	row.terminated = false
	if s.state == stQuoted && !s.lazy {
		return errUnterminated
	}
	s.flushRune()
	s.endField()
	s.finish(row)
	return nil
}

// run returns the end of the run of bytes from chunk[i] on that the
// current state copies unchanged: up to a delimiter, quote or line end
// (unquoted), or a quote or line end (quoted).
func (s *csvScanner) run(chunk []byte, i int) int {
	j := i
	if s.state == stUnquoted {
		for j < len(chunk) {
			if c := chunk[j]; c == s.comma || c == '"' || c == '\r' || c == '\n' {
				break
			}
			j++
		}
		return j
	}
	for j < len(chunk) {
		if c := chunk[j]; c == '"' || c == '\r' || c == '\n' {
			break
		}
		j++
	}
	return j
}

// bulk adds a run of field bytes found by run, falling back to the byte
// path when a length limit is near.
func (s *csvScanner) bulk(b []byte) {
	if s.rowLen+len(b) > s.maxRow || s.fieldLen+len(b) > s.maxField || s.runeN > 0 {
		for _, c := range b {
			s.addRaw(c)
			s.step(c)
		}
		return
	}
	s.rowLen += len(b)
	s.raw = append(s.raw, b...)
	s.fieldLen += len(b)
	s.fieldBuf = append(s.fieldBuf, b...)
}

// lineEnd handles a physical line end and reports whether it ends the row.
func (s *csvScanner) lineEnd(crlf bool) bool {
	s.line++
	if !s.started {
		return false // an empty line is no row
	}
	switch s.state {
	case stQuoted:
		// A line break inside quotes is part of the value; "\r\n" is read
		// as "\n" (as encoding/csv does) while Raw keeps both bytes.
		if crlf {
			s.addRaw('\r')
		}
		s.addRaw('\n')
		s.appendField('\n')
		return false
	case stSkipLine:
		return true
	}
	s.flushRune()
	s.endField()
	return true
}

// content processes one byte that is not a line end.
func (s *csvScanner) content(c byte, pos int64) {
	if !s.started {
		s.started = true
		s.row.line = s.line
		s.row.offset = pos
	}
	s.addRaw(c)
	s.step(c)
}

func (s *csvScanner) step(c byte) {
	switch s.state {
	case stFieldStart:
		if s.trim {
			if s.runeN > 0 || c >= utf8.RuneSelf {
				s.runeBuf[s.runeN] = c
				s.runeN++
				if utf8.FullRune(s.runeBuf[:s.runeN]) {
					s.endRune()
				}
				return
			}
			switch c {
			case ' ', '\t', '\v', '\f', '\r':
				return
			}
		}
		switch c {
		case '"':
			s.state = stQuoted
		case s.comma:
			s.endField()
		default:
			s.state = stUnquoted
			s.appendField(c)
		}
	case stUnquoted:
		switch c {
		case s.comma:
			s.endField()
			s.state = stFieldStart
		case '"':
			if s.lazy {
				s.appendField(c)
			} else {
				s.fail(ErrBareQuote)
			}
		default:
			s.appendField(c)
		}
	case stQuoted:
		if c == '"' {
			s.state = stQuoteQuote
		} else {
			s.appendField(c)
		}
	case stQuoteQuote:
		switch c {
		case '"':
			s.appendField('"')
			s.state = stQuoted
		case s.comma:
			s.endField()
			s.state = stFieldStart
		default:
			if s.lazy {
				s.appendField('"')
				s.appendField(c)
				s.state = stQuoted
			} else {
				s.fail(ErrQuote)
			}
		}
	}
}

// endRune decides, at a field start while trimming, whether the buffered
// complete (or invalid) UTF-8 sequence is white space to skip.
func (s *csvScanner) endRune() {
	b := s.runeBuf[:s.runeN]
	s.runeN = 0
	r, size := utf8.DecodeRune(b)
	if r != utf8.RuneError && unicode.IsSpace(r) {
		return
	}
	// Not a space: the field starts here, unquoted (the bytes are >= 0x80,
	// except bytes after an invalid lead, which step handles).
	s.state = stUnquoted
	for _, c := range b[:size] {
		s.appendField(c)
	}
	for _, c := range b[size:] {
		s.step(c)
	}
}

// flushRune ends a partial UTF-8 sequence cut by a line end or EOF: an
// incomplete sequence is no space, so it starts the field.
func (s *csvScanner) flushRune() {
	if s.runeN == 0 {
		return
	}
	b := s.runeBuf[:s.runeN]
	s.runeN = 0
	s.state = stUnquoted
	for _, c := range b {
		s.step(c)
	}
}

func (s *csvScanner) appendField(c byte) {
	s.fieldLen++
	if s.fieldLen > s.maxField {
		s.flag(ErrFieldTooLong, len(s.ends))
		return
	}
	if len(s.fieldBuf) < s.maxRow {
		s.fieldBuf = append(s.fieldBuf, c)
	}
}

func (s *csvScanner) endField() {
	if len(s.ends) <= s.maxRow {
		s.ends = append(s.ends, len(s.fieldBuf))
	}
	s.fieldLen = 0
}

func (s *csvScanner) addRaw(c byte) {
	s.rowLen++
	if s.rowLen > s.maxRow {
		s.row.rawTrunc = true
		s.flag(ErrRowTooLong, -1)
		return
	}
	s.raw = append(s.raw, c)
}

// flag records a length fault. The first one found is kept, except that a
// row too long outranks a field too long (it also means Raw is cut).
func (s *csvScanner) flag(err error, field int) {
	if s.row.err == nil || (err == ErrRowTooLong && s.row.err == ErrFieldTooLong) {
		s.row.err, s.row.errField = err, field
	}
}

// fail records a quote error, which outranks length faults because it
// changes where the row ends, and skips the rest of the physical line.
func (s *csvScanner) fail(err error) {
	if s.row.err == nil || s.row.err == ErrFieldTooLong || s.row.err == ErrRowTooLong {
		s.row.err, s.row.errField = err, len(s.ends)
	}
	s.state = stSkipLine
}

func (s *csvScanner) finish(row *csvRow) {
	row.fieldBuf = s.fieldBuf
	row.ends = s.ends
	row.raw = s.raw
	s.row = nil
}
