// Package synth generates realistic, dirty customer data with ground truth,
// for testing and benchmarking entity resolution at any scale.
//
// It simulates people living in households, with names from many naming
// cultures, birth dates, emails, phones and addresses that change over time,
// and writes what several source systems would hold about them: each with
// its own schema, conventions and mess. Every record carries the ID of the
// person it describes, and events (purchases, returns, complaints, visits,
// campaign responses) hang off the records. The output is plain CSV or JSONL
// so any tool can read it (unify's ingest, Splink, dedupe, a spreadsheet).
//
// # Using it
//
//	cfg := synth.DefaultConfig()
//	cfg.Records = 1_000_000
//	w, err := synth.CreateDir("out", synth.CSV, cfg.Sources)
//	...
//	stats, err := synth.Generate(ctx, cfg, w)
//	...
//	err = w.Close()
//
// This writes out/crm.csv, out/webshop.csv, ... (one per source, each with
// its own header), out/truth.csv (source, record_id, person_id,
// household_id, flags) and out/events.csv. A custom [Sink] receives records
// and events in memory instead, for benchmarks that skip files. The command
// examples/generate wraps this.
//
// # Determinism and memory
//
// Output depends only on the [Config]: the same seed gives byte-identical
// files from the same Go release on the same CPU architecture (tested).
// Across architectures rare values may differ, because Go may fuse
// floating-point multiply-adds on some of them, and math/rand/v2 does not
// promise its derived methods unchanged across releases; keep the files if
// you need the exact bytes forever. Asking for more records extends the
// output without changing what came before.
//
// Generation is streamed household by household, so memory does not grow
// with the output; the only size-dependent state is a Bloom filter, sized
// up front, that keeps email addresses of different people distinct
// (about 16 MB at 10 million records). One core makes roughly 100,000 to
// 250,000 records per second including events and CSV formatting.
//
// # Realism
//
//   - Names: sixteen naming cultures (English, Spanish, Portuguese, German,
//     French, Italian, Polish, Nordic, Russian/Ukrainian in Cyrillic, Greek,
//     Arabic romanized, Indian, Chinese, Japanese, Korean, Vietnamese) with
//     Zipf-Mandelbrot frequencies over ordered tables plus a composed long
//     tail of surnames, so common names collide as in real files. Non-Latin
//     names exist in native script and several romanizations (Дмитрий,
//     Dmitry, Dmitriy); East Asian names are family-first natively; Slavic
//     and Greek surnames agree with gender (Kowalski/Kowalska); Spanish and
//     Portuguese people carry two surnames that systems often cut to one;
//     Chinese given names are composed from common characters; East Asian
//     people in English-speaking countries sometimes use an English given
//     name. Nicknames come from per-culture tables (Robert: Bob, Rob,
//     Bobby; Małgorzata: Gosia).
//   - Households: partners (a married woman may take her partner's name,
//     per her culture's custom, from a date), adult children including twins
//     and juniors (Jr/Sr), siblings and lodgers. Members share the address
//     and landline, sometimes an email. Namesakes (same name, sometimes same
//     birth year and city) are added on top of natural collisions.
//   - Contacts: personal emails in the patterns people choose at each
//     country's providers, work emails at shared employer domains, changes
//     of email and mobile over time. Phones are drawn from ranges that
//     libphonenumber validates for the country (tested) and written in
//     national, international and E.164 forms. Addresses follow each
//     country's conventions (number before or after the street, Flat 3, 4/12,
//     3º B, ul. ... 12/4, lgh 1102, 1-2-3 chome) with the street types
//     abbreviated differently per record, postcodes of the right shape and
//     city prefix, alternative city names (Munich, München, Muenchen), and
//     moves that leave older records with older addresses.
//   - Sources: [KindCRM], [KindWebshop], [KindSupport], [KindPOS],
//     [KindNewsletter] and [KindWeb], each with its own key format, columns,
//     date and phone conventions, required and optional fields, and mess
//     multiplier. A person appears in one or more sources, sometimes several
//     times in one (a second account, more tickets, more devices).
//   - Mess per copy ([Mess]): keyboard typos, nicknames, initials,
//     swapped names, case, stray spaces, folded accents (Müller as Muller or
//     Mueller), romanization variants, transposed phone digits, day/month
//     swaps, mistyped dates, junk placeholders (n/a, test@test.com,
//     000-000-0000, 1900-01-01), missing values, provider-equivalent email
//     spellings and provider typos (gmial.com). Each record's [Flags] say
//     which were applied, for error analysis.
//   - Events: per-person activity is log-normal, so a few customers are very
//     active. Times follow per-channel daily and weekly rhythms in the
//     customer's time zone and a retail season; amounts are log-normal in
//     local currency; some purchases are returned.
//
// # Limits
//
// It is synthetic, and an engine tuned only on it will be tuned to its
// assumptions. Real data has things this generator lacks or simplifies:
//
//   - Frequencies are plausible orderings from general knowledge, not census
//     or registry counts, and given names do not follow birth-year fashion.
//   - Eleven countries, a few cities each; no rural addresses, PO boxes,
//     c/o lines, house names, or native-script addresses (Japanese addresses
//     are romanized only). Postcodes have the right shape and prefix but are
//     not checked against postal data.
//   - Errors are independent per value, at fixed rates; real errors cluster
//     by operator, system migration and time (a bad import corrupts
//     thousands of records the same way), and OCR or speech errors are not
//     modelled.
//   - No data-entry of one person's details into another's record, no merged
//     households, no deceased or fraudulent customers, no business accounts.
//   - Phone numbers are valid by libphonenumber ranges and may be real
//     assigned numbers; emails use real provider domains. Never contact them.
//   - Rows are written person by person, so one person's records are near
//     each other within each file (keys are scrambled, so they do not leak
//     the order). Tools must not rely on row order; shuffle the files if
//     yours might.
//   - Web devices without a login ([FlagAnonymous]) carry no identifying
//     value at all: the truth links them to a person, but no matcher can.
//     With the defaults they are about 5% of records but take part in about
//     12% of true pairs, so counting them caps pairwise recall near 0.88.
//     Leave them out of pairwise evaluation, or drop the web source.
//   - Times ignore daylight saving (each city has a fixed UTC offset).
package synth
