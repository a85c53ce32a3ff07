package ingest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

type scanned struct {
	fields []string
	line   int64
	err    error // row-level fault
}

// scanAll runs the csvScanner over input and returns its rows and the error
// that ended the scan (nil at a clean EOF).
func scanAll(input string, comma byte, trim, lazy bool, maxField, maxRow, bufSize int) ([]scanned, error) {
	s := newCSVScanner(bufio.NewReaderSize(strings.NewReader(input), bufSize), comma, trim, lazy, maxField, maxRow)
	var rows []scanned
	var row csvRow
	for {
		err := s.next(&row)
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		sc := scanned{line: row.line, err: row.err}
		for i := range row.numFields() {
			sc.fields = append(sc.fields, string(row.field(i)))
		}
		rows = append(rows, sc)
	}
}

// stdAll reads input with encoding/csv. ok is false when encoding/csv
// reported any error.
func stdAll(input string, comma byte, trim, lazy bool) (rows []scanned, ok bool) {
	r := csv.NewReader(strings.NewReader(input))
	r.Comma = rune(comma)
	r.TrimLeadingSpace = trim
	r.LazyQuotes = lazy
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, true
		}
		if err != nil {
			return rows, false
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, scanned{fields: slices.Clone(rec), line: int64(line)})
	}
}

// compareWithStd checks the scanner against encoding/csv on input that
// encoding/csv reads without error: same rows, same fields, same lines.
func compareWithStd(t *testing.T, input string, comma byte, trim, lazy bool, bufSize int) {
	t.Helper()
	want, ok := stdAll(input, comma, trim, lazy)
	got, err := scanAll(input, comma, trim, lazy, 1<<30, 1<<30, bufSize)
	if !ok {
		// encoding/csv stopped at an error: the rows before it must agree,
		// and the scanner must report a fault (a row fault or a truncation)
		// right after them.
		for i := range want {
			if i >= len(got) || got[i].err != nil || !slices.Equal(got[i].fields, want[i].fields) || got[i].line != want[i].line {
				t.Fatalf("input %q (comma %q trim %v lazy %v): rows before encoding/csv's error differ at %d:\ngot  %v\nwant %v", input, comma, trim, lazy, i, got, want)
			}
		}
		if len(got) > len(want) && got[len(want)].err == nil {
			t.Fatalf("input %q (comma %q trim %v lazy %v): encoding/csv failed on row %d, scanner read it as %q", input, comma, trim, lazy, len(want), got[len(want)].fields)
		}
		if len(got) == len(want) && err == nil {
			t.Fatalf("input %q (comma %q trim %v lazy %v): encoding/csv failed after %d rows, scanner ended cleanly", input, comma, trim, lazy, len(want))
		}
		return
	}
	if err != nil {
		t.Fatalf("input %q (comma %q trim %v lazy %v): scanner error %v; encoding/csv read it", input, comma, trim, lazy, err)
	}
	if len(got) != len(want) {
		t.Fatalf("input %q (comma %q trim %v lazy %v): %d rows, encoding/csv %d\ngot  %v\nwant %v", input, comma, trim, lazy, len(got), len(want), got, want)
	}
	for i := range want {
		if got[i].err != nil {
			t.Fatalf("input %q: row %d: scanner fault %v; encoding/csv read it", input, i, got[i].err)
		}
		if !slices.Equal(got[i].fields, want[i].fields) || got[i].line != want[i].line {
			t.Fatalf("input %q (comma %q trim %v lazy %v): row %d = %q line %d, encoding/csv %q line %d", input, comma, trim, lazy, i, got[i].fields, got[i].line, want[i].fields, want[i].line)
		}
	}
}

var csvQuirks = []string{
	"a,b,c\n1,2,3\n",
	"a,b,c\r\n1,2,3\r\n",
	"a,b\n\n\n1,2\n",
	"a,b\r\n\r\n1,2",
	"a, b, c\n1, 2, 3\n",
	"a,\"b,c\"\n\"x\ny\",z\n",
	"a,\"b\"\"c\"\n",
	"a,\"b\r\nc\"\r\n",
	"a,b\r",
	"\r\n\ra,b\n",
	"a\rb,c\n",
	"a, \"q\"\n",
	"a,\u00a0b,\u2003\"c\"\n",
	"a,\xe2b\n",
	"a, \xff\n",
	"x\n \n",
	"x,\n",
	"x, ",
	"\"\"\n",
	"a,\"\"\n",
	",,,\n",
	"a;b;c\n",
	"a\tb\n",
}

func TestCSVScannerMatchesEncodingCSV(t *testing.T) {
	for _, in := range csvQuirks {
		for _, comma := range []byte{',', ';', '\t'} {
			for _, trim := range []bool{false, true} {
				for _, lazy := range []bool{false, true} {
					for _, buf := range []int{16, 4096} {
						compareWithStd(t, in, comma, trim, lazy, buf)
					}
				}
			}
		}
	}
}

func FuzzCSVScanner(f *testing.F) {
	for _, in := range csvQuirks {
		f.Add(in, byte(','), true, false)
	}
	f.Fuzz(func(t *testing.T, in string, comma byte, trim, lazy bool) {
		if comma == 0 || comma == '"' || comma == '\r' || comma == '\n' || comma >= utf8.RuneSelf {
			comma = ','
		}
		if trim && (comma == ' ' || comma == '\t' || comma == '\v' || comma == '\f') {
			trim = false // encoding/csv trims the delimiter away; not a configuration we allow
		}
		compareWithStd(t, in, comma, trim, lazy, 16)
		// Bounded memory never panics and never loses the row count.
		rows, err := scanAll(in, comma, trim, lazy, 4, 8, 16)
		if err != nil && !errors.Is(err, errUnterminated) {
			t.Fatalf("unexpected error %v", err)
		}
		for _, r := range rows {
			if r.line < 1 {
				t.Fatalf("row line %d", r.line)
			}
		}
	})
}
