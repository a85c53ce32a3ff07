package ingest

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/unifyhq/unify/profile"
)

// fuzzLimits keeps fuzz inputs exercising the length checks.
var fuzzLimits = Options{MaxFieldBytes: 64, MaxRowBytes: 256, MaxColumns: 16}

// checkStream reads a stream and checks what must hold on any input: no
// panic, a reconciled report, non-empty keys, positioned rejects with a
// known reason, and at most one fatal error, last.
func checkStream(t *testing.T, src *Source) (recs []*profile.Record, rejects []*Reject, fatal error) {
	t.Helper()
	for rec, err := range src.Records(context.Background()) {
		if fatal != nil {
			t.Fatalf("value after fatal error %v", fatal)
		}
		var rj *Reject
		switch {
		case errors.As(err, &rj):
			if rj.Line < 1 || rj.Reason == nil || reasonName(rj.Reason, rejectSentinels) == "" {
				t.Fatalf("bad reject %#v", rj)
			}
			known := false
			for _, s := range rejectSentinels {
				known = known || errors.Is(rj, s)
			}
			if !known {
				t.Fatalf("reject with unknown reason: %v", rj)
			}
			rejects = append(rejects, rj)
		case err != nil:
			var re *ReadError
			if !errors.As(err, &re) || re.Line < 1 {
				t.Fatalf("fatal error %v is not a positioned *ReadError", err)
			}
			fatal = err
		default:
			if rec.Key == "" || strings.TrimSpace(rec.Key) != rec.Key {
				t.Fatalf("record key %q", rec.Key)
			}
			recs = append(recs, rec)
		}
	}
	rep := src.Report()
	if !rep.Reconciled() || rep.Accepted != int64(len(recs)) || rep.Rejected != int64(len(rejects)) || !rep.Done {
		t.Fatalf("report %d read = %d + %d, done %v; stream %d records, %d rejects", rep.RowsRead, rep.Accepted, rep.Rejected, rep.Done, len(recs), len(rejects))
	}
	return recs, rejects, fatal
}

var csvSeeds = []string{
	"rec_id, given_name, surname, date_of_birth\nrec-1-org, ann, lee, 19800101\nrec-1-dup-0, anne, lee, 19800101\n",
	"id,name\r\n1,\"a,b\"\r\n2,\"x\ny\"\r\n",
	"\ufeffid;email\n1;a@acme.io\n",
	"id,name\n1,a\"b\n2,\"c\"d\n3\n,4\n1,dup\n",
	"id,name\n1,\"unterminated\n",
	"id,name,dob\n1,a,1980-01-01\n2,b",
	"id\n\xff\n",
}

// sepLineRE matches Excel's delimiter line, for the second implementation.
var sepLineRE = regexp.MustCompile(`^(?i:sep=)[,;\t|](\r\n|\n|\r|$)`)

func FuzzCSV(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add(s, false)
	}
	f.Add("sep=,\r\nid,name\r\n1,Ann\r\n", false)
	f.Add("sep=;\nid;name\n", true)
	f.Fuzz(func(t *testing.T, in string, lazy bool) {
		o := fuzzLimits
		o.Format, o.LazyQuotes = FormatCSV, lazy
		src, err := NewSource(strings.NewReader(in), Mapping{Source: "f"}, o)
		if err != nil {
			t.Fatal(err)
		}
		checkStream(t, src)
		checkWorkersAgree(t, in, Mapping{Source: "f"}, o, 0)

		// Second implementation: on input encoding/csv reads cleanly, every
		// data row is read, and each value lands on its record unchanged.
		o.Duplicates = NoDuplicateCheck
		o.MaxFieldBytes, o.MaxRowBytes = 1<<20, 1<<20
		o.Comma = ',' // the second implementation reads with ','; detection is tested apart
		src, err = NewSource(strings.NewReader(in), Mapping{Source: "f", KeyFromRowNumber: true, NoAuto: true}, o)
		if err != nil {
			t.Fatal(err)
		}
		recs, rejects, fatal := checkStream(t, src)
		stdIn := strings.TrimPrefix(in, "\ufeff")
		if m := sepLineRE.FindString(stdIn); m != "" {
			stdIn = stdIn[len(m):] // Excel's delimiter line is not a row
		}
		std := csv.NewReader(strings.NewReader(stdIn))
		std.FieldsPerRecord, std.TrimLeadingSpace, std.LazyQuotes = -1, true, lazy
		all, err := std.ReadAll()
		if err != nil || len(all) == 0 || fatal != nil {
			return
		}
		header := all[0]
		rep := src.Report()
		if rep.RowsRead != int64(len(all)-1) {
			t.Fatalf("read %d rows, encoding/csv %d", rep.RowsRead, len(all)-1)
		}
		var good [][]string
		for _, row := range all[1:] {
			if len(row) == len(header) && validUTF8(row) {
				good = append(good, row)
			}
		}
		if len(good) != len(recs) || len(rejects) != len(all)-1-len(good) {
			t.Fatalf("%d records, %d rejects; encoding/csv has %d good rows of %d", len(recs), len(rejects), len(good), len(all)-1)
		}
		for i, rec := range recs {
			for c, col := range rep.Columns {
				name, _ := col.Field.AttrName()
				v, ok := rec.Attrs[name]
				want := good[i][c]
				if strings.TrimSpace(want) == "" {
					if ok {
						t.Fatalf("row %d column %d: blank value stored as %q", i, c, v)
					}
				} else if v != want {
					t.Fatalf("row %d column %d: %q, encoding/csv %q", i, c, v, want)
				}
			}
		}
	})
}

func validUTF8(row []string) bool {
	for _, v := range row {
		if !utf8.ValidString(v) {
			return false
		}
	}
	return true
}

var jsonlSeeds = []string{
	"{\"id\":1,\"first_name\":\"Ann\",\"emails\":[\"a@acme.io\",\"b@acme.io\"]}\n{\"id\":2,\"address\":{\"city\":\"X\"}}\n",
	"{\"id\":1}\n{bad\n\n{\"id\":1}\n[1]\n",
	"{\"id\":1,\"n\":null,\"b\":true,\"x\":1e3}",
	"{\"id\":\"\xff\"}\n",
	"{\"id\":1}\n{\"id\":2,",
}

func FuzzJSONL(f *testing.F) {
	for _, s := range jsonlSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		o := fuzzLimits
		o.Format = FormatJSONLines
		src, err := NewSource(strings.NewReader(in), Mapping{Source: "f", Key: "id"}, o)
		if err != nil {
			t.Fatal(err)
		}
		checkStream(t, src)
		checkWorkersAgree(t, in, Mapping{Source: "f", Key: "id"}, o, 0)
	})
}

func FuzzJSONArray(f *testing.F) {
	for _, s := range []string{
		"[{\"id\":1,\"first_name\":\"Ann\"},{\"id\":2,\"tags\":[1,[2]]}]",
		"[ ]", "[1, \"x\", {\"id\":3}]", "[{\"id\":1}", "[{\"id\":1}}]", "{}", "[{\"id\":\"a\\\"]\"}]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		o := fuzzLimits
		o.Format = FormatJSONArray
		src, err := NewSource(strings.NewReader(in), Mapping{Source: "f", Key: "id"}, o)
		if err != nil {
			t.Fatal(err)
		}
		checkStream(t, src)
		checkWorkersAgree(t, in, Mapping{Source: "f", Key: "id"}, o, 0)
	})
}

func FuzzEventsCSV(f *testing.F) {
	for _, s := range []string{
		"order_id,customer_id,total,currency,created_at\no1,C1,12.50,EUR,2024-03-15 14:30:00\no2,,1,EUR,2024-01-01\n",
		"customer_id,type,time,amount\nc,visit,1710513000,\nc,,2024-01-01,(3.50)\nc,x,never,1\nc,x,2024-01-01,€1.234,5\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		o := fuzzLimits
		o.Format = FormatCSV
		src, err := NewEventSource(strings.NewReader(in), EventMapping{Source: "f"}, o)
		if err != nil {
			t.Fatal(err)
		}
		n, rejected := 0, 0
		var fatal error
		for ev, err := range src.Events(context.Background()) {
			var rj *Reject
			switch {
			case errors.As(err, &rj):
				rejected++
			case err != nil:
				fatal = err
			default:
				if ev.Record.Key == "" || ev.Time.IsZero() || ev.Type == "" || ev.Amount < 0 {
					t.Fatalf("bad event %+v", ev)
				}
				n++
			}
		}
		_ = fatal
		rep := src.Report()
		if !rep.Reconciled() || rep.Accepted != int64(n) || rep.Rejected != int64(rejected) {
			t.Fatalf("report %+v; stream %d events, %d rejects", rep, n, rejected)
		}
	})
}

// A reader that fails must end the stream with a positioned error, never a
// panic or a silent end: checked on every seed with a failure after k bytes.
func TestReadersSurviveIOErrors(t *testing.T) {
	fail := errors.New("boom")
	for _, seeds := range [][]string{csvSeeds, jsonlSeeds} {
		for _, s := range seeds {
			for k := 0; k <= len(s); k++ {
				r := io.MultiReader(strings.NewReader(s[:k]), &failReader{fail})
				src, _ := NewSource(r, Mapping{Source: "f", Key: "id", KeyFromRowNumber: false}, fuzzLimits)
				_, _, fatal := checkStream(t, src)
				if !errors.Is(fatal, fail) && fatal != nil {
					// Header and mapping problems may come first.
					var re *ReadError
					if !errors.As(fatal, &re) {
						t.Fatalf("prefix %q: %v", s[:k], fatal)
					}
				}
			}
		}
	}
}

type failReader struct{ err error }

func (f *failReader) Read([]byte) (int, error) { return 0, f.err }

// FuzzFlattenJSON compares flattenJSON with the encoding/json flattener it
// replaced (flattenJSONRef): the same pairs for every object, and for
// everything else both malformed, with the same verdict on whether the
// text ended inside a value.
func FuzzFlattenJSON(f *testing.F) {
	for _, s := range jsonlSeeds {
		for line := range strings.SplitSeq(s, "\n") {
			f.Add(line)
		}
	}
	for _, s := range []string{
		`{"id": 12.50, "ok": true, "no": false, "gone": null, "tags": ["a", 1, [2, {"x": "y"}]]}`,
		`{"e": "\u00e9\n\t\"\\\/\b\f\r", "s": "\ud83d\ude00", "lone": "\ud83d x", "low": "\ude00", "bad": "\u12G4"}`,
		`{"n": -0, "m": 1.5e+10, "k": 1E-3, "z": 0.0, "bad": 01}`, `{"n": -}`, `{"n": 1.}`, `{"n": 1e}`,
		`{"a":1}`, ` { } `, `{}x`, `{"a":tru}`, `{"a":nul`, `{"a":"b`, `{"a":"\`, `{"a":"\u12`,
		"{\"ctl\":\"a\x01b\"}", "{\"bad\":\"\xff\xfe\"}", "{\"k\xff\":1}", `{"a":[1,2,]}`, `{"a":[,]}`, `[]`, `"x"`, `7`,
		`{"a":{"b":{"c":[{"d":null}]}}}`, `{"a" : [ ] , "b" : { } }`, "", " ", `}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := flattenJSON([]byte(in), nil)
		want, werr := flattenJSONRef([]byte(in), nil)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: error %v, reference %v", in, err, werr)
		}
		if err != nil {
			if !errors.Is(err, ErrMalformedJSON) {
				t.Fatalf("%q: %v is not ErrMalformedJSON", in, err)
			}
			if errors.Is(err, errJSONEnd) != errors.Is(werr, errJSONEnd) {
				t.Fatalf("%q: end of text %v (%v), reference %v (%v)", in, errors.Is(err, errJSONEnd), err, errors.Is(werr, errJSONEnd), werr)
			}
			return
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%q:\n got  %q\n want %q", in, got, want)
		}
	})
}
