//go:build debug

package match

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/unifyhq/unify/profile"
)

func show(r *profile.Record) string {
	s := fmt.Sprintf("%s|%s|%v", r.Name.Given.Key, r.Name.Family.Key, r.BirthDate.Date)
	for _, e := range r.Emails {
		s += "|" + e.Canonical
	}
	for _, a := range r.Addresses {
		s += fmt.Sprintf("|%s %s, %s, %s %s %s", a.HouseNumber.Key, a.Street.Key, a.Line2.Key, a.Locality.Key, a.Postcode.Key, a.Region.Key)
	}
	for _, id := range r.IDs {
		s += "|" + id.Value
	}
	return s
}

func TestDebugMissed(t *testing.T) {
	which := os.Getenv("DEBUG_DS")
	if which == "" {
		t.Skip("set DEBUG_DS")
	}
	for _, ds := range datasets {
		if ds.name != which {
			continue
		}
		var recs []*profile.Record
		truth := map[profile.Ref]string{}
		for _, f := range ds.files {
			r, tr := loadCSV(t, f[0], f[1])
			recs = append(recs, r...)
			for k, v := range tr {
				truth[k] = v
			}
		}
		m, _ := Train(context.Background(), recs, Settings{})
		ps := m.PrepareAll(recs)
		links, _, _ := m.Links(context.Background(), ps, 0)
		got := map[[2]profile.Ref]float64{}
		for _, l := range links {
			got[[2]profile.Ref{l.A, l.B}] = l.Prob
		}
		byLabel := map[string][]*Prepared{}
		for _, p := range ps {
			byLabel[truth[p.Ref]] = append(byLabel[truth[p.Ref]], p)
		}
		n := 0
		for _, g := range byLabel {
			for i := range g {
				for j := i + 1; j < len(g); j++ {
					a, b := g[i], g[j]
					if a.Ref.Compare(b.Ref) > 0 {
						a, b = b, a
					}
					p, ok := got[[2]profile.Ref{a.Ref, b.Ref}]
					if ok && p >= 0.5 {
						continue
					}
					n++
					if n > 40 {
						continue
					}
					pp, _ := m.Score(a, b)
					t.Logf("MISS blocked=%v p=%.3f\n  %s\n  %s", ok, pp, show(a.Record), show(b.Record))
				}
			}
		}
		t.Logf("%d missed", n)
		for _, l := range links {
			if l.Prob >= 0.5 && truth[l.A] != truth[l.B] {
				var a, b *Prepared
				for _, p := range ps {
					if p.Ref == l.A {
						a = p
					}
					if p.Ref == l.B {
						b = p
					}
				}
				t.Logf("FP p=%.3f\n  %s\n  %s", l.Prob, show(a.Record), show(b.Record))
			}
		}
	}
}

func TestDebugOracleM(t *testing.T) {
	which := os.Getenv("DEBUG_DS")
	if which == "" {
		t.Skip("set DEBUG_DS")
	}
	for _, ds := range datasets {
		if ds.name != which {
			continue
		}
		var recs []*profile.Record
		truth := map[profile.Ref]string{}
		for _, f := range ds.files {
			r, tr := loadCSV(t, f[0], f[1])
			recs = append(recs, r...)
			for k, v := range tr {
				truth[k] = v
			}
		}
		m, _ := Train(context.Background(), recs, Settings{})
		ps := m.PrepareAll(recs)
		comps := m.sc.comps
		cnt := make([][]float64, len(comps))
		for i := range comps {
			cnt[i] = make([]float64, len(comps[i].Levels))
		}
		for i := range ps {
			for j := i + 1; j < len(ps); j++ {
				if truth[ps[i].Ref] != truth[ps[j].Ref] {
					continue
				}
				for k := range comps {
					if l := comps[k].Compare(ps[i], ps[j]); l >= 0 {
						cnt[k][l]++
					}
				}
			}
		}
		for k := range comps {
			var tot float64
			for _, c := range cnt[k] {
				tot += c
			}
			if tot == 0 {
				continue
			}
			s := comps[k].Name + ":"
			for l := range cnt[k] {
				s += fmt.Sprintf(" %s=%.3f(em %.3f)", comps[k].Levels[l], cnt[k][l]/tot, m.Model().Comparisons[k].Levels[l].M)
			}
			t.Log(s)
		}
	}
}
