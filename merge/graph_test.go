package merge

import (
	"errors"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unifyhq/unify/profile"
)

// kinds summarizes changes as "kind id" strings with IDs replaced by names.
func kinds(ch []Change, names map[string]string) []string {
	n := func(id string) string {
		if s, ok := names[id]; ok {
			return s
		}
		return id
	}
	var out []string
	for _, c := range ch {
		s := c.Kind.String() + " " + n(c.ID)
		for _, f := range c.From {
			s += " <" + n(f)
		}
		for _, i := range c.Into {
			s += " >" + n(i)
		}
		out = append(out, s)
	}
	return out
}

func TestGraphMergeUnmergeLifecycle(t *testing.T) {
	g := mustGraph(t, Options{})
	pa, pb := ProfileID("", ref("a/1")), ProfileID("", ref("b/1"))
	names := map[string]string{pa: "pa", pb: "pb"}
	step := func(name string, ch []Change, err error, want ...string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d := cmp.Diff(want, kinds(ch, names)); d != "" {
			t.Fatalf("%s: changes (-want +got):\n%s", name, d)
		}
	}

	ch, err := g.Add(recs("a/1", "a/2"), []Link{lk("a/1", "a/2", 0.99)})
	step("add a", ch, err, "created pa")
	ch, err = g.Add(recs("b/1"), nil)
	step("add b", ch, err, "created pb")

	ch, err = g.SetLinks(lk("a/2", "b/1", 0.95))
	step("link", ch, err, "merged pa <pb", "updated pa")
	if id, ok := g.Resolve(pb); !ok || id != pa {
		t.Fatalf("Resolve(pb) = %q, %v", id, ok)
	}
	p, _ := g.Profile(pb)
	if p.ID != pa || !slices.Equal(p.Aliases, []string{pb}) || len(p.Members) != 3 {
		t.Fatalf("Profile(pb) = %+v", p)
	}

	// Unmerge: the larger part keeps pa, b/1 takes pb back.
	ch, err = g.Assert(AssertNotSame(ref("b/1"), ref("a/2")))
	step("unmerge", ch, err, "split pa >pa >pb", "created pb", "updated pa")
	if id, _ := g.Resolve(pb); id != pb {
		t.Fatalf("after unmerge pb resolves to %s", id)
	}

	// The assertion survives later writes: rescoring b/1 does not re-merge.
	r := rec("b/1")
	r.Name.Given = text("Ann")
	ch, err = g.Update([]*profile.Record{r}, []Link{lk("b/1", "a/1", 0.99), lk("b/1", "a/2", 0.99)})
	step("update", ch, err, "updated pb")
	if q, _ := g.ProfileOf(ref("b/1")); q.ID != pb {
		t.Fatalf("b/1 merged despite the assertion: %+v", q)
	}

	// Retracting lets them merge again.
	ch, err = g.Retract(AssertNotSame(ref("a/2"), ref("b/1")))
	step("retract", ch, err, "merged pa <pb", "updated pa")

	// Detach a/1: it leaves; the larger part {a/2, b/1} keeps pa, and a/1
	// gets a new ID (its own derived ID is taken by pa).
	ch, err = g.Assert(AssertDetached(ref("a/1")))
	if err != nil {
		t.Fatal(err)
	}
	pa1 := deriveID("", ref("a/1"), 1)
	names[pa1] = "pa#1"
	step("detach", ch, nil, "split pa >pa >pa#1", "created pa#1", "updated pa")
	if q, _ := g.ProfileOf(ref("a/1")); len(q.Members) != 1 {
		t.Fatalf("detached a/1 is not alone: %+v", q)
	}

	// Deleting every record deletes the profiles; aliases stop resolving.
	ch, err = g.Delete(ref("a/1"), ref("a/2"), ref("b/1"))
	step("delete", ch, err, "deleted pa", "deleted pa#1")
	for _, id := range []string{pa, pb, pa1} {
		if _, ok := g.Resolve(id); ok {
			t.Errorf("%s still resolves", id)
		}
	}
	if g.Len() != 0 || len(g.Clusters()) != 0 {
		t.Errorf("graph not empty: %d records", g.Len())
	}
	// The detach assertion is remembered for a/1.
	if as := g.Assertions(); len(as) != 1 || as[0] != AssertDetached(ref("a/1")) {
		t.Errorf("assertions = %v", as)
	}
}

func TestGraphSplitLargerPartKeepsID(t *testing.T) {
	g := mustGraph(t, Options{})
	// {a/1 a/2} - x/1 - {c/1 c/2 c/3}: x/1 is the only bridge.
	links := append(dense(0.99, "a/1", "a/2"), dense(0.99, "c/1", "c/2", "c/3")...)
	links = append(links, lk("a/2", "x/1", 0.97), lk("x/1", "c/1", 0.97))
	must(g.Add(recs("a/1", "a/2", "c/1", "c/2", "c/3", "x/1"), links))
	if n := len(g.Clusters()); n != 1 {
		t.Fatalf("%d clusters, want 1: %s", n, show(g.Clusters()))
	}
	id := ProfileID("", ref("a/1"))
	ch := must(g.Delete(ref("x/1")))
	p, _ := g.ProfileOf(ref("c/1"))
	if p.ID != id {
		t.Fatalf("larger part has ID %s, want %s (changes %v)", p.ID, id, ch)
	}
	q, _ := g.ProfileOf(ref("a/1"))
	if q.ID == id || len(q.Members) != 2 {
		t.Fatalf("smaller part: %+v", q)
	}
}

func TestGraphBatchErrorsChangeNothing(t *testing.T) {
	g := mustGraph(t, Options{})
	must(g.Add(recs("a/1", "a/2"), []Link{lk("a/1", "a/2", 0.99)}))
	before := g.Clusters()
	tests := []struct {
		name string
		b    Batch
		want error
	}{
		{"add present", Batch{Add: packAll(recs("a/1"))}, ErrDuplicateRecord},
		{"add twice", Batch{Add: packAll(recs("a/3", "a/3"))}, ErrDuplicateRecord},
		{"update absent", Batch{Update: packAll(recs("a/9"))}, ErrUnknownRecord},
		{"delete absent", Batch{Delete: []profile.Ref{ref("a/9")}}, ErrUnknownRecord},
		{"delete and update", Batch{Delete: []profile.Ref{ref("a/1")}, Update: packAll(recs("a/1"))}, ErrConflict},
		{"link to absent", Batch{Links: []Link{lk("a/1", "a/9", 0.9)}}, ErrUnknownRecord},
		{"link to deleted", Batch{Delete: []profile.Ref{ref("a/2")}, Links: []Link{lk("a/1", "a/2", 0.9)}}, ErrUnknownRecord},
		{"link twice", Batch{Links: []Link{lk("a/1", "a/2", 0.9), lk("a/2", "a/1", 0.8)}}, ErrDuplicateLink},
		{"bad probability", Batch{Add: packAll(recs("a/3")), Links: []Link{lk("a/1", "a/3", -0.1)}}, ErrInvalidLink},
		{"assert about absent", Batch{Assert: []Assertion{AssertDetached(ref("a/9"))}}, ErrUnknownRecord},
		{"retract unknown", Batch{Retract: []Assertion{AssertDetached(ref("a/1"))}}, ErrInvalidAssertion},
		{"nil record", Batch{Add: []profile.Packed{{}}}, ErrInvalidRecord},
		{"valid add then invalid link", Batch{Add: packAll(recs("a/3")), Links: []Link{lk("a/3", "a/3", 0.9)}}, ErrInvalidLink},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := g.Apply(tc.b)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if got := g.Clusters(); show(got) != show(before) || g.Len() != 2 {
				t.Fatalf("a failed batch changed the graph: %s", show(got))
			}
		})
	}
}

func TestGraphLinksAndRecords(t *testing.T) {
	g := mustGraph(t, Options{})
	must(g.Add(recs("a/1", "a/2", "a/3"), []Link{lk("a/1", "a/2", 0.9), {A: ref("a/3"), B: ref("a/1"), Prob: 0.1, Weight: -3}}))
	got := g.Links(ref("a/1"))
	want := []Link{{A: ref("a/1"), B: ref("a/2"), Prob: 0.9}, {A: ref("a/1"), B: ref("a/3"), Prob: 0.1, Weight: -3}}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("Links (-want +got):\n%s", d)
	}
	// Rescoring replaces; updating a record drops its links.
	must(g.SetLinks(lk("a/2", "a/1", 0.3)))
	if l := g.Links(ref("a/2")); len(l) != 1 || l[0].Prob != 0.3 {
		t.Fatalf("after rescoring: %v", l)
	}
	must(g.Update(recs("a/1"), nil))
	if l := g.Links(ref("a/2")); len(l) != 0 {
		t.Fatalf("update kept old links: %v", l)
	}
	if r, ok := g.Record(ref("a/3")); !ok || r.Key != "3" {
		t.Fatalf("Record = %v, %v", r, ok)
	}
	if _, ok := g.Record(ref("a/9")); ok {
		t.Fatal("Record of absent ref")
	}
}

func TestGraphExplain(t *testing.T) {
	g := mustGraph(t, Options{})
	links := append(dense(0.99, "a/1", "a/2", "a/3"), dense(0.99, "b/1", "b/2", "b/3")...)
	links = append(links, lk("a/3", "b/1", 0.7), lk("a/1", "b/2", 0.4))
	must(g.Add(recs("a/1", "a/2", "a/3", "b/1", "b/2", "b/3", "c/1"), links))

	ex := must(g.Explain(ref("a/1"), ref("b/3")))
	if ex.Same || !ex.Connected || ex.Scored || len(ex.Decisions) != 1 {
		t.Fatalf("explanation: %+v", ex)
	}
	d := ex.Decisions[0]
	if d.Reason != RefusedBridge || d.SizeA != 3 || d.SizeB != 3 || d.Pairs != 2 || d.Strong != 1 {
		t.Fatalf("decision: %+v", d)
	}
	if math.Abs(d.Mean-0.55) > 1e-9 {
		t.Errorf("mean of 0.7 and 0.4 = %v", d.Mean)
	}
	t.Log(ex)

	ex = must(g.Explain(ref("a/1"), ref("a/3")))
	if !ex.Same || !ex.Scored || ex.Link.Prob != 0.99 || ex.Decisions[len(ex.Decisions)-1].Reason != Joined {
		t.Fatalf("explanation: %+v", ex)
	}
	ex = must(g.Explain(ref("a/1"), ref("c/1")))
	if ex.Same || ex.Connected || len(ex.Decisions) != 0 {
		t.Fatalf("explanation: %+v", ex)
	}
	if _, err := g.Explain(ref("a/1"), ref("z/9")); !errors.Is(err, ErrUnknownRecord) {
		t.Fatalf("err = %v", err)
	}
}

// TestGraphBulkLoadParallelGolden: a batch big enough to build golden
// profiles on several goroutines gives the profiles a Builder gives one by
// one (and, under -race, shows the parallel build is race-free).
func TestGraphBulkLoadParallelGolden(t *testing.T) {
	s := newSynth(30000, 3, 11)
	rs := s.records()
	g := mustGraph(t, Options{})
	if _, err := g.Add(rs, s.links()); err != nil {
		t.Fatal(err)
	}
	b, _ := NewBuilder(Survivorship{})
	count := 0
	for p := range g.Profiles() {
		var members []*profile.Record
		for _, m := range p.Members {
			r, _ := g.Record(m)
			members = append(members, r)
		}
		want := b.Build(members)
		if !sameProfile(&p, &want) {
			t.Fatalf("profile %s differs from a direct build", p.ID)
		}
		count++
	}
	if count < 8192 && runtime.GOMAXPROCS(0) > 1 {
		t.Fatalf("only %d profiles: the parallel path was not taken", count)
	}
	// The bulk link layout agrees with the batch procedure, and so does a
	// large rescoring batch that mixes new pairs with pairs scored before
	// (the general path) after the bulk one.
	links := s.links()
	if want := mustCluster(t, rs, links, nil, Options{}); show(g.Clusters()) != show(want) {
		t.Fatal("bulk load differs from Cluster")
	}
	rescore := make([]Link, 0, 8000)
	for i := 0; i < len(links) && len(rescore) < 6000; i += 7 {
		l := links[i]
		l.Prob = 1 - l.Prob
		rescore = append(rescore, l)
	}
	scored := map[[2]profile.Ref]bool{}
	for _, l := range links {
		lo, hi := l.pair()
		scored[[2]profile.Ref{lo, hi}] = true
	}
	for i := 0; len(rescore) < 8000; i++ {
		a, b := s.ref(i), s.ref((i*7919+13)%30000)
		lo, hi := Link{A: a, B: b}.pair()
		if a == b || scored[[2]profile.Ref{lo, hi}] {
			continue
		}
		scored[[2]profile.Ref{lo, hi}] = true
		rescore = append(rescore, Link{A: a, B: b, Prob: 0.99})
	}
	if _, err := g.SetLinks(rescore...); err != nil {
		t.Fatal(err)
	}
	final := map[[2]profile.Ref]Link{}
	for _, l := range append(links, rescore...) {
		lo, hi := l.pair()
		final[[2]profile.Ref{lo, hi}] = l
	}
	if want := mustCluster(t, rs, slices.Collect(maps.Values(final)), nil, Options{}); show(g.Clusters()) != show(want) {
		t.Fatal("after a large rescoring batch the graph differs from Cluster")
	}
	for _, r := range rs[:50] {
		for _, l := range g.Links(r.Ref()) {
			lo, hi := l.pair()
			if f := final[[2]profile.Ref{lo, hi}]; f.Prob != l.Prob {
				t.Fatalf("link %s-%s has %v, want %v", l.A, l.B, l.Prob, f.Prob)
			}
		}
	}
}

// TestGraphConcurrentReads: the read methods do not modify the graph, so
// readers may share it (run with -race to check).
func TestGraphConcurrentReads(t *testing.T) {
	s := newSynth(600, 4, 5)
	g := mustGraph(t, Options{})
	if _, err := g.Add(s.records(), s.links()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < 600; i += 4 {
				r := s.ref(i)
				p, ok := g.ProfileOf(r)
				if !ok {
					t.Errorf("no profile for %s", r)
					return
				}
				if q, _ := g.Profile(p.ID); q.ID != p.ID {
					t.Errorf("Profile(%s) = %s", p.ID, q.ID)
				}
				_, _ = g.Explain(r, s.ref((i+1)%600))
				_ = g.Links(r)
				if i%100 == w {
					_ = g.Snapshot()
					_ = g.Clusters()
					_ = g.Assertions()
				}
			}
		})
	}
	wg.Wait()
}

// TestUpdateReportsChangedRecordsOnly checks what counts as an update now
// that golden values are chosen when read: a record replaced by an
// identical one changes nothing, and one replaced by a different one
// updates its profile.
func TestUpdateReportsChangedRecordsOnly(t *testing.T) {
	a := &profile.Record{Source: "crm", Key: "1", Name: profile.Name{Given: text("Ann")}, Observed: at(1)}
	b := &profile.Record{Source: "shop", Key: "2", Name: profile.Name{Given: text("Ann")}, Observed: at(2)}
	link := Link{A: a.Ref(), B: b.Ref(), Prob: 0.9, Weight: 5}
	g, err := NewGraph(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Add([]*profile.Record{a, b}, []Link{link}); err != nil {
		t.Fatal(err)
	}
	before, _ := g.ProfileOf(a.Ref())
	same := *a
	ch, err := g.Update([]*profile.Record{&same}, []Link{link})
	if err != nil {
		t.Fatal(err)
	}
	if len(ch) != 0 {
		t.Errorf("an identical record: changes %v, want none", ch)
	}
	older := *a
	older.Observed = at(0)
	ch, err = g.Update([]*profile.Record{&older}, []Link{link})
	if err != nil {
		t.Fatal(err)
	}
	if len(ch) != 1 || ch[0].Kind != Updated || ch[0].ID != before.ID {
		t.Errorf("a changed record: changes %v, want one update of %s", ch, before.ID)
	}
}
