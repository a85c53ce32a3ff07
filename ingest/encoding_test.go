package ingest

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// TestEncoding reads a Windows-1252 export (the "ANSI" of Western
// spreadsheets) and a UTF-16 one with Options.Encoding, and rejects the
// first without it.
func TestEncoding(t *testing.T) {
	in := "id;first_name;last_name\n1;Jos\xe9;Garc\xeda\n"
	res := readRecords(t, strings.NewReader(in), Mapping{}, Options{})
	if len(res.recs) != 0 || len(res.rejects) != 1 || !errors.Is(res.rejects[0], ErrInvalidUTF8) {
		t.Fatalf("undecoded: %d records, rejects %v", len(res.recs), res.rejects)
	}
	res = readRecords(t, strings.NewReader(in), Mapping{}, Options{Encoding: charmap.Windows1252})
	if len(res.recs) != 1 || res.recs[0].Name.Given.Raw != "José" || res.recs[0].Name.Family.Raw != "García" {
		t.Fatalf("Windows-1252: %+v, rejects %v", res.recs, res.rejects)
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("id,given_name\n1,Zoë\n")
	if err != nil {
		t.Fatal(err)
	}
	res = readRecords(t, strings.NewReader(u16), Mapping{}, Options{Encoding: unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)})
	if len(res.recs) != 1 || res.recs[0].Name.Given.Raw != "Zoë" {
		t.Fatalf("UTF-16: %+v, rejects %v", res.recs, res.rejects)
	}
}

// A UTF-16 input with a byte order mark is decoded without Options.Encoding:
// the mark names the encoding and byte order.
func TestUTF16ByteOrderMark(t *testing.T) {
	for _, order := range []unicode.Endianness{unicode.LittleEndian, unicode.BigEndian} {
		in, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().String("First Name\tEmail\r\nZoë\tzoe@example.com\r\n")
		if err != nil {
			t.Fatal(err)
		}
		res := readRecords(t, strings.NewReader(in), Mapping{KeyFromRowNumber: true}, Options{})
		if res.fatal != nil || len(res.recs) != 1 || res.recs[0].Name.Given.Raw != "Zoë" || res.recs[0].Emails[0].Raw != "zoe@example.com" {
			t.Errorf("order %v: fatal %v, records %+v, rejects %v", order, res.fatal, res.recs, res.rejects)
		}
	}
}
