package sqlitestore_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"iter"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/examples/sqlite/sqlitestore"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/storetest"
	"pgregory.net/rapid"
)

// The universe the generated operations draw from: few values, so that
// writes collide, replace and delete each other. It includes empty
// strings (the first stream page has no lower bound), a NUL byte, and
// for the plain columns (index keys, link and assertion refs) bytes that
// are not UTF-8.
var (
	uSources  = []string{"", "a", "b"}
	uKeys     = []string{"", "1", "2", "é", "x\x00y"}
	uRawKeys  = append(slices.Clone(uKeys), "\xff", "a\xc3")
	uIndex    = []string{"", "k1", "k2", "name:smith", "\xfe", "k\x00"}
	uProfiles = []string{"", "p1", "p2", "p3"}
)

func universe(keys []string) []profile.Ref {
	var out []profile.Ref
	for _, s := range uSources {
		for _, k := range keys {
			out = append(out, profile.Ref{Source: s, Key: k})
		}
	}
	return out
}

var (
	genRef    = rapid.SampledFrom(universe(uKeys))
	genRawRef = rapid.SampledFrom(universe(uRawKeys))
)

func genRecord(t *rapid.T) *profile.Record {
	ref := genRef.Draw(t, "ref")
	given := rapid.String().Draw(t, "given")
	r := &profile.Record{
		Source: ref.Source, Key: ref.Key,
		Name: profile.Name{Given: profile.Text{Raw: given, Norm: given, Key: given}},
	}
	if rapid.Bool().Draw(t, "observed") {
		zone := time.FixedZone("", rapid.IntRange(-12, 14).Draw(t, "zone")*3600)
		r.Observed = time.Unix(rapid.Int64Range(0, 4e9).Draw(t, "unix"), rapid.Int64Range(0, 1e9-1).Draw(t, "nanos")).In(zone)
	}
	if rapid.Bool().Draw(t, "attrs") {
		r.Attrs = rapid.MapOfN(rapid.String(), rapid.String(), 0, 3).Draw(t, "attrs")
	}
	return r
}

func genLink(t *rapid.T) merge.Link {
	l := merge.Link{A: genRawRef.Draw(t, "a"), B: genRawRef.Draw(t, "b"), Prob: rapid.Float64Range(0, 1).Draw(t, "prob")}
	l.Weight = rapid.SampledFrom([]float64{0, -3.5, 1e6, -1e6, math.Inf(1), math.Inf(-1), l.Prob * 7}).Draw(t, "weight")
	return l
}

func genAssertion(t *rapid.T) merge.Assertion {
	a, b := genRawRef.Draw(t, "a"), genRawRef.Draw(t, "b")
	if rapid.Bool().Draw(t, "detached") {
		return merge.AssertDetached(a)
	}
	return merge.AssertNotSame(a, b)
}

func genProfile(t *rapid.T) profile.Profile {
	p := profile.Profile{
		ID:      rapid.SampledFrom(uProfiles).Draw(t, "id"),
		Members: rapid.SliceOfN(genRef, 1, 3).Draw(t, "members"),
		Updated: time.Unix(rapid.Int64Range(0, 4e9).Draw(t, "updated"), 0).UTC(),
	}
	slices.SortFunc(p.Members, profile.Ref.Compare)
	if v := rapid.String().Draw(t, "value"); v != "" {
		p.Fields = map[profile.Field][]profile.GoldenValue{profile.FieldEmail: {{Value: v, From: p.Members[0], Rule: "union"}}}
	}
	return p
}

// op is one store operation, applied alike to the store under test and
// to the reference.
type op struct {
	name  string
	apply func(s unify.Store) error
}

func genOp(t *rapid.T) op {
	switch rapid.IntRange(0, 12).Draw(t, "op") {
	case 0, 1:
		recs := rapid.SliceOfN(rapid.Custom(genRecord), 1, 4).Draw(t, "records")
		// One call must not hold a ref twice: which would win is not
		// specified.
		recs = slices.CompactFunc(slices.SortedStableFunc(slices.Values(recs), func(a, b *profile.Record) int { return a.Ref().Compare(b.Ref()) }),
			func(a, b *profile.Record) bool { return a.Ref() == b.Ref() })
		return op{fmt.Sprintf("PutRecords(%d)", len(recs)), func(s unify.Store) error { return s.PutRecords(ctx, recs) }}
	case 2:
		refs := rapid.SliceOfN(genRef, 1, 3).Draw(t, "refs")
		return op{fmt.Sprint("DeleteRecords", refs), func(s unify.Store) error { return s.DeleteRecords(ctx, refs) }}
	case 3:
		evs := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) profile.Event {
			return profile.Event{
				ID: rapid.String().Draw(t, "id"), Record: genRef.Draw(t, "record"), Type: profile.Purchase,
				Time: time.Unix(rapid.Int64Range(0, 4e9).Draw(t, "time"), 0).UTC(), Amount: rapid.Float64Range(0, 1e4).Draw(t, "amount"),
			}
		}), 1, 4).Draw(t, "events")
		return op{fmt.Sprintf("AddEvents(%d)", len(evs)), func(s unify.Store) error { return s.AddEvents(ctx, evs) }}
	case 4:
		ref := genRef.Draw(t, "ref")
		return op{fmt.Sprint("DeleteEvents", ref), func(s unify.Store) error { return s.DeleteEvents(ctx, ref) }}
	case 5, 6:
		ref := genRawRef.Draw(t, "ref")
		keys := rapid.SliceOfN(rapid.SampledFrom(uIndex), 0, 3).Draw(t, "keys")
		return op{fmt.Sprintf("SetKeys(%q, %q)", ref, keys), func(s unify.Store) error { return s.SetKeys(ctx, ref, keys) }}
	case 7:
		links := rapid.SliceOfN(rapid.Custom(genLink), 1, 4).Draw(t, "links")
		return op{fmt.Sprintf("PutLinks(%v)", links), func(s unify.Store) error { return s.(unify.LinkStore).PutLinks(ctx, links) }}
	case 8:
		ref := genRawRef.Draw(t, "ref")
		return op{fmt.Sprintf("DeleteLinks(%q)", ref), func(s unify.Store) error { return s.(unify.LinkStore).DeleteLinks(ctx, ref) }}
	case 9:
		a := genAssertion(t)
		if rapid.Bool().Draw(t, "delete") {
			return op{fmt.Sprint("DeleteAssertion", a), func(s unify.Store) error { return s.DeleteAssertion(ctx, a) }}
		}
		return op{fmt.Sprint("PutAssertion", a), func(s unify.Store) error { return s.PutAssertion(ctx, a) }}
	case 10:
		ps := rapid.SliceOfNDistinct(rapid.Custom(genProfile), 1, 3, func(p profile.Profile) string { return p.ID }).Draw(t, "profiles")
		return op{fmt.Sprintf("PutProfiles(%d)", len(ps)), func(s unify.Store) error { return s.(unify.ProfileStore).PutProfiles(ctx, ps) }}
	case 11:
		ids := rapid.SliceOfN(rapid.SampledFrom(uProfiles), 1, 3).Draw(t, "ids")
		return op{fmt.Sprint("DeleteProfiles", ids), func(s unify.Store) error { return s.(unify.ProfileStore).DeleteProfiles(ctx, ids) }}
	default:
		doc := []byte(rapid.StringN(1, 20, -1).Draw(t, "model"))
		return op{fmt.Sprintf("PutModel(%q)", doc), func(s unify.Store) error { return s.PutModel(ctx, doc) }}
	}
}

// state is everything observable in a store over the universe, in a
// canonical order.
type state struct {
	Records    []*profile.Record
	Events     map[profile.Ref][]profile.Event
	Lookups    map[string][]profile.Ref
	Links      []merge.Link
	Assertions []merge.Assertion
	Profiles   []profile.Profile
	Model      string
	HasModel   bool
}

func observe(t *rapid.T, s unify.Store) state {
	var st state
	var err error
	must := func(e error) {
		if e != nil {
			t.Fatal(e)
		}
	}
	for r, e := range s.Records(ctx) {
		must(e)
		st.Records = append(st.Records, r)
	}
	slices.SortFunc(st.Records, func(a, b *profile.Record) int { return a.Ref().Compare(b.Ref()) })
	st.Events = map[profile.Ref][]profile.Event{}
	for _, ref := range universe(uKeys) {
		evs, e := s.Events(ctx, ref)
		must(e)
		if len(evs) > 0 {
			st.Events[ref] = evs
		}
	}
	st.Lookups = map[string][]profile.Ref{}
	for _, k := range uIndex {
		refs, e := s.Lookup(ctx, k)
		must(e)
		if len(refs) > 0 {
			st.Lookups[k] = sortRefs(refs)
		}
	}
	for l, e := range s.(unify.LinkStore).Links(ctx) {
		must(e)
		if l.A.Compare(l.B) > 0 {
			l.A, l.B = l.B, l.A
		}
		st.Links = append(st.Links, l)
	}
	slices.SortFunc(st.Links, func(x, y merge.Link) int { return cmp.Or(x.A.Compare(y.A), x.B.Compare(y.B)) })
	st.Assertions, err = s.Assertions(ctx)
	must(err)
	slices.SortFunc(st.Assertions, func(x, y merge.Assertion) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), x.A.Compare(y.A), x.B.Compare(y.B))
	})
	for p, e := range s.(unify.ProfileStore).Profiles(ctx) {
		must(e)
		st.Profiles = append(st.Profiles, p)
	}
	slices.SortFunc(st.Profiles, func(a, b profile.Profile) int { return cmp.Compare(a.ID, b.ID) })
	m, err := s.GetModel(ctx)
	switch {
	case errors.Is(err, unify.ErrNotFound):
	case err != nil:
		t.Fatal(err)
	default:
		st.Model, st.HasModel = string(m), true
	}
	return st
}

func sortRefs(rs []profile.Ref) []profile.Ref {
	slices.SortFunc(rs, profile.Ref.Compare)
	return rs
}

// copyStore writes into dst everything observe sees in src.
func copyStore(t *rapid.T, dst unify.Store, src state) {
	must := func(e error) {
		if e != nil {
			t.Fatal(e)
		}
	}
	must(dst.PutRecords(ctx, src.Records))
	for _, ref := range universe(uKeys) {
		must(dst.AddEvents(ctx, src.Events[ref]))
	}
	keysOf := map[profile.Ref][]string{}
	for k, refs := range src.Lookups {
		for _, r := range refs {
			keysOf[r] = append(keysOf[r], k)
		}
	}
	for r, ks := range keysOf {
		must(dst.SetKeys(ctx, r, ks))
	}
	must(dst.(unify.LinkStore).PutLinks(ctx, src.Links))
	for _, a := range src.Assertions {
		must(dst.PutAssertion(ctx, a))
	}
	must(dst.(unify.ProfileStore).PutProfiles(ctx, src.Profiles))
	if src.HasModel {
		must(dst.PutModel(ctx, []byte(src.Model)))
	}
}

var cmpState = gocmp.Options{cmpopts.EquateEmpty()}

// fingerprint is a canonical text of a state, a fast equality check: the
// documents (valid UTF-8 by construction) as JSON, and everything that
// may hold other bytes or infinite weights quoted with %q.
func fingerprint(t *rapid.T, st state) string {
	var raw []string
	for k, refs := range st.Lookups {
		raw = append(raw, fmt.Sprintf("lookup %q %q", k, refs))
	}
	slices.Sort(raw)
	for _, l := range st.Links {
		raw = append(raw, fmt.Sprintf("link %q %q %v %v", l.A, l.B, l.Prob, l.Weight))
	}
	for _, a := range st.Assertions {
		raw = append(raw, fmt.Sprintf("assertion %d %q %q", a.Kind, a.A, a.B))
	}
	events := make([][]profile.Event, 0, len(st.Events))
	for _, ref := range universe(uKeys) {
		events = append(events, st.Events[ref])
	}
	b, err := json.Marshal([]any{st.Records, events, raw, st.Profiles, st.Model, st.HasModel})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAgainstMemoryStore runs random sequences of writes, some inside
// transactions that commit or roll back, on a sqlitestore and on
// unify.MemoryStore (the reference implementation), and checks after every
// step that both hold the same: the records, events, index, links,
// assertions, profiles and model. Inside a transaction the transaction's
// Store is compared with a copy of the reference taking the same writes,
// and the Store outside with the reference as it was.
//
// Under -race or -short it runs 20 cases rather than rapid's default 100
// (unless -rapid.checks is given): the test is sequential, so the race
// detector has nothing to find in it, and it slows SQLite down tenfold.
func TestAgainstMemoryStore(t *testing.T) {
	if f := flag.Lookup("rapid.checks"); (raceEnabled || testing.Short()) && f != nil && f.Value.String() == f.DefValue {
		if err := f.Value.Set("20"); err != nil {
			t.Fatal(err)
		}
		defer f.Value.Set(f.DefValue)
	}
	dir := t.TempDir()
	n := 0
	rapid.Check(t, func(t *rapid.T) {
		n++
		path := filepath.Join(dir, fmt.Sprintf("p%d.db", n))
		// LazySync: the property is about what the store holds, and
		// waiting for the disk at every commit would make it slow.
		sq, err := sqlitestore.OpenWith(ctx, path, sqlitestore.Options{LazySync: true})
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			sq.Close()
			os.Remove(path)
		}()
		mem := newReference()
		check := func(what string, got, want unify.Store) {
			w, g := observe(t, want), observe(t, got)
			if fingerprint(t, w) == fingerprint(t, g) {
				return
			}
			if diff := gocmp.Diff(w, g, cmpState); diff != "" {
				t.Fatalf("%s: sqlitestore differs from the reference (-reference +sqlitestore):\n%s", what, diff)
			}
			t.Fatalf("%s: sqlitestore differs from the reference:\n%s\n%s", what, fingerprint(t, w), fingerprint(t, g))
		}
		t.Repeat(map[string]func(*rapid.T){
			"write": func(t *rapid.T) {
				o := genOp(t)
				if err := o.apply(mem); err != nil {
					t.Fatalf("reference %s: %v", o.name, err)
				}
				if err := o.apply(sq); err != nil {
					t.Fatalf("sqlitestore %s: %v", o.name, err)
				}
				check(o.name, sq, mem)
			},
			"tx": func(t *rapid.T) {
				ops := rapid.SliceOfN(rapid.Custom(genOp), 1, 5).Draw(t, "ops")
				commit := rapid.Bool().Draw(t, "commit")
				shadow := newReference()
				copyStore(t, shadow, observe(t, mem))
				rollback := errors.New("roll back")
				err := sq.Tx(ctx, func(tx unify.Store) error {
					for _, o := range ops {
						if err := o.apply(shadow); err != nil {
							t.Fatalf("reference %s: %v", o.name, err)
						}
						if err := o.apply(tx); err != nil {
							t.Fatalf("sqlitestore in Tx, %s: %v", o.name, err)
						}
						check("inside Tx after "+o.name, tx, shadow)
					}
					check("outside a running Tx", sq, mem)
					if !commit {
						return rollback
					}
					return nil
				})
				if commit && err != nil || !commit && !errors.Is(err, rollback) {
					t.Fatalf("Tx (commit %v) = %v", commit, err)
				}
				if commit {
					mem = shadow
				}
				check(fmt.Sprintf("after Tx (commit %v)", commit), sq, mem)
			},
		})
	})
}

// reference is the model the property compares against: unify.MemoryStore,
// which keeps neither links nor profiles, plus an in-memory link table with
// LinkStore's semantics (an unordered pair is one link; the last write
// wins) and storetest's profile map.
type reference struct {
	*unify.MemoryStore
	storetest.ProfileMap
	mu    sync.Mutex
	links map[[2]profile.Ref]merge.Link
}

func newReference() *reference {
	return &reference{MemoryStore: unify.NewMemoryStore(), links: map[[2]profile.Ref]merge.Link{}}
}

func refPair(a, b profile.Ref) [2]profile.Ref {
	if a.Compare(b) > 0 {
		a, b = b, a
	}
	return [2]profile.Ref{a, b}
}

func (r *reference) PutLinks(ctx context.Context, links []merge.Link) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range links {
		r.links[refPair(l.A, l.B)] = l
	}
	return nil
}

func (r *reference) DeleteLinks(ctx context.Context, ref profile.Ref) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.links {
		if k[0] == ref || k[1] == ref {
			delete(r.links, k)
		}
	}
	return nil
}

func (r *reference) Links(ctx context.Context) iter.Seq2[merge.Link, error] {
	return func(yield func(merge.Link, error) bool) {
		r.mu.Lock()
		snap := make([]merge.Link, 0, len(r.links))
		for _, l := range r.links {
			snap = append(snap, l)
		}
		r.mu.Unlock()
		for _, l := range snap {
			if !yield(l, nil) {
				return
			}
		}
	}
}
