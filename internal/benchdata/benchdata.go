// Package benchdata loads the benchmark data sets in testdata/ (FEBRL and
// Splink's fake_1000) through the real ingest pipeline, with their ground
// truth, for tests and benchmarks across the module.
package benchdata

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/unifyhq/unify/ingest"
	"github.com/unifyhq/unify/match/eval"
	"github.com/unifyhq/unify/profile"
)

// Set is a benchmark data set: its files, each read as one source.
type Set struct {
	Name  string
	Files []string // base names under testdata/
}

// Sets are the benchmark data sets shipped in testdata/.
var Sets = []Set{
	{Name: "febrl1", Files: []string{"febrl1.csv"}},
	{Name: "febrl4", Files: []string{"febrl4a.csv", "febrl4b.csv"}},
	{Name: "fake_1000", Files: []string{"fake_1000.csv"}},
}

// Dir returns the module's testdata directory.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata")
}

// Load reads a set through ingest with automatic mapping, and returns the
// records and the truth. The source of each file is its base name without
// extension. Truth comes from FEBRL's rec_id ("rec-12-dup-0" is person 12)
// or from fake_1000's cluster column, which is dropped from the records so
// it cannot leak into matching.
func Load(ctx context.Context, s Set) ([]*profile.Record, eval.Truth, error) {
	var recs []*profile.Record
	truth := eval.Truth{}
	for _, name := range s.Files {
		f, err := os.Open(filepath.Join(Dir(), name))
		if err != nil {
			return nil, nil, err
		}
		source := strings.TrimSuffix(name, filepath.Ext(name))
		src, err := ingest.NewSource(f, ingest.Mapping{Source: source}, ingest.Options{})
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		for rec, err := range src.Records(ctx) {
			if err != nil {
				f.Close()
				return nil, nil, fmt.Errorf("benchdata: %s: %w", name, err)
			}
			if c, ok := rec.Attrs["cluster"]; ok {
				truth[rec.Ref()] = c
				delete(rec.Attrs, "cluster")
			} else if parts := strings.Split(rec.Key, "-"); len(parts) >= 3 && parts[0] == "rec" {
				truth[rec.Ref()] = parts[1]
			} else {
				f.Close()
				return nil, nil, fmt.Errorf("benchdata: %s: no truth for record %q", name, rec.Key)
			}
			recs = append(recs, rec)
		}
		f.Close()
	}
	return recs, truth, nil
}
