package benchdata

import (
	"context"
	"testing"
)

func TestLoad(t *testing.T) {
	want := map[string]struct{ records, truePairs int64 }{
		"febrl1":    {1000, 500},
		"febrl4":    {10000, 5000},
		"fake_1000": {1000, 2031},
	}
	for _, s := range Sets {
		recs, truth, err := Load(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(recs)) != want[s.Name].records || len(truth) != len(recs) {
			t.Errorf("%s: %d records, %d truth labels", s.Name, len(recs), len(truth))
		}
		for _, r := range recs {
			if _, ok := r.Attrs["cluster"]; ok {
				t.Fatalf("%s: the truth column leaked into record %v", s.Name, r.Ref())
			}
		}
		tp := int64(0)
		count := map[string]int64{}
		for _, l := range truth {
			count[l]++
		}
		for _, n := range count {
			tp += n * (n - 1) / 2
		}
		if tp != want[s.Name].truePairs {
			t.Errorf("%s: %d true pairs, want %d", s.Name, tp, want[s.Name].truePairs)
		}
	}
}
