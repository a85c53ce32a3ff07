package ingest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/unifyhq/unify/profile"
)

func TestFlattenJSON(t *testing.T) {
	in := `{"id": 12.50, "ok": true, "no": false, "gone": null, "tags": ["a", 1, [2, {"x": "y"}]],
		"customer": {"name": {"first": "Ann"}, "emails": []}, "e": "\u00e9\n", "n": 1e3}`
	got, err := flattenJSON([]byte(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{id 12.50} {ok true} {no false} {tags a} {tags 1} {tags 2} {tags.x y} {customer.name.first Ann} {e é
} {n 1e3}]`
	if fmt.Sprint(got) != want {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
	for _, bad := range []string{`[1]`, `"x"`, `{"a":}`, `{"a":1}{"b":2}`, `{"a":1,}`, `{`, `{"a" 1}`,
		strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100), `{"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}"} {
		if _, err := flattenJSON([]byte(bad), nil); !errors.Is(err, ErrMalformedJSON) {
			t.Errorf("flattenJSON(%.40q): %v, want ErrMalformedJSON", bad, err)
		}
	}
}

func TestJSONRejects(t *testing.T) {
	long := strings.Repeat("x", 200)
	tests := []struct {
		name   string
		in     string
		opts   Options
		keys   []string
		reason error
		lines  []int64
	}{
		{name: "malformed line", in: "{\"id\":1}\n{\"id\":2,}\n{\"id\":3}\n", keys: []string{"1", "3"}, reason: ErrMalformedJSON, lines: []int64{2}},
		{name: "not an object", in: "{\"id\":1}\n[1,2]\n\"x\"\n", keys: []string{"1"}, reason: ErrMalformedJSON, lines: []int64{2, 3}},
		{name: "invalid utf8", in: "{\"id\":1}\n{\"id\":2,\"name\":\"\xff\"}\n", keys: []string{"1"}, reason: ErrInvalidUTF8, lines: []int64{2}},
		{name: "missing key", in: "{\"id\":1}\n{\"name\":\"x\"}\n{\"id\":null}\n{\"id\":\"  \"}\n", keys: []string{"1"}, reason: ErrMissingKey, lines: []int64{2, 3, 4}},
		{name: "key list", in: "{\"id\":1}\n{\"id\":[2,3]}\n", keys: []string{"1"}, reason: ErrMissingKey, lines: []int64{2}},
		{name: "duplicate", in: "{\"id\":1}\n{\"id\":\"1\"}\n", keys: []string{"1"}, reason: ErrDuplicateKey, lines: []int64{2}},
		{name: "field too long", in: "{\"id\":1,\"n\":\"" + long + "\"}\n{\"id\":2}\n", opts: Options{MaxFieldBytes: 100}, keys: []string{"2"}, reason: ErrFieldTooLong, lines: []int64{1}},
		{name: "row too long", in: "{\"id\":1,\"n\":\"" + long + "\"}\n{\"id\":2}\n", opts: Options{MaxFieldBytes: 50, MaxRowBytes: 100}, keys: []string{"2"}, reason: ErrRowTooLong, lines: []int64{1}},
		{name: "array element", in: "[{\"id\":1},\n{\"id\":2,,},\n7,\n{\"id\":3}]", keys: []string{"1", "3"}, reason: ErrMalformedJSON, lines: []int64{2, 3}},
		{name: "array too long", in: "[{\"id\":1,\"n\":\"" + long + "\"},{\"id\":2}]", opts: Options{MaxFieldBytes: 50, MaxRowBytes: 100}, keys: []string{"2"}, reason: ErrRowTooLong, lines: []int64{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readRecords(t, strings.NewReader(tt.in), Mapping{}, tt.opts)
			if res.fatal != nil {
				t.Fatal(res.fatal)
			}
			var keys []string
			for _, r := range res.recs {
				keys = append(keys, r.Key)
			}
			if fmt.Sprint(keys) != fmt.Sprint(tt.keys) {
				t.Errorf("keys %v, want %v", keys, tt.keys)
			}
			if len(res.rejects) != len(tt.lines) {
				t.Fatalf("rejects %v, want lines %v", res.rejects, tt.lines)
			}
			for i, rj := range res.rejects {
				if !errors.Is(rj, tt.reason) || rj.Line != tt.lines[i] || rj.Raw == "" {
					t.Errorf("reject %v (raw %.30q): want %v on line %d", rj, rj.Raw, tt.reason, tt.lines[i])
				}
			}
		})
	}
}

func TestJSONExplicitKeyLater(t *testing.T) {
	// The mapping names a key the first object lacks: that object is
	// rejected, later ones are read; the report lists a never-seen entry.
	in := "{\"name\":\"Ann\"}\n{\"cust\":\"c2\",\"name\":\"Bob\"}\n"
	m := Mapping{Key: "cust", Columns: map[string]profile.Field{"loyalty": "id:loyalty"}}
	res := readRecords(t, strings.NewReader(in), m, Options{})
	if len(res.recs) != 1 || res.recs[0].Key != "c2" || res.recs[0].Name.Full.Raw != "Bob" || len(res.rejects) != 1 {
		t.Fatalf("records %v rejects %v", res.recs, res.rejects)
	}
	last := res.report.Columns[len(res.report.Columns)-1]
	if last.Name != "loyalty" || last.Index != -1 || last.Note != "never seen" {
		t.Fatalf("columns %+v", res.report.Columns)
	}
}

func TestJSONMaxColumns(t *testing.T) {
	var b strings.Builder
	for i := range 20 {
		fmt.Fprintf(&b, "{\"id\":%d,\"k%d\":\"v\",\"email\":\"a%d@acme.io\"}\n", i, i, i)
	}
	res := readRecords(t, strings.NewReader(b.String()), Mapping{}, Options{MaxColumns: 5})
	if len(res.recs) != 20 || len(res.report.Columns) != 5 || res.report.UntrackedKeys == 0 {
		t.Fatalf("%d records, %d columns, %d untracked", len(res.recs), len(res.report.Columns), res.report.UntrackedKeys)
	}
	last := res.recs[19]
	if last.Attrs["k19"] != "v" || len(last.Emails) != 1 {
		t.Fatalf("untracked keys must still be read: %+v", last)
	}
}

// TestJSONLateKeyFillsMissingField reads objects written by two versions of
// a schema: a key first seen in a later object, for a single-valued field
// an earlier key feeds, fills that field where the earlier key is missing,
// and an object that gives both keys keeps the first and warns when the
// second differs.
func TestJSONLateKeyFillsMissingField(t *testing.T) {
	in := `{"id":"1","givenName":"Ann","birthDate":"1980-02-03"}
{"id":"2","first":"Bob","dob":"1975-06-30"}
{"id":"3","givenName":"Cid","first":"Cid"}
{"id":"4","givenName":"Dee","first":"Eve"}
`
	res := readRecords(t, strings.NewReader(in), Mapping{}, Options{})
	if len(res.recs) != 4 {
		t.Fatalf("%d records, %d rejects", len(res.recs), len(res.rejects))
	}
	for i, want := range []string{"Ann", "Bob", "Cid", "Dee"} {
		if got := res.recs[i].Name.Given.Raw; got != want {
			t.Errorf("record %d: given name %q, want %q", i+1, got, want)
		}
	}
	if got := res.recs[1].BirthDate.Date; got != (profile.Date{Year: 1975, Month: 6, Day: 30}) {
		t.Errorf("record 2: birth date %v, want 1975-06-30 from the late key", got)
	}
	for _, r := range res.recs {
		if len(r.Attrs) > 0 {
			t.Errorf("record %s kept %v as attributes", r.Key, r.Attrs)
		}
	}
	if res.report.Warnings != 1 || len(res.report.WarningDetails) != 1 ||
		res.report.WarningDetails[0].Raw != "Eve" || !errors.Is(res.report.WarningDetails[0].Err, ErrMultipleValues) {
		t.Errorf("warnings %d: %v; want one ErrMultipleValues for \"Eve\"", res.report.Warnings, res.report.WarningDetails)
	}
	var notes int
	for _, c := range res.report.Columns {
		if c.Name == "first" || c.Name == "dob" {
			if c.Field == "" || !strings.Contains(c.Note, "fills it where") {
				t.Errorf("column %+v: want a mapped fallback with a note", c)
			}
			notes++
		}
	}
	if notes != 2 {
		t.Errorf("report columns %+v", res.report.Columns)
	}
}

// TestJSONLateKey checks a key-like name first seen after the first object:
// the records are numbered by row, and the column's note says why (it used
// to say "another column is the key" where there was none).
func TestJSONLateKey(t *testing.T) {
	in := `{"name":"Ann Lee","email":"ann@x.org"}` + "\n" + `{"id":"2","name":"Bob Roe","email":"bob@x.org"}` + "\n"
	res := readRecords(t, strings.NewReader(in), Mapping{KeyFromRowNumber: true}, Options{Format: FormatJSONLines})
	if len(res.recs) != 2 || res.recs[0].Key != "1" || res.recs[1].Key != "2" {
		t.Fatalf("records %v, want two numbered by row", res.recs)
	}
	for _, c := range res.report.Columns {
		if c.Name == "id" && !strings.Contains(c.Note, "missing from the first object") {
			t.Errorf("column id: note %q", c.Note)
		}
	}
}
