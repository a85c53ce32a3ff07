package sqlitestore_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/examples/sqlite/sqlitestore"
	"github.com/unifyhq/unify/ingest"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// readFebrl1 reads ../../testdata/febrl1.csv (1,000 records, 500 people)
// through ingest.
func readFebrl1(t testing.TB) []*profile.Record {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "testdata", "febrl1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := ingest.NewSource(f, ingest.Mapping{Source: "febrl"}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var recs []*profile.Record
	for r, err := range src.Records(ctx) {
		if err != nil {
			t.Fatalf("febrl1.csv: %v", err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 1000 {
		t.Fatalf("febrl1.csv gave %d records, want 1000", len(recs))
	}
	return recs
}

// snapshot is an engine's profiles, by ID, without the Updated times
// (a reload stamps them anew).
func snapshot(t testing.TB, e *unify.Engine) map[string]profile.Profile {
	t.Helper()
	out := map[string]profile.Profile{}
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		p.Updated = time.Time{}
		out[p.ID] = p
	}
	return out
}

// stored is the profiles a store holds, by ID, without Updated times.
func stored(t testing.TB, s unify.ProfileStore) map[string]profile.Profile {
	t.Helper()
	out := map[string]profile.Profile{}
	for p, err := range s.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		p.Updated = time.Time{}
		out[p.ID] = p
	}
	return out
}

// partition is the profiles' member lists, sorted: the clustering without
// the IDs.
func partition(ps map[string]profile.Profile) [][]profile.Ref {
	var out [][]profile.Ref
	for _, p := range ps {
		out = append(out, p.Members)
	}
	slices.SortFunc(out, func(a, b []profile.Ref) int { return a[0].Compare(b[0]) })
	return out
}

var cmpProfiles = cmp.Options{cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b string) bool { return a < b })}

// ignoreAliases leaves aliases out of a comparison across a restart: the
// engine rebuilds its profiles from records and links when it opens and
// does not restore the aliases (an engine limitation, not the store's).
var ignoreAliases = cmpopts.IgnoreFields(profile.Profile{}, "Aliases")

// TestEngineSurvivesRestart resolves FEBRL1 through an engine on a file,
// closes everything, and opens a new engine on the same file: it must see
// the same profiles (IDs, members and golden values) without resolving
// again, and the stored profile table must agree with it. Aliases are not
// compared after the restart (see ignoreAliases).
func TestEngineSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "febrl.db")
	recs := readFebrl1(t)

	s1, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	e1, err := unify.New(ctx, unify.Options{Store: s1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e1.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := e1.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, e1)
	if n := len(before); n >= len(recs) || n < len(recs)/2 {
		t.Fatalf("Resolve made %d profiles of %d records; expected duplicates to merge", n, len(recs))
	}
	if diff := cmp.Diff(before, stored(t, s1), cmpProfiles); diff != "" {
		t.Fatalf("the store's profiles differ from the engine's (-engine +store):\n%s", diff)
	}
	model, err := s1.GetModel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := openAt(t, path)
	e2, err := unify.New(ctx, unify.Options{Store: s2})
	if err != nil {
		t.Fatal(err)
	}
	if e2.Len() != len(recs) {
		t.Errorf("reopened engine holds %d records, want %d", e2.Len(), len(recs))
	}
	after := snapshot(t, e2)
	if diff := cmp.Diff(before, after, cmpProfiles, ignoreAliases); diff != "" {
		t.Errorf("profiles after restart differ (-before +after):\n%s", diff)
	}
	if got, _ := s2.GetModel(ctx); string(got) != string(model) {
		t.Error("the model changed across the restart")
	}
	// The reopened engine matches incrementally with the stored model: a
	// copy of a record under a new key joins that record's profile.
	orig := recs[0]
	p0, err := e2.ProfileOf(ctx, orig.Ref())
	if err != nil {
		t.Fatal(err)
	}
	dup := orig.Clone()
	dup.Key = "zz-copy-of-" + orig.Key
	changes, err := e2.Add(ctx, dup)
	if err != nil {
		t.Fatal(err)
	}
	p1, err := e2.ProfileOf(ctx, dup.Ref())
	if err != nil {
		t.Fatal(err)
	}
	if p1.ID != p0.ID {
		t.Errorf("the copy of %v went to profile %s, want %s (changes %v)", orig.Ref(), p1.ID, p0.ID, changes)
	}
	grown := snapshot(t, e2)
	if diff := cmp.Diff(grown, stored(t, s2), cmpProfiles, ignoreAliases); diff != "" {
		t.Errorf("after an incremental add the store's profiles differ from the engine's (-engine +store):\n%s", diff)
	}
}

// TestRestartAfterIncrementalWrites makes profiles change through the
// engine's incremental paths (adds, a delete, a "not the same" assertion)
// and checks that a reopened engine sees the same clustering and the same
// assertions. It compares members only: the engine names a profile built
// incrementally after its first record, and a reloaded one after its
// smallest record, so some IDs differ after a restart (an engine
// limitation, reported to the lead).
func TestRestartAfterIncrementalWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inc.db")
	recs := readFebrl1(t)[:300]
	s1, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	e1, err := unify.New(ctx, unify.Options{Store: s1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e1.Add(ctx, recs[:200]...); err != nil {
		t.Fatal(err)
	}
	if _, err := e1.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[200:] {
		if _, err := e1.Add(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e1.Delete(ctx, recs[5].Ref()); err != nil {
		t.Fatal(err)
	}
	// Split some merged profile with an assertion.
	var multi profile.Profile
	for p, err := range e1.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Members) >= 2 {
			multi = p
			break
		}
	}
	if multi.ID == "" {
		t.Fatal("no profile has two records")
	}
	if _, err := e1.AssertNotSame(ctx, multi.Members[0], multi.Members[1]); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, e1)
	if diff := cmp.Diff(before, stored(t, s1), cmpProfiles); diff != "" {
		t.Fatalf("the store's profiles differ from the engine's (-engine +store):\n%s", diff)
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := openAt(t, path)
	e2, err := unify.New(ctx, unify.Options{Store: s2})
	if err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, e2)
	if diff := cmp.Diff(partition(before), partition(after)); diff != "" {
		t.Errorf("clustering after restart differs (-before +after):\n%s", diff)
	}
	if _, err := e2.Record(ctx, recs[5].Ref()); !errors.Is(err, unify.ErrNotFound) {
		t.Errorf("the deleted record is back after restart: %v", err)
	}
	pa, _ := e2.ProfileOf(ctx, multi.Members[0])
	pb, _ := e2.ProfileOf(ctx, multi.Members[1])
	if pa.ID == pb.ID {
		t.Errorf("after restart %v and %v share profile %s despite the assertion", multi.Members[0], multi.Members[1], pa.ID)
	}
	as, err := s2.Assertions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []merge.Assertion{merge.AssertNotSame(multi.Members[0], multi.Members[1])}; !slices.Equal(as, want) {
		t.Errorf("stored assertions = %v, want %v", as, want)
	}
}
