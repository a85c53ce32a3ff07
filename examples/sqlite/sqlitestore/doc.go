// Package sqlitestore keeps a unify engine's state in one SQLite file, so
// that a single customer view survives restarts. It implements
// [unify.Store] and [unify.Transactor] with database/sql and the pure-Go
// driver modernc.org/sqlite (no cgo).
//
//	st, err := sqlitestore.Open(ctx, "customers.db")
//	if err != nil { ... }
//	defer st.Close()
//	e, err := unify.New(ctx, unify.Options{Store: st}) // loads what the file holds
//
// It passes the conformance suite in the storetest package, and is also
// an example of how to back the engine with a database of one's own.
//
// # Schema
//
// One table per part of the store, each with the primary key the store
// looks things up by:
//
//   - records (source, key, doc): the [profile.Record] as JSON, so the
//     raw and normalized values stay whole and SQLite's json functions can
//     query them;
//   - events (seq, source, rec_key, doc): the [profile.Event] as JSON; seq
//     is the rowid, which keeps the order added, and an index by record
//     serves Events;
//   - index_keys (key, source, rec_key): the blocking index, with an index
//     the other way round (record to keys) for SetKeys;
//   - links (a_source, a_key, b_source, b_key, prob, weight): A sorts
//     before B, so the unordered pair is the primary key; an index on B
//     serves DeleteLinks;
//   - assertions (kind, a_source, a_key, b_source, b_key);
//   - profiles (id, doc): the golden [profile.Profile] as JSON;
//   - model: a single row holding the match model document.
//
// The documents are plain JSON text, so a host (or the sqlite3 shell) can
// query the file directly, for example:
//
//	SELECT source, key FROM records
//	 WHERE json_extract(doc, '$.name.family.key') = 'obrien';
//
// No table has a foreign key to records: the interfaces let events,
// index keys and links name records that are not (or no longer) stored,
// since events may arrive first and a deleted record's events stay. The
// connections still turn foreign keys on, for migrations that add some.
//
// JSON keeps strings only when they are valid UTF-8, and SQLite stores a
// NaN as NULL. Rather than change a value silently, the write methods
// refuse such values with [ErrUnstorable], naming the record and field.
// Refs and index keys are plain columns and keep any bytes.
//
// # Migrations
//
// The schema is a list of migrations, each a list of SQL statements; the
// table schema_version holds how many have been applied ([SchemaVersion]
// is how many this build knows). Open applies the pending ones in one
// write transaction, so a file is always at a version it records. It
// refuses a file at a higher version with [ErrSchemaTooNew], and a SQLite
// file of another program (another application_id, or tables but no
// schema_version) with [ErrNotStore]. Migrations are only ever appended.
//
// # Transactions
//
// Each write method runs in a transaction of its own; PutRecords of many
// records is one transaction with one prepared statement, not one per
// record. [Store.Tx] runs a function with a Store bound to one
// transaction: the engine writes each operation through it, so its
// writes commit together or not at all. The file is in WAL mode with
// synchronous=FULL: a transaction is durable once committed, and a crash
// (of the process or the machine) before the commit leaves no part of it.
// [Options].LazySync gives up durability on power loss (not on a process
// crash) for faster commits.
//
// Records, Links and Profiles stream a page at a time (keyed on the
// primary key) rather than from one open query: a loop body may call the
// store, and a row present from start to end is yielded exactly once, but
// the stream is not one snapshot.
//
// # Concurrency
//
// A Store is safe for concurrent use. It holds two connection pools on the
// file: one writer connection, on which writers queue (SQLite allows one
// writer at a time, and queueing in Go is fairer than spinning on
// SQLITE_BUSY), with transactions that take the write lock when they
// begin; and several query-only reader connections, which WAL lets read
// the last committed state while a write is in progress. Other processes
// and other Stores on the same file share it as SQLite does; a connection
// waits for another's write lock up to [Options].BusyTimeout (ten seconds
// by default) before failing.
//
// Inside [Store.Tx], use the Store the function is given: the receiver's
// write methods would wait for the writer connection the transaction
// holds.
package sqlitestore
