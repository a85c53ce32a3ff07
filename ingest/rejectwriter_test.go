package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/unifyhq/unify/profile"
)

func TestRejectWriter(t *testing.T) {
	rj := &Reject{Source: "s", Line: 7, Offset: 99, Column: "name", Reason: ErrInvalidUTF8, Raw: "1,a\n\"b\"", RawTruncated: true}
	w := Warning{Source: "s", Line: 8, Column: "dob", Field: profile.FieldBirthDate, Raw: "1980-13-01", Err: profile.ErrInvalidDate}
	var cb, jb bytes.Buffer
	for _, f := range []struct {
		buf *bytes.Buffer
		fmt RejectFormat
	}{{&cb, RejectsCSV}, {&jb, RejectsJSONL}} {
		rw := NewRejectWriter(f.buf, f.fmt)
		if err := rw.Write(rj); err != nil {
			t.Fatal(err)
		}
		if err := rw.WriteWarning(w); err != nil {
			t.Fatal(err)
		}
		if rw.WriteError(errors.New("not a reject")) || !rw.WriteError(rj) {
			t.Fatal("WriteError must take only rejects")
		}
		if err := rw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := csv.NewReader(&cb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[1][8] != rj.Raw || rows[1][9] != "true" || rows[2][0] != "warning" || rows[2][5] != "birth_date" {
		t.Fatalf("csv rows %q", rows)
	}
	lines := strings.Split(strings.TrimSpace(jb.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("jsonl %q", jb.String())
	}
	var got rejectLine
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	if got.Raw != rj.Raw || got.Line != 7 || got.Column != "name" || !got.RawTruncated || got.Reason != ErrInvalidUTF8.Error() {
		t.Fatalf("jsonl reject %+v", got)
	}
}
