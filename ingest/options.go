package ingest

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/unifyhq/unify/profile"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Format is an input format.
type Format int

// Input formats.
const (
	// FormatAuto (the zero value) looks at the first byte that is not white
	// space (after a UTF-8 byte order mark): '[' means a JSON array, '{'
	// JSON Lines, anything else CSV.
	FormatAuto Format = iota
	// FormatCSV is RFC 4180 CSV with a header row.
	FormatCSV
	// FormatJSONLines is one JSON object per line.
	FormatJSONLines
	// FormatJSONArray is one JSON array of objects.
	FormatJSONArray
)

// String returns "auto", "csv", "jsonl" or "json".
func (f Format) String() string {
	switch f {
	case FormatAuto:
		return "auto"
	case FormatCSV:
		return "csv"
	case FormatJSONLines:
		return "jsonl"
	case FormatJSONArray:
		return "json"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// DuplicateKeys says what a source does with a record key it has seen.
type DuplicateKeys int

// Duplicate-key policies.
const (
	// RejectDuplicates (the default) rejects the second and later rows
	// with a key already seen, with [ErrDuplicateKey]. It keeps one entry
	// per distinct key: about 40 bytes each, so 25 MB for a million keys.
	RejectDuplicates DuplicateKeys = iota
	// LastWins yields every row; a later row with a seen key is meant to
	// replace the earlier record, so consumers must upsert by
	// (source, key), as the unify engine does. The report counts these as
	// Replaced (they are also Accepted). Same memory as RejectDuplicates.
	LastWins
	// NoDuplicateCheck yields every row without tracking keys, in memory
	// that does not grow with the source. Use it when keys are known to be
	// unique or when the consumer deduplicates.
	NoDuplicateCheck
)

// Normalizer sets a record field from a raw value. [*profile.Normalizer]
// implements it; a host may wrap one to add its own cleaning. Set must
// store raw on the record even when it returns an error, and return a
// *profile.FieldError for values it keeps unnormalized.
type Normalizer interface {
	Set(r *profile.Record, f profile.Field, raw string) error
}

// AddressCompleter is a [Normalizer] that also completes a record's
// addresses once the row's every field is set: [*profile.Normalizer] reads
// a whole address written in the street column into its empty parts
// ([profile.Normalizer.CompleteAddresses]). A Normalizer without the
// method leaves addresses as Set made them; a wrapper keeps the behaviour
// by passing the call on.
type AddressCompleter interface {
	Normalizer
	CompleteAddresses(r *profile.Record)
}

// Options tunes how a source is read. The zero value reads CSV, JSON Lines
// or a JSON array (detected), with ',' as delimiter and FEBRL-style spaces
// after delimiters trimmed.
type Options struct {
	Format Format
	// Comma is the CSV delimiter. It must be an ASCII character other
	// than '"', '\r' and '\n' (and other than a space character unless
	// KeepLeadingSpace is set). 0 detects it from the header line: the one
	// of ',', ';', '\t' and '|' found there most often outside quotes, ','
	// when there is none or a tie with it. Spreadsheets in much of Europe
	// export with ';'. A detected tab keeps leading spaces, as trimming
	// them would eat empty fields.
	Comma byte
	// KeepLeadingSpace keeps white space at the start of unquoted CSV
	// values. By default it is trimmed, so "a, b" reads as "a" and "b",
	// and a quoted value may follow ", " (as in FEBRL exports).
	KeepLeadingSpace bool
	// LazyQuotes accepts a '"' inside an unquoted value and a stray '"'
	// in a quoted one, as encoding/csv's LazyQuotes does. By default such
	// rows are rejected with ErrBareQuote or ErrQuote.
	LazyQuotes bool
	// MaxFieldBytes rejects rows with a longer value (ErrFieldTooLong);
	// 0 means 64 KiB.
	MaxFieldBytes int
	// MaxRowBytes rejects longer rows (ErrRowTooLong) and bounds the
	// memory one row may take; 0 means 1 MiB. It is raised to
	// MaxFieldBytes if smaller.
	MaxRowBytes int
	// MaxColumns bounds the distinct JSON keys a source tracks (keys beyond
	// it are still read, but not listed in the report); 0 means 4096.
	MaxColumns int
	// Duplicates says what to do with a key seen before in the source.
	Duplicates DuplicateKeys
	// MaxWarnings is how many warnings the report keeps in detail (all are
	// counted); 0 means 1000, negative means none.
	MaxWarnings int
	// OnWarning, if set, is called with every warning, in the goroutine
	// ranging over the stream, to log or save them all: with a row's
	// warnings just before the row is yielded.
	OnWarning func(Warning)
	// Normalizer replaces the default normalizer, which is
	// profile.NewNormalizer with the mapping's date order, phone region and
	// email rules (and the default junk list and nicknames).
	Normalizer Normalizer
	// Workers is how many goroutines normalize rows while another reads
	// ahead; records, rejects and warnings are yielded in input order
	// whatever the number. 0 means GOMAXPROCS with the default normalizer
	// and 1 with a host's, which need not be safe for concurrent use; set
	// it above 1 for a Normalizer that is. 1 reads and normalizes on the
	// ranging goroutine alone.
	Workers int
	// Encoding decodes the input to UTF-8 before it is read, for exports
	// in a legacy character set: charmap.Windows1252 (the "ANSI" of
	// Western spreadsheets), charmap.ISO8859_1, japanese.ShiftJIS, ...
	// (golang.org/x/text/encoding; ianaindex.IANA.Encoding looks one up by
	// name). nil reads UTF-8, where a row that is not valid UTF-8 is
	// rejected with ErrInvalidUTF8, or UTF-16 when the input starts with
	// its byte order mark (which names it unambiguously). Byte offsets in
	// errors count the decoded text.
	Encoding encoding.Encoding

	// sniffComma is set by withDefaults when Comma was 0.
	sniffComma bool
}

const (
	defaultMaxField    = 64 << 10
	defaultMaxRow      = 1 << 20
	defaultMaxColumns  = 4096
	defaultMaxWarnings = 1000
	readBufferSize     = 64 << 10
)

func (o Options) withDefaults() (Options, error) {
	if o.Comma == 0 {
		o.Comma, o.sniffComma = ',', true
	}
	switch c := o.Comma; {
	case c == '"' || c == '\r' || c == '\n' || c >= 0x80:
		return o, fmt.Errorf("%w: delimiter %q", ErrOptions, c)
	case !o.KeepLeadingSpace && (c == ' ' || c == '\t' || c == '\v' || c == '\f'):
		return o, fmt.Errorf("%w: delimiter %q is white space, which is trimmed; set KeepLeadingSpace", ErrOptions, c)
	}
	if o.MaxFieldBytes < 0 || o.MaxRowBytes < 0 || o.MaxColumns < 0 {
		return o, fmt.Errorf("%w: negative limit", ErrOptions)
	}
	if o.Workers < 0 {
		return o, fmt.Errorf("%w: negative Workers", ErrOptions)
	}
	if o.MaxFieldBytes == 0 {
		o.MaxFieldBytes = defaultMaxField
	}
	if o.MaxRowBytes == 0 {
		o.MaxRowBytes = defaultMaxRow
	}
	o.MaxRowBytes = max(o.MaxRowBytes, o.MaxFieldBytes)
	if o.MaxColumns == 0 {
		o.MaxColumns = defaultMaxColumns
	}
	if o.MaxWarnings == 0 {
		o.MaxWarnings = defaultMaxWarnings
	}
	switch o.Format {
	case FormatAuto, FormatCSV, FormatJSONLines, FormatJSONArray:
	default:
		return o, fmt.Errorf("%w: format %d", ErrOptions, o.Format)
	}
	switch o.Duplicates {
	case RejectDuplicates, LastWins, NoDuplicateCheck:
	default:
		return o, fmt.Errorf("%w: duplicates policy %d", ErrOptions, o.Duplicates)
	}
	return o, nil
}

// detectFormat skips a UTF-8 byte order mark and peeks at the first
// non-space byte. It returns the number of BOM bytes skipped.
func detectFormat(br *bufio.Reader, f Format) (Format, int64, error) {
	var skipped int64
	if b, err := br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		br.Discard(3)
		skipped = 3
	} else if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return f, 0, err
	}
	if f != FormatAuto {
		return f, skipped, nil
	}
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
				return f, skipped, err
			}
			return FormatCSV, skipped, nil
		}
		switch b[n-1] {
		case ' ', '\t', '\r', '\n':
			continue
		case '[':
			return FormatJSONArray, skipped, nil
		case '{':
			return FormatJSONLines, skipped, nil
		}
		return FormatCSV, skipped, nil
	}
}

// DetectComma returns the delimiter of the CSV header line br starts with,
// as a Source whose Options.Comma is 0 detects it: the one of ',', ';',
// '\t' and '|' found there most often outside quotes, ',' when there is
// none or a tie with it. It peeks at most br's buffer and consumes nothing,
// so a host that reads the header itself can pass the reader on.
func DetectComma(br *bufio.Reader) byte {
	if c, _, ok := peekSepLine(br); ok {
		return c
	}
	const candidates = ",;\t|"
	var counts [len(candidates)]int
	for n := 512; ; n *= 2 {
		b, err := br.Peek(min(n, br.Size()))
		quoted, done := false, false
		clear(counts[:])
		for _, c := range b {
			if c == '"' {
				quoted = !quoted
				continue
			}
			if quoted {
				continue
			}
			if c == '\n' || c == '\r' {
				done = true
				break
			}
			if i := strings.IndexByte(candidates, c); i >= 0 {
				counts[i]++
			}
		}
		if done || err != nil || n >= br.Size() {
			break
		}
	}
	best := 0
	for i := 1; i < len(counts); i++ {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return candidates[best]
}

// SepLine reports whether br starts with a spreadsheet's delimiter line,
// "sep=;" (Excel writes it at the top of a CSV file and reads the rest with
// that delimiter), and if so discards the line and returns the delimiter:
// ',', ';', tab or '|'. DetectComma returns that delimiter too, without
// discarding the line.
// A Source skips such a line itself; SepLine is for a host that reads a
// header before handing the input over, as DetectComma is.
func SepLine(br *bufio.Reader) (byte, bool) {
	c, n, ok := peekSepLine(br)
	if ok {
		br.Discard(n)
	}
	return c, ok
}

// peekSepLine reports whether br starts with "sep=X" and a line end (or
// the end of input), and returns X and the line's length.
func peekSepLine(br *bufio.Reader) (comma byte, n int, ok bool) {
	b, _ := br.Peek(7)
	if len(b) < 5 || !strings.EqualFold(string(b[:4]), "sep=") || strings.IndexByte(",;\t|", b[4]) < 0 {
		return 0, 0, false // only the delimiters DetectComma knows
	}
	switch rest := b[5:]; {
	case len(rest) == 0:
		return b[4], 5, true
	case rest[0] == '\n':
		return b[4], 6, true
	case rest[0] == '\r' && len(rest) > 1 && rest[1] == '\n':
		return b[4], 7, true
	case rest[0] == '\r':
		return b[4], 6, true
	}
	return 0, 0, false
}

// decodedUTF16 returns br decoded from UTF-16 when it starts with a UTF-16
// byte order mark and no Encoding is set, and br otherwise. Spreadsheets
// save "Unicode text" so; no UTF-8 text starts with those bytes.
func (o Options) decodedUTF16(br *bufio.Reader) *bufio.Reader {
	if b, _ := br.Peek(2); o.Encoding != nil || len(b) < 2 || !(b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF) {
		return br
	}
	dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
	return bufio.NewReaderSize(transform.NewReader(br, dec), br.Size())
}

// decoded returns r decoded by o.Encoding, or r when it is nil.
func (o Options) decoded(r io.Reader) io.Reader {
	if o.Encoding == nil {
		return r
	}
	return transform.NewReader(r, o.Encoding.NewDecoder())
}
