// Package merge turns scored record pairs into golden customer profiles:
// it clusters records that are the same person, keeps each profile's ID
// stable as records come and go, builds golden values with provenance, and
// lets people unmerge and erase.
//
// Its input is plain values: [profile.Record] and [Link] (two record refs and
// a match probability). The match stage produces links, but any scorer will
// do; merge does not import it. Two entry points share one clustering
// procedure:
//
//   - [Cluster] partitions records in one batch;
//   - [Graph] holds records, links and assertions and keeps the profiles up to
//     date under adds, updates, deletes and erasures, returning a [Change] for
//     every effect.
//
// # Clustering
//
// Give merge every pair that was scored, not only the matches: a low score
// is evidence that two records differ. Links at or above the threshold
// ([Options].Threshold, 0.5 by default) may join clusters; the others only
// count as evidence.
//
// The [Components] method is transitive closure (connected components with
// union-find), what most open tools do. It chains: one wrong link joins two
// people, and through them everyone linked to either. The default [Greedy]
// method resists chaining. It considers the links at or above the threshold
// in descending order of probability (ties by the records' refs, so the
// order is total) and joins the two records' clusters only if every guard
// allows, checking the join against all members already there:
//
//   - cannot-links: no NotSame assertion and no detached record across the
//     join; no two records holding disjoint values of a strong identifier
//     ([Options].StrongIDs, none by default); no two records of one
//     deduplicated source ([Options].DistinctSources); no scored pair across
//     the join whose weight vetoes it ([Options].Veto: a log2 Bayes factor at
//     or below -10 by default);
//   - size: the joined cluster stays within [Options].MaxClusterSize;
//   - cohesion: the scored pairs across the join average at least
//     [Options].Cohesion (0.2 by default: at least about one in five pairs
//     compared across the join looks like a match). Pairs never scored are
//     left out: blocking did not compare them, which is no evidence either
//     way. So a plain chain a-b-c joins, and a-c scored strongly against
//     (a weight at or below -Veto) keeps c out;
//   - weak bridges: a lone link (no other scored pair across the join
//     reaches the threshold) joining two groups of two or more records must
//     reach [Options].Bridge (0.9 by default).
//
// [Graph.Explain] replays these decisions for two records: which link
// joined their clusters, or which guard refused and on what numbers. Sums
// of probabilities are exact (fixed point at 2^-32), so no verdict depends
// on the order of additions. Each guard can be turned off with a negative
// value. [Options] says why each default is what it is; only the cohesion
// bar was chosen by measurement, and it is a knob to retune.
//
// One-to-one linkage between two sources (each record of A matches at most
// one of B, as in FEBRL4) is DistinctSources listing both: the greedy order
// then assigns each record its best partner still free. With
// [Options].MutualBest, a link counts only if each record is the other's best
// link into that source, which is stricter.
//
// # Incremental updates
//
// The greedy procedure only ever joins records within one connected
// component of the threshold graph (records joined by links at or above the
// threshold), and its outcome on a component depends only on that
// component's records, links and assertions. A [Graph] write therefore
// re-clusters only the components holding a touched record (the records
// written, their partners through links at or above the threshold, old or
// new, the records named by assertions) and leaves every other profile as it
// is. A link below the threshold matters only inside one component, so a new
// record's weak links to strangers (most of what a blocker scores) do not
// re-cluster the strangers. The result always equals a batch [Cluster] over
// the same records, links and assertions, whatever order the writes came
// in; rapid property tests check this over random write sequences and
// insertion orders, and against a naive second implementation.
//
// A write costs time in proportion to the components it touches. When
// links at the threshold chain most records into one component (a junk value
// shared by thousands, a threshold set too low), every write into it
// re-clusters all of it; raise the threshold or fix the scorer. Guards like
// MaxClusterSize bound the clusters, not the components.
//
// # Stable profile IDs
//
// A new profile's ID is derived from its anchor, the smallest ref among its
// records: "p_" and a hash of the ref ([ProfileID]; set [Options].IDSalt to
// make IDs impossible to recompute from refs). A batch load gives the same
// IDs whatever the input order, and two runs over the same data agree. From
// then on, IDs follow the records:
//
//   - a profile keeps its ID as records join and leave;
//   - when profiles merge, the one bringing the most records keeps its ID
//     (ties: the one bringing its anchor record, then the one whose records
//     have held the ID longest, then the smallest record); the others become
//     aliases, which still resolve ([Graph.Resolve], [Graph.Profile]);
//   - when a profile splits, the part with the most of its records keeps the
//     ID, with the same tie-breaks, unless a profile with a better claim takes
//     that part (then the ID goes to its next part: IDs are matched to parts
//     by deferred acceptance, which does not depend on processing order);
//     a part left without an ID takes back the most recent alias of the
//     profile it came from whose anchor record it holds, else gets a new ID;
//   - merges and splits use the same ranking, so one undoes the other:
//     adding a record and deleting it again restores every profile, ID
//     included. The only trace left is an ID minted while the record was
//     there (a part it split off): it was announced, so it stays as an alias
//     and keeps resolving.
//
// IDs are history: loading the same records one at a time in another order
// may give other IDs than a batch load (the first record of a profile names
// it), though the profiles themselves are the same. [Graph.Snapshot] returns
// that history as plain data; a host stores it with its records, links and
// assertions, and [Restore] rebuilds the Graph with every ID, alias and
// tie-break as it was.
//
// # Golden profiles
//
// A [Survivorship] chooses each field's surviving values with a [Rule]:
// [MostRecent], [MostFrequent], [MostComplete], [SourcePriority],
// [FirstNonEmpty], [Union], a custom [Func], or a chain of them ([Then]).
// Rules only narrow the candidates, so every golden value is one a member
// record holds, with its provenance in [profile.GoldenValue]: the record it
// came from (and so its source), the record's observed time, and the name of
// the rule that decided it ("unanimous" when all records agree, "tie_break"
// when the rules could not decide and the smallest value was taken).
// Remaining ties are broken by normalized value, then record ref, so golden
// values never depend on input order. Addresses survive whole, never a street
// from one record and a postcode from another. [Builder] builds golden
// profiles on its own, for hosts that cluster elsewhere.
//
// # Change events
//
// Every write returns its changes as [Change] values (created, merged,
// split, updated, deleted) for a host to forward to its own systems. A
// profile's Updated time is the latest observed time among its records, so
// profiles are a pure function of the data.
//
// # Unmerge
//
// [AssertNotSame] states that two records are different people and
// [AssertDetached] that a record is a profile of its own. [Graph.Assert]
// splits the profiles they contradict (each part's golden values come from
// its own members), and the assertions hold for all later writes until
// [Graph.Retract] withdraws them.
// Deleting a record keeps the assertions naming it, in case it comes back.
//
// # Erasure
//
// [Graph.Erase] forgets a record: its links, every golden value and
// provenance entry it contributed (profiles are read without it, and split
// if it was the only bridge), the assertions naming it, the anchors of
// aliases that point at it, and the alias IDs derived from its ref. A test
// walks the whole Graph by reflection after an erasure and finds none of the
// record's strings. Two things remain by design: a surviving profile whose
// current ID was derived from the erased record keeps that ID (it identifies
// the remaining records; use IDSalt if refs must not be linkable to IDs), and
// the host's own copies of records and changes are the host's to erase.
//
// # Concurrency
//
// A [Graph] is not safe for concurrent use: it is built to sit behind the
// host's lock. Its read methods do not modify it, so they may run
// concurrently with each other under a read lock. [Builder], [Rule] values
// from this package and [Options] are safe for concurrent use.
// [UnionFind] is not.
//
// # Performance
//
// Clustering runs on dense int32 ids. [UnionFind] clusters 10 million links
// over a million records in under a tenth of a second on one core; [Cluster]
// from refs (indexing, checking, sorting, the greedy guards) takes about
// 3 CPU seconds for the same input. A [Graph] loads a million records with
// 10 million links in one batch in about 7 CPU seconds, and adds one record
// to it in tens of microseconds. Building a golden profile costs about a
// microsecond per member record. A Graph keeps no golden values: it chooses
// them when a profile is read (about 4 microseconds for a profile of three
// records, BenchmarkGraphProfile), so reads return memory of the caller's
// own and a bulk load builds no profile nobody reads. The benchmarks run on demand, not with go test;
// the million-record ones need a few GiB of memory:
//
//	go test -run '^$' -bench . -benchmem -benchtime 1x ./merge
package merge
