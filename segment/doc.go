// Package segment turns golden profiles and their events into what
// marketers and service teams act on: per-customer aggregates, rule
// segments written in a small condition language, RFM scores with the
// standard named segments, value tiers, and an engagement report.
//
// It imports only [github.com/unifyhq/unify/profile]. Its inputs are golden
// [profile.Profile] values (from merge, or the host's own) and
// [profile.Event] values (from ingest, or the host's own); a profile's events
// are the events of its member records, found with an [EventIndex]. Every
// computation takes a supplied "now": nothing here reads the clock, so
// results are reproducible.
//
// # Aggregates
//
// An [Aggregator] (built from [Options]) computes [Aggregates] for one
// profile: first and last seen, orders (purchase events grouped by order ID),
// spend in a reporting currency (with explicit exchange rates; amounts in a
// currency without a rate are kept per currency and counted, never added at
// the wrong value), rolling windows (30/90/365 days by default), returns,
// complaints, enquiries, campaign responses, channels and the preferred
// channel, devices, regions, campaigns, and active hours, weekdays and months
// in a chosen time zone. [Views] builds one [View] per profile.
//
// # Conditions
//
// A condition is parsed once ([Parse]) into a tree of [Expr] nodes and
// compiled ([Compile], [New]) against the schema of fields ([Fields]):
//
//	total_spend >= 1000 and last_purchase within 90d
//	    and channel in ("email", "sms") and not has(complaint, 30d)
//
// The language has comparisons (= != < <= > >=), in (...), not in (...),
// contains, exists, between X and Y, time windows (within 90d, before 30d;
// units h, d, w, mo, y), and, or, not and parentheses, over profile fields
// (given_name, locality, country, id:<type>, attr:<name>, consent:<purpose>)
// and aggregates (total_spend, purchase_count, last_purchase, channels, ...),
// plus has(type, window), count(type, window) and spend(window) over events.
// Keywords and field names are case-insensitive; string comparisons ignore
// case.
//
// Kinds are checked at compile time: a number field compares with numbers, a
// time field with dates ("2024-05-01") and windows, a set field (channels,
// devices) with contains and in. An unknown field is a compile error with a
// suggestion, never a silent false. Syntax errors give line, column and what
// was expected:
//
//	segment: 1:16: expected value after ">=", found end of input
//
// The same trees are built from Go with [And], [Or], [Not], [Eq], [Ge],
// [In], [Contains], [Exists], [Between], [Within], [Before], [Has], [Count]
// and [Spend], and every tree prints back in the language (Parse of String
// gives the same tree).
//
// Missing values: a comparison, in, contains or between on a field without a
// value is false ("!=" too: attr:tier != "gold" needs a tier); "not" is plain
// negation; exists tests presence. A multi-valued profile field (emails,
// addresses) matches when any of its values does.
//
// # Segments and membership changes
//
// A compiled [Segment] has a name and Match(view), which does not allocate
// and is safe for concurrent use. [Segment.Evaluate] compares a profile
// before and after a change; [Diff] compares two states of a population
// (after updates, merges and splits) and returns the [Change] list: which
// profiles entered and exited which segments, with the absorbing profile of a
// merge (Into) and the origin of a split (From).
//
// # RFM, value tiers and built-in segments
//
// [ScoreRFM] scores recency, frequency and monetary value 1 to 5 by
// quintiles over the population (ties share a score) and names the standard
// segments (Champions, Loyal, Potential Loyalist, New Customers, Promising,
// Need Attention, About To Sleep, At Risk, Cannot Lose Them, Hibernating,
// Lost); customers without orders are [NoPurchases]. [ValueTiers] ranks
// customers by spend (VIP top 5%, High top 20% by default). [Builtins]
// returns lapsed, new, multi-channel, complaint-risk and VIP segments written
// in the condition language. [AssignRFM] and [AssignTiers] store the results
// in the views, so conditions can use rfm_segment and value_tier.
//
// # Engagement report
//
// [Engagement] answers the questions asked of a single customer view: what
// prompts engagement (event types), where (channels, devices, regions), when
// (hour, weekday, month), how often (events per customer), and how these go
// with spend (average spend of customers using each channel against those
// not; Pearson correlation of event counts with spend), overall and per
// segment. The [Report] is a Go value with stable JSON field names and a
// deterministic order.
//
// # Concurrency
//
// Aggregators, compiled segments and schemas are immutable and safe for
// concurrent use. Views are plain values: do not change one while segments
// read it.
package segment
