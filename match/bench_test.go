package match

import (
	"context"
	"testing"

	"github.com/unifyhq/unify/profile"
)

func loadFEBRL4(b testing.TB) []*profile.Record {
	a, _ := loadCSV(b, "../testdata/febrl4a.csv", "febrl4a")
	c, _ := loadCSV(b, "../testdata/febrl4b.csv", "febrl4b")
	return append(a, c...)
}

// BenchmarkScorePair scores FEBRL4 candidate pairs (a mix of matches and
// non-matches) one at a time: the per-pair cost of comparison and scoring.
func BenchmarkScorePair(b *testing.B) {
	recs := loadFEBRL4(b)
	m, err := Train(context.Background(), recs, Settings{})
	if err != nil {
		b.Fatal(err)
	}
	ps := m.PrepareAll(recs)
	pairs, _ := m.Blocker().Block(ps)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		p := pairs[i%len(pairs)]
		m.Score(ps[p[0]], ps[p[1]])
		i++
	}
}

// BenchmarkLinksFEBRL4 blocks and scores all FEBRL4 candidate pairs on all
// cores (preparation excluded), and reports pairs per second.
func BenchmarkLinksFEBRL4(b *testing.B) {
	recs := loadFEBRL4(b)
	m, err := Train(context.Background(), recs, Settings{})
	if err != nil {
		b.Fatal(err)
	}
	ps := m.PrepareAll(recs)
	b.ReportAllocs()
	b.ResetTimer()
	var pairs int64
	for b.Loop() {
		_, d, err := m.Links(context.Background(), ps, 0.5)
		if err != nil {
			b.Fatal(err)
		}
		pairs += d.Pairs
	}
	b.ReportMetric(float64(pairs)/b.Elapsed().Seconds(), "pairs/s")
}

// BenchmarkTrainFEBRL4 measures unsupervised training on 10,000 records.
func BenchmarkTrainFEBRL4(b *testing.B) {
	recs := loadFEBRL4(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(context.Background(), recs, Settings{RandomPairs: 1_000_000}); err != nil {
			b.Fatal(err)
		}
	}
}
