package merge

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/unifyhq/unify/profile"
	"pgregory.net/rapid"
)

// The universe of a property test: 3 sources x 6 keys, so random operations
// often touch the same records and build real clusters.
var (
	propSources = []string{"a", "b", "c"}
	propKeys    = 6
)

func genRef(t *rapid.T, label string) profile.Ref {
	return profile.Ref{
		Source: rapid.SampledFrom(propSources).Draw(t, label+".source"),
		Key:    strconv.Itoa(rapid.IntRange(0, propKeys-1).Draw(t, label+".key")),
	}
}

// genProb draws a probability on a 1/64 grid, biased to the extremes the way
// Fellegi-Sunter scores are.
func genProb(t *rapid.T, label string) float64 {
	return float64(rapid.OneOf(
		rapid.IntRange(56, 64), rapid.IntRange(0, 8), rapid.IntRange(0, 64),
	).Draw(t, label)) / 64
}

func genLink(t *rapid.T, a, b profile.Ref, label string) Link {
	return Link{A: a, B: b, Prob: genProb(t, label+".p"),
		Weight: float64(rapid.SampledFrom([]int{0, 0, 0, 4, -12}).Draw(t, label+".w"))}
}

// genRecord draws a record with random identifiers and a few golden fields.
func genRecord(t *rapid.T, r profile.Ref, label string) *profile.Record {
	rec := &profile.Record{Source: r.Source, Key: r.Key, Observed: at(rapid.IntRange(0, 5).Draw(t, label+".day"))}
	for i := range rapid.IntRange(0, 2).Draw(t, label+".ids") {
		v := rapid.SampledFrom([]string{"1", "2", "3"}).Draw(t, fmt.Sprintf("%s.id%d", label, i))
		rec.IDs = append(rec.IDs, profile.Identifier{Type: "national", Raw: v, Value: v})
	}
	if name := rapid.SampledFrom([]string{"", "Ann", "Anne", "Bob"}).Draw(t, label+".given"); name != "" {
		rec.Name.Given = text(name)
	}
	if e := rapid.SampledFrom([]string{"", "x@example.org", "y@example.org"}).Draw(t, label+".email"); e != "" {
		rec.Emails = []profile.Email{{Raw: e, Address: e, Canonical: e}}
	}
	return rec
}

func genOptions(t *rapid.T) Options {
	o := Options{
		Method:    rapid.SampledFrom([]Method{Greedy, Greedy, Greedy, Components}).Draw(t, "method"),
		Threshold: float64(rapid.SampledFrom([]int{0, 16, 32, 48}).Draw(t, "threshold")) / 64,
		Cohesion:  float64(rapid.SampledFrom([]int{0, -64, 16, 48}).Draw(t, "cohesion")) / 64,
		Bridge:    float64(rapid.SampledFrom([]int{0, -64, 60}).Draw(t, "bridge")) / 64,
		Veto:      float64(rapid.SampledFrom([]int{0, -1, 5}).Draw(t, "veto")),
		VetoProb:  float64(rapid.SampledFrom([]int{0, 0, 1}).Draw(t, "vetoProb")) / 64,
	}
	o.MaxClusterSize = rapid.SampledFrom([]int{0, 0, 2, 4}).Draw(t, "max")
	if rapid.Bool().Draw(t, "strong") {
		o.StrongIDs = []string{"national"}
	}
	switch rapid.IntRange(0, 2).Draw(t, "distinct") {
	case 1:
		o.DistinctSources = []string{"a"}
	case 2:
		o.DistinctSources = []string{"a", "b"}
		o.MutualBest = rapid.Bool().Draw(t, "mutual")
	}
	return o
}

// model is the data a Graph should hold, kept the simple way.
type model struct {
	recs    map[profile.Ref]*profile.Record
	links   map[[2]profile.Ref]Link
	asserts map[Assertion]bool
}

func newModel() *model {
	return &model{recs: map[profile.Ref]*profile.Record{}, links: map[[2]profile.Ref]Link{}, asserts: map[Assertion]bool{}}
}

func (m *model) dropLinks(r profile.Ref) {
	for k := range m.links {
		if k[0] == r || k[1] == r {
			delete(m.links, k)
		}
	}
}

func (m *model) apply(b Batch) {
	for _, r := range b.Delete {
		delete(m.recs, r)
		m.dropLinks(r)
	}
	for _, r := range b.Erase {
		delete(m.recs, r)
		m.dropLinks(r)
		for a := range m.asserts {
			if a.A == r || a.B == r {
				delete(m.asserts, a)
			}
		}
	}
	for _, r := range b.Update {
		m.recs[r.Ref()] = r.Record()
		m.dropLinks(r.Ref())
	}
	for _, r := range b.Add {
		m.recs[r.Ref()] = r.Record()
	}
	for _, l := range b.Links {
		lo, hi := l.pair()
		m.links[[2]profile.Ref{lo, hi}] = l
	}
	for _, a := range b.Assert {
		a, _ = a.normalized()
		m.asserts[a] = true
	}
	for _, a := range b.Retract {
		a, _ = a.normalized()
		delete(m.asserts, a)
	}
}

func (m *model) batch() ([]*profile.Record, []Link, []Assertion) {
	rs := slices.Collect(maps.Values(m.recs))
	ls := slices.Collect(maps.Values(m.links))
	as := slices.Collect(maps.Keys(m.asserts))
	return rs, ls, as
}

func (m *model) present() []profile.Ref {
	return slices.SortedFunc(maps.Keys(m.recs), profile.Ref.Compare)
}

// genBatch draws one valid batch of writes against the model.
func genBatch(t *rapid.T, m *model, step int) Batch {
	var b Batch
	l := func(s string) string { return fmt.Sprintf("%d.%s", step, s) }
	present := m.present()
	used := map[profile.Ref]bool{}
	kind := rapid.IntRange(0, 9).Draw(t, l("kind"))
	switch {
	case kind <= 3 || len(present) == 0: // add
		for i := range rapid.IntRange(1, 3).Draw(t, l("n")) {
			r := genRef(t, l(fmt.Sprint("add", i)))
			if _, ok := m.recs[r]; ok || used[r] {
				continue
			}
			used[r] = true
			b.Add = append(b.Add, profile.Pack(genRecord(t, r, l(fmt.Sprint("rec", i)))))
		}
	case kind == 4: // update
		r := rapid.SampledFrom(present).Draw(t, l("upd"))
		used[r] = true
		b.Update = append(b.Update, profile.Pack(genRecord(t, r, l("urec"))))
	case kind == 5: // delete or erase
		r := rapid.SampledFrom(present).Draw(t, l("del"))
		used[r] = true
		if rapid.Bool().Draw(t, l("erase")) {
			b.Erase = []profile.Ref{r}
		} else {
			b.Delete = []profile.Ref{r}
		}
	case kind == 6 && len(present) >= 2: // assert
		a := rapid.SampledFrom(present).Draw(t, l("as.a"))
		c := rapid.SampledFrom(present).Draw(t, l("as.b"))
		if a == c {
			b.Assert = []Assertion{AssertDetached(a)}
		} else {
			b.Assert = []Assertion{AssertNotSame(a, c)}
		}
	case kind == 7 && len(m.asserts) > 0: // retract
		as := slices.SortedFunc(maps.Keys(m.asserts), compareAssertion)
		b.Retract = []Assertion{rapid.SampledFrom(as).Draw(t, l("retract"))}
	}
	// Links among records present after the batch, each touching a record
	// of the batch or (for a rescoring batch) any pair.
	after := map[profile.Ref]bool{}
	for _, r := range present {
		after[r] = true
	}
	for _, r := range append(b.Delete, b.Erase...) {
		delete(after, r)
	}
	for _, r := range b.Add {
		after[r.Ref()] = true
	}
	refs := slices.SortedFunc(maps.Keys(after), profile.Ref.Compare)
	if len(refs) >= 2 && len(b.Delete)+len(b.Erase) == 0 && len(b.Assert)+len(b.Retract) == 0 {
		pairs := map[[2]profile.Ref]bool{}
		for i := range rapid.IntRange(0, 6).Draw(t, l("links")) {
			x := rapid.SampledFrom(refs).Draw(t, l(fmt.Sprint("lx", i)))
			y := rapid.SampledFrom(refs).Draw(t, l(fmt.Sprint("ly", i)))
			if x == y {
				continue
			}
			lk := genLink(t, x, y, l(fmt.Sprint("l", i)))
			lo, hi := lk.pair()
			if pairs[[2]profile.Ref{lo, hi}] {
				continue
			}
			pairs[[2]profile.Ref{lo, hi}] = true
			b.Links = append(b.Links, lk)
		}
	}
	return b
}

// checkInvariants checks what must hold of a Graph after every write.
func checkInvariants(t *rapid.T, g *Graph, m *model) {
	seen := map[profile.Ref]string{}
	ids := map[string]bool{}
	for p := range g.Profiles() {
		if p.ID == "" || ids[p.ID] {
			t.Fatalf("profile ID %q empty or repeated", p.ID)
		}
		ids[p.ID] = true
		if len(p.Members) == 0 {
			t.Fatalf("profile %s has no members", p.ID)
		}
		if !slices.IsSortedFunc(p.Members, profile.Ref.Compare) {
			t.Fatalf("profile %s members unsorted: %v", p.ID, p.Members)
		}
		for _, r := range p.Members {
			if prev, dup := seen[r]; dup {
				t.Fatalf("record %s in profiles %s and %s", r, prev, p.ID)
			}
			seen[r] = p.ID
			if q, ok := g.ProfileOf(r); !ok || q.ID != p.ID {
				t.Fatalf("ProfileOf(%s) = %q, want %s", r, q.ID, p.ID)
			}
			if id, ok := g.ProfileIDOf(r); !ok || id != p.ID {
				t.Fatalf("ProfileIDOf(%s) = %q, want %s", r, id, p.ID)
			}
		}
		if ms, ok := g.Members(p.ID); !ok || !slices.Equal(ms, p.Members) {
			t.Fatalf("Members(%s) = %v, %v; the profile has %v", p.ID, ms, ok, p.Members)
		}
		for _, a := range p.Aliases {
			if ids[a] {
				t.Fatalf("alias %s of %s is also a profile ID", a, p.ID)
			}
			if ms, ok := g.Members(a); !ok || !slices.Equal(ms, p.Members) {
				t.Fatalf("Members(alias %s) = %v, %v; the profile has %v", a, ms, ok, p.Members)
			}
			if got, ok := g.Resolve(a); !ok || got != p.ID {
				t.Fatalf("alias %s resolves to %q, want %s", a, got, p.ID)
			}
		}
		for _, vs := range p.Fields {
			for _, v := range vs {
				if !slices.Contains(p.Members, v.From) {
					t.Fatalf("profile %s has a value from non-member %s", p.ID, v.From)
				}
			}
		}
	}
	if len(seen) != len(m.recs) || g.Len() != len(m.recs) {
		t.Fatalf("profiles hold %d records, graph %d, model %d", len(seen), g.Len(), len(m.recs))
	}
	for r := range m.recs {
		if _, ok := seen[r]; !ok {
			t.Fatalf("record %s is in no profile", r)
		}
	}
}

// TestIncrementalEqualsBatch: after any sequence of writes, the graph's
// clusters equal a batch run over the same records, links and assertions,
// which equals the naive reference.
func TestIncrementalEqualsBatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genOptions(t)
		g, err := NewGraph(o)
		if err != nil {
			t.Fatal(err)
		}
		if rapid.Bool().Draw(t, "parallel") {
			g.parallelMin = 1 // solve every write's components on all cores
		}
		m := newModel()
		for step := range rapid.IntRange(1, 25).Draw(t, "steps") {
			b := genBatch(t, m, step)
			if _, err := g.Apply(b); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			m.apply(b)
			checkInvariants(t, g, m)
			rs, ls, as := m.batch()
			want, err := Cluster(rs, ls, as, o)
			if err != nil {
				t.Fatal(err)
			}
			if got := g.Clusters(); show(got) != show(want) {
				t.Fatalf("step %d: incremental %s\nbatch %s", step, show(got), show(want))
			}
			if ref := naiveCluster(rs, ls, as, o); show(ref) != show(want) {
				t.Fatalf("step %d: batch %s\nnaive %s", step, show(want), show(ref))
			}
		}
	})
}

// buildState drives a graph through random writes and returns it with its model.
func buildState(t *rapid.T, o Options) (*Graph, *model) {
	g, err := NewGraph(o)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel()
	for step := range rapid.IntRange(0, 20).Draw(t, "steps") {
		b := genBatch(t, m, step)
		if _, err := g.Apply(b); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		m.apply(b)
	}
	return g, m
}

// TestAddThenDeleteRestores: adding a record (with links) and deleting it
// again restores every profile: IDs, members and golden values. Aliases may
// only gain IDs that were minted while the record was there (they were
// announced, so they must keep resolving).
func TestAddThenDeleteRestores(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genOptions(t)
		g, m := buildState(t, o)
		before := slices.Collect(g.Profiles())
		known := map[string]bool{}
		for _, p := range before {
			known[p.ID] = true
			for _, a := range p.Aliases {
				known[a] = true
			}
		}

		r := genRef(t, "new")
		if _, ok := m.recs[r]; ok {
			t.Skip("record exists")
		}
		var links []Link
		for i, other := range m.present() {
			if rapid.IntRange(0, 2).Draw(t, fmt.Sprint("link", i)) > 0 {
				links = append(links, genLink(t, r, other, fmt.Sprint("l", i)))
			}
		}
		ch1, err := g.Add([]*profile.Record{genRecord(t, r, "rec")}, links)
		if err != nil {
			t.Fatal(err)
		}
		mid := slices.Collect(g.Profiles())
		ch2, err := g.Delete(r)
		if err != nil {
			t.Fatal(err)
		}
		after := slices.Collect(g.Profiles())
		defer func() {
			if t.Failed() {
				t.Logf("added %s with %v", r, links)
				for _, set := range [][]profile.Profile{before, mid, after} {
					t.Log("---")
					for _, p := range set {
						t.Logf("%s %v aliases %v", p.ID, p.Members, p.Aliases)
					}
				}
				t.Logf("add: %v\ndelete: %v", ch1, ch2)
			}
		}()
		if len(after) != len(before) {
			t.Fatalf("%d profiles before, %d after", len(before), len(after))
		}
		for i := range before {
			b, a := before[i], after[i]
			if a.ID != b.ID || !slices.Equal(a.Members, b.Members) || !sameProfile(&a, &b) {
				t.Fatalf("profile changed:\nbefore %+v\nafter  %+v", b, a)
			}
			for _, x := range b.Aliases {
				if !slices.Contains(a.Aliases, x) {
					t.Fatalf("profile %s lost alias %s", a.ID, x)
				}
			}
			for _, x := range a.Aliases {
				if !slices.Contains(b.Aliases, x) && known[x] {
					t.Fatalf("profile %s gained alias %s, an ID that existed before the add", a.ID, x)
				}
			}
		}
	})
}

// TestBatchIDsIndependentOfOrder: loading the same data in one batch, in any
// order, gives the same profiles with the same IDs.
func TestBatchIDsIndependentOfOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genOptions(t)
		_, m := buildState(t, o)
		rs, ls, as := m.batch()
		load := func() []profile.Profile {
			g, _ := NewGraph(o)
			if _, err := g.Apply(Batch{Add: packAll(rs), Links: ls}); err != nil {
				t.Fatal(err)
			}
			var present []Assertion
			for _, a := range as {
				if _, ok := m.recs[a.A]; ok && (a.Kind == Detached || m.recs[a.B] != nil) {
					present = append(present, a)
				}
			}
			if _, err := g.Assert(present...); err != nil {
				t.Fatal(err)
			}
			return slices.Collect(g.Profiles())
		}
		want := load()
		perm := rapid.Permutation(rs).Draw(t, "records")
		rs = perm
		ls = rapid.Permutation(ls).Draw(t, "links")
		got := load()
		if len(got) != len(want) {
			t.Fatalf("%d profiles, then %d", len(want), len(got))
		}
		for i := range want {
			if got[i].ID != want[i].ID || !sameProfile(&got[i], &want[i]) {
				t.Fatalf("order changed profile:\n%+v\n%+v", want[i], got[i])
			}
		}
	})
}

// TestSurvivorshipOrderIndependent: golden values do not depend on the order
// of the member records.
func TestSurvivorshipOrderIndependent(t *testing.T) {
	b, err := NewBuilder(Survivorship{})
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "n")
		var members []*profile.Record
		seen := map[profile.Ref]bool{}
		for i := range n {
			r := genRef(t, fmt.Sprint("m", i))
			if seen[r] {
				continue
			}
			seen[r] = true
			rec := genRecord(t, r, fmt.Sprint("r", i))
			rec.BirthDate.Date = rapid.SampledFrom([]profile.Date{{}, {Year: 1980}, {Year: 1980, Month: 3}, {Year: 1980, Month: 3, Day: 12}, {Year: 1981, Month: 3, Day: 12}}).Draw(t, fmt.Sprint("dob", i))
			if rapid.Bool().Draw(t, fmt.Sprint("addr", i)) {
				rec.Addresses = []profile.Address{{
					// Spellings of one address, and others, so that the
					// grouping of spellings is checked too.
					Street:   text(rapid.SampledFrom([]string{"Main St", "High St", "12 Main St", "12 Mian St", "Flat 3, 12 Main St", "14 Main St", "12 Main Stt"}).Draw(t, fmt.Sprint("street", i))),
					Postcode: text(rapid.SampledFrom([]string{"", "2000", "3000"}).Draw(t, fmt.Sprint("pc", i))),
				}}
			}
			if rapid.Bool().Draw(t, fmt.Sprint("consent", i)) {
				rec.Consents = []profile.Consent{{Purpose: "email", Known: true, Granted: rapid.Bool().Draw(t, fmt.Sprint("granted", i))}}
			}
			members = append(members, rec)
		}
		want := b.Build(members)
		got := b.Build(rapid.Permutation(members).Draw(t, "perm"))
		if !sameProfile(&want, &got) {
			t.Fatalf("order changed the golden profile:\n%+v\n%+v", want, got)
		}
	})
}

// TestSnapshotRestore: a Graph restored from the host's data and a JSON
// round trip of its Snapshot has the same profiles, reports no change, and
// goes on exactly as the original under the same writes.
func TestSnapshotRestore(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genOptions(t)
		g, m := buildState(t, o)
		js, err := json.Marshal(g.Snapshot())
		if err != nil {
			t.Fatal(err)
		}
		var snap Snapshot
		if err := json.Unmarshal(js, &snap); err != nil {
			t.Fatal(err)
		}
		rs, ls, as := m.batch()
		g2, ch, err := Restore(o, packAll(rs), ls, as, snap)
		if err != nil {
			t.Fatal(err)
		}
		if len(ch) != 0 {
			t.Fatalf("restore reported changes: %v", ch)
		}
		same := func(step string) {
			a, b := slices.Collect(g.Profiles()), slices.Collect(g2.Profiles())
			if len(a) != len(b) {
				t.Fatalf("%s: %d profiles, restored %d", step, len(a), len(b))
			}
			for i := range a {
				if a[i].ID != b[i].ID || !slices.Equal(a[i].Aliases, b[i].Aliases) || !sameProfile(&a[i], &b[i]) {
					t.Fatalf("%s: profile differs:\n%+v\n%+v", step, a[i], b[i])
				}
			}
		}
		same("restored")
		for step := range rapid.IntRange(1, 5).Draw(t, "more") {
			b := genBatch(t, m, 100+step)
			c1, err1 := g.Apply(b)
			c2, err2 := g2.Apply(b)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			m.apply(b)
			if fmt.Sprint(c1) != fmt.Sprint(c2) {
				t.Fatalf("step %d: changes differ:\n%v\n%v", step, c1, c2)
			}
			same(fmt.Sprint("after step ", step))
		}
	})
}

func TestRestoreRejectsBadSnapshots(t *testing.T) {
	rs := recs("a/1", "a/2")
	for _, s := range []Snapshot{
		{Profiles: []SnapshotProfile{{ID: "p_1", Members: []SnapshotMember{{Ref: ref("a/1")}}}, {ID: "p_1"}}},
		{Profiles: []SnapshotProfile{{ID: "p_1", Members: []SnapshotMember{{Ref: ref("a/1")}}}, {ID: "p_2", Members: []SnapshotMember{{Ref: ref("a/1")}}}}},
		{Profiles: []SnapshotProfile{{ID: "p_1"}}, Aliases: []SnapshotAlias{{ID: "p_2", Target: "p_9"}}},
		{Profiles: []SnapshotProfile{{ID: "p_1"}}, Aliases: []SnapshotAlias{{ID: "p_2", Target: "p_3"}, {ID: "p_3", Target: "p_2"}}},
		{Profiles: []SnapshotProfile{{ID: "p_1"}}, Aliases: []SnapshotAlias{{ID: "p_1", Target: "p_1"}}},
	} {
		if _, _, err := Restore(Options{}, packAll(rs), nil, nil, s); !errors.Is(err, ErrInvalidSnapshot) {
			t.Errorf("Restore(%+v) = %v", s, err)
		}
	}
	// A snapshot from other data: records gone since are deleted profiles,
	// new records join or found profiles.
	snap := Snapshot{Profiles: []SnapshotProfile{
		{ID: "p_old", Anchor: ref("a/1"), Members: []SnapshotMember{{Ref: ref("a/1")}, {Ref: ref("a/9")}}},
		{ID: "p_gone", Anchor: ref("a/8"), Members: []SnapshotMember{{Ref: ref("a/8")}}},
	}}
	g, ch, err := Restore(Options{}, packAll(rs), []Link{lk("a/1", "a/2", 0.9)}, nil, snap)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ch); got != "[deleted p_gone updated p_old]" {
		t.Errorf("changes = %s", got)
	}
	if p, _ := g.ProfileOf(ref("a/2")); p.ID != "p_old" {
		t.Errorf("a/2 in %s", p.ID)
	}
}

// TestInsertionOrder: the same records and links, inserted in random orders
// and random batch sizes (each link arriving with the later of its two
// records), give the same profiles as one batch.
func TestInsertionOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genOptions(t)
		_, m := buildState(t, o)
		rs, ls, _ := m.batch()
		want, err := Cluster(rs, ls, nil, o)
		if err != nil {
			t.Fatal(err)
		}
		for round := range 2 {
			order := rapid.Permutation(rs).Draw(t, fmt.Sprint("order", round))
			g, _ := NewGraph(o)
			present := map[profile.Ref]bool{}
			for len(order) > 0 {
				n := rapid.IntRange(1, len(order)).Draw(t, "batch")
				batch := order[:n]
				order = order[n:]
				for _, r := range batch {
					present[r.Ref()] = true
				}
				var bl []Link
				inBatch := func(r profile.Ref) bool {
					return slices.ContainsFunc(batch, func(x *profile.Record) bool { return x.Ref() == r })
				}
				for _, l := range ls {
					if present[l.A] && present[l.B] && (inBatch(l.A) || inBatch(l.B)) {
						bl = append(bl, l)
					}
				}
				if _, err := g.Add(batch, bl); err != nil {
					t.Fatal(err)
				}
			}
			if got := g.Clusters(); show(got) != show(want) {
				t.Fatalf("round %d: %s\nwant %s", round, show(got), show(want))
			}
		}
	})
}

// sameProfile reports whether two profiles have the same members, update
// time and golden values with their provenance (IDs and aliases aside).
func sameProfile(a, b *profile.Profile) bool {
	if !slices.Equal(a.Members, b.Members) || !a.Updated.Equal(b.Updated) || len(a.Fields) != len(b.Fields) {
		return false
	}
	for f, va := range a.Fields {
		vb, ok := b.Fields[f]
		if !ok || len(va) != len(vb) {
			return false
		}
		for i := range va {
			x, y := va[i], vb[i]
			if x.Value != y.Value || x.Raw != y.Raw || x.From != y.From || x.Rule != y.Rule || !x.Observed.Equal(y.Observed) {
				return false
			}
		}
	}
	return true
}
