package ingest

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unifyhq/unify/profile"
	"pgregory.net/rapid"
)

// readAll is everything a source gives its consumer: the stream's records
// and errors in order, the warnings as OnWarning saw them, and the report.
type readAll struct {
	Records  []*profile.Record
	Errs     []error
	Warnings []Warning
	Report   Report
}

// readWith reads in with the given number of workers, stopping after stop
// stream values when stop > 0.
func readWith(t fataler, in string, m Mapping, o Options, workers, stop int) readAll {
	t.Helper()
	var got readAll
	o.Workers = workers
	o.OnWarning = func(w Warning) { got.Warnings = append(got.Warnings, w) }
	src, err := NewSource(strings.NewReader(in), m, o)
	if err != nil {
		t.Fatalf("%v", err)
	}
	n := 0
	for rec, err := range src.Records(context.Background()) {
		if rec != nil {
			got.Records = append(got.Records, rec)
		}
		if err != nil {
			got.Errs = append(got.Errs, err)
		}
		if n++; n == stop {
			break
		}
	}
	got.Report = src.Report()
	return got
}

// equateErrors compares errors by their text: each read makes its own.
var equateErrors = cmp.Comparer(func(a, b error) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Error() == b.Error()
})

// checkWorkersAgree reads in on the ranging goroutine alone and with
// several workers: the parallel pipeline must give the same stream, the
// same warnings in the same order and the same report.
func checkWorkersAgree(t fataler, in string, m Mapping, o Options, stop int) {
	t.Helper()
	want := readWith(t, in, m, o, 1, stop)
	for _, w := range []int{2, 5} {
		got := readWith(t, in, m, o, w, stop)
		if diff := cmp.Diff(want, got, equateErrors); diff != "" {
			t.Fatalf("%d workers differ from one (-one +%d):\n%s", w, w, diff)
		}
	}
}

// TestWorkersAgree generates JSON Lines sources of up to 1500 rows (several
// of the pipeline's batches) with everything that is decided in input
// order: duplicate and missing keys, keys first seen late, keys past
// MaxColumns, lists for single-valued fields, bad values, bad lines. Read
// with one worker and with several, they must agree, to the end and when
// the consumer stops early.
func TestWorkersAgree(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 1500).Draw(t, "rows")
		extra := rapid.IntRange(0, 12).Draw(t, "extraKeys")
		seed := rapid.Uint64().Draw(t, "seed")
		var b strings.Builder
		for i := range n {
			x := seed ^ uint64(i)*0x9e3779b97f4a7c15
			pick := func(k uint64) uint64 { x = x*6364136223846793005 + 1442695040888963407; return (x >> 33) % k }
			switch pick(40) {
			case 0:
				b.WriteString("{bad json\n")
				continue
			case 1:
				b.WriteString(`{"first_name":"NoKey"}` + "\n")
				continue
			}
			id := i
			if pick(10) == 0 {
				id = int(pick(uint64(i + 1))) // a duplicate, most likely
			}
			fmt.Fprintf(&b, `{"id":"%d"`, id)
			switch pick(4) {
			case 0:
				b.WriteString(`,"first_name":["Ann","Anna"]`) // a list for a single-valued field
			case 1:
				fmt.Fprintf(&b, `,"first_name":"N%d"`, pick(50))
			}
			switch pick(3) {
			case 0:
				b.WriteString(`,"email":"not-an-email"`)
			case 1:
				fmt.Fprintf(&b, `,"email":"u%d@acme.io"`, pick(100))
			}
			if pick(3) == 0 {
				b.WriteString(`,"phone":"12","country":"GB"`)
			}
			if pick(4) == 0 {
				b.WriteString(`,"dob":"1980-02-31"`)
			}
			if extra > 0 {
				fmt.Fprintf(&b, `,"extra_%d":"v"`, pick(uint64(extra))) // late keys, some past MaxColumns
			}
			b.WriteString("}\n")
		}
		dups := rapid.SampledFrom([]DuplicateKeys{RejectDuplicates, LastWins, NoDuplicateCheck}).Draw(t, "dups")
		o := Options{Format: FormatJSONLines, MaxColumns: 8, MaxWarnings: 50, Duplicates: dups}
		m := Mapping{Source: "s", Key: "id"}
		stop := 0
		if rapid.Bool().Draw(t, "stopEarly") {
			stop = rapid.IntRange(1, n+1).Draw(t, "stop")
		}
		checkWorkersAgree(t, b.String(), m, o, stop)
	})
}

// blockingReader gives its data, then blocks until closed, as a socket
// with nothing more to say does.
type blockingReader struct {
	data   *strings.Reader
	closed chan struct{}
}

func (r *blockingReader) Read(p []byte) (int, error) {
	if r.data.Len() > 0 {
		return r.data.Read(p)
	}
	<-r.closed
	return 0, io.ErrClosedPipe
}

// TestStopEarlyDoesNotWaitForInput checks that a consumer that stops early
// gets control back while the read-ahead is blocked in a Read, and gets
// the report of what it was given.
func TestStopEarlyDoesNotWaitForInput(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,first_name\n")
	for i := range 600 {
		fmt.Fprintf(&b, "%d,Ann\n", i)
	}
	r := &blockingReader{data: strings.NewReader(b.String()), closed: make(chan struct{})}
	defer close(r.closed)
	src, err := NewSource(r, Mapping{Source: "s"}, Options{Format: FormatCSV, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan int)
	go func() {
		n := 0
		for _, err := range src.Records(context.Background()) {
			if err != nil {
				t.Error(err)
			}
			if n++; n == 10 {
				break
			}
		}
		done <- n
	}()
	select {
	case n := <-done:
		rep := src.Report()
		if n != 10 || rep.Accepted != 10 || rep.Done {
			t.Fatalf("stopped after %d records; report accepted %d, done %v", n, rep.Accepted, rep.Done)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Records did not return after the consumer stopped: it waits for a blocked Read")
	}
}
