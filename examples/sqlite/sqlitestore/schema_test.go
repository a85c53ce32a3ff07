package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// rawDB opens path with the writer settings but without migrating.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path, false, Options{BusyTimeout: time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func version(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow(`SELECT version FROM schema_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func count(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSchemaVersionIsNumberOfMigrations(t *testing.T) {
	if SchemaVersion != len(migrations) {
		t.Errorf("SchemaVersion = %d, but there are %d migrations", SchemaVersion, len(migrations))
	}
}

// TestMigrate runs migrate with migration lists of its own, whose
// statements leave a trace each time they run: a migration must run once,
// in order, and only when pending.
func TestMigrate(t *testing.T) {
	ctx := context.Background()
	db := rawDB(t, filepath.Join(t.TempDir(), "m.db"))
	v1 := []string{`CREATE TABLE runs (migration INTEGER)`, `INSERT INTO runs VALUES (1)`}
	v2 := []string{`INSERT INTO runs VALUES (2)`}
	v3 := []string{`INSERT INTO runs VALUES (3)`, `CREATE TABLE t3 (x)`}

	if err := migrate(ctx, db, [][]string{v1}); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, [][]string{v1}); err != nil { // reopen: nothing pending
		t.Fatal(err)
	}
	if got := count(t, db, `SELECT count(*) FROM runs`); got != 1 {
		t.Errorf("after opening twice at version 1, migration 1 ran %d times", got)
	}
	if err := migrate(ctx, db, [][]string{v1, v2, v3}); err != nil {
		t.Fatal(err)
	}
	if got := count(t, db, `SELECT group_concat(migration, ',') = '1,2,3' FROM (SELECT migration FROM runs ORDER BY rowid)`); got != 1 {
		t.Error("migrations did not run once each, in order")
	}
	if v := version(t, db); v != 3 {
		t.Errorf("version = %d, want 3", v)
	}

	// A file at a version above the build's is refused, untouched.
	err := migrate(ctx, db, [][]string{v1, v2})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("migrate to an older list: %v, want ErrSchemaTooNew", err)
	}
	if !strings.Contains(err.Error(), "version 3") || !strings.Contains(err.Error(), "up to 2") {
		t.Errorf("error does not say which versions: %v", err)
	}
	if v := version(t, db); v != 3 {
		t.Errorf("a refused open changed the version to %d", v)
	}
}

// TestMigrateAllOrNothing: a failing statement leaves the file at the
// version it had, without any of the pending migrations' changes.
func TestMigrateAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := rawDB(t, filepath.Join(t.TempDir(), "m.db"))
	if err := migrate(ctx, db, [][]string{{`CREATE TABLE a (x)`}}); err != nil {
		t.Fatal(err)
	}
	bad := [][]string{{`CREATE TABLE a (x)`}, {`CREATE TABLE b (x)`}, {`CREATE TABLE c (x)`, `NOT SQL`}}
	err := migrate(ctx, db, bad)
	if err == nil || !strings.Contains(err.Error(), "migration to version 3, statement 2") {
		t.Fatalf("migrate with a bad statement: %v, want an error naming migration 3, statement 2", err)
	}
	if v := version(t, db); v != 1 {
		t.Errorf("version after a failed migration = %d, want 1", v)
	}
	if n := count(t, db, `SELECT count(*) FROM sqlite_schema WHERE name IN ('b', 'c')`); n != 0 {
		t.Errorf("a failed migration left %d of its tables", n)
	}
}

// TestOpenRefusesOtherDatabases: a SQLite file of another program is not
// taken over.
func TestOpenRefusesOtherDatabases(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	tables := filepath.Join(dir, "tables.db")
	db := rawDB(t, tables)
	if _, err := db.Exec(`CREATE TABLE customers (id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, tables); !errors.Is(err, ErrNotStore) {
		t.Errorf("Open of a database with other tables: %v, want ErrNotStore", err)
	}

	app := filepath.Join(dir, "app.db")
	db = rawDB(t, app)
	if _, err := db.Exec(`PRAGMA application_id = 42`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, app); !errors.Is(err, ErrNotStore) {
		t.Errorf("Open of a database with another application_id: %v, want ErrNotStore", err)
	}
}

// TestQueryPlans checks that every statement finds its rows through an
// index (SEARCH) and never sorts in a temporary b-tree, except the
// statements meant to read a whole table in key order (SCAN) and
// Assertions (a whole, small, table). Write statements have no plan to
// check beyond the json_each of SetKeys.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scans := map[stmtID]bool{stRecordsFirst: true, stLinksFirst: true, stProfilesFirst: true, stAssertions: true}
	for id, q := range statements {
		args := make([]any, strings.Count(q.sql, "?"))
		for i := range args {
			args[i] = "x"
		}
		rows, err := s.c.w.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.sql, args...)
		if err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "; ")
		if strings.Contains(all, "TEMP B-TREE") {
			t.Errorf("statement %d sorts in a temporary b-tree: %s\n%s", id, all, q.sql)
		}
		for _, step := range plan {
			// Scanning json_each reads the statement's own argument.
			if strings.HasPrefix(step, "SCAN") && !strings.HasPrefix(step, "SCAN json_each") && !scans[stmtID(id)] {
				t.Errorf("statement %d scans a table: %s\n%s", id, all, q.sql)
			}
		}
	}
}

// TestConnectionSettings checks that the pragmas reach the connections:
// WAL, the synchronous level, foreign keys, the busy timeout, and
// query-only readers.
func TestConnectionSettings(t *testing.T) {
	ctx := context.Background()
	for _, lazy := range []bool{false, true} {
		s, err := OpenWith(ctx, filepath.Join(t.TempDir(), "c.db"), Options{LazySync: lazy, BusyTimeout: 1500 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		pragma := func(db *sql.DB, name string) string {
			var v string
			if err := db.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		wantSync := "2" // FULL
		if lazy {
			wantSync = "1" // NORMAL
		}
		for _, c := range []struct {
			db         *sql.DB
			name, want string
		}{
			{s.c.w, "journal_mode", "wal"},
			{s.c.w, "synchronous", wantSync},
			{s.c.w, "foreign_keys", "1"},
			{s.c.w, "busy_timeout", "1500"},
			{s.c.w, "query_only", "0"},
			{s.c.r, "journal_mode", "wal"},
			{s.c.r, "busy_timeout", "1500"},
			{s.c.r, "query_only", "1"},
		} {
			if got := pragma(c.db, c.name); got != c.want {
				t.Errorf("LazySync %v: %s = %s, want %s", lazy, c.name, got, c.want)
			}
		}
		if _, err := s.c.r.ExecContext(ctx, `DELETE FROM records`); err == nil {
			t.Error("a reader connection can write")
		}
		s.Close()
	}
}
