package synth

import (
	"context"
	"io"
	"testing"
)

func benchGenerate(b *testing.B, records int, format Format) {
	cfg := DefaultConfig()
	cfg.Records = records
	for b.Loop() {
		w, err := NewWriter(format, cfg.Sources, func(string) (io.Writer, error) { return io.Discard, nil })
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Generate(context.Background(), cfg, w); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*records), "ns/record")
}

// BenchmarkGenerate measures generation with events, written as CSV to
// io.Discard. On demand, -bench 'Generate/1M' gives the 1,000,000-record
// figure.
func BenchmarkGenerate(b *testing.B) {
	b.Run("100k/csv", func(b *testing.B) { benchGenerate(b, 100_000, CSV) })
	b.Run("100k/jsonl", func(b *testing.B) { benchGenerate(b, 100_000, JSONL) })
	b.Run("1M/csv", func(b *testing.B) {
		if testing.Short() {
			b.Skip("1M records: run without -short")
		}
		benchGenerate(b, 1_000_000, CSV)
	})
}

// BenchmarkGenerateNoSink isolates generation from formatting.
func BenchmarkGenerateNoSink(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Records = 100_000
	for b.Loop() {
		if _, err := Generate(context.Background(), cfg, SinkFuncs{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cfg.Records), "ns/record")
}
