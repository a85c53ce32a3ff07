// Command dedupe finds the records that are the same person in one or more
// customer files and gives each record the ID of its golden profile.
//
//	go run ./examples/dedupe [flags] FILE [FILE ...]
//
// Each FILE is read as one source, named after the file without its
// extension (crm.csv is source "crm"); several files are linked and
// deduplicated together. Columns are mapped to the field vocabulary of
// package github.com/unifyhq/unify/profile by their header names (first_name,
// surname, email, dob, zip, ...; see package
// github.com/unifyhq/unify/ingest), the match model is trained on the data
// itself without labels, and records are clustered into profiles with the
// library's defaults. Nothing about the data is assumed beyond its headers.
//
// # Input formats
//
// The format follows the extension: .csv (with a header row; the delimiter,
// ',', ';', tab or '|', is read from the header line), .tsv
// (tab-separated), .jsonl or .ndjson (one JSON object per line), .json (one
// JSON array of objects). A further .gz (crm.csv.gz) is decompressed on the
// fly. Files are read as UTF-8 unless -encoding names another character set.
//
// # Flags
//
//	-map COLUMN=FIELD,...  map columns to fields explicitly (given_name,
//	                       family_name, email, phone, birth_date, postcode,
//	                       id:<type>, attr:<name>, ...). Entries override the
//	                       automatic mapping in every file that has the
//	                       column; a column in none of the files is an
//	                       error. May be repeated. A column name may hold
//	                       commas ("Name, Vorname=full_name"): an entry
//	                       ends at the first comma after its '=', as field
//	                       names hold none.
//	-compare COLUMN,...    compare these columns too, each as a custom
//	                       attribute (attr:<column>) with a comparison of
//	                       its own (exact, with term frequencies;
//	                       Jaro-Winkler >= 0.92; else) whose weights the
//	                       model learns from the data like the others'.
//	                       For what the field vocabulary has no place for
//	                       (a membership club, a school). A birth place and
//	                       an occupation column (birth_place, occupation,
//	                       job_title, ...) are compared without it; other
//	                       unmapped columns are kept on the profile but not
//	                       compared. A column named here is an attribute
//	                       even if its name would map it to a field, and a
//	                       column that repeats a compared field (a second
//	                       name column) would count that evidence twice.
//	                       May be repeated. The list is read as one CSV
//	                       record, so a name holding a comma is quoted:
//	                       -compare '"Place, Country",occupation'.
//	-key COLUMN            the record key column, in every file that has it
//	                       (default: detected from names such as id,
//	                       customer_id, rec_id; a file with no key-like
//	                       column is keyed by data row number, and the
//	                       mapping line says so).
//	-ignore COLUMN,...     columns not to read. May be repeated; a name
//	                       holding a comma is quoted, as for -compare.
//	-truth COLUMN          a column labelling each record's true person, as
//	                       benchmark data sets have (a cluster or entity
//	                       ID): it is neither compared nor kept, and after
//	                       the run the result is scored against it, on
//	                       standard error even with -quiet: pairwise
//	                       precision, recall and F1 over every pair of
//	                       records (a profile predicts all its pairs), and
//	                       B-cubed precision and recall. A record with an
//	                       empty label counts as a person of its own; a
//	                       rejected row is not scored, and the lines say how
//	                       many of each there were.
//	-truth-file FILE       the same, with the labels in a CSV file whose
//	                       header names source, record_id and then the
//	                       label column (the first other column): the
//	                       truth.csv of examples/generate. Records the file
//	                       does not list count as unlabelled; rows naming
//	                       records that no file gave (or that were
//	                       rejected) are not scored, and the lines say how
//	                       many there were.
//	-threshold P           match probability in (0, 1] at or above which two
//	                       records may join one profile (default 0.5, the
//	                       library default).
//	-out FILE              where to write the result (default: standard
//	                       output).
//	-profiles FILE         write the golden profiles: CSV, or JSON Lines
//	                       for .jsonl/.ndjson (see Output).
//	-explain FILE          write a JSON Lines explanation of every scored
//	                       pair at or above the threshold.
//	-model FILE            write the match model trained on the data, as
//	                       JSON (match.Model): every comparison's levels
//	                       with their m and u probabilities, the term
//	                       frequencies, the prior and notes on training. A
//	                       run too small to train leaves it empty.
//	-rejects FILE          write rejected rows and value warnings, as CSV or,
//	                       for .jsonl/.ndjson, JSON Lines.
//	-encoding NAME         the files' character set, by IANA name or alias
//	                       (default UTF-8, or UTF-16 for a file that starts
//	                       with its byte order mark): windows-1252 for the "ANSI"
//	                       exports of Western spreadsheets, iso-8859-1,
//	                       shift_jis, utf-16, ...
//	-region COUNTRY        the country of phone numbers written without a
//	                       country code, on records whose address names no
//	                       country (a name or an ISO 3166-1 code: US, GB,
//	                       Deutschland). Without it such numbers are kept as
//	                       digits for matching, but have no E.164 form and
//	                       are left out of the golden profiles; a file's
//	                       summary line counts them.
//	-dates DMY|MDY|YMD     the order of ambiguous dates such as 03/04/1980,
//	                       for every record (default: day first, but month
//	                       first for records whose country writes dates so,
//	                       such as the United States).
//	-two-digit-year-pivot N
//	                       read two-digit years in birth dates (03/04/80)
//	                       below N (1-99) as 20yy and the others as 19yy.
//	                       Without it such dates are warned about and not
//	                       compared; a file's summary line counts them.
//	-quiet                 print only errors on standard error.
//
// For -out, -profiles, -explain, -model and -rejects, FILE "-" is standard
// output (CSV for -profiles and -rejects), for one of them at a time. -out
// writes there by default, so another flag gets "-" only with -out FILE;
// two flags asking for it is a usage error.
//
// # Output
//
// A CSV file with the header source,record_id,profile_id and one row per
// accepted input record, sorted by source and then record_id (byte order),
// so that two runs over the same files give identical bytes. Records with
// the same profile_id are the same person. Profile IDs are stable: they are
// derived from a member record's reference, not from the run.
//
// The -profiles file holds one golden profile per person, in profile ID
// order: the values that survived from its records, chosen by the
// library's default survivorship rules. As CSV its header is profile_id,
// records (how many), sources (the sources they came from, "; "
// between), a column per field of the fixed vocabulary (given_name,
// middle_name, family_name, full_name, ..., country, in that order,
// whatever the input; empty where no record had a value), then the
// id:<type>, consent:<purpose> and attr:<name> fields that input columns
// fed. A multi-valued field (emails, phones, identifiers) joins its values
// with "; ". Addresses survive whole, so the address part columns are
// parallel lists: the i-th street, house_number, ..., country belong to the
// i-th address, and a part that address lacks is empty. (A value that
// itself holds "; " reads as two in the CSV; the JSON Lines form is
// exact.) As JSON Lines each line is a profile.Profile: the members, and
// for every value its raw form, the record it came from, that record's
// time and the rule that chose it.
//
// The -explain file holds one JSON object per line for each pair of records
// whose match probability reached the threshold: the fields of a
// match.Explanation (a, b, prior, prior_weight, terms with every
// comparison's level, m, u and weight, weight, probability, threshold,
// match, rule) plus profile_a, profile_b and same_profile, which says
// whether the clustering kept the pair together (it may not: a pair above
// the threshold can be kept apart by the clustering guards against chains).
// Each line decodes into a match.Explanation as it is.
//
// Standard error gets one or two lines per file (the column mapping, then
// the counts of rows read, accepted and rejected, and warnings by column),
// a progress line every two seconds on long runs, and a summary: records,
// rejects, warnings, pairs linked at or above the threshold, profiles, profiles with more
// than one record, and the time taken. A row that cannot be a record (bad
// column count, missing or duplicate key, invalid UTF-8, ...) is rejected
// and counted, never dropped silently: the first few are shown, and
// -rejects saves them all with their line numbers and raw text.
//
// # Memory
//
// Records go to the engine in batches as they are read, and the engine
// keeps its own compact copy, so memory grows with the records resolved,
// not with the files. The engine holds every record, its index keys and
// its scored pairs; the command itself adds a reference per record, and
// builds one golden profile at a time for -profiles: a peak of about 2.4 GiB for a million records from
// six files. To cap it lower, set the Go runtime's GOMEMLIMIT; collections
// then run more often as the limit nears, and the run takes longer.
//
// # Exit status
//
// 0 on success; 2 for a usage or input problem (a bad flag, no files, an
// unreadable or truncated file, an unknown format, an unknown field in
// -map, a column in no file), with a one-line message on standard error;
// 1 when resolving or writing the results fails, or on an interrupt. On
// failure the -out, -profiles and -explain files are removed; -rejects
// keeps what was read.
//
// # Example
//
//	$ go run ./examples/dedupe -out ids.csv -profiles profiles.csv testdata/febrl4a.csv testdata/febrl4b.csv
//	febrl4a.csv: 11 columns: rec_id->key, given_name->given_name, surname->family_name, street_number->house_number, address_1->street, address_2->address_line2, suburb->locality, postcode->postcode, state->region, date_of_birth->birth_date, soc_sec_id->id:national; unmapped: -
//	febrl4a.csv: 5,000 rows: 5,000 accepted, 0 rejected; 0 warnings
//	febrl4b.csv: 11 columns: rec_id->key, given_name->given_name, ...; unmapped: -
//	febrl4b.csv: 5,000 rows: 5,000 accepted, 0 rejected; 64 warnings (date_of_birth 64)
//	records:          10,000 from 2 files
//	rejected rows:    0
//	warnings:         64
//	linked pairs:     4,999 at or above the threshold 0.5
//	profiles:         5,001 (4,999 with more than one record)
//	training:         13,345 candidate pairs (76% matches, as EM estimates), 14 EM sessions
//	golden profiles:  5,001 in profiles.csv
//	time:             1.5s (read 96ms, resolve 1.3s, write 29ms)
//	$ head -3 ids.csv
//	source,record_id,profile_id
//	febrl4a,rec-0-org,p_4cbb7zyiflnovfqk
//	febrl4a,rec-1-org,p_4pz7xatztxczof37
//	$ head -2 profiles.csv
//	profile_id,records,sources,given_name,middle_name,family_name,full_name,honorific,suffix,email,phone,birth_date,gender,street,house_number,address_line2,locality,region,postcode,country,id:national
//	p_223qydf42p7aiakh,2,febrl4a; febrl4b,Joe,,White,,,,,,1985-11-22,,towers place; towers place,4; 5,hybernia park; hyberni apark,coolaroo; coolaroo,vic; vic,2066; 2066,,1899363
//
// The warnings are birth dates such as 19450493 that are not dates: the
// records are kept, without a birth date to compare. Add -rejects
// rejects.csv to see each one with its line, and -explain pairs.jsonl to
// see why each pair matched.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	// The first interrupt stops the run cleanly (removing partial
	// results); a second one kills it, as usual.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // resolving or writing failed
	exitUsage   = 2 // bad flags or input
)

// run is the whole command, callable in-process by tests: it parses args,
// reads the files, resolves and writes, and returns the exit status.
// Diagnostics go to stderr; the result goes to stdout unless -out is set.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	log := newLogger(stderr)
	cfg, err := parseFlags(args, stdout)
	if err == errHelp {
		return exitOK
	}
	if err != nil {
		log.errorf("%v (see dedupe -h)", err)
		return exitUsage
	}
	log.quiet = cfg.quiet
	j := &job{cfg: cfg, log: log, stdout: stdout}
	code, err := j.run(ctx)
	if err != nil {
		log.errorf("%v", err)
	}
	return code
}

// usageError marks errors that exit with status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}
