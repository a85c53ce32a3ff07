package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/unifyhq/unify/internal/synth"
)

// BenchmarkRun measures the whole command (read, resolve, write) on
// FEBRL4 and on synthetic six-source data of 100,000 records generated on
// the spot (examples/generate's defaults). Run on demand:
//
//	go test -run XXX -bench Run -benchtime 1x -benchmem ./examples/dedupe
//
// records/s counts input records per second of the whole run.
func BenchmarkRun(b *testing.B) {
	b.Run("febrl4", func(b *testing.B) {
		benchRun(b, 10000, testdata+"/febrl4a.csv", testdata+"/febrl4b.csv")
	})
	b.Run("synth_100k", func(b *testing.B) {
		files, _ := writeSynth(b, 100_000)
		benchRun(b, 100_000, files...)
	})
}

// writeSynth writes examples/generate's default sources of n records, with
// no events, to a temporary directory, and returns the source files and
// the truth file.
func writeSynth(tb testing.TB, n int) (files []string, truth string) {
	tb.Helper()
	dir := tb.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Records = n
	cfg.EventsPerPerson = 0
	if _, err := synth.GenerateDir(context.Background(), cfg, dir, synth.CSV); err != nil {
		tb.Fatal(err)
	}
	for _, s := range cfg.Sources {
		files = append(files, filepath.Join(dir, s.Name+".csv"))
	}
	return files, filepath.Join(dir, "truth.csv")
}

func benchRun(b *testing.B, records int, files ...string) {
	out := filepath.Join(b.TempDir(), "out.csv")
	args := append([]string{"-quiet", "-out", out}, files...)
	b.ResetTimer()
	for b.Loop() {
		if code := run(context.Background(), args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	if _, err := os.Stat(out); err != nil {
		b.Fatal(err)
	}
}
