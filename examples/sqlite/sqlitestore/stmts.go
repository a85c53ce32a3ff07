package sqlitestore

// stmtID names a prepared statement.
type stmtID int

const (
	stGetRecord stmtID = iota
	stRecordsFirst
	stRecordsNext
	stPutRecord
	stDeleteRecord

	stEvents
	stAddEvent
	stDeleteEvents

	stLookup
	stDeleteKeys
	stInsertKey
	stInsertKeys

	stLinksFirst
	stLinksNext
	stPutLink
	stDeleteLinksA
	stDeleteLinksB

	stAssertions
	stPutAssertion
	stDeleteAssertion

	stGetProfile
	stProfilesFirst
	stProfilesNext
	stPutProfile
	stDeleteProfile

	stGetModel
	stPutModel
	stGetSnapshot
	stPutSnapshot

	numStmts
)

// pageSize is how many rows a streaming method reads per query. Streams
// read page by page, keyed on the primary key, so no connection is held
// while the caller's loop body runs (it may call the store), and a row
// present throughout the stream is yielded exactly once.
const pageSize = 512

// statements holds the SQL of every statement, prepared once at Open.
var statements = [numStmts]struct {
	sql  string
	read bool // also prepared on the reader pool
}{
	stGetRecord:    {`SELECT doc FROM records WHERE source = ? AND key = ?`, true},
	stRecordsFirst: {`SELECT source, key, doc FROM records ORDER BY source, key LIMIT ?`, true},
	stRecordsNext:  {`SELECT source, key, doc FROM records WHERE (source, key) > (?, ?) ORDER BY source, key LIMIT ?`, true},
	stPutRecord: {`INSERT INTO records (source, key, doc) VALUES (?, ?, ?)
		ON CONFLICT (source, key) DO UPDATE SET doc = excluded.doc`, false},
	stDeleteRecord: {`DELETE FROM records WHERE source = ? AND key = ?`, false},

	stEvents:       {`SELECT doc FROM events WHERE source = ? AND rec_key = ? ORDER BY seq`, true},
	stAddEvent:     {`INSERT INTO events (source, rec_key, doc) VALUES (?, ?, ?)`, false},
	stDeleteEvents: {`DELETE FROM events WHERE source = ? AND rec_key = ?`, false},

	stLookup:     {`SELECT source, rec_key FROM index_keys WHERE key = ?`, true},
	stDeleteKeys: {`DELETE FROM index_keys WHERE source = ? AND rec_key = ?`, false},
	stInsertKey:  {`INSERT OR IGNORE INTO index_keys (key, source, rec_key) VALUES (?, ?, ?)`, false},
	stInsertKeys: {`INSERT OR IGNORE INTO index_keys (key, source, rec_key) SELECT value, ?, ? FROM json_each(?)`, false},

	stLinksFirst: {`SELECT a_source, a_key, b_source, b_key, prob, weight FROM links
		ORDER BY a_source, a_key, b_source, b_key LIMIT ?`, true},
	stLinksNext: {`SELECT a_source, a_key, b_source, b_key, prob, weight FROM links
		WHERE (a_source, a_key, b_source, b_key) > (?, ?, ?, ?)
		ORDER BY a_source, a_key, b_source, b_key LIMIT ?`, true},
	stPutLink: {`INSERT INTO links (a_source, a_key, b_source, b_key, prob, weight) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (a_source, a_key, b_source, b_key) DO UPDATE SET prob = excluded.prob, weight = excluded.weight`, false},
	stDeleteLinksA: {`DELETE FROM links WHERE a_source = ? AND a_key = ?`, false},
	stDeleteLinksB: {`DELETE FROM links WHERE b_source = ? AND b_key = ?`, false},

	stAssertions:      {`SELECT kind, a_source, a_key, b_source, b_key FROM assertions`, true},
	stPutAssertion:    {`INSERT OR IGNORE INTO assertions (kind, a_source, a_key, b_source, b_key) VALUES (?, ?, ?, ?, ?)`, false},
	stDeleteAssertion: {`DELETE FROM assertions WHERE kind = ? AND a_source = ? AND a_key = ? AND b_source = ? AND b_key = ?`, false},

	stGetProfile:    {`SELECT doc FROM profiles WHERE id = ?`, true},
	stProfilesFirst: {`SELECT id, doc FROM profiles ORDER BY id LIMIT ?`, true},
	stProfilesNext:  {`SELECT id, doc FROM profiles WHERE id > ? ORDER BY id LIMIT ?`, true},
	stPutProfile: {`INSERT INTO profiles (id, doc) VALUES (?, ?)
		ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`, false},
	stDeleteProfile: {`DELETE FROM profiles WHERE id = ?`, false},

	stGetModel:    {`SELECT doc FROM model WHERE id = 1`, true},
	stPutModel:    {`INSERT INTO model (id, doc) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`, false},
	stGetSnapshot: {`SELECT doc FROM snapshot WHERE id = 1`, true},
	stPutSnapshot: {`INSERT INTO snapshot (id, doc) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`, false},
}
