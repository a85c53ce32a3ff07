package match

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// tfTable builds valueFrequencies' input from holder counts: the table of
// values held by three or more records, and the total.
func tfTable(counts []int) (tf map[string]float64, total int) {
	for _, n := range counts {
		total += n
	}
	tf = map[string]float64{}
	for i, n := range counts {
		if n > 2 {
			tf[fmt.Sprint("v", i)] = float64(n-1) / float64(total-1)
		}
	}
	return tf, total
}

// TestValueFrequencies checks each value against the smaller of its two
// corrected frequencies, or its absence at the default.
func TestValueFrequencies(t *testing.T) {
	for _, tc := range []struct {
		name        string
		holders     int     // of the value checked
		scale, same float64 // u/agree, expected same-person holders
		want        float64 // other holders left, or 0 for the default
	}{
		// An email held by four records of one person: the share leaves
		// 0.9 of its three other holders, the count 0.6.
		{"one person's email", 4, 0.3, 2.4, 0.6},
		{"one person's email, all of it theirs", 4, 0.3, 3, 0},
		// A household email held by 40 records: the count leaves 36.6, the
		// share 11.7.
		{"shared email", 40, 0.3, 2.4, 11.7},
		// A common name: the share (0.95) and the count nearly agree.
		{"common name", 500, 0.95, 0.5, 474.05},
		{"no matches among agreeing pairs", 9, 1, 0, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			counts := []int{tc.holders}
			for range 1000 {
				counts = append(counts, 1, 2)
			}
			tf, total := tfTable(counts)
			def := tc.scale / float64(total-1)
			valueFrequencies(tf, def, total, tc.scale, tc.same)
			got, listed := tf["v0"]
			switch {
			case tc.want == 0 && listed:
				t.Errorf("frequency %.4g, want the default %.4g (not listed)", got, def)
			case tc.want > 0 && math.Abs(got*float64(total-1)-tc.want) > 1e-9:
				t.Errorf("other holders left %.4f (listed %v), want %.4f", got*float64(total-1), listed, tc.want)
			}
		})
	}
}

// TestValueFrequenciesProperties checks, for any holder counts and
// corrections, that no value's frequency rises above the share's estimate
// or falls to the default while listed, and that a value held by more
// records is never rarer than one held by fewer.
func TestValueFrequenciesProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		counts := rapid.SliceOfN(rapid.IntRange(1, 400), 1, 60).Draw(t, "counts")
		scale := rapid.Float64Range(0.001, 1).Draw(t, "scale")
		same := rapid.Float64Range(0, 6).Draw(t, "same")
		tf, total := tfTable(counts)
		if total < 2 {
			return
		}
		before := map[string]float64{}
		for v, f := range tf {
			before[v] = f
		}
		def := scale / float64(total-1)
		valueFrequencies(tf, def, total, scale, same)
		for v, f := range tf {
			if f <= def {
				t.Fatalf("%s: frequency %g at or below the default %g is listed", v, f, def)
			}
			if f > before[v]*scale*(1+1e-12) {
				t.Fatalf("%s: frequency %g above the share's %g", v, f, before[v]*scale)
			}
		}
		freq := func(v string) float64 {
			if f, ok := tf[v]; ok {
				return f
			}
			return def
		}
		for a, fa := range before {
			for b, fb := range before {
				if fa > fb && freq(a) < freq(b) {
					t.Fatalf("%s held by more records than %s but rarer: %g < %g", a, b, freq(a), freq(b))
				}
			}
		}
	})
}

// TestGroupRecords checks the sort-based grouping of the namesake samples
// against a map, with the real hash and with one that makes most keys
// collide.
func TestGroupRecords(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		names := rapid.SliceOfN(rapid.SampledFrom([]string{"", "ann", "bo", "cy", "anna", "b", "c"}), 0, 40).Draw(t, "names")
		ps := make([]*Prepared, len(names))
		for i, n := range names {
			ps[i] = &Prepared{given: n}
		}
		group := func(p *Prepared) string { return p.given }
		byKey := map[string][]int32{}
		for i, p := range ps {
			if p.given != "" {
				byKey[p.given] = append(byKey[p.given], int32(i))
			}
		}
		var want [][]int32
		for _, g := range byKey {
			if len(g) >= 2 {
				want = append(want, g)
			}
		}
		first := func(x, y []int32) int { return int(x[0]) - int(y[0]) }
		slices.SortFunc(want, first)
		for name, got := range map[string][][]int32{
			"maphash":   groupRecords(ps, group),
			"collision": groupRecordsHash(ps, group, func(k string) uint64 { return uint64(len(k)) }),
		} {
			slices.SortFunc(got, first)
			if !slices.EqualFunc(got, want, slices.Equal[[]int32]) {
				t.Fatalf("%s: sets %v, want %v", name, got, want)
			}
		}
	})
}
