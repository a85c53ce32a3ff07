// Package profile holds the customer data model shared by every stage of
// unify, and the normalizers that turn raw source values into it.
//
// # Data model
//
// A [Record] is one customer record as a source system holds it, identified
// by a [Ref] (source, key). Every value keeps its raw text next to its
// normalized forms: a [Text] has Raw, a display form Norm and a comparison
// key Key; an [Email] has Raw, Address and Canonical; a [Phone] has Raw and
// E164; a [DateValue] has Raw and a possibly partial [Date]. An [Event] is
// something a customer did, and a [Profile] is a golden profile whose
// [GoldenValue]s carry their provenance.
//
// Fields are named by one vocabulary ([Field]): given_name, family_name,
// email, phone, birth_date, postcode, ..., plus id:<type>, attr:<name> and
// consent:<purpose>.
//
// A [Packed] record is a Record in one immutable string, about a sixth
// of its size: the form in which the engine and the merge graph hold a
// million records. [Pack] makes one; [Packed.Record] gives the record back.
//
// # Normalizing records
//
// A [Normalizer] built from [Options] fills a Record field by field:
//
//	n := profile.NewNormalizer(profile.Options{DefaultRegion: "AU"})
//	var r profile.Record
//	err := n.Set(&r, profile.FieldFullName, "Dr. John A. Smith Jr.")
//
// Set never drops raw text. Junk and invalid values are kept with an empty
// normalized form and reported as a [*FieldError] that wraps [ErrJunk] or an
// ErrInvalid... sentinel (all matching [ErrInvalid]), so a caller can count
// them, reject the row or carry on.
//
// # Normalizers
//
// Each normalizer is also usable alone. All are values, immutable once
// built, and safe for concurrent use:
//
//   - [TextNormalizer]: NFKC display form; case-folded, accent-free key with
//     an ASCII fast path.
//   - [NameParser]: splits full names, honorifics and suffixes; display
//     casing. [Nicknames]: canonical forenames (Bob -> Robert).
//   - [EmailNormalizer]: syntax check, lower case, optional provider rules.
//   - [PhoneNormalizer]: E.164 via libphonenumber, with a default region.
//   - [AddressNormalizer]: street, unit and direction abbreviations,
//     postcodes per country, ISO 3166 countries.
//   - [DateParser]: the usual date forms, with a declared day/month order.
//   - [Junk]: placeholder values that mean missing.
//   - [ParseGender], [ParseConsent], [IdentifierValue] for the small fields.
//
// # Comparison keys
//
// Keys are what the match stage compares. They are lower case, without
// accents on Latin and Greek letters, with punctuation collapsed to single
// spaces and apostrophes removed; letters without a decomposition are mapped
// explicitly (ł -> l, ø -> o, æ -> ae, ß -> ss, ...; see [TextNormalizer]).
// Other scripts are kept: Cyrillic is case-folded, not transliterated; CJK
// is kept as written. Address keys also abbreviate street types,
// directions and unit designators ("Street" -> "st"), and country keys are
// ISO 3166-1 alpha-2 codes.
//
// # Errors
//
// Errors are values to test with [errors.Is]: [ErrJunk] for placeholders
// ("n/a", "test@test.com", "000-000-0000"; see [Junk]); [ErrInvalid] for
// anything unreadable, with the specific [ErrInvalidDate], [ErrInvalidEmail],
// [ErrInvalidPhone], [ErrInvalidPostcode], [ErrInvalidCountry],
// [ErrInvalidGender] and [ErrInvalidConsent]; [ErrUnknownField] for a field
// outside the vocabulary. Messages name the field, the raw value and the
// reason: `profile: birth_date "1980-02-30": invalid date: day 30 is past
// the end of February 1980`. Nothing panics on user data; [NewNormalizer]
// panics only on invalid [Options] (check them with [Options.Validate]).
//
// # Concurrency
//
// Normalizers, [Junk] and [Nicknames] are immutable after construction and
// safe for concurrent use; the x/text transformers they need are pooled per
// call. A [Record] is a plain value: fill one record from one goroutine.
//
// # Performance
//
// Set for a typical ASCII value costs on the order of a hundred nanoseconds
// and allocates at most the strings it stores: ASCII text skips the Unicode
// transformer chain, and values that are already clean are stored without
// copying. Text in the Latin-1 and Latin Extended blocks (most accented
// names) takes a table-driven path derived from the full one; other scripts
// take the full x/text chain (a few microseconds). Phone numbers go through
// libphonenumber and cost around ten microseconds. See the benchmarks in this
// package:
//
//	go test -run '^$' -bench . -benchmem ./profile
//
// The program in examples/normalize shows the normalizers on messy sample
// records: go run ./examples/normalize.
package profile
