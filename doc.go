// Package unify turns scattered customer records into a Single Customer View.
//
// Companies hold the same customer many times over: in the CRM, the web shop,
// the support desk, the store till, the newsletter tool and bought lists, each
// with its own IDs, typos and stale values. unify reads those records, finds
// the ones that are the same person, merges them into golden profiles with
// provenance, and segments the result.
//
// # The flow
//
//	CSV / JSONL / host code
//	        │
//	     ingest ──► profile.Record (raw + normalized values), profile.Event
//	        │
//	      match ──► candidate pairs (blocking) ──► scored links with explanations
//	        │
//	      merge ──► clusters ──► golden profile.Profile (survivorship + provenance), change events
//	        │
//	    segment ──► aggregates, segment membership, RFM, engagement report
//
// # Packages
//
//   - [github.com/unifyhq/unify/profile] holds the shared value types (record
//     reference, Record, Event, golden Profile) and the normalizers for names,
//     emails, phones, addresses and dates. It imports nothing else of unify.
//   - [github.com/unifyhq/unify/ingest] streams records and events from CSV
//     and JSON, with field mapping and rejects that lose nothing.
//   - [github.com/unifyhq/unify/match] blocks, compares and scores record
//     pairs with a Fellegi-Sunter model trained without labels.
//   - [github.com/unifyhq/unify/merge] clusters scored links into golden
//     profiles with survivorship, provenance and stable IDs.
//   - [github.com/unifyhq/unify/segment] aggregates events onto profiles and
//     evaluates rule segments, RFM and engagement reports.
//
// Imports point down: the stage packages import profile and not each other,
// and hand off plain values, so a host can use any one stage alone.
//
// # The engine
//
// [Engine] ties the stages together over pluggable storage: [Engine.Add]
// source records (staged until the first [Engine.Resolve], which trains the
// match model on them and links them in one batch; matched incrementally
// after that), [Engine.AddEvents], look profiles up by ID, alias or any
// source record, [Engine.View] a single customer view, [Engine.EachView]
// the segment view of every profile (streamed, with RFM and value tiers
// over the population), [Engine.Explain] why
// two records are or are not one person, [Engine.Forget] a record (erasure),
// [Engine.AssertNotSame] to unmerge, and [Engine.Subscribe] to profile
// changes. It is safe for concurrent use.
//
// # Storage
//
// A [Store] is a handful of small interfaces (records, events, the candidate
// index, assertions, the model); [NewMemoryStore] is the default. Optional
// capabilities, as in io/fs: [Transactor] (one transaction per engine
// write), [ProfileStore] (receive the golden profiles as they change, for
// a host that reads them from its own database), [LinkStore] (keep scored
// links instead of re-scoring on open) and [SnapshotStore] (keep profile
// IDs and aliases across restarts). The engine serves profiles from its own
// memory: it keeps the clusters and builds each profile, golden values
// chosen, when it is read (a few microseconds).
// Package storetest is the conformance suite for implementations;
// examples/sqlite holds one over SQLite.
package unify
