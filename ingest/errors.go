package ingest

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/unifyhq/unify/profile"
)

// Reasons a row is rejected. A [Reject]'s Reason wraps exactly one of them,
// so errors.Is(reject, ErrColumnCount) and the like tell the cases apart.
var (
	// ErrColumnCount: a CSV row has more or fewer fields than the header.
	ErrColumnCount = errors.New("ingest: wrong column count")
	// ErrInvalidUTF8: a value is not valid UTF-8. For an input in another
	// character set, set Options.Encoding.
	ErrInvalidUTF8 = errors.New("ingest: invalid UTF-8")
	// ErrMissingKey: the record key column is empty (or absent from a JSON object).
	ErrMissingKey = errors.New("ingest: missing record key")
	// ErrDuplicateKey: the key was already seen in this source.
	ErrDuplicateKey = errors.New("ingest: duplicate record key")
	// ErrFieldTooLong: one value is longer than Options.MaxFieldBytes.
	ErrFieldTooLong = errors.New("ingest: field too long")
	// ErrRowTooLong: a whole row is longer than Options.MaxRowBytes.
	ErrRowTooLong = errors.New("ingest: row too long")
	// ErrBareQuote: a '"' inside an unquoted CSV field (see Options.LazyQuotes).
	ErrBareQuote = errors.New("ingest: bare \" in non-quoted field")
	// ErrQuote: a closing '"' in a CSV field is followed by something other
	// than a delimiter or the end of the line.
	ErrQuote = errors.New("ingest: extraneous \" in quoted field")
	// ErrMalformedJSON: a JSON line or array element is not a JSON object.
	ErrMalformedJSON = errors.New("ingest: malformed JSON")
	// ErrBadAmount: an event amount cannot be read as a number.
	ErrBadAmount = errors.New("ingest: unreadable amount")
	// ErrBadCurrency: an event's currency is neither an ISO 4217 code nor a
	// symbol or prefixed dollar that names one currency.
	ErrBadCurrency = errors.New("ingest: unreadable currency")
	// ErrBadTime: an event time is missing or cannot be read.
	ErrBadTime = errors.New("ingest: unreadable time")
	// ErrMissingType: an event has no type and its mapping no DefaultType.
	ErrMissingType = errors.New("ingest: missing event type")
)

// Errors that end a stream or stop it from starting. They arrive wrapped in
// a [*ReadError] (which names the position) or from [NewSource] and
// [NewEventSource].
var (
	// ErrTruncated: the input ends inside a row: an unterminated quoted CSV
	// field, an unfinished JSON value, or a last CSV line with fewer fields
	// than the header and no line end. It wraps [io.ErrUnexpectedEOF].
	ErrTruncated = fmt.Errorf("ingest: input truncated: %w", io.ErrUnexpectedEOF)
	// ErrHeader: the CSV header is missing or unreadable.
	ErrHeader = errors.New("ingest: bad header")
	// ErrUnknownColumn: a mapping names a column the header does not have.
	ErrUnknownColumn = errors.New("ingest: mapping names an unknown column")
	// ErrMapping: a mapping is inconsistent (unknown field, no source name,
	// one column mapped twice, no key column, ...).
	ErrMapping = errors.New("ingest: bad mapping")
	// ErrNoKey: no column of the header can be the record key (and the
	// mapping names none). It wraps ErrMapping; a caller can retry with
	// Mapping.KeyFromRowNumber.
	ErrNoKey = fmt.Errorf("%w: no key column", ErrMapping)
	// ErrOptions: an [Options] value is invalid (for example a delimiter that
	// is a quote or a line break).
	ErrOptions = errors.New("ingest: bad options")
	// ErrReused: a source's stream was ranged over a second time. A source
	// reads its io.Reader once.
	ErrReused = errors.New("ingest: source already read")
)

// Reject is a row that could not become a record or event. Reading goes on
// after it: a stream yields a *Reject as its error value and then continues.
// Test for it with errors.As, and for the reason with errors.Is.
type Reject struct {
	// Source names the source (Mapping.Source or EventMapping.Name).
	Source string
	// Line is the 1-based physical line where the row starts (for a JSON
	// array, where the element starts). Offset is its byte offset.
	Line   int64
	Offset int64
	// Column names the column (or flattened JSON key) at fault; empty when
	// the fault is the row as a whole.
	Column string
	// Key is the row's record key when it was read (duplicate keys).
	Key string
	// Reason wraps one of the reject sentinels (ErrColumnCount, ...) with
	// the details.
	Reason error
	// Raw is the row as it was read, without its line end, cut at
	// Options.MaxRowBytes (RawTruncated then says so).
	Raw          string
	RawTruncated bool
}

// Error says where and why, for example
//
//	ingest: crm line 12 column "email": wrong column count: 9 fields, header has 11
func (r *Reject) Error() string {
	var b strings.Builder
	b.WriteString("ingest: ")
	b.WriteString(r.Source)
	b.WriteString(" line ")
	b.WriteString(strconv.FormatInt(r.Line, 10))
	if r.Column != "" {
		b.WriteString(" column ")
		b.WriteString(strconv.Quote(r.Column))
	}
	b.WriteString(": ")
	if r.Reason != nil {
		b.WriteString(strings.TrimPrefix(r.Reason.Error(), "ingest: "))
	}
	return b.String()
}

// Unwrap returns the reason.
func (r *Reject) Unwrap() error { return r.Reason }

// ReadError ends a stream: an I/O error, a truncated input, a cancelled
// context, or a header or mapping problem found when reading starts. It
// names the position reached. Rows before it were all yielded and counted.
type ReadError struct {
	Source string
	// Line is the 1-based line where the failure was found (for a truncated
	// row, where that row starts); Offset is the byte offset.
	Line   int64
	Offset int64
	Err    error
}

// Error names the source, the position and the cause.
func (e *ReadError) Error() string {
	return fmt.Sprintf("ingest: %s line %d (byte %d): %s", e.Source, e.Line, e.Offset,
		strings.TrimPrefix(e.Err.Error(), "ingest: "))
}

// Unwrap returns the cause.
func (e *ReadError) Unwrap() error { return e.Err }

// Warning is a value kept on its record but left without a normalized form:
// an impossible birth date, a phone that is not a number, a junk placeholder.
// The record is accepted; the [Report] counts the warning.
type Warning struct {
	Source string
	Line   int64
	Column string
	// Field is the field the value was meant for; empty for the observed
	// time column.
	Field profile.Field
	Raw   string
	// Err says why: usually a *profile.FieldError wrapping profile.ErrJunk
	// or one of the profile.ErrInvalid... sentinels.
	Err error
}

// String reads like a Reject's error text.
func (w Warning) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ingest: %s line %d", w.Source, w.Line)
	if w.Column != "" {
		fmt.Fprintf(&b, " column %q", w.Column)
	}
	b.WriteString(": ")
	if w.Err != nil {
		b.WriteString(strings.TrimPrefix(strings.TrimPrefix(w.Err.Error(), "ingest: "), "profile: "))
	}
	return b.String()
}

// reasonName returns the text of the sentinel an error wraps, for counting
// errors by kind. Details after the sentinel text are dropped.
func reasonName(err error, sentinels []error) string {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	if err == nil {
		return ""
	}
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 {
		return msg[:i]
	}
	return msg
}

// rejectSentinels lists every reject reason, so Report.RejectsByReason
// counts each under its own text (TestRejectSentinelsListed checks it
// against the declarations above).
var rejectSentinels = []error{
	ErrColumnCount, ErrInvalidUTF8, ErrMissingKey, ErrDuplicateKey, ErrFieldTooLong, ErrRowTooLong,
	ErrBareQuote, ErrQuote, ErrMalformedJSON, ErrBadAmount, ErrBadCurrency, ErrBadTime, ErrMissingType,
}

// warningSentinels is checked in order: the specific reasons first, then
// the families.
var warningSentinels = []error{
	profile.ErrInvalidDate, profile.ErrInvalidEmail, profile.ErrInvalidPhone, profile.ErrInvalidPostcode,
	profile.ErrInvalidCountry, profile.ErrInvalidGender, profile.ErrInvalidConsent,
	profile.ErrJunk, profile.ErrInvalid, ErrBadTime, ErrMultipleValues, ErrDuplicateColumn,
}

// ErrMultipleValues is the reason of a [Warning] for a JSON list given to a
// single-valued field, or for a second key of one JSON object that gives the
// field another value (see [ColumnReport].Note): the first value is used,
// the others are in Raw.
var ErrMultipleValues = errors.New("ingest: several values for a single-valued field")

// ErrDuplicateColumn is the reason of a [Warning] about a CSV header that
// names two columns alike ("Address,Address"), given once per later
// column, on the header's line. The name names its first column only, for
// the automatic mapping and for a Mapping's entries alike; each later column
// is kept as the attribute attr:<name>_<n> (attr:address_2), as nothing
// says what it holds (or ignored under UnmappedIgnore). Rename the header to
// read it as a field. Blank names are not repeats: each blank column is
// kept as attr:column_<n>, n its position, without a warning.
var ErrDuplicateColumn = errors.New("ingest: repeated column name")

// within wraps err in the sentinel outer, both found by errors.Is, and
// reads "ingest: bad header: invalid UTF-8": err's own "ingest: " is
// dropped, so the package's name is said once.
func within(outer, err error) error { return &nested{outer: outer, err: err} }

type nested struct{ outer, err error }

func (e *nested) Error() string {
	return e.outer.Error() + ": " + strings.TrimPrefix(e.err.Error(), "ingest: ")
}

func (e *nested) Unwrap() []error { return []error{e.outer, e.err} }
