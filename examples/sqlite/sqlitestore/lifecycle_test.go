package sqlitestore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/examples/sqlite/sqlitestore"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

func rec(source, key, given string) *profile.Record {
	return &profile.Record{
		Source: source, Key: key,
		Name: profile.Name{Given: profile.Text{Raw: given, Norm: given, Key: strings.ToLower(given)}},
	}
}

// writeAll writes one value of every kind through s, all named by tag.
func writeAll(s unify.Store, tag string) error {
	r := rec("crm", tag, "Ann")
	if err := s.PutRecords(ctx, []*profile.Record{r}); err != nil {
		return err
	}
	if err := s.AddEvents(ctx, []profile.Event{{ID: tag, Record: r.Ref(), Type: profile.Purchase, Time: time.Unix(0, 0).UTC()}}); err != nil {
		return err
	}
	if err := s.SetKeys(ctx, r.Ref(), []string{"key:" + tag}); err != nil {
		return err
	}
	other := profile.Ref{Source: "shop", Key: tag}
	if err := s.(unify.LinkStore).PutLinks(ctx, []merge.Link{{A: r.Ref(), B: other, Prob: 0.9}}); err != nil {
		return err
	}
	if err := s.PutAssertion(ctx, merge.AssertNotSame(r.Ref(), other)); err != nil {
		return err
	}
	if err := s.(unify.ProfileStore).PutProfiles(ctx, []profile.Profile{{ID: "p_" + tag, Members: []profile.Ref{r.Ref()}}}); err != nil {
		return err
	}
	return s.PutModel(ctx, []byte(`{"model":"`+tag+`"}`))
}

// contents describes everything a store holds, for comparisons.
func contents(t testing.TB, s unify.Store) string {
	t.Helper()
	var b strings.Builder
	for r, err := range s.Records(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		evs, err := s.Events(ctx, r.Ref())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "record %v (%d events)\n", r.Ref(), len(evs))
		for _, k := range []string{"key:" + r.Key} {
			refs, err := s.Lookup(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "  %s -> %v\n", k, refs)
		}
	}
	for l, err := range s.(unify.LinkStore).Links(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "link %v-%v %g\n", l.A, l.B, l.Prob)
	}
	as, err := s.Assertions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "assertions %v\n", as)
	for p, err := range s.(unify.ProfileStore).Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "profile %s %v\n", p.ID, p.Members)
	}
	m, err := s.GetModel(ctx)
	fmt.Fprintf(&b, "model %s %v\n", m, err)
	return b.String()
}

// TestTxRollback: a Tx whose function fails, panics or outlives its
// context leaves nothing behind, of any kind of value, and the store
// stays usable.
func TestTxRollback(t *testing.T) {
	s := open(t)
	if err := s.Tx(ctx, func(s unify.Store) error { return writeAll(s, "committed") }); err != nil {
		t.Fatal(err)
	}
	want := contents(t, s)
	if !strings.Contains(want, "crm/committed") || !strings.Contains(want, `{"model":"committed"}`) {
		t.Fatalf("committed writes missing:\n%s", want)
	}

	boom := errors.New("boom")
	err := s.Tx(ctx, func(tx unify.Store) error {
		if err := writeAll(tx, "rolled-back"); err != nil {
			return err
		}
		// The transaction sees its own writes; the store outside does not
		// yet, and does not wait for the transaction to read.
		if _, err := tx.GetRecord(ctx, profile.Ref{Source: "crm", Key: "rolled-back"}); err != nil {
			t.Errorf("inside Tx, the transaction's own record: %v", err)
		}
		if _, err := s.GetRecord(ctx, profile.Ref{Source: "crm", Key: "rolled-back"}); !errors.Is(err, unify.ErrNotFound) {
			t.Errorf("outside the Tx, an uncommitted record: %v, want ErrNotFound", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx = %v, want the function's error", err)
	}
	if got := contents(t, s); got != want {
		t.Errorf("after a failed Tx the store holds\n%s\nwant\n%s", got, want)
	}

	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not propagate out of Tx")
			}
		}()
		_ = s.Tx(ctx, func(tx unify.Store) error {
			if err := writeAll(tx, "panicked"); err != nil {
				t.Error(err)
			}
			panic("fn panics")
		})
	}()
	if got := contents(t, s); got != want {
		t.Errorf("after a panicking Tx the store holds\n%s\nwant\n%s", got, want)
	}

	cctx, cancel := context.WithCancel(ctx)
	err = s.Tx(cctx, func(tx unify.Store) error {
		if err := writeAll(tx, "cancelled"); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if err == nil {
		t.Error("Tx committed after its context was cancelled")
	}
	if got := contents(t, s); got != want {
		t.Errorf("after a cancelled Tx the store holds\n%s\nwant\n%s", got, want)
	}

	// Still usable.
	if err := writeAll(s, "after"); err != nil {
		t.Fatal(err)
	}
}

// TestFailedBatchWritesNothing: a write method refusing one value of a
// batch writes none of it.
func TestFailedBatchWritesNothing(t *testing.T) {
	s := open(t)
	bad := rec("crm", "2", "Bad\xffName")
	err := s.PutRecords(ctx, []*profile.Record{rec("crm", "1", "Ann"), bad, rec("crm", "3", "Cy")})
	if !errors.Is(err, sqlitestore.ErrUnstorable) {
		t.Fatalf("PutRecords with invalid UTF-8 = %v, want ErrUnstorable", err)
	}
	for _, want := range []string{"put records", "crm/2", "Name.Given.Raw"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if got, empty := contents(t, s), contents(t, open(t)); got != empty {
		t.Errorf("a refused batch left data behind:\n%s", contents(t, s))
	}
	err = s.PutLinks(ctx, []merge.Link{{A: bad.Ref(), B: profile.Ref{Source: "x", Key: "y"}, Prob: math.NaN()}})
	if !errors.Is(err, sqlitestore.ErrUnstorable) {
		t.Errorf("PutLinks with a NaN probability = %v, want ErrUnstorable", err)
	}
	// Event attributes, profile values and map keys are checked too.
	err = s.AddEvents(ctx, []profile.Event{{Record: bad.Ref(), Attrs: map[string]string{"sku": "\xc3"}}})
	if !errors.Is(err, sqlitestore.ErrUnstorable) || !strings.Contains(err.Error(), `Attrs["sku"]`) {
		t.Errorf("AddEvents with invalid UTF-8 = %v, want ErrUnstorable naming Attrs[\"sku\"]", err)
	}
	err = s.PutProfiles(ctx, []profile.Profile{{ID: "p", Fields: map[profile.Field][]profile.GoldenValue{"given_name": {{Value: "\xe2\x82"}}}}})
	if !errors.Is(err, sqlitestore.ErrUnstorable) {
		t.Errorf("PutProfiles with invalid UTF-8 = %v, want ErrUnstorable", err)
	}
	// A valid U+FFFD and a literal `\ufffd` are ordinary text.
	ok := rec("crm", "4", "A\uFFFDB \\ufffd")
	if err := s.PutRecords(ctx, []*profile.Record{ok}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetRecord(ctx, ok.Ref()); err != nil || got.Name.Given.Raw != ok.Name.Given.Raw {
		t.Errorf("GetRecord = %q, %v; want %q", got.Name.Given.Raw, err, ok.Name.Given.Raw)
	}
}

// TestReopen: a store opened, written, closed and opened again (twice, and
// by two Stores at once) sees its data; the schema is not migrated again.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reopen.db")
	s, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeAll(s, "one"); err != nil {
		t.Fatal(err)
	}
	want := contents(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	for i := range 2 {
		s, err := sqlitestore.Open(ctx, path)
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		if got := contents(t, s); got != want {
			t.Errorf("reopen %d holds\n%s\nwant\n%s", i, got, want)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version, rows int
	if err := db.QueryRow(`SELECT max(version), count(*) FROM schema_version`).Scan(&version, &rows); err != nil {
		t.Fatal(err)
	}
	if version != sqlitestore.SchemaVersion || rows != 1 {
		t.Errorf("schema_version holds %d rows, version %d; want 1 row, version %d", rows, version, sqlitestore.SchemaVersion)
	}

	// Two Stores on one file at once see each other's commits.
	a, b := openAt(t, path), openAt(t, path)
	if err := writeAll(a, "two"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetRecord(ctx, profile.Ref{Source: "crm", Key: "two"}); err != nil {
		t.Errorf("a second Store on the file does not see the first's write: %v", err)
	}
}

// TestOpenRefusesNewerSchema: a file whose schema_version is above this
// build's is refused with ErrSchemaTooNew, and left as it was.
func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	s, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	future := sqlitestore.SchemaVersion + 1
	if _, err := db.Exec(`UPDATE schema_version SET version = ?`, future); err != nil {
		t.Fatal(err)
	}
	_, err = sqlitestore.Open(ctx, path)
	if !errors.Is(err, sqlitestore.ErrSchemaTooNew) {
		t.Fatalf("Open of a newer schema = %v, want ErrSchemaTooNew", err)
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), fmt.Sprint("version ", future)) {
		t.Errorf("the error does not name the file and its version: %v", err)
	}
	var v int
	if err := db.QueryRow(`SELECT version FROM schema_version`).Scan(&v); err != nil || v != future {
		t.Errorf("after the refused Open, version = %d (%v), want %d", v, err, future)
	}
}

// TestOpenPaths: the path is a file name, whatever characters it holds.
func TestOpenPaths(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"plain.db", "with space.db", "q?mark.db", "hash#.db", "pct%41.db", "file:colon.db"} {
		path := filepath.Join(dir, name)
		s, err := sqlitestore.Open(ctx, path)
		if err != nil {
			t.Errorf("Open(%q): %v", name, err)
			continue
		}
		if err := writeAll(s, "x"); err != nil {
			t.Errorf("%q: %v", name, err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("%q: %v", name, err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("Open(%q) did not create that file: %v", name, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 6 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files in the directory: %q, want the 6 opened", names)
	}
	for _, bad := range []string{"", ":memory:", "file::memory:?cache=shared"} {
		if _, err := sqlitestore.Open(ctx, bad); err == nil {
			t.Errorf("Open(%q) succeeded; want an error", bad)
		}
	}
	if _, err := sqlitestore.Open(ctx, filepath.Join(dir, "no", "such", "dir.db")); err == nil {
		t.Error("Open in a missing directory succeeded")
	}
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlitestore.Open(ctx, junk); err == nil || !strings.Contains(err.Error(), junk) {
		t.Errorf("Open of a junk file = %v, want an error naming it", err)
	}
}

// TestCrash kills a process in the middle of a transaction, after others
// committed: a new Store on the file has every committed write and none of
// the unfinished one.
func TestCrash(t *testing.T) {
	if path := os.Getenv("SQLITESTORE_CRASH_DB"); path != "" {
		crashChild(path) // does not return
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrash$")
	cmd.Env = append(os.Environ(), "SQLITESTORE_CRASH_DB="+path)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("the crashing child ended with %v, want exit status 3; output:\n%s", err, out)
	}
	s := openAt(t, path)
	got := contents(t, s)
	for i := range 3 {
		if !strings.Contains(got, fmt.Sprintf("record crm/committed-%d (1 events)", i)) {
			t.Errorf("committed write %d lost in the crash:\n%s", i, got)
		}
	}
	if strings.Contains(got, "crashed") {
		t.Errorf("the unfinished transaction left data:\n%s", got)
	}
	// The file works after the crash.
	if err := writeAll(s, "after"); err != nil {
		t.Fatal(err)
	}
}

// crashChild commits three transactions, then exits the process in the
// middle of a fourth, without closing anything.
func crashChild(path string) {
	s, err := sqlitestore.Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := range 3 {
		if err := s.Tx(ctx, func(tx unify.Store) error { return writeAll(tx, fmt.Sprint("committed-", i)) }); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	_ = s.Tx(ctx, func(tx unify.Store) error {
		if err := writeAll(tx, "crashed"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(3)
		return nil
	})
	os.Exit(1)
}

// TestStreamWhileWriting: the loop body of Records may write to the store
// (outside and inside a transaction) without deadlock, across page
// boundaries; each record present throughout is yielded once, and one
// added behind the stream's position is not yielded.
func TestStreamWhileWriting(t *testing.T) {
	s, err := sqlitestore.OpenWith(ctx, filepath.Join(t.TempDir(), "stream.db"), sqlitestore.Options{LazySync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 1300 // more than two pages
	recs := make([]*profile.Record, n)
	for i := range recs {
		recs[i] = rec("crm", fmt.Sprintf("%05d", i), "Ann")
	}
	if err := s.PutRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	stream := func(st unify.Store, round int) {
		seen := map[profile.Ref]int{}
		total := 0
		for r, err := range st.Records(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			seen[r.Ref()]++
			total++
			// Replace the record, and add one whose key sorts before every
			// digit, behind the stream.
			r.Name.Given.Raw = fmt.Sprint("round ", round)
			behind := rec("crm", strings.Repeat("-", round)+r.Key, "New")
			if err := st.PutRecords(ctx, []*profile.Record{r, behind}); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range recs {
			if seen[r.Ref()] != 1 {
				t.Errorf("round %d: %v yielded %d times", round, r.Ref(), seen[r.Ref()])
			}
		}
		// Round 1 sees the n records; round 2 also the n added in round 1.
		if total != round*n {
			t.Errorf("round %d yielded %d records, want %d", round, total, round*n)
		}
	}
	stream(s, 1)
	if err := s.Tx(ctx, func(tx unify.Store) error { stream(tx, 2); return nil }); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetRecord(ctx, recs[n-1].Ref())
	if err != nil || got.Name.Given.Raw != "round 2" {
		t.Errorf("after streaming writes, the last record is %+v, %v", got, err)
	}
}

// TestTwoStoresWriteConcurrently: two Stores on one file (as two
// processes would be) write at the same time, in transactions, without
// SQLITE_BUSY failures or lost writes: the second waits for the first's
// write lock.
func TestTwoStoresWriteConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.db")
	stores := []*sqlitestore.Store{openAt(t, path), openAt(t, path)}
	const perWriter = 25
	var wg sync.WaitGroup
	for i, s := range stores {
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range perWriter {
					tag := fmt.Sprintf("s%d-w%d-%d", i, w, n)
					if err := s.Tx(ctx, func(tx unify.Store) error { return writeAll(tx, tag) }); err != nil {
						t.Error(err)
						return
					}
					if _, err := s.Lookup(ctx, "key:"+tag); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	for i, s := range stores {
		n := 0
		for _, err := range s.Records(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 4*perWriter {
			t.Errorf("store %d sees %d records, want %d", i, n, 4*perWriter)
		}
	}
}

// TestQueryDocumentsInSQL runs the query the package documentation shows,
// on another connection to the file.
func TestQueryDocumentsInSQL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sql.db")
	s := openAt(t, path)
	r := rec("crm", "1", "Margaret")
	r.Name.Family = profile.Text{Raw: "O'Brien", Norm: "O'Brien", Key: "obrien"}
	if err := s.PutRecords(ctx, []*profile.Record{r, rec("crm", "2", "Tom")}); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var source, key string
	err = db.QueryRowContext(ctx, `SELECT source, key FROM records
	 WHERE json_extract(doc, '$.name.family.key') = 'obrien'`).Scan(&source, &key)
	if err != nil || source != "crm" || key != "1" {
		t.Errorf("query = %q, %q, %v; want crm, 1", source, key, err)
	}
}
