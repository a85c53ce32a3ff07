package synth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/unifyhq/unify/profile"
)

// Format is an output file format.
type Format uint8

// The formats.
const (
	// CSV writes RFC 4180 files with a header row; a missing value is an
	// empty field.
	CSV Format = iota + 1
	// JSONL writes one JSON object per line; a missing value is an absent
	// key. Events use the JSON shape of profile.Event.
	JSONL
)

// ErrFormat is returned by [ParseFormat] for an unknown format name.
var ErrFormat = errors.New("synth: unknown format")

// ParseFormat reads "csv" or "jsonl" (case-insensitive).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "csv":
		return CSV, nil
	case "jsonl", "ndjson":
		return JSONL, nil
	}
	return 0, fmt.Errorf("%w %q: want csv or jsonl", ErrFormat, s)
}

// String returns "csv" or "jsonl".
func (f Format) String() string {
	switch f {
	case CSV:
		return "csv"
	case JSONL:
		return "jsonl"
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// TruthColumns is the header of the truth file: one row per record.
var TruthColumns = []string{"source", "record_id", "person_id", "household_id", "flags"}

// EventColumns is the header of the CSV events file.
var EventColumns = []string{"event_id", "source", "record_key", "type", "time", "channel", "device", "region",
	"campaign", "order_id", "amount", "currency"}

// Writer is a [Sink] that writes one file per source ("crm.csv", with the
// source's own header), "truth.csv" and "events.csv" (or .jsonl). Files are
// buffered; call Close to flush them. A Writer is not safe for concurrent
// use, which Generate does not need.
type Writer struct {
	format  Format
	names   []string
	outs    []io.Writer
	bufs    []*bufio.Writer
	sources map[string]int // source name -> index into outs
	cols    [][]string
	truth   int
	events  int
	line    []byte
	closed  bool
}

// NewWriter makes a Writer whose files are opened by create, called once
// per file name (in the order: sources, truth, events). Writers returned by
// create that implement io.Closer are closed by Close.
func NewWriter(f Format, sources []Source, create func(name string) (io.Writer, error)) (*Writer, error) {
	if f != CSV && f != JSONL {
		return nil, fmt.Errorf("%w: %v", ErrFormat, f)
	}
	w := &Writer{format: f, sources: map[string]int{}}
	ext := "." + f.String()
	open := func(name string, header []string) (int, error) {
		out, err := create(name + ext)
		if err != nil {
			w.Close()
			return 0, err
		}
		i := len(w.outs)
		w.names = append(w.names, name+ext)
		w.outs = append(w.outs, out)
		b := bufio.NewWriterSize(out, 256<<10)
		w.bufs = append(w.bufs, b)
		w.cols = append(w.cols, header)
		if f == CSV {
			if _, err := b.Write(appendCSVRow(nil, header)); err != nil {
				return 0, err
			}
		}
		return i, nil
	}
	for _, s := range sources {
		if !validName(s.Name) {
			return nil, fmt.Errorf("%w: source name %q", ErrConfig, s.Name)
		}
		if _, dup := w.sources[s.Name]; dup {
			return nil, fmt.Errorf("%w: duplicate source name %q", ErrConfig, s.Name)
		}
		i, err := open(s.Name, s.columns())
		if err != nil {
			return nil, err
		}
		w.sources[s.Name] = i
	}
	var err error
	if w.truth, err = open("truth", TruthColumns); err != nil {
		return nil, err
	}
	if w.events, err = open("events", EventColumns); err != nil {
		return nil, err
	}
	return w, nil
}

// GenerateDir writes cfg's data to dir in format f, as CreateDir and
// Generate do, and closes the files, on error too.
func GenerateDir(ctx context.Context, cfg Config, dir string, f Format) (Stats, error) {
	w, err := CreateDir(dir, f, cfg.Sources)
	if err != nil {
		return Stats{}, err
	}
	st, err := Generate(ctx, cfg, w)
	if cerr := w.Close(); cerr != nil && err == nil {
		err = cerr
	}
	return st, err
}

// CreateDir makes dir if needed and returns a Writer creating its files
// there, replacing files of the same names.
func CreateDir(dir string, f Format, sources []Source) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return NewWriter(f, sources, func(name string) (io.Writer, error) {
		return os.Create(filepath.Join(dir, name))
	})
}

// Files returns the names of the files, in creation order.
func (w *Writer) Files() []string { return append([]string(nil), w.names...) }

// Record writes the record to its source's file and a row to the truth file.
func (w *Writer) Record(r *Record) error {
	i, ok := w.sources[r.Source]
	if !ok {
		return fmt.Errorf("synth: Writer has no file for source %q", r.Source)
	}
	if len(r.Values) != len(w.cols[i]) {
		return fmt.Errorf("synth: record %s/%s has %d values, source has %d columns", r.Source, r.Key,
			len(r.Values), len(w.cols[i]))
	}
	if w.format == CSV {
		w.line = appendCSVRow(w.line[:0], r.Values)
		if _, err := w.bufs[i].Write(w.line); err != nil {
			return err
		}
		b := appendCSVField(w.line[:0], r.Source)
		b = append(b, ',')
		b = appendCSVField(b, r.Key)
		b = append(b, ',')
		b = appendCSVField(b, r.Person)
		b = append(b, ',')
		b = appendCSVField(b, r.Household)
		b = append(b, ',')
		b = r.Flags.appendTo(b) // names are [a-z_|]: never quoted
		b = append(b, '\n')
		w.line = b
		_, err := w.bufs[w.truth].Write(b)
		return err
	}
	b := append(w.line[:0], '{')
	first := true
	for k, v := range r.Values {
		if v == "" {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, w.cols[i][k])
		b = append(b, ':')
		b = appendJSONString(b, v)
	}
	b = append(b, '}', '\n')
	if _, err := w.bufs[i].Write(b); err != nil {
		return err
	}
	b = append(b[:0], `{"source":`...)
	b = appendJSONString(b, r.Source)
	b = append(b, `,"record_id":`...)
	b = appendJSONString(b, r.Key)
	b = append(b, `,"person_id":`...)
	b = appendJSONString(b, r.Person)
	b = append(b, `,"household_id":`...)
	b = appendJSONString(b, r.Household)
	if r.Flags != 0 {
		b = append(b, `,"flags":"`...)
		b = r.Flags.appendTo(b)
		b = append(b, '"')
	}
	b = append(b, '}', '\n')
	w.line = b
	_, err := w.bufs[w.truth].Write(b)
	return err
}

// Event writes one event row.
func (w *Writer) Event(e *profile.Event) error {
	if w.format == CSV {
		b := w.line[:0]
		for i, f := range [...]string{e.ID, e.Record.Source, e.Record.Key, string(e.Type)} {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCSVField(b, f)
		}
		b = append(b, ',')
		b = e.Time.AppendFormat(b, time.RFC3339)
		for _, f := range [...]string{string(e.Channel), e.Device, e.Region, e.Campaign, e.OrderID} {
			b = append(b, ',')
			b = appendCSVField(b, f)
		}
		b = append(b, ',')
		if e.Amount != 0 || e.OrderID != "" {
			prec := 2
			if e.Currency == "JPY" {
				prec = 0
			}
			b = strconv.AppendFloat(b, e.Amount, 'f', prec, 64)
		}
		b = append(b, ',')
		b = appendCSVField(b, e.Currency)
		b = append(b, '\n')
		w.line = b
		_, err := w.bufs[w.events].Write(b)
		return err
	}
	b := appendEventJSON(w.line[:0], e)
	b = append(b, '\n')
	w.line = b
	_, err := w.bufs[w.events].Write(b)
	return err
}

// appendEventJSON writes e in the same shape as encoding/json with the
// struct tags of profile.Event, without reflection.
func appendEventJSON(b []byte, e *profile.Event) []byte {
	b = append(b, '{')
	if e.ID != "" {
		b = append(b, `"id":`...)
		b = appendJSONString(b, e.ID)
		b = append(b, ',')
	}
	b = append(b, `"record":{"source":`...)
	b = appendJSONString(b, e.Record.Source)
	b = append(b, `,"key":`...)
	b = appendJSONString(b, e.Record.Key)
	b = append(b, `},"type":`...)
	b = appendJSONString(b, string(e.Type))
	b = append(b, `,"time":"`...)
	b = e.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"')
	for _, kv := range [...]struct{ k, v string }{
		{"channel", string(e.Channel)}, {"device", e.Device}, {"region", e.Region}, {"campaign", e.Campaign},
		{"order_id", e.OrderID},
	} {
		if kv.v != "" {
			b = append(b, ',', '"')
			b = append(b, kv.k...)
			b = append(b, '"', ':')
			b = appendJSONString(b, kv.v)
		}
	}
	if e.Amount != 0 {
		b = append(b, `,"amount":`...)
		b = strconv.AppendFloat(b, e.Amount, 'f', -1, 64)
	}
	if e.Currency != "" {
		b = append(b, `,"currency":`...)
		b = appendJSONString(b, e.Currency)
	}
	if len(e.Attrs) > 0 {
		// Generated events carry no attributes; kept for completeness in
		// sorted order so output stays deterministic.
		keys := make([]string, 0, len(e.Attrs))
		for k := range e.Attrs {
			keys = append(keys, k)
		}
		sortStrings(keys)
		b = append(b, `,"attrs":{`...)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONString(b, e.Attrs[k])
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// appendJSONString writes s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as encoding/json does; HTML characters are not escaped (unlike
// encoding/json's default), which JSON does not require.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Close flushes and closes every file and returns the first error.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	var first error
	for _, b := range w.bufs {
		if err := b.Flush(); err != nil && first == nil {
			first = err
		}
	}
	for _, o := range w.outs {
		if c, ok := o.(io.Closer); ok {
			if err := c.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// appendCSVRow writes one RFC 4180 row ending in "\n".
func appendCSVRow(b []byte, fields []string) []byte {
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, f)
	}
	return append(b, '\n')
}

// appendCSVField writes one field, quoted when encoding/csv would quote it
// (a comma, quote, CR or LF inside, a leading space, or the field \.), so
// output is byte-identical to encoding/csv's without its per-row strings.
func appendCSVField(b []byte, s string) []byte {
	if !csvNeedsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

func csvNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}
