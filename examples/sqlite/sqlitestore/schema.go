package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// applicationID marks a SQLite file as a unify store (PRAGMA
// application_id, "unfy" in ASCII), so that Open refuses another
// program's database instead of adding tables to it.
const applicationID = 0x756e6679

// migrations is the schema history: migrations[i] takes the database from
// schema version i to i+1. Entries are only ever appended; an entry that
// shipped is never edited, since files in the field are already past it.
var migrations = [][]string{
	// Version 1: the tables of unify.Store.
	{
		// Records as JSON documents, keyed by their ref. The JSON keeps the
		// record whole (raw and normalized values) and lets hosts query it
		// with SQLite's json functions.
		`CREATE TABLE records (
			source TEXT NOT NULL,
			key    TEXT NOT NULL,
			doc    TEXT NOT NULL,
			PRIMARY KEY (source, key)
		)`,
		// Events in insertion order: seq is the rowid, and a new rowid is
		// always greater than every existing one, so ORDER BY seq is the
		// order added. No foreign key to records: events may arrive before
		// their record, and outlive it after a source deletes it.
		`CREATE TABLE events (
			seq     INTEGER PRIMARY KEY,
			source  TEXT NOT NULL,
			rec_key TEXT NOT NULL,
			doc     TEXT NOT NULL
		)`,
		`CREATE INDEX events_by_record ON events (source, rec_key)`,
		// The blocking index, readable both ways: records under a key
		// (Lookup, the primary key) and keys of a record (SetKeys replaces
		// them). Small rows, so WITHOUT ROWID.
		`CREATE TABLE index_keys (
			key     TEXT NOT NULL,
			source  TEXT NOT NULL,
			rec_key TEXT NOT NULL,
			PRIMARY KEY (key, source, rec_key)
		) WITHOUT ROWID`,
		`CREATE INDEX index_keys_by_record ON index_keys (source, rec_key, key)`,
		// Links keyed by their unordered pair, stored with A sorting before
		// (or equal to) B so that both orders hit the same row.
		`CREATE TABLE links (
			a_source TEXT NOT NULL,
			a_key    TEXT NOT NULL,
			b_source TEXT NOT NULL,
			b_key    TEXT NOT NULL,
			prob     REAL NOT NULL,
			weight   REAL NOT NULL,
			PRIMARY KEY (a_source, a_key, b_source, b_key),
			CHECK ((a_source, a_key) <= (b_source, b_key))
		) WITHOUT ROWID`,
		`CREATE INDEX links_by_b ON links (b_source, b_key)`,
		// Assertions are whole values; kind is merge.AssertionKind.
		`CREATE TABLE assertions (
			kind     INTEGER NOT NULL,
			a_source TEXT NOT NULL,
			a_key    TEXT NOT NULL,
			b_source TEXT NOT NULL,
			b_key    TEXT NOT NULL,
			PRIMARY KEY (kind, a_source, a_key, b_source, b_key)
		) WITHOUT ROWID`,
		// Golden profiles as JSON documents by ID.
		`CREATE TABLE profiles (
			id  TEXT PRIMARY KEY NOT NULL,
			doc TEXT NOT NULL
		)`,
		// The match model: one row at most.
		`CREATE TABLE model (
			id  INTEGER PRIMARY KEY CHECK (id = 1),
			doc BLOB NOT NULL
		)`,
	},
	// 2: the profile-ID history (unify.SnapshotStore), one row at most.
	{
		`CREATE TABLE snapshot (
			id  INTEGER PRIMARY KEY CHECK (id = 1),
			doc BLOB NOT NULL
		)`,
	},
}

// SchemaVersion is the schema version this package writes: a database
// at a lower version is migrated up to it when opened, and one at a
// higher version is refused with [ErrSchemaTooNew]. It is the number of
// migrations (a test checks).
const SchemaVersion = 2

// migrate brings the database to len(steps) in one write transaction, so
// a file is always at a version it records, never between two. Concurrent
// openers (other processes included) queue on the write lock, and the
// later ones find the work done.
func migrate(ctx context.Context, db *sql.DB, steps [][]string) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // the error that made us roll back is the one to report
		}
	}()
	var app int64
	if err := tx.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&app); err != nil {
		return err
	}
	if app != 0 && app != applicationID {
		return fmt.Errorf("%w: its application_id is %#x", ErrNotStore, app)
	}
	var hasVersion, tables int
	if err := tx.QueryRowContext(ctx,
		`SELECT count(*) FILTER (WHERE name = 'schema_version'), count(*)
		   FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`,
	).Scan(&hasVersion, &tables); err != nil {
		return err
	}
	if hasVersion == 0 {
		if tables > 0 {
			return fmt.Errorf("%w: it has %d tables and no schema_version table", ErrNotStore, tables)
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE schema_version (
			id      INTEGER PRIMARY KEY CHECK (id = 1),
			version INTEGER NOT NULL
		)`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (id, version) VALUES (1, 0)`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID)); err != nil {
			return err
		}
	}
	var version int
	switch err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version WHERE id = 1`).Scan(&version); {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%w: its schema_version table is empty", ErrNotStore)
	case err != nil:
		return err
	}
	if version > len(steps) {
		return fmt.Errorf("%w: the file is at version %d, this build knows versions up to %d", ErrSchemaTooNew, version, len(steps))
	}
	if version < 0 {
		return fmt.Errorf("%w: its schema version is %d", ErrNotStore, version)
	}
	if version == len(steps) {
		return tx.Commit()
	}
	for v := version; v < len(steps); v++ {
		for i, stmt := range steps[v] {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migration to version %d, statement %d: %w", v+1, i+1, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ? WHERE id = 1`, len(steps)); err != nil {
		return err
	}
	return tx.Commit()
}
