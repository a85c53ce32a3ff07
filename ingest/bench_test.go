package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/unifyhq/unify/internal/synth"
	"github.com/unifyhq/unify/profile"
)

// febrlInput returns febrl4a.csv's rows repeated copies times with keys
// made unique, so that the default duplicate check accepts them all.
func febrlInput(tb testing.TB, copies int) ([]byte, int) {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "febrl4a.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	header, body, _ := strings.Cut(text, "\n")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	var b bytes.Buffer
	b.WriteString(header + "\n")
	for c := range copies {
		for _, l := range lines {
			key, rest, _ := strings.Cut(l, ",")
			fmt.Fprintf(&b, "%s-%d,%s\n", key, c, rest)
		}
	}
	return b.Bytes(), copies * len(lines)
}

// BenchmarkCSVFEBRL measures CSV -> mapped, normalized records on
// FEBRL-shaped rows (auto-mapping, default normalizer, duplicate check on).
// One op is one pass over 20,000 rows; see the rows/s, rows/cpu-s and
// allocs/row metrics. Run with -cpu 1 for the one-core figure:
//
//	go test ./ingest -run '^$' -bench CSVFEBRL -benchtime 20x -cpu 1
func BenchmarkCSVFEBRL(b *testing.B) {
	benchRecords(b, Options{})
}

// BenchmarkCSVFEBRLNoDupCheck is the same without duplicate tracking.
func BenchmarkCSVFEBRLNoDupCheck(b *testing.B) {
	benchRecords(b, Options{Duplicates: NoDuplicateCheck})
}

func benchRecords(b *testing.B, o Options) {
	in, rows := febrlInput(b, 4)
	ctx := context.Background()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	cpu0 := processCPU()
	for b.Loop() {
		src, err := NewSource(bytes.NewReader(in), Mapping{Source: "febrl"}, o)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, err := range src.Records(ctx) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != rows {
			b.Fatalf("%d records, want %d", n, rows)
		}
	}
	b.StopTimer()
	cpu := processCPU() - cpu0
	runtime.ReadMemStats(&ms1)
	total := float64(b.N) * float64(rows)
	b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
	if cpu > 0 {
		// Rows per second of CPU used by the whole process (GC included):
		// what one core does, whatever else the machine runs.
		b.ReportMetric(total/cpu.Seconds(), "rows/cpu-s")
	}
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/total, "allocs/row")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/total, "B/row")
}

// BenchmarkCSVScan measures the CSV scanner alone (no mapping, no
// normalization) on the same rows.
func BenchmarkCSVScan(b *testing.B) {
	in, rows := febrlInput(b, 4)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		st, err := openStream(bytes.NewReader(in), "s", mustDefaults(b, Options{}))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, rej, err := st.next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil || rej != nil {
				b.Fatal(err, rej)
			}
			n++
		}
		if n != rows {
			b.Fatal(n)
		}
	}
	b.ReportMetric(float64(b.N)*float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkJSONLFEBRL reads the same rows as JSON Lines.
func BenchmarkJSONLFEBRL(b *testing.B) {
	in, rows := febrlInput(b, 1)
	var jb bytes.Buffer
	lines := strings.Split(strings.TrimSpace(string(in)), "\n")
	header := strings.Split(lines[0], ", ")
	for _, l := range lines[1:] {
		vals := strings.Split(l, ", ")
		jb.WriteByte('{')
		for i, h := range header {
			if i > 0 {
				jb.WriteByte(',')
			}
			v := ""
			if i < len(vals) {
				v = vals[i]
			}
			fmt.Fprintf(&jb, "%q:%q", strings.TrimPrefix(h, ","), strings.TrimPrefix(v, ","))
		}
		jb.WriteString("}\n")
	}
	data := jb.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		src, _ := NewSource(bytes.NewReader(data), Mapping{Source: "febrl", Key: "rec_id"}, Options{})
		n := 0
		for _, err := range src.Records(context.Background()) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != rows {
			b.Fatal(n, rows)
		}
	}
	b.ReportMetric(float64(b.N)*float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCSVSynthetic reads the synthetic generator's CRM and web-shop
// exports of 100,000 records (about 45,000 rows, most with a phone number,
// written in national form and placed by the row's country), one file
// after the other, keeping the records as a consumer would. One op is one
// pass over both. The sub-benchmarks set Options.Workers: 1 reads and
// normalizes on the ranging goroutine alone; 0 is the default, GOMAXPROCS
// workers:
//
//	go test ./ingest -run '^$' -bench CSVSynthetic -benchtime 10x -count 3
func BenchmarkCSVSynthetic(b *testing.B) {
	synthOnce.Do(func() { synthFiles, synthErr = synthExports(b.TempDir()) })
	if synthErr != nil {
		b.Fatal(synthErr)
	}
	for _, workers := range []int{1, 0} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			runtime.GC()
			ctx := context.Background()
			rows := 0
			var kept []*profile.Record
			for b.Loop() {
				kept = kept[:0]
				for i, data := range synthFiles {
					src, err := NewSource(bytes.NewReader(data), Mapping{Source: fmt.Sprint(i)}, Options{Workers: workers})
					if err != nil {
						b.Fatal(err)
					}
					for rec, err := range src.Records(ctx) {
						if err != nil {
							b.Fatal(err)
						}
						kept = append(kept, rec)
					}
				}
				rows = len(kept)
			}
			b.ReportMetric(float64(b.N)*float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

var (
	synthOnce  sync.Once
	synthFiles [][]byte
	synthErr   error
)

// synthExports generates 100,000 records' worth of synthetic exports in
// dir and returns the CRM's and the web shop's, once per test binary.
func synthExports(dir string) ([][]byte, error) {
	cfg := synth.DefaultConfig()
	cfg.Records = 100_000
	if _, err := synth.GenerateDir(context.Background(), cfg, dir, synth.CSV); err != nil {
		return nil, err
	}
	var files [][]byte
	for _, name := range []string{"crm.csv", "webshop.csv"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		files = append(files, data)
	}
	return files, nil
}
