package ingest

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestDetectComma(t *testing.T) {
	for _, c := range []struct {
		in   string
		want byte
	}{
		{"id,name,email\n1;2;3;4;5\n", ','},
		{"id;name;email\n1,2\n", ';'},
		{"id\tname\temail\r\n", '\t'},
		{"id|name|email", '|'},
		{"id\n", ','},
		{"", ','},
		{`"a;b;c",d` + "\n", ','},                             // delimiters inside quotes do not count
		{`id;"name, full";email` + "\n", ';'},                 // nor commas inside them
		{"a,b;c\n", ','},                                      // a tie keeps ','
		{strings.Repeat("column_name;", 200) + "last\n", ';'}, // a header longer than the first peek
		{"sep=;\nid,name,email\n", ';'},                       // a spreadsheet's delimiter line decides
		{"SEP=|\r\nid,name\n", '|'},
		{"sep=x\nid,name\n", ','}, // not a delimiter: an ordinary header
	} {
		br := bufio.NewReader(strings.NewReader(c.in))
		if got := DetectComma(br); got != c.want {
			t.Errorf("DetectComma(%.40q) = %q, want %q", c.in, got, c.want)
		}
		if n := br.Buffered(); n > 0 {
			if b, _ := br.Peek(n); string(b) != c.in[:n] {
				t.Errorf("DetectComma(%.40q) consumed input", c.in)
			}
		}
	}
}

// TestDetectCommaOfWrittenHeaders writes headers with each candidate
// delimiter through encoding/csv and detects it back.
func TestDetectCommaOfWrittenHeaders(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := rapid.SampledFrom([]rune{',', ';', '\t', '|'}).Draw(t, "delimiter")
		names := rapid.SliceOfN(rapid.StringMatching(`[A-Za-z_ ]{1,12}`), 2, 20).Draw(t, "names")
		var b strings.Builder
		w := csv.NewWriter(&b)
		w.Comma = d
		w.Write(names)
		w.Flush()
		if got := DetectComma(bufio.NewReader(strings.NewReader(b.String()))); got != byte(d) {
			t.Fatalf("header %q: detected %q, want %q", b.String(), got, d)
		}
	})
}

// TestSourceDetectsComma reads a semicolon file and a tab file with empty
// fields through a Source with Options.Comma unset.
func TestSourceDetectsComma(t *testing.T) {
	semi := "Kundennummer;Vorname;Nachname;E-Mail\n1;Jürgen;Müller;jm@gmx.de\n"
	res := readRecords(t, strings.NewReader(semi), Mapping{}, Options{})
	if len(res.recs) != 1 || res.recs[0].Key != "1" || res.recs[0].Name.Family.Raw != "Müller" || len(res.recs[0].Emails) != 1 {
		t.Fatalf("semicolon file: %+v, rejects %v", res.recs, res.rejects)
	}
	tab := "id\tfirst_name\tlast_name\temail\n1\t\tLee\tlee@acme.io\n"
	res = readRecords(t, strings.NewReader(tab), Mapping{}, Options{})
	if len(res.recs) != 1 || res.recs[0].Name.Given.Raw != "" || res.recs[0].Name.Family.Raw != "Lee" || len(res.recs[0].Emails) != 1 {
		t.Fatalf("tab file: %+v, rejects %v", res.recs, res.rejects)
	}
	// An explicit delimiter is used as given.
	res = readRecords(t, strings.NewReader(semi), Mapping{KeyFromRowNumber: true}, Options{Comma: ','})
	if len(res.recs) != 1 || len(res.report.Columns) != 1 {
		t.Fatalf("explicit ',': %d records, columns %+v", len(res.recs), res.report.Columns)
	}
}

// TestSourceSepLine reads files that start with Excel's "sep=" line: the
// line sets the delimiter, is not the header, and counts in line numbers.
func TestSourceSepLine(t *testing.T) {
	for _, eol := range []string{"\n", "\r\n"} {
		in := "sep=;" + eol + "id;first_name;last_name" + eol + "1;Ann;Lee" + eol + "2;Bob" + eol
		res := readRecords(t, strings.NewReader(in), Mapping{}, Options{})
		if len(res.recs) != 1 || res.recs[0].Key != "1" || res.recs[0].Name.Family.Raw != "Lee" {
			t.Fatalf("%q: records %+v", eol, res.recs)
		}
		if len(res.rejects) != 1 || res.rejects[0].Line != 4 {
			t.Fatalf("%q: rejects %+v, want one on line 4", eol, res.rejects)
		}
		br := bufio.NewReader(strings.NewReader(in))
		if c, ok := SepLine(br); !ok || c != ';' {
			t.Fatalf("SepLine = %q, %v", c, ok)
		}
		if rest, _ := br.ReadString('\n'); !strings.HasPrefix(rest, "id;first_name") {
			t.Fatalf("SepLine left %q", rest)
		}
	}
	// An explicit delimiter is kept, and the line still skipped.
	res := readRecords(t, strings.NewReader("sep=,\nid;name\n1;Ann\n"), Mapping{}, Options{Comma: ';'})
	if len(res.recs) != 1 || res.recs[0].Key != "1" {
		t.Fatalf("explicit ';': records %+v, rejects %+v", res.recs, res.rejects)
	}
}

// FuzzDetectComma checks that detection returns a candidate, and that a
// Source left to detect reads what one told the detected delimiter reads.
func FuzzDetectComma(f *testing.F) {
	for _, s := range []string{"id;name\n1;a\n", "id,name\n1,a\n", "id\tname\n1\t\n", `"a;b",c` + "\n1,2\n", "x|y\r\n1|2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d := DetectComma(bufio.NewReader(strings.NewReader(in)))
		if !strings.ContainsRune(",;\t|", rune(d)) {
			t.Fatalf("DetectComma(%q) = %q, not a candidate", in, d)
		}
		read := func(o Options) []string {
			o.Format = FormatCSV
			src, err := NewSource(strings.NewReader(in), Mapping{Source: "f", KeyFromRowNumber: true, NoAuto: true}, o)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for r, err := range src.Records(t.Context()) {
				if err != nil {
					out = append(out, "error: "+err.Error())
					continue
				}
				out = append(out, fmt.Sprint(r.Attrs))
			}
			return out
		}
		want := read(Options{Comma: d, KeepLeadingSpace: d == '\t'})
		if got := read(Options{}); !slices.Equal(got, want) {
			t.Fatalf("detected %q: %q, told it: %q", d, got, want)
		}
	})
}
