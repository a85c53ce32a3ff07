package unify

import (
	"context"
	"errors"
	"iter"

	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// ErrNotFound is returned by stores and the engine when a record, profile
// or model does not exist.
var ErrNotFound = errors.New("unify: not found")

// Store is the storage an [Engine] writes through to: source records and
// their events, the candidate (blocking) index, "not the same person"
// assertions and the trained model. It is a set of small interfaces so
// that a host can back each with its own database; [NewMemoryStore] is the
// default and the storetest package is the conformance suite every
// implementation should pass.
//
// Methods must be safe for concurrent use. The records the engine passes
// to PutRecords are the store's: the engine keeps its own copy, packed, and
// does not use them after the call. Values a store returns belong to the
// caller. Optional
// capabilities, in the manner of io/fs: a Store that also implements
// [Transactor] gets each engine write as one transaction; one that
// implements [ProfileStore] receives the golden profiles as they change,
// for a host that reads them from its own database; one that implements
// [LinkStore] keeps the scored links, which an engine opening it then loads
// instead of scoring the candidate pairs again.
type Store interface {
	RecordStore
	EventStore
	IndexStore
	AssertionStore
	ModelStore
}

// RecordStore holds source records, keyed by their [profile.Ref].
type RecordStore interface {
	// PutRecords inserts or replaces records.
	PutRecords(ctx context.Context, recs []*profile.Record) error
	// GetRecord returns a record, or an error wrapping ErrNotFound.
	GetRecord(ctx context.Context, ref profile.Ref) (*profile.Record, error)
	// DeleteRecords removes records; missing ones are ignored.
	DeleteRecords(ctx context.Context, refs []profile.Ref) error
	// Records streams every record, in any order.
	Records(ctx context.Context) iter.Seq2[*profile.Record, error]
}

// EventStore holds events, which belong to source records.
type EventStore interface {
	// AddEvents appends events.
	AddEvents(ctx context.Context, evs []profile.Event) error
	// Events returns the events of one record, in the order added.
	Events(ctx context.Context, ref profile.Ref) ([]profile.Event, error)
	// DeleteEvents removes every event of a record (erasure).
	DeleteEvents(ctx context.Context, ref profile.Ref) error
}

// IndexStore is the candidate (blocking) index: the blocking keys of each
// record, and the records under each key.
type IndexStore interface {
	// SetKeys replaces the keys of ref (nil removes it from the index).
	SetKeys(ctx context.Context, ref profile.Ref, keys []string) error
	// Lookup returns the records under key, in any order.
	Lookup(ctx context.Context, key string) ([]profile.Ref, error)
}

// LinkStore is an optional capability of a [Store]: it keeps the scored
// links between records. Without it, an engine opening the store scores
// the candidate pairs again from the records and the model, which gives
// the same links; with it, opening skips that work at the cost of storing
// every scored pair.
type LinkStore interface {
	// PutLinks inserts or replaces links, keyed by their unordered pair.
	PutLinks(ctx context.Context, links []merge.Link) error
	// DeleteLinks removes every link touching ref.
	DeleteLinks(ctx context.Context, ref profile.Ref) error
	// Links streams every link, in any order.
	Links(ctx context.Context) iter.Seq2[merge.Link, error]
}

// AssertionStore holds the assertions people made about records: "not the
// same person" and "detached".
type AssertionStore interface {
	// PutAssertion records an assertion; putting it twice is a no-op.
	PutAssertion(ctx context.Context, a merge.Assertion) error
	// DeleteAssertion removes an assertion; a missing one is ignored.
	DeleteAssertion(ctx context.Context, a merge.Assertion) error
	// Assertions returns every assertion, in any order.
	Assertions(ctx context.Context) ([]merge.Assertion, error)
}

// ProfileStore is an optional capability of a [Store]: it holds the golden
// profiles by ID, so that a host can read them from its own database. The
// engine writes every profile that changes (in batches, within the write's
// transaction) and deletes the ones that go; it never reads them back,
// except to learn on opening that the records were resolved. The engine
// serves profiles from its own memory ([Engine.Profile]) either way, so the
// memory store is not a ProfileStore: it would hold every profile twice.
type ProfileStore interface {
	// PutProfiles inserts or replaces profiles. They are the store's: the
	// engine does not use them after the call.
	PutProfiles(ctx context.Context, ps []profile.Profile) error
	// DeleteProfiles removes profiles; missing ones are ignored.
	DeleteProfiles(ctx context.Context, ids []string) error
	// GetProfile returns a profile by its ID (not an alias), or an error
	// wrapping ErrNotFound.
	GetProfile(ctx context.Context, id string) (profile.Profile, error)
	// Profiles streams every profile, in any order.
	Profiles(ctx context.Context) iter.Seq2[profile.Profile, error]
}

// ModelStore holds the trained match model as an opaque document.
type ModelStore interface {
	// PutModel stores the model, replacing any earlier one.
	PutModel(ctx context.Context, doc []byte) error
	// GetModel returns the model, or an error wrapping ErrNotFound.
	GetModel(ctx context.Context) ([]byte, error)
}

// SnapshotStore is an optional capability of a [Store]: it keeps the
// history behind profile IDs (which ID each profile has, its aliases, how
// long each record has held its ID; see merge.Snapshot) as an opaque
// document, so that IDs and aliases survive a restart. The engine writes it
// at each Resolve, Checkpoint and Close. Without it, a reopened engine
// derives every profile's ID afresh from its records.
type SnapshotStore interface {
	// PutSnapshot stores the document, replacing any earlier one. The
	// engine does not use doc after the call, so a store may keep it
	// without copying.
	PutSnapshot(ctx context.Context, doc []byte) error
	// GetSnapshot returns the document, or an error wrapping ErrNotFound.
	GetSnapshot(ctx context.Context) ([]byte, error)
}

// Transactor is an optional capability of a [Store]: Tx runs fn with a
// Store whose writes commit together when fn returns nil and roll back
// otherwise. Without it the engine's writes are applied one by one.
type Transactor interface {
	Tx(ctx context.Context, fn func(Store) error) error
}
