package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/unifyhq/unify/ingest"
	"github.com/unifyhq/unify/profile"
)

func TestGroupAndPlural(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {12345, "12,345"}, {1234567, "1,234,567"}, {-1000, "-1,000"}} {
		if got := group(c.n); got != c.want {
			t.Errorf("group(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	if plural(1, "row") != "1 row" || plural(0, "row") != "0 rows" || plural(2000, "row") != "2,000 rows" {
		t.Error("plural")
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.Int64().Draw(t, "n")
		s := group(n)
		back, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
		if err != nil || back != n {
			t.Fatalf("group(%d) = %q reads back as %d, %v", n, s, back, err)
		}
		for i, part := range strings.Split(strings.TrimPrefix(s, "-"), ",") {
			if i > 0 && len(part) != 3 || i == 0 && (len(part) < 1 || len(part) > 3) {
				t.Fatalf("group(%d) = %q: bad grouping", n, s)
			}
		}
	})
	for _, c := range []struct {
		d    time.Duration
		want string
	}{{1234567 * time.Nanosecond, "1ms"}, {2149 * time.Millisecond, "2.1s"}, {192400 * time.Millisecond, "3m12s"}} {
		if got := duration(c.d); got != c.want {
			t.Errorf("duration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// TestHeaderAgreesWithIngest checks the command's own header reading and
// column matching against ingest's, which reads the file for real: the
// header names must be the ones ingest reports, and a column the command
// thinks a file has must be one ingest accepts in a mapping (and one it
// thinks absent must make ingest fail with ErrUnknownColumn).
func TestHeaderAgreesWithIngest(t *testing.T) {
	name := rapid.OneOf(
		rapid.SampledFrom([]string{"id", "First Name", "first_name", "firstName", "e-mail", "E Mail", "zip", "Prénom", "a,b", `say "hi"`, "line\nbreak", "ß", "x"}),
		// ingest trims white space after a delimiter, so names start and
		// end with something else.
		rapid.StringMatching(`[A-Za-z_\-.,"é]([A-Za-z _\-.,"é]{0,8}[A-Za-z_\-.,"é])?`),
	)
	rapid.Check(t, func(t *rapid.T) {
		header := rapid.SliceOfNDistinct(name, 1, 6, rapid.ID).Draw(t, "header")
		col := rapid.OneOf(rapid.SampledFrom(header), name).Draw(t, "column")
		var b bytes.Buffer
		if rapid.Bool().Draw(t, "bom") {
			b.WriteString("\xef\xbb\xbf")
		}
		w := csv.NewWriter(&b)
		w.UseCRLF = rapid.Bool().Draw(t, "crlf")
		w.Write(header)
		row := make([]string, len(header))
		for i := range row {
			row[i] = "v" + strconv.Itoa(i)
		}
		w.Write(row)
		w.Flush()

		got, _, err := readHeader(bytes.NewReader(b.Bytes()), ',')
		if err != nil {
			t.Fatalf("readHeader: %v", err)
		}
		in := &input{format: ingest.FormatCSV, comma: ',', header: got}
		m := ingest.Mapping{Source: "s", KeyFromRowNumber: true, Columns: map[string]profile.Field{col: "attr:probe"}}
		src, err := ingest.NewSource(bytes.NewReader(b.Bytes()), m, ingest.Options{Format: ingest.FormatCSV})
		if err != nil {
			t.Fatal(err)
		}
		var readErr error
		for _, err := range src.Records(context.Background()) {
			if err != nil {
				readErr = err
				break
			}
		}
		rep := src.Report()
		if readErr == nil {
			var names []string
			for _, c := range rep.Columns {
				names = append(names, c.Name)
			}
			if !slices.Equal(names, got) {
				t.Fatalf("readHeader %q, ingest %q", got, names)
			}
		}
		unknown := errors.Is(readErr, ingest.ErrUnknownColumn)
		if in.has(col) == unknown {
			t.Fatalf("has(%q) = %v in %q, ingest says %v", col, in.has(col), got, readErr)
		}
		if readErr != nil && !unknown && !errors.Is(readErr, ingest.ErrMapping) {
			t.Fatalf("ingest: %v", readErr)
		}
	})
}

// FuzzRun runs the whole command on arbitrary CSV input and checks it
// against ingest read directly: the command must not panic, must exit 0
// or 2, and on success write exactly the records ingest accepts (keyed by
// row number when no column can be the key), sorted, each with a profile.
func FuzzRun(f *testing.F) {
	for _, seed := range []string{
		"id,first_name,surname,email\n1,ann,lee,ann@x.com\n2,ann,lee,ann@x.com\n3,bob,ray,\n",
		"\xef\xbb\xbfid, given_name, surname\r\n1, \"ann\", lee\r\n2,ann\r\n",
		"first_name,email\nann,a@x.com\nann,a@x.com\n",
		"id,dob,phone\n1,19991399,n/a\n1,2001-02-03,+44 20 7946 0958\n,1,2\n",
		"id,name\n1,\"unterminated\n",
		"",
		"id\n",
		"a,b,c\n\"x\"y,1,2\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		dir := t.TempDir()
		path := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runArgs(t, "-quiet", path)
		switch r.code {
		case 0:
		case exitUsage:
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "dedupe: ") {
				t.Fatalf("exit 2 without a one-line error: %q", r.stderr)
			}
			return
		default:
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		want := acceptedRefs(t, data, false)
		if want == nil {
			want = acceptedRefs(t, data, true)
		}
		rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		if err != nil || len(rows) == 0 {
			t.Fatalf("output: %v %q", err, r.stdout)
		}
		var got []profile.Ref
		for _, row := range rows[1:] {
			if row[2] == "" {
				t.Fatalf("no profile for %q", row)
			}
			got = append(got, profile.Ref{Source: row[0], Key: row[1]})
		}
		slices.SortFunc(want, profile.Ref.Compare)
		if !slices.Equal(got, want) {
			t.Fatalf("output records %v, ingest accepts %v", got, want)
		}
	})
}

// acceptedRefs reads data with ingest alone and returns the references of
// the records it accepts; nil when reading fails before any row (such as
// no key column).
func acceptedRefs(t *testing.T, data string, rowKeys bool) []profile.Ref {
	src, err := ingest.NewSource(strings.NewReader(data), ingest.Mapping{Source: "in", KeyFromRowNumber: rowKeys}, ingest.Options{Format: ingest.FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	refs := []profile.Ref{}
	for rec, err := range src.Records(context.Background()) {
		var rej *ingest.Reject
		if errors.As(err, &rej) {
			continue
		}
		if err != nil {
			if !rowKeys && len(refs) == 0 {
				return nil
			}
			t.Fatalf("ingest fails where the command succeeded: %v", err)
		}
		refs = append(refs, rec.Ref())
	}
	return refs
}
