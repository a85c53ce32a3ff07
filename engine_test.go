package unify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/internal/benchdata"
	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// testRecord returns a CRM record with a given and family name and an
// email, normalized as a Normalizer would (keys lower-cased).
func testRecord(key, given, family, email string) *profile.Record {
	r := &profile.Record{Source: "crm", Key: key}
	r.Name.Given = profile.Text{Raw: given, Norm: given, Key: strings.ToLower(given)}
	r.Name.Family = profile.Text{Raw: family, Norm: family, Key: strings.ToLower(family)}
	r.Emails = []profile.Email{{Raw: email, Address: email, Canonical: email}}
	return r
}

func partition(t *testing.T, e *unify.Engine) map[profile.Ref]string {
	t.Helper()
	out := map[profile.Ref]string{}
	for p, err := range e.Profiles(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Members {
			if _, dup := out[m]; dup {
				t.Fatalf("record %v is in two profiles", m)
			}
			out[m] = p.Members[0].String()
		}
	}
	return out
}

// TestIncrementalEqualsBatch trains once, then feeds the same records to a
// second engine one at a time with that model: the profiles must be the
// same as the batch run's.
func TestIncrementalEqualsBatch(t *testing.T) {
	ctx := context.Background()
	recs, _, err := benchdata.Load(ctx, benchdata.Sets[2]) // fake_1000
	if err != nil {
		t.Fatal(err)
	}
	store := unify.NewMemoryStore()
	batch, err := unify.New(ctx, unify.Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := batch.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := batch.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	doc, err := store.GetModel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	store2 := unify.NewMemoryStore()
	if err := store2.PutModel(ctx, doc); err != nil {
		t.Fatal(err)
	}
	inc, err := unify.New(ctx, unify.Options{Store: store2})
	if err != nil {
		t.Fatal(err)
	}
	// Reverse order, one at a time.
	for i := len(recs) - 1; i >= 0; i-- {
		if _, err := inc.Add(ctx, recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	want, got := partition(t, batch), partition(t, inc)
	if len(got) != len(want) {
		t.Fatalf("incremental holds %d records, batch %d", len(got), len(want))
	}
	// Compare as partitions: records together in one must be together in
	// the other.
	canon := func(p map[profile.Ref]string) map[string][]profile.Ref {
		groups := map[string][]profile.Ref{}
		for r, g := range p {
			groups[g] = append(groups[g], r)
		}
		out := map[string][]profile.Ref{}
		for _, g := range groups {
			slices.SortFunc(g, profile.Ref.Compare)
			out[g[0].String()] = g
		}
		return out
	}
	cw, cg := canon(want), canon(got)
	diff := 0
	for k, g := range cw {
		if !slices.Equal(g, cg[k]) {
			diff++
			if diff < 5 {
				t.Errorf("batch cluster %v, incremental %v", g, cg[k])
			}
		}
	}
	if diff > 0 || len(cw) != len(cg) {
		t.Errorf("%d clusters differ; batch %d clusters, incremental %d", diff, len(cw), len(cg))
	}
}

func rec(src, key, given, family, email, phone string) *profile.Record {
	r := &profile.Record{Source: src, Key: key}
	n := profile.NewNormalizer(profile.Options{DefaultRegion: "AU"})
	for f, v := range map[profile.Field]string{profile.FieldGivenName: given, profile.FieldFamilyName: family, profile.FieldEmail: email, profile.FieldPhone: phone} {
		if v != "" {
			_ = n.Set(r, f, v)
		}
	}
	return r
}

// smallWorld returns records of a few people, with duplicates across
// sources, enough for training.
func smallWorld() []*profile.Record {
	var recs []*profile.Record
	givens := []string{"Anna", "Ben", "Carla", "Dmitri", "Eve", "Farid", "Grace", "Hugo", "Iris", "Jonas", "Kemal", "Lena"}
	families := []string{"Novak", "Okafor", "Petrov", "Quist", "Rossi", "Sato", "Tanaka", "Ueda", "Varga", "Weber"}
	for i := range 120 {
		g, f := givens[i%len(givens)], families[(i/len(givens))%len(families)]
		email := fmt.Sprintf("%s.%s%d@mailbox.org", strings.ToLower(g), strings.ToLower(f), i)
		phone := fmt.Sprintf("04%08d", 12345678+i*7919)
		recs = append(recs, rec("crm", fmt.Sprint("c", i), g, f, email, phone))
		if i%3 == 0 {
			recs = append(recs, rec("shop", fmt.Sprint("s", i), g, f, email, ""))
		}
		if i%4 == 0 {
			recs = append(recs, rec("support", fmt.Sprint("t", i), g, f+"x", "", phone))
		}
	}
	return recs
}

func newResolved(t *testing.T, store unify.Store) (*unify.Engine, []*profile.Record) {
	t.Helper()
	return newResolvedWith(t, unify.Options{Store: store})
}

// newResolvedWith is newResolved with the engine's options.
func newResolvedWith(t *testing.T, opts unify.Options) (*unify.Engine, []*profile.Record) {
	t.Helper()
	ctx := context.Background()
	e, err := unify.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	recs := smallWorld()
	if _, err := e.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	return e, recs
}

func TestSmallWorldLinks(t *testing.T) {
	ctx := context.Background()
	e, _ := newResolved(t, nil)
	for _, pair := range [][2]profile.Ref{
		{{Source: "crm", Key: "c0"}, {Source: "shop", Key: "s0"}},
		{{Source: "crm", Key: "c0"}, {Source: "support", Key: "t0"}},
	} {
		x, err := e.Explain(ctx, pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		if !x.SameProfile {
			t.Errorf("%v and %v not in one profile:\n%v", pair[0], pair[1], x.Match)
		}
	}
	x, _ := e.Explain(ctx, profile.Ref{Source: "crm", Key: "c0"}, profile.Ref{Source: "crm", Key: "c1"})
	if x.SameProfile {
		t.Errorf("different people in one profile:\n%v", x.Match)
	}
	// Together: the clustering names the decision that joined them.
	x, _ = e.Explain(ctx, profile.Ref{Source: "crm", Key: "c0"}, profile.Ref{Source: "shop", Key: "s0"})
	if x.Clustering == nil || !x.Clustering.Same || len(x.Clustering.Decisions) == 0 ||
		x.Clustering.Decisions[len(x.Clustering.Decisions)-1].Reason != merge.Joined {
		t.Errorf("clustering explanation of a joined pair: %+v", x.Clustering)
	}
}

// TestExplainMatch checks that ExplainMatch gives Explain's match part.
func TestExplainMatch(t *testing.T) {
	ctx := context.Background()
	e, _ := newResolved(t, nil)
	for _, pair := range [][2]profile.Ref{
		{{Source: "crm", Key: "c0"}, {Source: "shop", Key: "s0"}},
		{{Source: "crm", Key: "c0"}, {Source: "crm", Key: "c1"}},
	} {
		x, err := e.Explain(ctx, pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		m, err := e.ExplainMatch(ctx, pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(x.Match, m); diff != "" {
			t.Errorf("%v, %v: ExplainMatch differs from Explain's Match (-Explain +ExplainMatch):\n%s", pair[0], pair[1], diff)
		}
	}
	if _, err := e.ExplainMatch(ctx, profile.Ref{Source: "crm", Key: "c0"}, profile.Ref{Source: "crm", Key: "nobody"}); !errors.Is(err, unify.ErrNotFound) {
		t.Errorf("unknown record: %v, want ErrNotFound", err)
	}
}

// TestCustomComparisonSeesRecords checks the other side of dropping the
// decoded records behind prepared forms: with a comparison that reads the
// record (match.StringComparison), the engine keeps them, in a bulk load,
// an incremental add and an engine reopened on the same store, and the
// comparison sees the values.
func TestCustomComparisonSeesRecords(t *testing.T) {
	ctx := context.Background()
	tier := func(r *profile.Record) string { return r.Attrs["tier"] }
	opts := unify.Options{Store: unify.NewMemoryStore()}
	opts.Match.Comparisons = append(match.DefaultComparisons(), match.StringComparison("tier", tier))
	if !opts.Match.ReadsRecords() {
		t.Fatal("a StringComparison does not count as reading records")
	}
	e, err := unify.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	recs := smallWorld()
	for i, r := range recs {
		r.Attrs = map[string]string{"tier": []string{"gold", "silver"}[i%2]}
	}
	if _, err := e.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	late := rec("shop", "late", "Anna", "Novak", "anna.novak0@mailbox.org", "")
	late.Attrs = map[string]string{"tier": "platinum"}
	if _, err := e.Add(ctx, late); err != nil {
		t.Fatal(err)
	}
	// StringComparison's levels: 0 is exact; -1 would mean a value was
	// missing, as it would be if the record were not there.
	check := func(e *unify.Engine, a, b profile.Ref, same bool) {
		t.Helper()
		x, err := e.Explain(ctx, a, b)
		if err != nil {
			t.Fatal(err)
		}
		if x.Match == nil {
			t.Fatal("no match explanation")
		}
		for _, term := range x.Match.Terms {
			if term.Comparison == "tier" {
				if term.Level < 0 || (term.Level == 0) != same || term.A == "" || (term.A == term.B) != same {
					t.Errorf("%v, %v: tier %q against %q at level %d (%s), want same %v", a, b, term.A, term.B, term.Level, term.Label, same)
				}
				return
			}
		}
		t.Errorf("no tier term in %+v", x.Match.Terms)
	}
	c0, s0, t0 := profile.Ref{Source: "crm", Key: "c0"}, profile.Ref{Source: "shop", Key: "s0"}, profile.Ref{Source: "support", Key: "t0"}
	check(e, c0, s0, false) // gold, silver
	check(e, c0, t0, true)  // gold, gold
	check(e, c0, late.Ref(), false)
	if err := e.Close(ctx); err != nil {
		t.Fatal(err)
	}
	reopened, err := unify.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	check(reopened, c0, t0, true)
	check(reopened, c0, late.Ref(), false)
}

func TestStitchAnonymousDevice(t *testing.T) {
	ctx := context.Background()
	e, _ := newResolved(t, nil)
	anon := &profile.Record{Source: "web", Key: "d-1", IDs: []profile.Identifier{{Type: "device", Raw: "d-1", Value: "d1"}}}
	if _, err := e.Add(ctx, anon); err != nil {
		t.Fatal(err)
	}
	if err := e.AddEvents(ctx, profile.Event{Record: anon.Ref(), Type: profile.Visit, ID: "v1"}); err != nil {
		t.Fatal(err)
	}
	p, _ := e.ProfileOf(ctx, anon.Ref())
	if len(p.Members) != 1 {
		t.Fatalf("an anonymous record joined %v before anything tied it to a person", p.Members)
	}
	// A login ties the device to crm/c5's email.
	login := rec("web", "login-1", "", "", "eve.novak4@example.com", "")
	login.Name = profile.Name{}
	cr, _ := e.Record(ctx, profile.Ref{Source: "crm", Key: "c4"})
	login.Emails = cr.Emails
	login.IDs = []profile.Identifier{{Type: "device", Raw: "d-1", Value: "d1"}}
	if _, err := e.Add(ctx, login); err != nil {
		t.Fatal(err)
	}
	pa, _ := e.ProfileOf(ctx, anon.Ref())
	pc, _ := e.ProfileOf(ctx, cr.Ref())
	if x, _ := e.Explain(ctx, login.Ref(), cr.Ref()); !x.SameProfile {
		t.Logf("%v", x.Match)
	}
	if pa.ID != pc.ID {
		t.Fatalf("anonymous device in %s (%v), person in %s (%v)", pa.ID, pa.Members, pc.ID, pc.Members)
	}
	v, err := e.View(ctx, pc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Timeline) != 1 || v.Timeline[0].ID != "v1" {
		t.Errorf("the anonymous visit did not move with its record: %v", v.Timeline)
	}
}

func TestAssertNotSameHoldsAndRestart(t *testing.T) {
	ctx := context.Background()
	store := unify.NewMemoryStore()
	e, _ := newResolved(t, store)
	a, b := profile.Ref{Source: "crm", Key: "c0"}, profile.Ref{Source: "shop", Key: "s0"}
	before, _ := e.ProfileOf(ctx, a)
	changes, err := e.AssertNotSame(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) == 0 {
		t.Error("an unmerge produced no change events")
	}
	pa, _ := e.ProfileOf(ctx, a)
	pb, _ := e.ProfileOf(ctx, b)
	if pa.ID == pb.ID {
		t.Fatal("still one profile after AssertNotSame")
	}
	if pa.ID != before.ID && pb.ID != before.ID {
		t.Errorf("neither part kept the ID %s", before.ID)
	}
	// An update of b does not bring it back.
	nb, _ := e.Record(ctx, b)
	nb.Attrs = map[string]string{"touched": "yes"}
	if _, err := e.Add(ctx, nb); err != nil {
		t.Fatal(err)
	}
	pa, _ = e.ProfileOf(ctx, a)
	pb, _ = e.ProfileOf(ctx, b)
	if pa.ID == pb.ID {
		t.Fatal("the assertion did not survive an update")
	}
	// A new engine over the same store sees the same profiles.
	e2, err := unify.New(ctx, unify.Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		q, err := e2.Profile(ctx, p.ID)
		if err != nil {
			t.Fatalf("after restart, profile %s: %v", p.ID, err)
		}
		if !slices.Equal(p.Members, q.Members) {
			t.Fatalf("after restart, profile %s has %v, was %v", p.ID, q.Members, p.Members)
		}
	}
	qa, _ := e2.ProfileOf(ctx, a)
	qb, _ := e2.ProfileOf(ctx, b)
	if qa.ID == qb.ID {
		t.Error("the assertion did not survive a restart")
	}
}

func TestForgetLeavesNothing(t *testing.T) {
	ctx := context.Background()
	store := newProfileStore()
	e, _ := newResolved(t, store)
	victim := profile.Ref{Source: "shop", Key: "s3"}
	r, _ := e.Record(ctx, victim)
	secret := r.Emails[0].Address
	other := profile.Ref{Source: "crm", Key: "c3"}
	if err := e.AddEvents(ctx, profile.Event{Record: victim, Type: profile.Purchase, ID: "o-secret", Amount: 9}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.AssertNotSame(ctx, victim, profile.Ref{Source: "crm", Key: "c6"}); err != nil {
		t.Fatal(err)
	}
	// c3 has the same email, so it must stay in the profile: blank it on
	// c3 first so that only the victim holds the secret.
	c3, _ := e.Record(ctx, other)
	c3.Emails = nil
	if _, err := e.Add(ctx, c3); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Forget(ctx, victim); err != nil {
		t.Fatal(err)
	}
	// Scan everything the engine and the store expose.
	var dump strings.Builder
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(p)
		dump.Write(js)
		v, err := e.View(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		js, _ = json.Marshal(v)
		dump.Write(js)
	}
	for r, err := range store.Records(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(r)
		dump.Write(js)
		lk, _ := e.Links(ctx, r.Ref())
		js, _ = json.Marshal(lk)
		dump.Write(js)
	}
	for p, _ := range store.Profiles(ctx) {
		js, _ := json.Marshal(p)
		dump.Write(js)
	}
	as, _ := store.Assertions(ctx)
	js, _ := json.Marshal(as)
	dump.Write(js)
	snap, err := store.GetSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dump.Write(snap)
	evs, _ := store.Events(ctx, victim)
	s := dump.String()
	for _, needle := range []string{`"key":"s3"`, secret, "o-secret", merge.ProfileID("", victim)} {
		if strings.Contains(s, needle) {
			t.Errorf("%q remains after Forget", needle)
		}
	}
	if len(evs) > 0 {
		t.Errorf("events remain after Forget: %v", evs)
	}
	if _, err := e.Record(ctx, victim); err == nil {
		t.Error("the record remains after Forget")
	}
}

func TestEngineConcurrent(t *testing.T) {
	ctx := context.Background()
	e, recs := newResolved(t, nil)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				switch (w + i) % 4 {
				case 0:
					r := rec("late", fmt.Sprint(w, "-", i), "Anna", "Novak", fmt.Sprintf("anna%d.%d@mailbox.org", w, i), "")
					if _, err := e.Add(ctx, r); err != nil {
						t.Error(err)
					}
				case 1:
					if _, err := e.ProfileOf(ctx, recs[i].Ref()); err != nil {
						t.Error(err)
					}
				case 2:
					p, _ := e.ProfileOf(ctx, recs[i].Ref())
					if _, err := e.View(ctx, p.ID); err != nil {
						t.Error(err)
					}
				case 3:
					if err := e.AddEvents(ctx, profile.Event{Record: recs[i].Ref(), Type: profile.Visit}); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	seen := map[profile.Ref]bool{}
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Members {
			if seen[m] {
				t.Fatalf("%v in two profiles", m)
			}
			seen[m] = true
		}
	}
	if len(seen) != e.Len() {
		t.Errorf("%d records in profiles, engine holds %d", len(seen), e.Len())
	}
}

func TestAddRejectsBadRecords(t *testing.T) {
	ctx := context.Background()
	e, _ := unify.New(ctx, unify.Options{})
	if _, err := e.Add(ctx, &profile.Record{Source: "s"}); err == nil {
		t.Error("a record without a key was accepted")
	}
	r := rec("s", "1", "A", "B", "", "")
	if _, err := e.Add(ctx, r, r); err == nil {
		t.Error("a record given twice in one call was accepted")
	}
	if _, err := e.Delete(ctx, profile.Ref{Source: "s", Key: "missing"}); err == nil {
		t.Error("deleting a missing record succeeded")
	}
}

// TestRestartKeepsIDsAndAliases resolves every other record of fake_1000
// (clusters of about eight), adds the rest one record at a time (bridging
// records merge profiles, leaving aliases), closes the engine and reopens
// a new one over the same store: every record's profile ID and every alias
// must come back.
func TestRestartKeepsIDsAndAliases(t *testing.T) {
	ctx := context.Background()
	all, _, err := benchdata.Load(ctx, benchdata.Sets[2])
	var recs []*profile.Record
	for i := 0; i < len(all); i += 2 {
		recs = append(recs, all[i])
	}
	for i := 1; i < len(all); i += 2 {
		recs = append(recs, all[i])
	}
	if err != nil {
		t.Fatal(err)
	}
	store := unify.NewMemoryStore()
	e, err := unify.New(ctx, unify.Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	half := len(recs) / 2
	if _, err := e.Add(ctx, recs[:half]...); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[half:] {
		if _, err := e.Add(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	before := map[profile.Ref]string{}
	aliases := map[string]string{}
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Members {
			before[m] = p.ID
		}
		for _, a := range p.Aliases {
			aliases[a] = p.ID
		}
	}
	if len(aliases) == 0 {
		t.Fatal("no merges left aliases; the test needs some")
	}
	if err := e.Close(ctx); err != nil {
		t.Fatal(err)
	}
	e2, err := unify.New(ctx, unify.Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for ref, id := range before {
		p, err := e2.ProfileOf(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != id {
			changed++
		}
	}
	if changed > 0 {
		t.Errorf("%d of %d records have another profile ID after the restart", changed, len(before))
	}
	for alias, id := range aliases {
		p, err := e2.Profile(ctx, alias)
		if err != nil || p.ID != id {
			t.Errorf("alias %s: %v, %v; want profile %s", alias, p.ID, err, id)
		}
	}
}

// failingStore fails PutRecords on demand, or after failAfter successful
// calls when failAfter is positive.
type failingStore struct {
	*unify.MemoryStore
	fail      bool
	failAfter int
}

func (s *failingStore) PutRecords(ctx context.Context, recs []*profile.Record) error {
	if s.failAfter > 0 {
		s.failAfter--
		s.fail = s.failAfter == 0
		return s.MemoryStore.PutRecords(ctx, recs)
	}
	if s.fail {
		return errors.New("disk full")
	}
	return s.MemoryStore.PutRecords(ctx, recs)
}

// TestFailedWriteInBulkLoad fails the store part-way through a bulk load
// that the engine prepares in chunks on several cores: Add must return
// ErrBroken, and an engine reopened from
// the store holds what it took.
func TestFailedWriteInBulkLoad(t *testing.T) {
	ctx := context.Background()
	fs := &failingStore{MemoryStore: unify.NewMemoryStore(), failAfter: 2}
	e, err := unify.New(ctx, unify.Options{Store: fs})
	if err != nil {
		t.Fatal(err)
	}
	var recs []*profile.Record
	for i := range 10000 {
		recs = append(recs, rec("crm", strconv.Itoa(i), "Anna", "Novak", fmt.Sprintf("anna%d@example.com", i), ""))
	}
	if _, err := e.Add(ctx, recs...); !errors.Is(err, unify.ErrBroken) {
		t.Fatalf("a store failing in the third chunk returned %v, want ErrBroken", err)
	}
	got := 0
	for _, err := range fs.Records(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got++
	}
	if got == 0 || got >= len(recs) {
		t.Errorf("the store holds %d of %d records after failing part-way", got, len(recs))
	}
	e2, err := unify.New(ctx, unify.Options{Store: fs.MemoryStore})
	if err != nil {
		t.Fatal(err)
	}
	if e2.Len() != got {
		t.Errorf("reopened engine holds %d records, the store %d", e2.Len(), got)
	}
}

func TestFailedWriteBreaksEngine(t *testing.T) {
	ctx := context.Background()
	fs := &failingStore{MemoryStore: unify.NewMemoryStore()}
	e, err := unify.New(ctx, unify.Options{Store: fs})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Add(ctx, smallWorld()...); err != nil {
		t.Fatal(err)
	}
	fs.fail = true
	if _, err := e.Add(ctx, rec("late", "1", "Anna", "Novak", "", "")); !errors.Is(err, unify.ErrBroken) {
		t.Fatalf("a failed store write returned %v, want ErrBroken", err)
	}
	fs.fail = false
	if _, err := e.Resolve(ctx, false); !errors.Is(err, unify.ErrBroken) {
		t.Errorf("a write after a failure returned %v, want ErrBroken", err)
	}
	if err := e.Close(ctx); !errors.Is(err, unify.ErrBroken) {
		t.Errorf("Close of a broken engine returned %v, want ErrBroken (and no checkpoint)", err)
	}
	// Reopening from the store works and holds every committed record.
	e2, err := unify.New(ctx, unify.Options{Store: fs})
	if err != nil {
		t.Fatal(err)
	}
	if e2.Len() != len(smallWorld()) {
		t.Errorf("reopened engine holds %d records, want %d", e2.Len(), len(smallWorld()))
	}
}

// TestResolveAgainReplacesScores resolves, retrains on the same records
// and resolves again: the profiles must not change, and no stale link may
// survive the rescoring.
func TestResolveAgainReplacesScores(t *testing.T) {
	ctx := context.Background()
	e, _ := newResolved(t, nil)
	before := partition(t, e)
	if _, err := e.Resolve(ctx, true); err != nil {
		t.Fatal(err)
	}
	after := partition(t, e)
	if len(before) != len(after) {
		t.Fatalf("%d records before, %d after", len(before), len(after))
	}
	for r, g := range before {
		if after[r] != g {
			t.Errorf("%v moved from %s to %s after retraining on the same records", r, g, after[r])
		}
	}
}

// TestProfilesAreCopies checks that the engine and a store that keeps
// profiles hand out copies: changing one changes nothing inside.
func TestProfilesAreCopies(t *testing.T) {
	ctx := context.Background()
	store := newProfileStore()
	e, err := unify.New(ctx, unify.Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	rec := func(key, email string) *profile.Record { return testRecord(key, "Ann", "Lee", email) }
	if _, err := e.Add(ctx, rec("1", "ann@example.com"), rec("2", "ann@example.com")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	p, err := e.ProfileOf(ctx, profile.Ref{Source: "crm", Key: "1"})
	if err != nil {
		t.Fatal(err)
	}
	want := p.Clone()
	vandalize := func(p profile.Profile) {
		for f, vs := range p.Fields {
			for i := range vs {
				vs[i].Value = "changed"
			}
			p.Fields[f] = nil
		}
		for i := range p.Members {
			p.Members[i].Key = "changed"
		}
	}
	vandalize(p)
	for q, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		vandalize(q)
	}
	sp, err := store.GetProfile(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	vandalize(sp)
	for _, get := range []func() (profile.Profile, error){
		func() (profile.Profile, error) { return e.Profile(ctx, want.ID) },
		func() (profile.Profile, error) { return store.GetProfile(ctx, want.ID) },
	} {
		got, err := get()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Members, want.Members) || len(got.Fields) != len(want.Fields) {
			t.Fatalf("profile changed through a copy: got %+v, want %+v", got, want)
		}
		for f, vs := range want.Fields {
			if !slices.Equal(got.Fields[f], vs) {
				t.Fatalf("field %s changed through a copy: got %v, want %v", f, got.Fields[f], vs)
			}
		}
	}
}

// TestRecordsAreCopies checks the other direction of ownership: the engine
// packs what Add is given, so a host may change a record afterwards
// without changing the engine's, and Record returns copies, for staged
// records as well as resolved ones.
func TestRecordsAreCopies(t *testing.T) {
	ctx := context.Background()
	e, err := unify.New(ctx, unify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := testRecord("1", "Ann", "Lee", "ann@example.com"), testRecord("2", "Ann", "Lee", "ann@example.com")
	want := a.Clone()
	if _, err := e.Add(ctx, a, b); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		got, err := e.Record(ctx, a.Ref())
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("%s: the engine's record changed (-want +got):\n%s", when, d)
		}
		got.Name.Given.Norm = "changed"
		got.Emails[0].Address = "changed@example.com"
	}
	a.Name.Given = profile.Text{Raw: "Bob", Norm: "Bob", Key: "bob"}
	a.Emails[0].Address = "bob@example.com"
	check("staged")
	check("staged, again")
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	check("resolved")
	p, err := e.ProfileOf(ctx, a.Ref())
	if err != nil {
		t.Fatal(err)
	}
	if g := p.Fields[profile.FieldGivenName]; len(g) != 1 || g[0].Value != "Ann" {
		t.Fatalf("golden given name %v, want Ann: the host's change reached the profile", g)
	}
}

// TestForgetRewritesModel checks that erasure reaches the saved match
// model: a value the forgotten record held leaves the model's frequency
// tables, and the rewritten model loads after a restart.
func TestForgetRewritesModel(t *testing.T) {
	ctx := context.Background()
	store := unify.NewMemoryStore()
	e, err := unify.New(ctx, unify.Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	recs := smallWorld()
	// A family address three people use: shared by three records, it is
	// listed in the model's term-frequency table.
	const shared = "the.kellys@mailbox.org"
	for i, g := range []string{"Declan", "Maureen", "Siobhan"} {
		recs = append(recs, rec("crm", fmt.Sprint("k", i), g, "Kelly", shared, fmt.Sprintf("04%08d", 555000+i)))
	}
	if _, err := e.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	doc, err := store.GetModel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), shared) {
		t.Fatalf("the model does not list %s; the test needs it to", shared)
	}
	if _, err := e.Forget(ctx, profile.Ref{Source: "crm", Key: "k1"}); err != nil {
		t.Fatal(err)
	}
	if doc, _ = store.GetModel(ctx); strings.Contains(string(doc), shared) {
		t.Errorf("%s remains in the saved model after Forget", shared)
	}
	e2, err := unify.New(ctx, unify.Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	x, err := e2.Explain(ctx, profile.Ref{Source: "crm", Key: "k0"}, profile.Ref{Source: "crm", Key: "k2"})
	if err != nil {
		t.Fatal(err)
	}
	if x.Match == nil {
		t.Fatal("no match explanation after a restart")
	}
}

// TestSingleKeyBlockIncremental checks that an incremental add compares
// candidates as batch blocking does: a record that shares only one key
// with another, in a block over Match.MaxSingleKeyBlock, is not compared,
// unless the key's rule is a contact point (BlockingRule.Contact). A
// phone-only record shares nothing with its owner but the phone key; the
// test turns the phone rule's Contact off to see the cap.
func TestSingleKeyBlockIncremental(t *testing.T) {
	ctx := context.Background()
	owner := profile.Ref{Source: "crm", Key: "c5"} // no other record holds its phone
	for _, tc := range []struct {
		single  int
		contact bool
		joins   bool
	}{
		{single: -1, joins: true},               // no single-key cap
		{single: 0, joins: true},                // the default: a block of two is small
		{single: 1, joins: false},               // every block of one shared key is over it
		{single: 1, contact: true, joins: true}, // but a contact point's block is spared
	} {
		rules := match.DefaultBlockingRules()
		for i := range rules {
			if rules[i].Name == "phone" {
				rules[i].Contact = tc.contact
			}
		}
		e, _ := newResolvedWith(t, unify.Options{Match: match.Settings{MaxSingleKeyBlock: tc.single, Blocking: rules}})
		phone := fmt.Sprintf("04%08d", 12345678+5*7919)
		if _, err := e.Add(ctx, rec("web", "w1", "", "", "", phone)); err != nil {
			t.Fatal(err)
		}
		p, err := e.ProfileOf(ctx, profile.Ref{Source: "web", Key: "w1"})
		if err != nil {
			t.Fatal(err)
		}
		if joined := slices.Contains(p.Members, owner); joined != tc.joins {
			t.Errorf("MaxSingleKeyBlock %d: phone-only record joined its owner: %v, want %v (members %v)", tc.single, joined, tc.joins, p.Members)
		}
		// Explain says so.
		x, err := e.Explain(ctx, profile.Ref{Source: "web", Key: "w1"}, owner)
		if err != nil {
			t.Fatal(err)
		}
		c := x.Candidate
		if c == nil || len(c.Shared) != 1 || c.Shared[0].Records != 2 || c.Compared != tc.joins ||
			(!tc.joins && !strings.Contains(c.Reason, "MaxSingleKeyBlock (1)")) {
			t.Errorf("MaxSingleKeyBlock %d: candidate explanation %+v", tc.single, c)
		}
		x, err = e.Explain(ctx, profile.Ref{Source: "web", Key: "w1"}, profile.Ref{Source: "crm", Key: "c7"})
		if err != nil {
			t.Fatal(err)
		}
		if c := x.Candidate; c == nil || c.Compared || len(c.Shared) != 0 || c.Reason != "they share no blocking key" {
			t.Errorf("records sharing nothing: candidate explanation %+v", c)
		}
	}
}

// TestProfilesIterator checks Engine.Profiles' contract: ID order, one
// profile per ID, writes allowed in the loop body (the iterator holds no
// lock while yielding), profiles merged away meanwhile skipped, and a
// cancelled context ending the iteration with its error.
func TestProfilesIterator(t *testing.T) {
	ctx := context.Background()
	e, err := unify.New(ctx, unify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := func(key, given, email string) *profile.Record { return testRecord(key, given, "Lee", email) }
	var recs []*profile.Record
	for i := range 40 {
		recs = append(recs, rec(fmt.Sprint(i), fmt.Sprintf("Ann%c", 'a'+i%26), fmt.Sprintf("a%d@example.com", i)))
	}
	if _, err := e.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil && !errors.Is(err, match.ErrNoData) {
		t.Fatal(err)
	}
	n := e.NumProfiles()
	var ids []string
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
		// A write in the loop body: it must not deadlock.
		if _, err := e.Add(ctx, rec("new"+p.ID, "Zed", "zed"+p.ID+"@example.com")); err != nil {
			t.Fatal(err)
		}
	}
	if len(ids) != n || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != n {
		t.Fatalf("yielded %d IDs (sorted %v), the engine held %d profiles", len(ids), slices.IsSorted(ids), n)
	}
	if e.NumProfiles() != 2*n {
		t.Fatalf("%d profiles after adding %d records to %d", e.NumProfiles(), n, n)
	}

	// Profiles deleted during the iteration are skipped.
	seen := 0
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		seen++
		if seen == 1 {
			for q, err := range e.Profiles(ctx) {
				if err != nil {
					t.Fatal(err)
				}
				if q.ID != p.ID {
					if _, err := e.Delete(ctx, q.Members...); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	if seen != 1 || e.NumProfiles() != 1 {
		t.Fatalf("yielded %d profiles after deleting all but the first; %d left", seen, e.NumProfiles())
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	var got error
	for _, err := range e.Profiles(cctx) {
		got = err
	}
	if !errors.Is(got, context.Canceled) {
		t.Fatalf("cancelled iteration ended with %v", got)
	}
}

// TestLinksWeighEvidenceWithoutPrior checks that the links the clustering
// reads carry the pair's Bayes factor, as merge.Link documents and its
// veto assumes, not the posterior's log odds: with the prior included, a
// veto of 20 bits fell to about 2 bits of evidence at a million records.
// Links from a bulk load and from an incremental add are both checked.
func TestLinksWeighEvidenceWithoutPrior(t *testing.T) {
	ctx := context.Background()
	recs, _, err := benchdata.Load(ctx, benchdata.Sets[2]) // fake_1000
	if err != nil {
		t.Fatal(err)
	}
	e, err := unify.New(ctx, unify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Add(ctx, recs[:len(recs)-1]...); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Add(ctx, recs[len(recs)-1]); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range []*profile.Record{recs[0], recs[1], recs[2], recs[len(recs)-1]} {
		links, err := e.Links(ctx, r.Ref())
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range links {
			x, err := e.Explain(ctx, l.A, l.B)
			if err != nil {
				t.Fatal(err)
			}
			if x.Match.Rule != "" {
				continue
			}
			want := x.Match.Weight - x.Match.PriorWeight
			if math.Abs(l.Weight-want) > 1e-3*max(1, math.Abs(want)) {
				t.Errorf("%v-%v: link weight %.4f, want the Bayes factor %.4f (posterior log odds %.4f)", l.A, l.B, l.Weight, want, x.Match.Weight)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no links checked")
	}
}

// TestProfileIDOfAgreesWithProfiles maps every record to its profile's ID
// without building profiles, and checks it against the profiles.
func TestProfileIDOfAgreesWithProfiles(t *testing.T) {
	ctx := context.Background()
	e, _ := newResolved(t, unify.NewMemoryStore())
	n := 0
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Members {
			n++
			if id, err := e.ProfileIDOf(ctx, m); err != nil || id != p.ID {
				t.Errorf("ProfileIDOf(%v) = %q, %v; want %s", m, id, err, p.ID)
			}
		}
	}
	if n != e.Len() {
		t.Errorf("profiles hold %d records, the engine %d", n, e.Len())
	}
	if _, err := e.ProfileIDOf(ctx, profile.Ref{Source: "crm", Key: "absent"}); !errors.Is(err, unify.ErrNotFound) {
		t.Errorf("ProfileIDOf of an absent record: %v, want ErrNotFound", err)
	}
}

// TestProfilesBuiltAheadAreCurrent checks the chunks Profiles builds ahead
// on several goroutines: over more than one chunk, each profile equals the
// one Profile builds; a profile replaced by a write in the loop body is
// yielded as it is after the write, one deleted is skipped, even when they
// were built ahead before the write.
func TestProfilesBuiltAheadAreCurrent(t *testing.T) {
	ctx := context.Background()
	e, err := unify.New(ctx, unify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 2500 // more than two chunks
	var recs []*profile.Record
	for i := range n {
		recs = append(recs, testRecord(fmt.Sprintf("%04d", i), fmt.Sprintf("Given%d", i), fmt.Sprintf("Family%d", i), fmt.Sprintf("p%d@example.com", i)))
	}
	if _, err := e.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil && !errors.Is(err, match.ErrNoData) {
		t.Fatal(err)
	}
	var ids []string
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		want, err := e.Profile(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Fatalf("profile %s from Profiles differs from Profile (-want +got):\n%s", p.ID, diff)
		}
		ids = append(ids, p.ID)
	}
	if len(ids) != n {
		t.Fatalf("%d profiles yielded, want %d", len(ids), n)
	}

	// Writes in the loop body, to profiles later in the same chunk (and,
	// for the deletion, in the next one).
	changed, deleted, deletedNext := ids[20], ids[30], ids[1030]
	memberOf := func(id string) profile.Ref {
		p, err := e.Profile(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return p.Members[0]
	}
	cRef, dRef, dNextRef := memberOf(changed), memberOf(deleted), memberOf(deletedNext)
	seen := map[string]profile.Profile{}
	i := 0
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		seen[p.ID] = p
		if i == 10 {
			r := testRecord(cRef.Key, "Renamed", "Family", "renamed@example.com")
			if _, err := e.Add(ctx, r); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Delete(ctx, dRef, dNextRef); err != nil {
				t.Fatal(err)
			}
		}
		i++
	}
	if _, ok := seen[deleted]; ok {
		t.Errorf("profile %s, deleted in the loop body, was yielded", deleted)
	}
	if _, ok := seen[deletedNext]; ok {
		t.Errorf("profile %s, deleted in the loop body, was yielded", deletedNext)
	}
	p, ok := seen[changed]
	if !ok {
		// Replacing the record may have given it a profile of another ID;
		// the old ID must then be gone.
		if _, err := e.Profile(ctx, changed); err == nil {
			t.Errorf("profile %s skipped, but it still exists", changed)
		}
	} else if g := p.Fields[profile.FieldGivenName]; len(g) != 1 || g[0].Value != "Renamed" {
		t.Errorf("profile %s yielded with given name %+v, want the value written in the loop body", changed, g)
	}
}
