package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// cell is one value of a row: the column it belongs to and its text.
type cell struct {
	col int // index into stream.names; -1 for a JSON key past MaxColumns
	val string
	key string // the JSON key when col is -1
}

// rowData is one row that scanned cleanly.
type rowData struct {
	line, offset int64
	num          int64 // 1-based data row number
	cells        []cell
	raw          []byte
	rawTrunc     bool
}

// stream turns an input of any format into rows of cells, rejecting rows
// that cannot be read (quotes, lengths, column count, UTF-8, JSON syntax)
// and ending with a *ReadError on fatal problems.
type stream struct {
	source string
	o      Options
	br     *bufio.Reader
	format Format

	csv    *csvScanner
	csvRow csvRow
	lines  *lineScanner
	arr    *arrayScanner
	item   jsonItem
	kvs    []kv

	// names are the columns: the CSV header, or JSON keys in order of first
	// appearance (at most MaxColumns).
	names    []string
	keyIndex map[string]int

	row    rowData
	rowNum int64
	// ctxTick counts rows between context checks.
	ctxTick int
}

// openStream detects the format and, for CSV, reads the header.
func openStream(r io.Reader, source string, o Options) (*stream, error) {
	s := &stream{source: source, o: o, br: o.decodedUTF16(bufio.NewReaderSize(r, readBufferSize))}
	f, bom, err := detectFormat(s.br, o.Format)
	if err != nil {
		return s, &ReadError{Source: source, Line: 1, Err: err}
	}
	s.format = f
	switch f {
	case FormatCSV:
		comma, trim := o.Comma, !o.KeepLeadingSpace
		sep, sepLen, hasSep := peekSepLine(s.br)
		if hasSep {
			s.br.Discard(sepLen)
		}
		if o.sniffComma {
			if comma = DetectComma(s.br); hasSep {
				comma = sep
			}
			if comma == '\t' {
				trim = false
			}
		}
		s.csv = newCSVScanner(s.br, comma, trim, o.LazyQuotes, o.MaxFieldBytes, o.MaxRowBytes)
		s.csv.offset = bom + int64(sepLen)
		if hasSep {
			s.csv.line = 2
		}
		err := s.csv.next(&s.csvRow)
		switch {
		case err == io.EOF:
			return s, &ReadError{Source: source, Line: 1, Offset: bom, Err: fmt.Errorf("%w: empty input", ErrHeader)}
		case err == errUnterminated:
			return s, &ReadError{Source: source, Line: 1, Offset: bom, Err: fmt.Errorf("%w: unterminated quoted field", ErrHeader)}
		case err != nil:
			return s, &ReadError{Source: source, Line: s.csv.line, Offset: s.csv.offset, Err: err}
		case s.csvRow.err != nil:
			return s, &ReadError{Source: source, Line: s.csvRow.line, Offset: s.csvRow.offset, Err: within(ErrHeader, s.csvRow.err)}
		case !utf8.Valid(s.csvRow.fieldBuf):
			return s, &ReadError{Source: source, Line: s.csvRow.line, Offset: s.csvRow.offset, Err: within(ErrHeader, ErrInvalidUTF8)}
		}
		for i := range s.csvRow.numFields() {
			s.names = append(s.names, strings.TrimSpace(string(s.csvRow.field(i))))
		}
	case FormatJSONLines:
		s.lines = &lineScanner{br: s.br, maxRow: o.MaxRowBytes, line: 1, offset: bom}
		s.keyIndex = map[string]int{}
	case FormatJSONArray:
		s.arr = &arrayScanner{br: s.br, maxRow: o.MaxRowBytes, line: 1, offset: bom}
		s.keyIndex = map[string]int{}
	}
	return s, nil
}

// position returns where reading has got to, for a fatal error.
func (s *stream) position() (int64, int64) {
	switch {
	case s.csv != nil:
		return s.csv.line, s.csv.offset
	case s.lines != nil:
		return s.lines.line, s.lines.offset
	case s.arr != nil:
		return s.arr.line, s.arr.offset
	}
	return 1, 0
}

func (s *stream) fatal(line, offset int64, err error) *ReadError {
	return &ReadError{Source: s.source, Line: line, Offset: offset, Err: err}
}

// next reads one row. Exactly one result is set: a row, a reject, or an
// error (io.EOF at the end, else a *ReadError).
func (s *stream) next(ctx context.Context) (*rowData, *Reject, error) {
	if s.ctxTick++; s.ctxTick >= 256 {
		s.ctxTick = 0
		if err := ctx.Err(); err != nil {
			l, o := s.position()
			return nil, nil, s.fatal(l, o, err)
		}
	}
	switch s.format {
	case FormatCSV:
		return s.nextCSV()
	default:
		return s.nextJSON()
	}
}

func (s *stream) reject(line, offset int64, col string, raw []byte, trunc bool, reason error) *Reject {
	return &Reject{Source: s.source, Line: line, Offset: offset, Column: col, Reason: reason, Raw: string(raw), RawTruncated: trunc}
}

func (s *stream) colName(i int) string {
	if i >= 0 && i < len(s.names) {
		return s.names[i]
	}
	return ""
}

func (s *stream) nextCSV() (*rowData, *Reject, error) {
	row := &s.csvRow
	err := s.csv.next(row)
	switch {
	case err == io.EOF:
		return nil, nil, io.EOF
	case err == errUnterminated:
		return nil, nil, s.fatal(row.line, row.offset, fmt.Errorf("%w: quoted field opened on line %d is never closed", ErrTruncated, row.line))
	case err != nil:
		return nil, nil, s.fatal(s.csv.line, s.csv.offset, err)
	}
	s.rowNum++
	reject := func(col string, reason error) (*rowData, *Reject, error) {
		return nil, s.reject(row.line, row.offset, col, row.raw, row.rawTrunc, reason), nil
	}
	if row.err != nil {
		col := ""
		if row.errField >= 0 {
			col = s.colName(row.errField)
		}
		switch row.err {
		case ErrFieldTooLong:
			return reject(col, fmt.Errorf("%w: over %d bytes", ErrFieldTooLong, s.o.MaxFieldBytes))
		case ErrRowTooLong:
			return reject(col, fmt.Errorf("%w: over %d bytes", ErrRowTooLong, s.o.MaxRowBytes))
		}
		return reject(col, row.err)
	}
	if n := row.numFields(); n != len(s.names) {
		if !row.terminated && n < len(s.names) {
			return nil, nil, s.fatal(row.line, row.offset, fmt.Errorf("%w: last line has %d of %d fields and no line end", ErrTruncated, n, len(s.names)))
		}
		return reject("", fmt.Errorf("%w: %d fields, header has %d", ErrColumnCount, n, len(s.names)))
	}
	if !utf8.Valid(row.fieldBuf) {
		for i := range row.numFields() {
			if !utf8.Valid(row.field(i)) {
				return reject(s.colName(i), ErrInvalidUTF8)
			}
		}
	}
	// One string backs every value of the row.
	all := string(row.fieldBuf)
	d := &s.row
	d.line, d.offset, d.num = row.line, row.offset, s.rowNum
	d.raw, d.rawTrunc = row.raw, row.rawTrunc
	d.cells = d.cells[:0]
	start := 0
	for i, end := range row.ends {
		d.cells = append(d.cells, cell{col: i, val: all[start:end]})
		start = end
	}
	return d, nil, nil
}

func (s *stream) nextJSON() (*rowData, *Reject, error) {
	it := &s.item
	var err error
	if s.lines != nil {
		err = s.lines.next(it)
	} else {
		err = s.arr.next(it)
	}
	if err != nil {
		if err == io.EOF {
			return nil, nil, io.EOF
		}
		l, o := s.position()
		if errors.Is(err, errArrayStructure) {
			err = within(ErrMalformedJSON, err)
		}
		return nil, nil, s.fatal(l, o, err)
	}
	s.rowNum++
	reject := func(col string, reason error) (*rowData, *Reject, error) {
		return nil, s.reject(it.line, it.offset, col, it.data, it.tooLong, reason), nil
	}
	if it.tooLong {
		return reject("", fmt.Errorf("%w: over %d bytes", ErrRowTooLong, s.o.MaxRowBytes))
	}
	if !utf8.Valid(it.data) {
		return reject("", ErrInvalidUTF8)
	}
	s.kvs, err = flattenJSON(it.data, s.kvs[:0])
	if err != nil {
		if s.lines != nil && !it.terminated && errors.Is(err, errJSONEnd) {
			return nil, nil, s.fatal(it.line, it.offset, fmt.Errorf("%w: last line is cut short and has no line end", ErrTruncated))
		}
		return reject("", err)
	}
	d := &s.row
	d.line, d.offset, d.num = it.line, it.offset, s.rowNum
	d.raw, d.rawTrunc = it.data, it.tooLong
	d.cells = d.cells[:0]
	for _, p := range s.kvs {
		if len(p.val) > s.o.MaxFieldBytes {
			return reject(p.key, fmt.Errorf("%w: over %d bytes", ErrFieldTooLong, s.o.MaxFieldBytes))
		}
		i, ok := s.keyIndex[p.key]
		if !ok {
			if len(s.names) < s.o.MaxColumns {
				i = len(s.names)
				s.keyIndex[p.key] = i
				s.names = append(s.names, p.key)
			} else {
				i = -1
			}
		}
		c := cell{col: i, val: p.val}
		if i < 0 {
			c.key = p.key
		}
		d.cells = append(d.cells, c)
	}
	return d, nil, nil
}
