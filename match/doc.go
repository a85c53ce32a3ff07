// Package match finds the records that are the same person: it blocks
// records into candidate pairs, compares each pair field by field into
// agreement levels, and scores the pair with a Fellegi-Sunter model trained
// without labels, combined with deterministic rules. Every score can explain
// itself.
//
// # Flow
//
//	records ──Prepare──► Prepared (keys, phonetic codes, nicknames; once per record)
//	        ──Blocker──► candidate pairs (several OR-ed rules, each pair once)
//	        ──Comparison─► one level per comparison (exact, fuzzy, ..., else, or Missing)
//	        ──Model────► log2 Bayes factors summed with the prior ──► probability
//
// [Train] estimates the model from the records themselves; [Matcher.Links]
// scores every candidate pair; [Matcher.Explain] shows why.
//
// # Comparisons
//
// A [Comparison] maps a pair to one of a few ordered levels, as in Splink.
// The defaults ([DefaultComparisons]) cover the field vocabulary of package
// profile: given name (exact, nickname, Jaro-Winkler >= 0.92, >= 0.80,
// phonetic, initial, swapped with the family name, the sole name of a record
// without a family name equal to the other's family name), family name, birth date
// (exact, one digit, day/month transposed, same month, a partial date
// agreeing, within a year), email (exact, same local part, fuzzy), phone
// (exact, last seven digits, one edit), the street address, town, region
// and country, gender, and one comparison per identifier type. A name
// written with an umlaut and its two-letter spelling ("Müller", "Mueller")
// compare exact. Multi-valued fields compare best-of. A missing value on
// either side is its own level, [Missing], and carries no evidence.
// [Settings.Attrs] adds an [AttrComparison] for custom attributes (a birth
// place, an occupation); generic constructors cover others:
// [StringComparison], [NumericComparison], [DateDiffComparison],
// [GeoComparison].
//
// String similarity on the hot path ([JaroWinkler], [OSA]) works on Unicode
// code points and does not allocate.
//
// # Blocking
//
// [DefaultBlockingRules] OR several keys (same email, same phone, same
// identifier, surname sound-alike and birth year, and more); a pair produced
// by several rules is compared once. Blocks larger than
// [Blocker.MaxBlockSize] (a junk value shared by thousands) are skipped and
// reported in [Diagnostics], never expanded into millions of pairs. Two
// records that share only one key are compared only in a block of at most
// [Blocker.MaxSingleKeyBlock] records (10): a common first name in a big
// town pairs thousands of strangers and almost no duplicates. Records that
// share two or more keys are compared in any block under the cap.
//
// # The model
//
// [Train] estimates, with no labels:
//
//   - u, the chance of each level among non-matches, from random record
//     pairs; for the exact level of names, emails, phones, postcodes and
//     identifiers it is computed from value frequencies; for the partial
//     levels of a comparison whose values are made from names (an email's
//     local part: josephc@ at two providers) it is no lower than its share
//     among non-matching pairs that share a given name, which are the pairs
//     blocking puts forward (see [Comparison].NameDerived), and pairs whose
//     family names agree too score them with their share among people of
//     one full name ([LevelModel].UNamesake);
//   - m, the chance of each level among matches, by expectation-maximisation
//     over the blocked pairs with u held fixed, one session per blocking
//     rule with the rule's own fields left out (as Splink does), averaged;
//   - the prior, as the expected number of matches divided by the number of
//     all record pairs, not only the blocked ones.
//
// Agreement on an exact value is adjusted by term frequency: sharing a
// common surname is weaker evidence than sharing a rare one. Two
// dependences that independence gets wrong are estimated rather than
// assumed away: how often a given and a family name occur together
// ([JointTF]), and how often non-matching pairs that share an address,
// phone or email share a family name too, or one spelt nearly alike, as
// households do ([Household]). For the same reason, a training session
// blocked on an address, phone or email learns nothing about family names:
// housemates fill its pairs. Deterministic
// [Rule]s override the model ("same id:loyalty is a match", "different
// id:national is a non-match"). A [Model] is plain data, versioned, and
// saves to and loads from JSON.
//
// # Explanations
//
// [Matcher.Explain] returns, for one pair, each comparison's level, m, u,
// term-frequency adjustment, Bayes factor and log2 weight; the prior weight
// plus the terms is the final weight, and the probability follows. It is a
// Go value, marshals to JSON, and prints as a text waterfall.
//
// # Evaluation
//
// Subpackage eval measures pairwise precision, recall and F1, B-cubed
// scores, threshold sweeps and blocking quality against ground truth.
//
// # Concurrency
//
// A [Matcher] and the built-in comparisons and blocking rules are safe for
// concurrent use. [Matcher.Links] scores pairs on Settings.Workers
// goroutines.
package match
