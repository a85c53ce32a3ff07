package merge

import (
	"fmt"
	"slices"

	"github.com/unifyhq/unify/profile"
)

// Explanation says why two records are or are not in one profile.
type Explanation struct {
	A, B profile.Ref
	// Same reports whether A and B share a profile.
	Same bool
	// Link is the pair's own score, when it was scored (Scored).
	Link   Link
	Scored bool
	// Connected reports whether links at or above the threshold connect A
	// and B at all (directly or through other records). When they do not,
	// no clustering method could join them.
	Connected bool
	// Decisions are the steps of the clustering procedure, in order, that
	// joined or refused to join a cluster holding A with a cluster holding
	// B. The last one decided: Joined when Same, a refusal otherwise.
	Decisions []Decision
}

// String summarizes the explanation in one line.
func (e Explanation) String() string {
	verdict := "apart"
	if e.Same {
		verdict = "together"
	}
	s := fmt.Sprintf("%s and %s are %s", e.A, e.B, verdict)
	switch {
	case !e.Connected:
		s += ": no chain of links at or above the threshold connects them"
	case len(e.Decisions) > 0:
		d := e.Decisions[len(e.Decisions)-1]
		s += fmt.Sprintf(": %s on %s-%s (p=%.4g; clusters of %d and %d", d.Reason, d.Link.A, d.Link.B, d.Link.Prob, d.SizeA, d.SizeB)
		if d.Pairs > 0 {
			s += fmt.Sprintf("; %d scored pairs across, mean %.4g, %d at or above the threshold", d.Pairs, d.Mean, d.Strong)
		}
		s += ")"
	}
	return s
}

// Explain re-runs the clustering of the component holding a and b with a
// trace and reports the decisions that brought their clusters together or
// kept them apart. It only reads the graph.
func (g *Graph) Explain(a, b profile.Ref) (Explanation, error) {
	ia, okA := g.idx.get(a)
	ib, okB := g.idx.get(b)
	if !okA || !okB {
		missing := a
		if okA {
			missing = b
		}
		return Explanation{}, fmt.Errorf("%w: %s", ErrUnknownRecord, missing)
	}
	ex := Explanation{A: a, B: b, Same: g.nodes[ia].cl == g.nodes[ib].cl}
	for _, e := range g.nodes[ia].adj {
		if e.to == ib {
			ex.Link, ex.Scored = Link{A: a, B: b, Prob: e.p, Weight: float64(e.w)}, true
		}
	}
	// The component of a, found without touching the graph's scratch.
	seen := map[int32]bool{ia: true}
	compNodes := []int32{ia}
	for k := 0; k < len(compNodes); k++ {
		for _, e := range g.nodes[compNodes[k]].adj {
			if e.p >= g.cfg.threshold && !seen[e.to] {
				seen[e.to] = true
				compNodes = append(compNodes, e.to)
			}
		}
	}
	ex.Connected = seen[ib]
	if !ex.Connected || ia == ib {
		return ex, nil
	}
	c, order := g.buildComp(compNodes, nil)
	la := int32(slices.Index(order, ia))
	lb := int32(slices.Index(order, ib))
	s := &solver{cfg: g.cfg}
	s.trace = func(d Decision, ra, rb int32) {
		fa, fb := s.uf.Find(la), s.uf.Find(lb)
		if fa != fb && (fa == ra && fb == rb || fa == rb && fb == ra) {
			ex.Decisions = append(ex.Decisions, d)
		}
	}
	s.solve(c)
	return ex, nil
}
