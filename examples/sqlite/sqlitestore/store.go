package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/unifyhq/unify"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// Sentinel errors of the package, checked with errors.Is.
var (
	// ErrSchemaTooNew means the file was written by a newer version of
	// this package: its schema version is above [SchemaVersion]. Opening
	// it could misread data, so Open refuses.
	ErrSchemaTooNew = errors.New("sqlitestore: database schema is newer than this version of sqlitestore")
	// ErrNotStore means the file is a SQLite database of something else:
	// another application_id, or tables without a schema_version table.
	ErrNotStore = errors.New("sqlitestore: database is not a unify store")
	// ErrUnstorable means a value cannot be stored without changing it:
	// a string that is not valid UTF-8 inside a JSON document (JSON would
	// replace the bad bytes), or a NaN link probability or weight (SQLite
	// stores NaN as NULL).
	ErrUnstorable = errors.New("sqlitestore: value cannot be stored as given")
)

// Options tune a Store. The zero value is what [Open] uses.
type Options struct {
	// LazySync lets commits return without waiting for the disk: SQLite's
	// synchronous=NORMAL in WAL mode instead of FULL. A committed write
	// still survives a crash of the process, but a power loss or an
	// operating system crash may undo the last commits (it never corrupts
	// the file). Worth it for bulk loads and tests, which make many small
	// commits.
	LazySync bool
	// BusyTimeout is how long a connection waits for another process's
	// (or another Store's) write lock before failing with SQLITE_BUSY;
	// 0 means ten seconds. Writers of one Store queue in Go instead and
	// never reach it.
	BusyTimeout time.Duration
	// Readers is the number of reader connections; 0 means
	// max(4, GOMAXPROCS).
	Readers int
}

// Store is a [unify.Store] and [unify.Transactor] in one SQLite file.
// Open it with [Open] and Close it when done. It is safe for concurrent
// use; see the package documentation for how reads and writes share the
// file.
type Store struct {
	view
	path      string
	closeOnce sync.Once
	closeErr  error
}

var (
	_ unify.Store      = (*Store)(nil)
	_ unify.Transactor = (*Store)(nil)
	_ unify.Store      = (*view)(nil)
)

// conns are the two connection pools of a store and their prepared
// statements.
type conns struct {
	// w is the writer pool: one connection, so the process's writers
	// queue in database/sql instead of spinning on SQLite's busy handler.
	// Transactions on it begin IMMEDIATE, taking the write lock up front.
	w *sql.DB
	// r is the reader pool: several query-only connections, which WAL
	// lets read while a write is in progress.
	r  *sql.DB
	ws [numStmts]*sql.Stmt // every statement, on w
	rs [numStmts]*sql.Stmt // the reads, on r; nil for writes
}

// Open opens the store in the SQLite file at path, creating the file if
// needed, and migrates its schema to [SchemaVersion] in one transaction.
// It fails with [ErrSchemaTooNew] for a file written by a newer version
// and with [ErrNotStore] for another program's database. The path is a
// file name, not a URI; ":memory:" is refused, because every connection
// would see its own empty database (use [unify.NewMemoryStore]).
//
// Several Stores (in one process or several) may open the same file; they
// share it as SQLite does, waiting for each other's write locks up to
// [Options].BusyTimeout (ten seconds by default).
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is [Open] with options.
func OpenWith(ctx context.Context, path string, opts Options) (*Store, error) {
	if opts.BusyTimeout < 0 || opts.Readers < 0 {
		return nil, fmt.Errorf("sqlitestore: open %s: negative BusyTimeout or Readers in %+v", path, opts)
	}
	if opts.BusyTimeout == 0 {
		opts.BusyTimeout = 10 * time.Second
	}
	if opts.Readers == 0 {
		opts.Readers = max(4, runtime.GOMAXPROCS(0))
	}
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file::memory:") {
		return nil, fmt.Errorf("sqlitestore: open %q: need a file path (for an in-memory store use unify.NewMemoryStore)", path)
	}
	c := &conns{}
	fail := func(err error) (*Store, error) {
		c.close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	var err error
	if c.w, err = sql.Open("sqlite", dsn(path, false, opts)); err != nil {
		return fail(err)
	}
	c.w.SetMaxOpenConns(1)
	c.w.SetMaxIdleConns(1)
	if err := migrate(ctx, c.w, migrations); err != nil {
		return fail(err)
	}
	if c.r, err = sql.Open("sqlite", dsn(path, true, opts)); err != nil {
		return fail(err)
	}
	c.r.SetMaxOpenConns(opts.Readers)
	c.r.SetMaxIdleConns(opts.Readers)
	for id, q := range statements {
		if c.ws[id], err = c.w.PrepareContext(ctx, q.sql); err != nil {
			return fail(fmt.Errorf("prepare %q: %w", q.sql, err))
		}
		if q.read {
			if c.rs[id], err = c.r.PrepareContext(ctx, q.sql); err != nil {
				return fail(fmt.Errorf("prepare %q: %w", q.sql, err))
			}
		}
	}
	return &Store{view: view{c: c}, path: path}, nil
}

// dsn is the modernc.org/sqlite data source name for path. Connection
// settings ride on it so that every connection the pools open gets them.
func dsn(path string, reader bool, opts Options) string {
	q := url.Values{}
	// busy_timeout goes first (the driver applies it first), so that the
	// pragmas after it wait for locks too.
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	if reader {
		q.Add("_pragma", "query_only(1)")
	} else {
		// WAL: readers do not block the writer nor it them, and a crash
		// loses no committed transaction. synchronous FULL syncs the log
		// at every commit, so a committed write also survives power loss.
		q.Add("_pragma", "journal_mode(WAL)")
		if opts.LazySync {
			q.Add("_pragma", "synchronous(NORMAL)")
		} else {
			q.Add("_pragma", "synchronous(FULL)")
		}
		q.Set("_txlock", "immediate")
	}
	name := path
	// The driver cuts the name at the first '?', and SQLite reads a name
	// starting with "file:" as a URI: such paths go as an escaped URI.
	if strings.ContainsAny(path, "?#%") || strings.HasPrefix(path, "file:") {
		name = "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	}
	return name + "?" + q.Encode()
}

// Path returns the file the store was opened on.
func (s *Store) Path() string { return s.path }

// Close closes the store's connections, after letting SQLite refresh its
// query planner statistics (PRAGMA optimize). When the last connection to
// the file closes, SQLite checkpoints the write-ahead log into the main
// file. Close waits for running queries; calling it again returns the
// first result. A Store must not be used after Close.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		var errs []error
		if _, err := s.c.w.ExecContext(context.Background(), `PRAGMA optimize`); err != nil {
			errs = append(errs, fmt.Errorf("optimize: %w", err))
		}
		if err := s.c.close(); err != nil {
			errs = append(errs, err)
		}
		if err := errors.Join(errs...); err != nil {
			s.closeErr = fmt.Errorf("sqlitestore: close %s: %w", s.path, err)
		}
	})
	return s.closeErr
}

func (c *conns) close() error {
	var errs []error
	for _, st := range append(c.ws[:], c.rs[:]...) {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	if c.r != nil {
		errs = append(errs, c.r.Close())
	}
	if c.w != nil {
		errs = append(errs, c.w.Close())
	}
	return errors.Join(errs...)
}

// Tx implements [unify.Transactor]: it runs fn with a Store bound to one
// SQLite transaction, and commits when fn returns nil. When fn returns an
// error (returned as is) or panics, or ctx ends, the transaction rolls
// back and none of fn's writes remain; a crash before the commit loses
// them too, and one after it loses nothing.
//
// fn must do its work through the Store it is given, which sees fn's own
// uncommitted writes, and must not keep it after returning. The
// transaction holds the store's one writer connection: the receiver's
// write methods, called from fn, wait for the transaction to end, which
// is a deadlock until ctx ends. The receiver's reads do not wait; they see
// the data as last committed.
func (s *Store) Tx(ctx context.Context, fn func(unify.Store) error) (err error) {
	tx, err := s.c.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlitestore: tx: begin: %w", err)
	}
	finished := false
	defer func() {
		if !finished { // fn panicked
			_ = tx.Rollback()
		}
	}()
	ferr := fn(&view{c: s.c, tx: tx})
	finished = true
	if ferr != nil {
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			return errors.Join(ferr, fmt.Errorf("sqlitestore: tx: rollback: %w", rerr))
		}
		return ferr
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlitestore: tx: commit: %w", err)
	}
	return nil
}

// view runs the Store methods either on the pools (tx nil: reads on the
// reader pool, each write in a transaction of its own) or inside one
// transaction (a Store handed to a Tx function).
type view struct {
	c  *conns
	tx *sql.Tx
}

// stmt returns the prepared statement id for a read: on the transaction,
// so that it sees the transaction's writes, or on the reader pool.
func (s *view) stmt(ctx context.Context, id stmtID) *sql.Stmt {
	if s.tx != nil {
		return s.tx.StmtContext(ctx, s.c.ws[id])
	}
	return s.c.rs[id]
}

// update runs fn in the view's transaction, or in a new one that commits
// when fn succeeds. Errors name the operation.
func (s *view) update(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	if s.tx != nil {
		if err := fn(s.tx); err != nil {
			return fmt.Errorf("sqlitestore: %s: %w", op, err)
		}
		return nil
	}
	tx, err := s.c.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlitestore: %s: begin: %w", op, err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback() // fn's error is the one to report
		return fmt.Errorf("sqlitestore: %s: %w", op, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlitestore: %s: commit: %w", op, err)
	}
	return nil
}

// wstmt returns the write statement id bound to tx.
func (s *view) wstmt(ctx context.Context, tx *sql.Tx, id stmtID) *sql.Stmt {
	return tx.StmtContext(ctx, s.c.ws[id])
}
