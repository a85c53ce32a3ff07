package sqlitestore_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/examples/sqlite/sqlitestore"
	"github.com/unifyhq/unify/profile"
)

// tenThousand is FEBRL1 ten times over under distinct keys: 10,000 real
// records.
func tenThousand(b *testing.B) []*profile.Record {
	base := readFebrl1(b)
	out := make([]*profile.Record, 0, 10*len(base))
	for i := range 10 {
		for _, r := range base {
			c := r.Clone()
			c.Key = fmt.Sprintf("%s/%d", r.Key, i)
			out = append(out, c)
		}
	}
	return out
}

func openBench(b *testing.B, opts sqlitestore.Options) *sqlitestore.Store {
	b.Helper()
	s, err := sqlitestore.OpenWith(ctx, filepath.Join(b.TempDir(), "bench.db"), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkPutRecords10k inserts 10,000 records into an empty store in one
// call (one transaction, one prepared statement).
func BenchmarkPutRecords10k(b *testing.B) {
	recs := tenThousand(b)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := openBench(b, sqlitestore.Options{})
		b.StartTimer()
		if err := s.PutRecords(ctx, recs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(recs)*b.N)/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkGetRecord(b *testing.B) {
	recs := tenThousand(b)
	s := openBench(b, sqlitestore.Options{})
	if err := s.PutRecords(ctx, recs); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.GetRecord(ctx, recs[i%len(recs)].Ref()); err != nil {
			b.Fatal(err)
		}
		i += 7919
	}
}

// BenchmarkLookup looks up a blocking key that holds 10 records.
func BenchmarkLookup(b *testing.B) {
	s := openBench(b, sqlitestore.Options{})
	err := s.Tx(ctx, func(tx unify.Store) error {
		for i := range 10000 {
			if err := tx.SetKeys(ctx, profile.Ref{Source: "s", Key: fmt.Sprint(i)}, []string{fmt.Sprint("k", i%1000), fmt.Sprint("x", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		refs, err := s.Lookup(ctx, fmt.Sprint("k", i%1000))
		if err != nil || len(refs) != 10 {
			b.Fatal(len(refs), err)
		}
		i++
	}
}

// BenchmarkRecords10k streams 10,000 records.
func BenchmarkRecords10k(b *testing.B) {
	recs := tenThousand(b)
	s := openBench(b, sqlitestore.Options{})
	if err := s.PutRecords(ctx, recs); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range s.Records(ctx) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != len(recs) {
			b.Fatal(n)
		}
	}
	b.ReportMetric(float64(len(recs)*b.N)/b.Elapsed().Seconds(), "records/s")
}

// resolvedFebrl1 returns the path of a file holding FEBRL1 resolved by an
// engine.
func resolvedFebrl1(b *testing.B, opts sqlitestore.Options) string {
	path := filepath.Join(b.TempDir(), "febrl1.db")
	s, err := sqlitestore.OpenWith(ctx, path, opts)
	if err != nil {
		b.Fatal(err)
	}
	e, err := unify.New(ctx, unify.Options{Store: s})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.Add(ctx, readFebrl1(b)...); err != nil {
		b.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkEngineReopen opens a store and an engine on a file holding
// FEBRL1 (1,000 records, their links and the model), as a service does at
// start.
func BenchmarkEngineReopen(b *testing.B) {
	path := resolvedFebrl1(b, sqlitestore.Options{})
	b.ReportAllocs()
	for b.Loop() {
		s, err := sqlitestore.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		e, err := unify.New(ctx, unify.Options{Store: s})
		if err != nil || e.Len() != 1000 {
			b.Fatal(e.Len(), err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEngineAdd adds one record at a time to an engine on FEBRL1
// (matched incrementally, written in the engine's transactions), with the
// default durable commits, with LazySync, and on unify.MemoryStore for a
// baseline of the engine's own work.
func BenchmarkEngineAdd(b *testing.B) {
	run := func(b *testing.B, st unify.Store) {
		e, err := unify.New(ctx, unify.Options{Store: st})
		if err != nil {
			b.Fatal(err)
		}
		base := readFebrl1(b)
		if e.Len() == 0 {
			if _, err := e.Add(ctx, base...); err != nil {
				b.Fatal(err)
			}
			if _, err := e.Resolve(ctx, false); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			r := base[i%len(base)].Clone()
			r.Key = fmt.Sprint("copy-", i)
			if _, err := e.Add(ctx, r); err != nil {
				b.Fatal(err)
			}
			i++
		}
	}
	for _, lazy := range []bool{false, true} {
		b.Run(fmt.Sprint("LazySync=", lazy), func(b *testing.B) {
			opts := sqlitestore.Options{LazySync: lazy}
			s, err := sqlitestore.OpenWith(ctx, resolvedFebrl1(b, opts), opts)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			run(b, s)
		})
	}
	b.Run("MemoryStore", func(b *testing.B) { run(b, unify.NewMemoryStore()) })
}

// BenchmarkEngineLoadResolve adds FEBRL1 to an empty engine and resolves
// it (training, scoring every candidate pair, clustering), on a SQLite
// file and on unify.MemoryStore for a baseline of the engine's own work.
func BenchmarkEngineLoadResolve(b *testing.B) {
	recs := readFebrl1(b)
	run := func(b *testing.B, newStore func(b *testing.B) unify.Store) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			st := newStore(b)
			b.StartTimer()
			e, err := unify.New(ctx, unify.Options{Store: st})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := e.Add(ctx, recs...); err != nil {
				b.Fatal(err)
			}
			if _, err := e.Resolve(ctx, false); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("SQLite", func(b *testing.B) {
		run(b, func(b *testing.B) unify.Store { return openBench(b, sqlitestore.Options{}) })
	})
	b.Run("MemoryStore", func(b *testing.B) {
		run(b, func(b *testing.B) unify.Store { return unify.NewMemoryStore() })
	})
}
