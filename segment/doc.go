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
// Without a reporting currency ([Options.Currency] empty), each profile's
// spend is in its main currency: the one most of its purchase and return
// events name, ties to the alphabetically first code, so the result does
// not depend on the order of events. Amounts in its other currencies are
// counted as unconverted, not summed: GBP 176.53 and USD 359.97 give a
// total_spend of 176.53 in GBP and unconverted 1, never 536.50.
// spend_currency names the currency, and RFM monetary scores and value
// tiers rank each customer only against customers whose spend is in the
// same currency. Customers whose events name no currency are ranked with
// the rest when the data names one currency; beside other currencies, a
// group too small for a tier's share has no customer in that tier, and a
// customer alone in its currency scores M 3 (see [Population]). Set a
// reporting currency and rates when the data carries more than one
// currency.
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
// suggestion, never a silent false; so is a literal that rfm_segment or
// value_tier never holds (rfm_segment = "Champion", value_tier = "gold"),
// and the error lists the values they do hold. Syntax errors give line,
// column and what was expected:
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
// # Fields
//
// Profile fields are strings: the fixed vocabulary (given_name, family_name,
// email, phone, birth_date, locality, region, postcode, country, ...) and the
// open-ended id:<type>, attr:<name> and consent:<purpose> (consent values
// are "yes" and "no"). They read the golden values' normalized form; a field
// with several values matches when any does. The aggregates ([Fields] lists
// them all, with kinds):
//
//	profile_id               string  the golden profile's ID
//	member_count             number  number of source records in the profile
//	sources                  set     source systems of the member records
//	updated                  time    when the golden profile last changed
//	events                   number  number of events
//	first_seen               time    time of the earliest dated event
//	last_seen                time    time of the latest dated event
//	days_since_last_seen     number  whole days from last_seen to now; missing without dated events
//	tenure_days              number  whole days from first_seen to now; missing without dated events
//	purchase_count           number  number of orders
//	first_purchase           time    time of the first dated order
//	last_purchase            time    time of the latest dated order
//	recency_days             number  whole days from last_purchase to now; missing without a dated order
//	total_spend              number  purchase amounts in spend_currency
//	spend_currency           string  currency of the spend fields: the reporting one, or the profile's main currency
//	net_spend                number  total_spend less returned_amount
//	avg_order_value          number  total_spend per order; missing without orders
//	unconverted              number  purchases and returns not in spend_currency nor converted into it (not in total_spend)
//	return_count             number  number of returns
//	returned_amount          number  returned amounts in spend_currency
//	complaint_count          number  number of complaints
//	complaint_ratio          number  complaints per order; missing without orders
//	enquiry_count            number  number of enquiries
//	campaign_response_count  number  number of campaign responses
//	channel                  string  preferred channel: most events, ties to the alphabetically first
//	channels                 set     channels with at least one event
//	channel_count            number  number of distinct channels
//	devices                  set     devices with at least one event
//	device_count             number  number of distinct devices
//	regions                  set     regions with at least one event
//	campaigns                set     campaigns responded to
//	event_types              set     event types with at least one event
//	currencies               set     currencies of purchases and returns
//	rfm_r                    number  RFM recency score 1-5; missing when not scored
//	rfm_f                    number  RFM frequency score 1-5; missing when not scored
//	rfm_m                    number  RFM monetary score 1-5; missing when not scored
//	rfm_segment              string  named RFM segment, such as "Champions"; missing when not scored
//	value_tier               string  value tier (vip, high, standard, none); missing when not assigned
//
// Event functions: has(type[, window]) is true when an event of the type
// occurred in the window (ever, without one); count(type[, window]) and
// spend([window]) are numbers. Event types are case-sensitive; purchases
// are counted as orders. Hosts define their own event types, so by default
// any type compiles and a misspelt one (has(purchse, 30d)) counts no
// events; list the types in [Schema].EventTypes to make that a compile
// error. A window w is [now-w, now]; events after now are in
// no window.
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
// in the views, so conditions can use rfm_segment and value_tier. For a
// population too large to hold every view, a [Population] built from every
// customer's aggregates scores views one at a time with the same results.
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
