package ingest

import (
	"context"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// genReader produces FEBRL-shaped CSV on the fly, n bytes or a little more
// (it ends at a row boundary), so memory tests need no file.
type genReader struct {
	limit, done int64
	row         int
	buf         []byte
	off         int
}

func newGenReader(limit int64) *genReader {
	g := &genReader{limit: limit}
	g.buf = append(g.buf, "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n"...)
	return g
}

var genNames = []string{"michaela", "courtney", "jack", "isabella", "lachlan", "", "olivia", "zoe"}
var genStreets = []string{"stanley street", "pinkerton circuit", "giblin street", "tullaroop street", "", "kosciusko avenue"}

func (g *genReader) Read(p []byte) (int, error) {
	for g.off == len(g.buf) {
		if g.done >= g.limit {
			return 0, io.EOF
		}
		g.buf, g.off = g.buf[:0], 0
		for range 64 {
			i := g.row
			g.buf = append(g.buf, "rec-"...)
			g.buf = strconv.AppendInt(g.buf, int64(i), 10)
			g.buf = append(g.buf, "-org, "...)
			g.buf = append(g.buf, genNames[i%len(genNames)]...)
			g.buf = append(g.buf, ", "...)
			g.buf = append(g.buf, genNames[(i/7)%len(genNames)]...)
			g.buf = append(g.buf, ", "...)
			g.buf = strconv.AppendInt(g.buf, int64(i%200), 10)
			g.buf = append(g.buf, ", "...)
			g.buf = append(g.buf, genStreets[i%len(genStreets)]...)
			g.buf = append(g.buf, ", , st james, 4"...)
			g.buf = strconv.AppendInt(g.buf, int64(i%1000+100), 10)
			g.buf = append(g.buf, ", nsw, 19"...)
			g.buf = strconv.AppendInt(g.buf, int64(10+i%89), 10)
			g.buf = append(g.buf, "0"...)
			g.buf = strconv.AppendInt(g.buf, int64(1+i%9), 10)
			g.buf = append(g.buf, "1"...)
			g.buf = strconv.AppendInt(g.buf, int64(i%9), 10)
			g.buf = append(g.buf, ", "...)
			g.buf = strconv.AppendInt(g.buf, int64(1000000+i*7), 10)
			g.buf = append(g.buf, '\n')
			g.row++
		}
		g.done += int64(len(g.buf))
	}
	n := copy(p, g.buf[g.off:])
	g.off += n
	return n, nil
}

// TestFlatMemory streams a generated CSV of flatMemoryMB (50 MB; 8 MB under
// the race detector; set UNIFY_INGEST_FLAT_MB=1024 for the 1 GB run) and
// checks that the live heap does not grow with the input: with duplicate
// tracking off, the heap after the last row is within a few MB of the heap
// after the first tenth. Records are dropped by the consumer, as a
// streaming pipeline would.
func TestFlatMemory(t *testing.T) {
	mb := int64(50)
	if raceEnabled {
		mb = 8
	}
	if testing.Short() {
		mb = 4
	}
	if s := os.Getenv("UNIFY_INGEST_FLAT_MB"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v <= 0 {
			t.Fatalf("UNIFY_INGEST_FLAT_MB=%q", s)
		}
		mb = v
	}
	src, err := NewSource(newGenReader(mb<<20), Mapping{Source: "gen"}, Options{Duplicates: NoDuplicateCheck})
	if err != nil {
		t.Fatal(err)
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	// Rows of about 100 bytes: sample the heap ten times along the way.
	every := max(int(mb<<20)/100/10, 1)
	var first, peak uint64
	n := 0
	for rec, err := range src.Records(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		_ = rec
		n++
		if n%every == 0 {
			h := heap()
			if first == 0 {
				first = h
			}
			peak = max(peak, h)
		}
	}
	rep := src.Report()
	if !rep.Reconciled() || rep.Rejected != 0 || int64(n) != rep.Accepted {
		t.Fatalf("report: %d read, %d accepted, %d rejected", rep.RowsRead, rep.Accepted, rep.Rejected)
	}
	const slack = 8 << 20
	t.Logf("%d MB, %d rows: live heap %d KB after the first tenth, peak %d KB", mb, n, first>>10, peak>>10)
	if peak > first+slack {
		t.Fatalf("live heap grew from %d KB to %d KB while streaming %d MB", first>>10, peak>>10, mb)
	}
}

// TestDuplicateTrackingMemory measures the cost of the default duplicate
// check per distinct key, which the docs state (about 40 bytes a key).
func TestDuplicateTrackingMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("memory measurement")
	}
	ks := newKeySet(RejectDuplicates)
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	const n = 200_000
	for i := range n {
		ks.add("rec-" + strconv.Itoa(i) + "-org")
	}
	runtime.GC()
	runtime.ReadMemStats(&ms1)
	per := float64(ms1.HeapAlloc-ms0.HeapAlloc) / n
	t.Logf("duplicate tracking: %.1f bytes per key", per)
	if per > 64 || len(ks.m) != n {
		t.Fatalf("%.1f bytes per key (documented: about 40)", per)
	}
}
