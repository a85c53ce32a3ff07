package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/unifyhq/unify/profile"
)

// result is everything one stream produced.
type result struct {
	recs    []*profile.Record
	rejects []*Reject
	fatal   error
	report  Report
}

// fataler is what readRecords needs of *testing.T and *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

func readRecords(t fataler, r io.Reader, m Mapping, o Options) result {
	t.Helper()
	if m.Source == "" {
		m.Source = "src"
	}
	src, err := NewSource(r, m, o)
	if err != nil {
		t.Fatalf("NewSource: %v", err)
	}
	var res result
	for rec, err := range src.Records(context.Background()) {
		var rj *Reject
		switch {
		case errors.As(err, &rj):
			res.rejects = append(res.rejects, rj)
		case err != nil:
			if res.fatal != nil {
				t.Fatalf("second fatal error %v after %v", err, res.fatal)
			}
			res.fatal = err
		default:
			if rec == nil || rec.Key == "" || rec.Source != m.Source {
				t.Fatalf("bad record %+v", rec)
			}
			res.recs = append(res.recs, rec)
		}
	}
	res.report = src.Report()
	checkReport(t, res)
	return res
}

// checkReport checks the invariants every stream must keep.
func checkReport(t fataler, res result) {
	t.Helper()
	rep := res.report
	if !rep.Reconciled() {
		t.Fatalf("report does not reconcile: %d read, %d accepted, %d rejected", rep.RowsRead, rep.Accepted, rep.Rejected)
	}
	if rep.Accepted != int64(len(res.recs)) || rep.Rejected != int64(len(res.rejects)) {
		t.Fatalf("report says %d accepted, %d rejected; stream gave %d and %d", rep.Accepted, rep.Rejected, len(res.recs), len(res.rejects))
	}
	if !rep.Done {
		t.Fatalf("report not done")
	}
	if !errors.Is(rep.Err, res.fatal) && rep.Err != res.fatal {
		t.Fatalf("report error %v, stream error %v", rep.Err, res.fatal)
	}
	var sum int64
	for _, n := range rep.RejectsByReason {
		sum += n
	}
	if sum != rep.Rejected {
		t.Fatalf("rejects by reason sum to %d, want %d", sum, rep.Rejected)
	}
}

func TestCSVRejects(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name     string
		in       string
		opts     Options
		keys     []string // accepted keys, in order
		reason   error    // every reject's reason
		lines    []int64  // reject lines
		column   string   // first reject's column
		raw      string   // first reject's raw text
		warnings int64
	}{
		{name: "column count short", in: "id,name\n1,a\n2\n3,c\n", keys: []string{"1", "3"}, reason: ErrColumnCount, lines: []int64{3}, raw: "2"},
		{name: "column count long", in: "id,name\n1,a,x\n2,b\n", keys: []string{"2"}, reason: ErrColumnCount, lines: []int64{2}, raw: "1,a,x"},
		{name: "invalid utf8", in: "id,name\n1,a\xff\n2,b\n", keys: []string{"2"}, reason: ErrInvalidUTF8, lines: []int64{2}, column: "name", raw: "1,a\xff"},
		{name: "missing key", in: "id,name\n,a\n  ,b\n3,c\n", keys: []string{"3"}, reason: ErrMissingKey, lines: []int64{2, 3}, column: "id", raw: ",a"},
		{name: "duplicate key", in: "id,name\n1,a\n2,b\n1,c\n 1 ,d\n", keys: []string{"1", "2"}, reason: ErrDuplicateKey, lines: []int64{4, 5}, column: "id", raw: "1,c"},
		{name: "duplicate key last wins", in: "id,name\n1,a\n1,c\n", opts: Options{Duplicates: LastWins}, keys: []string{"1", "1"}},
		{name: "duplicate key unchecked", in: "id,name\n1,a\n1,c\n", opts: Options{Duplicates: NoDuplicateCheck}, keys: []string{"1", "1"}},
		{name: "field too long", in: "id,name\n1," + long + "\n2,b\n", opts: Options{MaxFieldBytes: 50}, keys: []string{"2"}, reason: ErrFieldTooLong, lines: []int64{2}, column: "name", raw: "1," + long},
		{name: "quoted field too long", in: "id,name\n1,\"" + long + "\n" + long + "\"\n2,b\n", opts: Options{MaxFieldBytes: 50}, keys: []string{"2"}, reason: ErrFieldTooLong, lines: []int64{2}, column: "name"},
		{name: "row too long", in: "id,name\n1," + long + "\n2,b\n", opts: Options{MaxFieldBytes: 10, MaxRowBytes: 20}, keys: []string{"2"}, reason: ErrRowTooLong, lines: []int64{2}, raw: "1," + long[:18]},
		{name: "bare quote", in: "id,name\n1,a\"b\n2,b\n", keys: []string{"2"}, reason: ErrBareQuote, lines: []int64{2}, column: "name"},
		{name: "bare quote lazy", in: "id,name\n1,a\"b\n2,b\n", opts: Options{LazyQuotes: true}, keys: []string{"1", "2"}},
		{name: "extraneous quote", in: "id,name\n1,\"a\"b,c\n2,b\n", keys: []string{"2"}, reason: ErrQuote, lines: []int64{2}, column: "name"},
		{name: "quote error skips only its line", in: "id,name\n1,\"a\"b\n2,\"x\ny\"\n", keys: []string{"2"}, reason: ErrQuote, lines: []int64{2}},
		{name: "bad optional values are warnings", in: "id,dob,phone,email\n1,1980-02-30,not a phone,a@@b\n2,1980-02-03,,x@acme.io\n", keys: []string{"1", "2"}, warnings: 3},
		{name: "blank lines are not rows", in: "id,name\n\n1,a\n\r\n\n2,b\n\n", keys: []string{"1", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readRecords(t, strings.NewReader(tt.in), Mapping{}, tt.opts)
			if res.fatal != nil {
				t.Fatalf("fatal %v", res.fatal)
			}
			var keys []string
			for _, r := range res.recs {
				keys = append(keys, r.Key)
			}
			if fmt.Sprint(keys) != fmt.Sprint(tt.keys) {
				t.Errorf("keys %q, want %q", keys, tt.keys)
			}
			if len(res.rejects) != len(tt.lines) {
				t.Fatalf("%d rejects (%v), want lines %v", len(res.rejects), res.rejects, tt.lines)
			}
			for i, rj := range res.rejects {
				if !errors.Is(rj, tt.reason) {
					t.Errorf("reject %v: reason not %v", rj, tt.reason)
				}
				if rj.Line != tt.lines[i] {
					t.Errorf("reject %v: line %d, want %d", rj, rj.Line, tt.lines[i])
				}
				if rj.Source != "src" || !strings.Contains(rj.Error(), fmt.Sprintf("line %d", rj.Line)) {
					t.Errorf("reject %q does not name its source and line", rj.Error())
				}
			}
			if len(res.rejects) > 0 {
				if tt.column != "" && res.rejects[0].Column != tt.column {
					t.Errorf("column %q, want %q", res.rejects[0].Column, tt.column)
				}
				if tt.raw != "" && res.rejects[0].Raw != tt.raw {
					t.Errorf("raw %q, want %q", res.rejects[0].Raw, tt.raw)
				}
			}
			if res.report.Warnings != tt.warnings {
				t.Errorf("%d warnings, want %d: %v", res.report.Warnings, tt.warnings, res.report.WarningDetails)
			}
			if tt.opts.Duplicates == LastWins && res.report.Replaced != 1 {
				t.Errorf("replaced %d, want 1", res.report.Replaced)
			}
		})
	}
}

func TestWarningsKeepRawAndLeaveNormEmpty(t *testing.T) {
	in := "id,dob,phone,email,first_name\n1,1980-02-30,12,a@@b,n/a\n"
	var seen []Warning
	res := readRecords(t, strings.NewReader(in), Mapping{}, Options{OnWarning: func(w Warning) { seen = append(seen, w) }})
	if len(res.recs) != 1 {
		t.Fatalf("%d records", len(res.recs))
	}
	r := res.recs[0]
	if r.BirthDate.Raw != "1980-02-30" || !r.BirthDate.Date.IsZero() {
		t.Errorf("birth date %+v", r.BirthDate)
	}
	if len(r.Phones) != 1 || r.Phones[0].Raw != "12" || r.Phones[0].E164 != "" {
		t.Errorf("phones %+v", r.Phones)
	}
	if len(r.Emails) != 1 || r.Emails[0].Raw != "a@@b" || r.Emails[0].Address != "" {
		t.Errorf("emails %+v", r.Emails)
	}
	if r.Name.Given.Raw != "n/a" || r.Name.Given.Norm != "" {
		t.Errorf("given name %+v", r.Name.Given)
	}
	if len(seen) != 4 || res.report.Warnings != 4 || len(res.report.WarningDetails) != 4 {
		t.Fatalf("warnings: callback %d, report %d/%d", len(seen), res.report.Warnings, len(res.report.WarningDetails))
	}
	want := map[string]error{"dob": profile.ErrInvalidDate, "phone": profile.ErrInvalidPhone, "email": profile.ErrInvalidEmail, "first_name": profile.ErrJunk}
	for _, w := range seen {
		if !errors.Is(w.Err, want[w.Column]) || w.Line != 2 {
			t.Errorf("warning %v: want reason %v on line 2", w, want[w.Column])
		}
	}
	if res.report.WarningsByColumn["dob"] != 1 || res.report.WarningsByReason["profile: invalid date"] != 1 {
		t.Errorf("warning counts %v %v", res.report.WarningsByColumn, res.report.WarningsByReason)
	}
}

func TestWarningDetailsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,dob\n")
	for i := range 50 {
		fmt.Fprintf(&b, "%d,1980-13-40\n", i)
	}
	res := readRecords(t, strings.NewReader(b.String()), Mapping{}, Options{MaxWarnings: 7})
	if res.report.Warnings != 50 || len(res.report.WarningDetails) != 7 {
		t.Fatalf("%d warnings, %d kept", res.report.Warnings, len(res.report.WarningDetails))
	}
	res = readRecords(t, strings.NewReader(b.String()), Mapping{}, Options{MaxWarnings: -1})
	if res.report.Warnings != 50 || len(res.report.WarningDetails) != 0 {
		t.Fatalf("%d warnings, %d kept", res.report.Warnings, len(res.report.WarningDetails))
	}
}

func TestCSVQuirks(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		opts  Options
		want  [][2]string // key, given name raw
		lines []int64     // line where each accepted row starts
	}{
		{name: "bom and crlf", in: "\ufeffid,first_name\r\n1,Ann\r\n2,Bob\r\n", want: [][2]string{{"1", "Ann"}, {"2", "Bob"}}, lines: []int64{2, 3}},
		{name: "febrl space after comma", in: "rec_id, given_name\nrec-1, ann\nrec-2, \"bob, jr\"\n", want: [][2]string{{"rec-1", "ann"}, {"rec-2", "bob, jr"}}, lines: []int64{2, 3}},
		{name: "keep leading space", in: "id,first_name\n1, ann\n", opts: Options{KeepLeadingSpace: true}, want: [][2]string{{"1", " ann"}}, lines: []int64{2}},
		{name: "semicolon", in: "id;first_name\n1;Ann\n", opts: Options{Comma: ';'}, want: [][2]string{{"1", "Ann"}}, lines: []int64{2}},
		{name: "tab", in: "id\tfirst_name\n1\tAnn\n", opts: Options{Comma: '\t', KeepLeadingSpace: true}, want: [][2]string{{"1", "Ann"}}, lines: []int64{2}},
		{name: "quoted newlines keep start line", in: "id,first_name\n1,\"A\nn\nn\"\n2,Bob\n", want: [][2]string{{"1", "A\nn\nn"}, {"2", "Bob"}}, lines: []int64{2, 5}},
		{name: "quoted quotes", in: "id,first_name\n1,\"A\"\"nn\"\n", want: [][2]string{{"1", "A\"nn"}}, lines: []int64{2}},
		{name: "no final newline", in: "id,first_name\n1,Ann", want: [][2]string{{"1", "Ann"}}, lines: []int64{2}},
		{name: "json lines", in: "{\"id\":1,\"first_name\":\"Ann\"}\n\n{\"id\":\"2\",\"first_name\":\"Bob\"}\n", want: [][2]string{{"1", "Ann"}, {"2", "Bob"}}, lines: []int64{1, 3}},
		{name: "json array", in: " [\n{\"id\":1,\"first_name\":\"Ann\"},\n {\"id\":2,\n\"first_name\":\"Bob\"}]\n", want: [][2]string{{"1", "Ann"}, {"2", "Bob"}}, lines: []int64{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readRecords(t, strings.NewReader(tt.in), Mapping{}, tt.opts)
			if res.fatal != nil || len(res.rejects) > 0 {
				t.Fatalf("fatal %v, rejects %v", res.fatal, res.rejects)
			}
			if len(res.recs) != len(tt.want) {
				t.Fatalf("%d records, want %d", len(res.recs), len(tt.want))
			}
			for i, r := range res.recs {
				if r.Key != tt.want[i][0] || r.Name.Given.Raw != tt.want[i][1] {
					t.Errorf("record %d: key %q given %q, want %q", i, r.Key, r.Name.Given.Raw, tt.want[i])
				}
			}
		})
		t.Run(tt.name+"/lines", func(t *testing.T) {
			lines := rowLines(t, tt.in, tt.opts)
			if fmt.Sprint(lines) != fmt.Sprint(tt.lines) {
				t.Errorf("lines %v, want %v", lines, tt.lines)
			}
		})
	}
}

// rowLines returns the line where each row starts.
func rowLines(t *testing.T, in string, o Options) []int64 {
	t.Helper()
	var lines []int64
	st, err := openStream(strings.NewReader(in), "s", mustDefaults(t, o))
	if err != nil {
		t.Fatal(err)
	}
	for {
		row, rej, err := st.next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rej != nil {
			lines = append(lines, rej.Line)
			continue
		}
		lines = append(lines, row.line)
	}
	return lines
}

func mustDefaults(t testing.TB, o Options) Options {
	t.Helper()
	o, err := o.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestFatalErrors(t *testing.T) {
	ioFail := errors.New("disk on fire")
	tests := []struct {
		name    string
		in      io.Reader
		m       Mapping
		want    error
		line    int64
		records int
	}{
		{name: "empty input", in: strings.NewReader(""), want: ErrHeader, line: 1},
		{name: "unterminated quote", in: strings.NewReader("id,name\n1,a\n2,\"b\n3,c\n"), want: ErrTruncated, line: 3, records: 1},
		{name: "short last line without newline", in: strings.NewReader("id,name,dob\n1,a,1980-01-01\n2,b"), want: ErrTruncated, line: 3, records: 1},
		{name: "io error", in: io.MultiReader(strings.NewReader("id,name\n1,a\n2,b\n"), iotest.ErrReader(ioFail)), want: ioFail, line: 4, records: 2},
		{name: "unknown column", in: strings.NewReader("id,name\n1,a\n"), m: Mapping{Columns: map[string]profile.Field{"e-mail": profile.FieldEmail}}, want: ErrUnknownColumn, line: 1},
		{name: "unknown key column", in: strings.NewReader("id,name\n1,a\n"), m: Mapping{Key: "customer"}, want: ErrUnknownColumn, line: 1},
		{name: "no key column", in: strings.NewReader("name,city\na,b\n"), want: ErrMapping, line: 1},
		{name: "json truncated line", in: strings.NewReader("{\"id\":1}\n{\"id\":2,\"name\":"), want: ErrTruncated, line: 2, records: 1},
		{name: "json array truncated", in: strings.NewReader("[{\"id\":1},{\"id\":2"), want: ErrTruncated, line: 1, records: 1},
		{name: "json array garbage after", in: strings.NewReader("[{\"id\":1}] x"), want: ErrMalformedJSON, line: 1, records: 1},
		{name: "json array missing comma", in: strings.NewReader("[{\"id\":1}\n{\"id\":2}]"), want: ErrMalformedJSON, line: 2, records: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readRecords(t, tt.in, tt.m, Options{})
			if !errors.Is(res.fatal, tt.want) {
				t.Fatalf("fatal %v, want %v", res.fatal, tt.want)
			}
			var re *ReadError
			if !errors.As(res.fatal, &re) || re.Line != tt.line || !strings.Contains(re.Error(), fmt.Sprintf("line %d", tt.line)) {
				t.Fatalf("fatal %v: want a *ReadError at line %d", res.fatal, tt.line)
			}
			if len(res.recs) != tt.records {
				t.Errorf("%d records before the error, want %d", len(res.recs), tt.records)
			}
		})
	}
}

func TestContextCancel(t *testing.T) {
	var b strings.Builder
	b.WriteString("id\n")
	for i := range 2000 {
		fmt.Fprintf(&b, "%d\n", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src, _ := NewSource(strings.NewReader(b.String()), Mapping{Source: "s"}, Options{})
	n := 0
	var fatal error
	for _, err := range src.Records(ctx) {
		if err != nil {
			fatal = err
			break
		}
		if n++; n == 10 {
			cancel()
		}
	}
	if !errors.Is(fatal, context.Canceled) {
		t.Fatalf("got %v after %d records, want context.Canceled", fatal, n)
	}
	if n >= 2000 || n < 10 {
		t.Fatalf("%d records before cancel took effect", n)
	}
	rep := src.Report()
	if !rep.Reconciled() || rep.Accepted != int64(n) {
		t.Fatalf("report %+v", rep)
	}
}

func TestStopEarlyAndReuse(t *testing.T) {
	src, _ := NewSource(strings.NewReader("id\n1\n2\n3\n"), Mapping{Source: "s"}, Options{})
	for range src.Records(context.Background()) {
		break
	}
	rep := src.Report()
	if rep.Done || rep.Accepted != 1 || !rep.Reconciled() {
		t.Fatalf("after break: %+v", rep)
	}
	for _, err := range src.Records(context.Background()) {
		if !errors.Is(err, ErrReused) {
			t.Fatalf("second range: %v", err)
		}
	}
}

func TestMultipleValues(t *testing.T) {
	in := "id,email1,email2,phone,work_phone\n1,a@acme.io,b@acme.io,+61 2 9999 0000; +61 412 345 678,+44 20 7946 0000\n"
	res := readRecords(t, strings.NewReader(in), Mapping{}, Options{})
	r := res.recs[0]
	if len(r.Emails) != 2 || len(r.Phones) != 3 {
		t.Fatalf("emails %+v phones %+v", r.Emails, r.Phones)
	}
	js := `{"id": 7, "emails": ["a@acme.io", "b@acme.io"], "first_name": ["Ann", "Anna"], "addresses": [{"street": "1 Main St", "city": "Springfield"}, {"street": "2 High St", "city": "Shelbyville"}]}` + "\n"
	res = readRecords(t, strings.NewReader(js), Mapping{}, Options{})
	r = res.recs[0]
	if len(r.Emails) != 2 || len(r.Addresses) != 2 || r.Addresses[1].Locality.Raw != "Shelbyville" {
		t.Fatalf("record %+v", r)
	}
	if r.Name.Given.Raw != "Ann" || res.report.Warnings != 1 || !errors.Is(res.report.WarningDetails[0].Err, ErrMultipleValues) {
		t.Fatalf("given %q, warnings %v", r.Name.Given.Raw, res.report.WarningDetails)
	}
}

func TestObservedAndRowKeys(t *testing.T) {
	in := "first_name,updated_at\nAnn,2024-03-15T10:00:00Z\nBob,yesterday\n"
	res := readRecords(t, strings.NewReader(in), Mapping{KeyFromRowNumber: true}, Options{})
	if len(res.recs) != 2 || res.recs[0].Key != "1" || res.recs[1].Key != "2" {
		t.Fatalf("records %+v", res.recs)
	}
	if !res.recs[0].Observed.Equal(time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC)) || !res.recs[1].Observed.IsZero() {
		t.Fatalf("observed %v %v", res.recs[0].Observed, res.recs[1].Observed)
	}
	if res.report.Warnings != 1 || !errors.Is(res.report.WarningDetails[0].Err, ErrBadTime) {
		t.Fatalf("warnings %v", res.report.WarningDetails)
	}
}

func TestExplicitMapping(t *testing.T) {
	in := "Cust No,Vorname,E-Mail Address,Notes,cluster\nA1,Ann,ann@acme.io,likes tea,3\n"
	m := Mapping{Key: "cust_no", Columns: map[string]profile.Field{"Notes": "attr:note"}, Ignore: []string{"cluster"}}
	res := readRecords(t, strings.NewReader(in), m, Options{})
	r := res.recs[0]
	if r.Key != "A1" || r.Name.Given.Raw != "Ann" || len(r.Emails) != 1 || r.Attrs["note"] != "likes tea" || len(r.Attrs) != 1 {
		t.Fatalf("record %+v", r)
	}
	roles := map[string]string{}
	for _, c := range res.report.Columns {
		roles[c.Name] = fmt.Sprintf("%s %s %s", c.Role, c.Field, c.How)
	}
	want := map[string]string{
		"Cust No": "key  explicit", "Vorname": "field given_name auto", "E-Mail Address": "field email auto",
		"Notes": "field attr:note explicit", "cluster": "ignored  explicit",
	}
	if fmt.Sprint(roles) != fmt.Sprint(want) {
		t.Fatalf("roles %v\nwant  %v", roles, want)
	}
	// NoAuto leaves everything else unmapped, kept as attributes or dropped.
	res = readRecords(t, strings.NewReader(in), Mapping{Key: "Cust No", NoAuto: true}, Options{})
	if len(res.recs[0].Attrs) != 4 || res.recs[0].Name.Given.Raw != "" {
		t.Fatalf("NoAuto record %+v", res.recs[0])
	}
	res = readRecords(t, strings.NewReader(in), Mapping{Key: "Cust No", NoAuto: true, Unmapped: UnmappedIgnore}, Options{})
	if len(res.recs[0].Attrs) != 0 {
		t.Fatalf("ignored unmapped, got attrs %v", res.recs[0].Attrs)
	}
}

func TestMappingConflicts(t *testing.T) {
	// Two auto-mapped columns for one single-valued field: the second is
	// left unmapped (kept as an attribute), with a note.
	res := readRecords(t, strings.NewReader("id,first_name,forename\n1,Ann,Anne\n"), Mapping{}, Options{})
	r := res.recs[0]
	if r.Name.Given.Raw != "Ann" || r.Attrs["forename"] != "Anne" {
		t.Fatalf("record %+v", r)
	}
	if c := res.report.Columns[2]; c.How != HowUnmapped || !strings.Contains(c.Note, "first_name") {
		t.Fatalf("column report %+v", c)
	}
	// Explicitly: an error before reading.
	m := Mapping{Source: "s", Columns: map[string]profile.Field{"a": "given_name", "b": "given_name"}}
	if err := m.Validate(); !errors.Is(err, ErrMapping) {
		t.Fatalf("Validate: %v", err)
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, o := range []Options{{Comma: '"'}, {Comma: '\n'}, {Comma: ' '}, {Comma: 0xe9}, {MaxFieldBytes: -1}, {Format: 9}, {Duplicates: 7}} {
		if _, err := NewSource(strings.NewReader(""), Mapping{Source: "s"}, o); !errors.Is(err, ErrOptions) {
			t.Errorf("options %+v: %v, want ErrOptions", o, err)
		}
	}
	for _, m := range []Mapping{{}, {Source: "s", Unmapped: "drop"}, {Source: "s", DateOrder: 5}, {Source: "s", Key: "id", KeyFromRowNumber: true},
		{Source: "s", NoAuto: true}, {Source: "s", TimeZone: "Mars/Olympus"}, {Source: "s", DefaultRegion: "XX"},
		{Source: "s", Columns: map[string]profile.Field{"a": "shoe_size"}}, {Source: "s", Key: "id", Ignore: []string{"id"}}} {
		if _, err := NewSource(strings.NewReader(""), m, Options{}); !errors.Is(err, ErrMapping) {
			t.Errorf("mapping %+v: %v, want ErrMapping", m, err)
		}
	}
}

// TestPhonePlacedWhateverTheColumnOrder reads one row with the phone
// before and after the country: the number is placed by the record's
// country either way, also when a default region would place it too, and
// a number no region places warns once.
// A postcode found invalid when the country after it arrives is warned
// about in its own column, with its own value.
func TestPostcodeWarningNamesItsColumn(t *testing.T) {
	tests := []struct{ in, col, raw string }{
		{"id,name,zip,country\n1,Ann Lee,D02,IE\n", "zip", "D02"},
		{"id,country,zip\n1,IE,D02\n", "zip", "D02"},
		{"id,home_zip,home_country,work_zip,work_country\n1,D02 X285,IE,123,US\n", "work_zip", "123"},
	}
	for _, tt := range tests {
		res := readRecords(t, strings.NewReader(tt.in), Mapping{}, Options{})
		if len(res.report.WarningDetails) != 1 {
			t.Errorf("%q: warnings %v, want one", tt.in, res.report.WarningDetails)
			continue
		}
		w := res.report.WarningDetails[0]
		if w.Column != tt.col || w.Raw != tt.raw || w.Field != profile.FieldPostcode || !errors.Is(w.Err, profile.ErrInvalidPostcode) {
			t.Errorf("%q: warning %+v, want column %q, raw %q, field postcode", tt.in, w, tt.col, tt.raw)
		}
		if n := res.report.WarningsByColumn[tt.col]; n != 1 {
			t.Errorf("%q: WarningsByColumn %v", tt.in, res.report.WarningsByColumn)
		}
	}
}

// A spreadsheet's text mark before a number is not part of the value
// (Shopify writes ZIP codes as '02108); in a name it stays.
func TestTextMarkStripped(t *testing.T) {
	in := "id,zip,country,phone,ssn,name\n1,'02108,US,'+1 415 867 5309,'536-22-8833,'Ann\n"
	res := readRecords(t, strings.NewReader(in), Mapping{}, Options{})
	if res.fatal != nil || len(res.rejects) > 0 || res.report.Warnings != 0 {
		t.Fatalf("fatal %v, rejects %v, warnings %+v", res.fatal, res.rejects, res.report.WarningDetails)
	}
	r := res.recs[0]
	tests := []struct{ what, got, want string }{
		{"postcode", r.Addresses[0].Postcode.Norm, "02108"},
		{"phone", r.Phones[0].E164, "+14158675309"},
		{"ssn", r.IDs[0].Value, "536228833"},
		{"name", r.Name.Full.Raw, "'Ann"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.what, tt.got, tt.want)
		}
	}
}

// A phone number written as a link ("tel:+1...") is read by its country
// code, with no region to assume one.
func TestTelLink(t *testing.T) {
	res := readRecords(t, strings.NewReader("id,phone\n1,tel:+14158675309\n2,TEL:+44 20 7946 0000\n"), Mapping{}, Options{})
	if len(res.recs) != 2 || res.report.Warnings != 0 {
		t.Fatalf("%d records, warnings %v", len(res.recs), res.report.WarningDetails)
	}
	for i, want := range []string{"+14158675309", "+442079460000"} {
		if got := res.recs[i].Phones[0].E164; got != want {
			t.Errorf("record %d: phone %q, want %q", i+1, got, want)
		}
	}
}

func TestPhonePlacedWhateverTheColumnOrder(t *testing.T) {
	for _, c := range []struct {
		name, phone, country, region, want string
		warnings                           int64
	}{
		{"national, country only", "0412 345 678", "AU", "", "+61412345678", 0},
		{"national, default region too", "020 7946 0958", "GB", "US", "+442079460958", 0},
		// Valid in Germany as well: the record's country decides.
		{"national, default region places it elsewhere", "0412 345 678", "AU", "DE", "+61412345678", 0},
		{"international", "+1 202 555 0142", "GB", "", "+12025550142", 0},
		{"no region places it", "12", "GB", "", "", 1},
	} {
		for _, order := range []string{"phone,country", "country,phone"} {
			row := c.phone + "," + c.country
			if order == "country,phone" {
				row = c.country + "," + c.phone
			}
			res := readRecords(t, strings.NewReader("id,"+order+"\n1,"+row+"\n"), Mapping{DefaultRegion: c.region}, Options{})
			if len(res.recs) != 1 {
				t.Fatalf("%s (%s): %d records", c.name, order, len(res.recs))
			}
			got := ""
			if ps := res.recs[0].Phones; len(ps) == 1 {
				got = ps[0].E164
			}
			if got != c.want {
				t.Errorf("%s (%s): E.164 %q, want %q", c.name, order, got, c.want)
			}
			if res.report.Warnings != c.warnings {
				t.Errorf("%s (%s): %d warnings, want %d: %v", c.name, order, res.report.Warnings, c.warnings, res.report.WarningDetails)
			}
		}
	}
}

// TestFullNameAfterItsParts checks that a full-name column completes the
// name parts whatever the column order: a one-word full name beside an
// empty given name and the same family name is no given name.
func TestFullNameAfterItsParts(t *testing.T) {
	for _, hdr := range []string{"id,full_name,first_name,surname", "id,first_name,surname,full_name"} {
		var rows strings.Builder
		rows.WriteString(hdr + "\n")
		for _, r := range [][3]string{{"Kaur", "", "Kaur"}, {"Anna Kaur", "", "Kaur"}} {
			cells := map[string]string{"full_name": r[0], "first_name": r[1], "surname": r[2]}
			fmt.Fprintf(&rows, "%d", rows.Len())
			for _, col := range strings.Split(hdr, ",")[1:] {
				rows.WriteString("," + cells[col])
			}
			rows.WriteString("\n")
		}
		res := readRecords(t, strings.NewReader(rows.String()), Mapping{}, Options{})
		if len(res.recs) != 2 {
			t.Fatalf("%s: %d records", hdr, len(res.recs))
		}
		for i, want := range []string{"", "Anna"} {
			if got := res.recs[i].Name.Given.Norm; got != want {
				t.Errorf("%s: record %d given name %q, want %q", hdr, i, got, want)
			}
		}
	}
}

// TestAddressOnOneLine checks that a whole address in the street column is
// read into its parts, and that a town column of the row's own keeps the
// line as written (one address, not two).
func TestAddressOnOneLine(t *testing.T) {
	res := readRecords(t, strings.NewReader("id,address\n1,\"12 High Street, London SW1A 1AA\"\n"), Mapping{}, Options{})
	if len(res.recs) != 1 || len(res.recs[0].Addresses) != 1 {
		t.Fatalf("records %+v", res.recs)
	}
	if a := res.recs[0].Addresses[0]; a.Street.Norm != "12 High Street" || a.Locality.Norm != "London" || a.Postcode.Norm != "SW1A 1AA" {
		t.Errorf("one-line address read as %+v", a)
	}
	res = readRecords(t, strings.NewReader("id,address,city\n1,\"12 High Street, London SW1A 1AA\",London\n"), Mapping{}, Options{})
	if len(res.recs) != 1 || len(res.recs[0].Addresses) != 1 {
		t.Fatalf("with a town column: records %+v", res.recs)
	}
	if a := res.recs[0].Addresses[0]; a.Postcode.Norm != "" || a.Locality.Norm != "London" {
		t.Errorf("with a town column: %+v", a)
	}
}
