package merge

import (
	"slices"

	"github.com/unifyhq/unify/profile"
)

// naiveCluster is a second, deliberately simple implementation of the
// greedy procedure, written from the package documentation: no components,
// no union-find, every check by brute force over member pairs. The fast
// implementation must agree with it. Probabilities in tests sit on a grid of
// 1/64, so float sums here are exact and comparable with the fixed-point sums
// of the real solver.
func naiveCluster(rs []*profile.Record, ls []Link, as []Assertion, o Options) [][]profile.Ref {
	cfg, err := o.config()
	if err != nil {
		panic(err)
	}
	byRef := map[profile.Ref]*profile.Record{}
	for _, r := range rs {
		byRef[r.Ref()] = r
	}
	type pair [2]profile.Ref
	key := func(a, b profile.Ref) pair {
		if b.Compare(a) < 0 {
			a, b = b, a
		}
		return pair{a, b}
	}
	score := map[pair]Link{}
	for _, l := range ls {
		score[key(l.A, l.B)] = l
	}
	detached := map[profile.Ref]bool{}
	notSame := map[pair]bool{}
	for _, a := range as {
		if a.Kind == Detached {
			detached[a.A] = true
		} else {
			notSame[key(a.A, a.B)] = true
		}
	}
	vetoed := func(l Link) bool {
		return cfg.method == Greedy && (float32(l.Weight) <= cfg.veto || l.Prob <= cfg.vetoProb)
	}
	var cands []Link
	for _, l := range ls {
		if l.Prob >= cfg.threshold && !vetoed(l) {
			a, b := l.pair()
			cands = append(cands, Link{A: a, B: b, Prob: l.Prob, Weight: l.Weight})
		}
	}
	_, isDistinct := func() (map[string]int32, bool) { return cfg.distinct, cfg.distinct != nil }()
	distinctSrc := func(s string) bool { _, ok := cfg.distinct[s]; return isDistinct && ok }
	if cfg.method == Greedy && cfg.mutualBest {
		// best[x][source] = the other end of x's best candidate into source
		best := map[profile.Ref]map[string]Link{}
		other := func(l Link, x profile.Ref) profile.Ref {
			if l.A == x {
				return l.B
			}
			return l.A
		}
		for _, l := range cands {
			if !distinctSrc(l.A.Source) || !distinctSrc(l.B.Source) || l.A.Source == l.B.Source {
				continue
			}
			for _, x := range []profile.Ref{l.A, l.B} {
				src := other(l, x).Source
				if best[x] == nil {
					best[x] = map[string]Link{}
				}
				cur, ok := best[x][src]
				if !ok || l.Prob > cur.Prob || l.Prob == cur.Prob && other(l, x).Compare(other(cur, x)) < 0 {
					best[x][src] = l
				}
			}
		}
		cands = slices.DeleteFunc(cands, func(l Link) bool {
			if !distinctSrc(l.A.Source) || !distinctSrc(l.B.Source) || l.A.Source == l.B.Source {
				return false
			}
			return best[l.A][l.B.Source] != l || best[l.B][l.A.Source] != l
		})
	}
	slices.SortFunc(cands, func(x, y Link) int {
		if x.Prob != y.Prob {
			if x.Prob > y.Prob {
				return -1
			}
			return 1
		}
		if c := x.A.Compare(y.A); c != 0 {
			return c
		}
		return x.B.Compare(y.B)
	})

	strong := func(r *profile.Record) map[string][]string {
		m := map[string][]string{}
		for _, id := range r.IDs {
			if id.Value != "" && slices.Contains(cfg.strongIDs, id.Type) {
				m[id.Type] = append(m[id.Type], id.Value)
			}
		}
		return m
	}
	conflict := func(x, y *profile.Record) bool {
		sx, sy := strong(x), strong(y)
		for t, vx := range sx {
			vy, ok := sy[t]
			if !ok {
				continue
			}
			shared := false
			for _, v := range vx {
				shared = shared || slices.Contains(vy, v)
			}
			if !shared {
				return true
			}
		}
		return false
	}

	clusterOf := map[profile.Ref]int{}
	members := map[int][]profile.Ref{}
	for i, r := range rs {
		clusterOf[r.Ref()] = i
		members[i] = []profile.Ref{r.Ref()}
	}
	allows := func(l Link, A, B []profile.Ref) bool {
		if detached[l.A] || detached[l.B] {
			return false
		}
		for _, x := range A {
			for _, y := range B {
				if notSame[key(x, y)] {
					return false
				}
			}
		}
		if cfg.method == Components {
			return true
		}
		if cfg.maxSize > 0 && len(A)+len(B) > cfg.maxSize {
			return false
		}
		n, sum, strongPairs := 0, 0.0, 0
		for _, x := range A {
			for _, y := range B {
				if x.Source == y.Source && distinctSrc(x.Source) {
					return false
				}
				if conflict(byRef[x], byRef[y]) {
					return false
				}
				s, ok := score[key(x, y)]
				if !ok {
					continue
				}
				if vetoed(s) {
					return false
				}
				n++
				sum += s.Prob
				if s.Prob >= cfg.threshold {
					strongPairs++
				}
			}
		}
		if cfg.cohesion >= 0 && sum < cfg.cohesion*float64(n) {
			return false
		}
		if cfg.bridge >= 0 && strongPairs == 1 && l.Prob < cfg.bridge && len(A) >= 2 && len(B) >= 2 {
			return false
		}
		return true
	}
	for _, l := range cands {
		ca, cb := clusterOf[l.A], clusterOf[l.B]
		if ca == cb || !allows(l, members[ca], members[cb]) {
			continue
		}
		for _, x := range members[cb] {
			clusterOf[x] = ca
		}
		members[ca] = append(members[ca], members[cb]...)
		delete(members, cb)
	}
	var out [][]profile.Ref
	for _, m := range members {
		slices.SortFunc(m, profile.Ref.Compare)
		out = append(out, m)
	}
	slices.SortFunc(out, func(x, y []profile.Ref) int { return x[0].Compare(y[0]) })
	return out
}
