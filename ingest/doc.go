// Package ingest turns customer exports (CSV, JSON Lines, JSON arrays) into
// [profile.Record] values and [profile.Event] values, streaming, in flat
// memory, and without losing a row: every row is either yielded or rejected
// with its position, and a [Report] reconciles the counts.
//
// # Reading records
//
// A [Mapping] names the source and says which column holds the record key
// and which columns feed which fields of the vocabulary (given_name, email,
// id:loyalty, attr:segment, ...). Columns it does not name are auto-mapped
// from their header names, so the zero Mapping with a Source name reads most
// exports as they are:
//
//	src, err := ingest.NewSource(file, ingest.Mapping{Source: "crm"}, ingest.Options{})
//	if err != nil {
//		return err
//	}
//	for rec, err := range src.Records(ctx) {
//		if rejects.WriteError(err) { // a *Reject: saved, reading goes on
//			continue
//		}
//		if err != nil { // a *ReadError: I/O, truncation, cancellation, bad header
//			return err
//		}
//		store(rec)
//	}
//	report := src.Report() // rows read = accepted + rejected, warnings, column mapping
//
// Values are normalized by a [Normalizer], by default [profile.NewNormalizer]
// with the mapping's date order, phone region and email rules. The raw text
// of every value stays on the record. Once a row's fields are set, a whole
// address written in its street column ("12 High Street, London SW1A 1AA")
// is read into the parts the row left empty, when the Normalizer can
// ([AddressCompleter]; [profile.Normalizer.CompleteAddresses]).
//
// # Formats
//
// CSV follows RFC 4180 as encoding/csv reads it (quoted values with
// delimiters, quotes and line breaks; CRLF; a UTF-8 byte order mark), with a
// configurable ASCII delimiter (by default detected from the header line:
// ',', ';', tab or '|', see [DetectComma]) and, by default, white space after a
// delimiter trimmed (FEBRL writes "a, b"). Each row's line number is the
// physical line where it starts. JSON Lines holds one object per line; a
// JSON array is read element by element. JSON values may be strings,
// numbers (their text is kept: 007 stays "007" only as a string, 1e3 stays
// "1e3"), booleans ("true"/"false"), null (no value), arrays (one value
// each: a list of emails) and nested objects, whose keys are flattened with
// '.' ("address.city"). [FormatAuto] picks the format from the first byte.
//
// Memory per row is bounded by Options.MaxRowBytes and MaxFieldBytes, so a
// stray quote or a giant value cannot make the reader buffer the input: the
// row is scanned to its end and rejected.
//
// # Auto-mapping
//
// Header names are compared after [NormalizeHeader] (lower case, no
// diacritics, camelCase and separators as '_'): first_name, fname,
// forename, given_name, firstName and Prénom are all given names; surname,
// last_name and lastname family names; e-mail, email_address, email2 and
// work_email emails; mobile, tel, phone_number and home_phone phones; dob,
// date_of_birth and birthdate birth dates; suburb, city and town
// localities; state and province regions; zip, zipcode and postcode
// postcodes; soc_sec_id and ssn national IDs; loyalty_number and member_id
// loyalty IDs; device_id and cookie_id device IDs; birth_place,
// place_of_birth and Geburtsort the attribute attr:birth_place, and
// occupation, profession and job_title attr:occupation, which package
// match compares by default (match.KnownAttrs). Qualifiers such as
// billing_, shipping_, home_ and customer_ are looked through, as are
// trailing numbers on multi-valued fields (phone_2). The key column is the
// first present of rec_id, record_id, unique_id, id, _id, customer_id, ...;
// failing those, the left-most column whose name ends like an identifier
// (_id, _no, _number, ...) and names no field, noted in the report. The
// observed-time column is the first of updated_at, modified,
// last_updated, .... Common German, French, Spanish, Dutch and Italian
// names are known too.
//
// A single-valued field takes the first column that names it; another is
// kept as an attribute, noted in the report. A birth year (birth_year,
// year_of_birth, yob) is a weaker name for the birth date: it is the birth
// date, a partial one, only when no other column names it. In JSON, though, a key first
// seen after the first object (objects of another schema version writing
// "first" where the others write "givenName") fills the field in the
// objects that lack the earlier key.
//
// A column nothing recognises is kept as "attr:<name>" (or dropped, with
// Mapping.Unmapped = UnmappedIgnore) and listed as unmapped in the report,
// so ground-truth or internal columns such as fake_1000's "cluster" never
// become matching fields by accident. [AutoMapping] writes the mapping a
// header gets as an explicit Mapping, to review, save as JSON and edit.
//
// # Bad input
//
// A row that cannot be a record is a [*Reject] with the source, line,
// column, reason and raw text, and reading goes on. Reasons: wrong column
// count ([ErrColumnCount]), invalid UTF-8 ([ErrInvalidUTF8]), missing or
// duplicate key ([ErrMissingKey], [ErrDuplicateKey]; see [DuplicateKeys]
// for last-wins), over-long value or row ([ErrFieldTooLong],
// [ErrRowTooLong]), quote errors ([ErrBareQuote], [ErrQuote]), malformed
// JSON ([ErrMalformedJSON]), and for events unreadable amounts and times
// ([ErrBadAmount], [ErrBadTime]), currencies that are not ISO 4217 codes or
// unambiguous symbols ([ErrBadCurrency]) and missing types ([ErrMissingType]).
//
// A bad value in an optional field (an impossible birth date, a phone that
// is not a number, a placeholder like "n/a") keeps its record: the field's
// normalized form stays empty, its raw text stays on the record, and the
// report counts a [Warning] with line, column and reason. The report keeps
// the first Options.MaxWarnings warnings in detail; Options.OnWarning sees
// them all.
//
// Problems that stop reading end the stream with a [*ReadError] naming the
// position: I/O errors, a cancelled context, a truncated input
// ([ErrTruncated]: a quoted CSV value or a JSON value open at the end, or
// a last CSV line with too few fields and no line end), a missing header
// or a mapping naming a column the header lacks ([ErrUnknownColumn]).
// [RejectWriter] saves rejects and warnings as CSV or JSON Lines.
//
// # Events
//
// An [EventSource] reads purchases, returns and interactions with an
// [EventMapping] that works like Mapping: columns for the record key,
// event ID, type, time, channel, device, region, campaign, order ID,
// amount and currency, auto-mapped from names such as customer_id,
// order_id, amount/total/price, currency, timestamp/created_at, type,
// channel and utm_campaign. Events hang off records by (source, record
// key): the source is EventMapping.Source, or, for a feed holding several
// sources' events, a column mapped to [EventRecordSource] (auto-mapped
// from record_source or source_system, not from a bare "source", which in
// event feeds is as often the traffic source). See [ParseAmount] and
// [ParseTime] for the accepted forms.
//
// # Performance and memory
//
// CSV rows are scanned by a byte-level state machine over a bufio.Reader
// (checked against encoding/csv by fuzzing) into reused buffers; each row
// costs one string for all its values plus what the record itself needs.
// Duplicate-key detection keeps a 128-bit hash per distinct key (about 40
// bytes); [NoDuplicateCheck] turns it off for memory that does not grow
// with the input. See BenchmarkCSVFEBRL and TestFlatMemory.
//
// Normalizing values (phone numbers above all) is most of the work, so a
// [Source] normalizes batches of rows on GOMAXPROCS goroutines while one
// reads ahead and checks keys in input order; the ranging goroutine gets
// records, rejects and warnings in input order exactly as one goroutine
// alone would give them ([Options.Workers]). A few batches are in flight
// at a time, so memory stays flat.
package ingest
