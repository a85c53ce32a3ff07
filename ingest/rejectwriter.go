package ingest

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
)

// RejectFormat is the file format of a [RejectWriter].
type RejectFormat int

// Reject file formats.
const (
	// RejectsCSV writes a header and one row per reject or warning:
	// kind, source, line, offset, column, field, key, reason, raw,
	// raw_truncated.
	RejectsCSV RejectFormat = iota
	// RejectsJSONL writes one JSON object per reject or warning, with the
	// same names as the CSV header. Invalid UTF-8 in raw text is written as
	// U+FFFD (JSON cannot hold it); use CSV to keep the bytes.
	RejectsJSONL
)

// RejectWriter saves rejects (and, if wanted, warnings) so that a command
// line tool can hand them back to whoever owns the source. It is not safe
// for concurrent use. Call Flush at the end.
type RejectWriter struct {
	format  RejectFormat
	csv     *csv.Writer
	enc     *json.Encoder
	header  bool
	lastErr error
}

// NewRejectWriter returns a writer of the given format to w.
func NewRejectWriter(w io.Writer, f RejectFormat) *RejectWriter {
	rw := &RejectWriter{format: f}
	if f == RejectsJSONL {
		rw.enc = json.NewEncoder(w)
		rw.enc.SetEscapeHTML(false)
	} else {
		rw.csv = csv.NewWriter(w)
	}
	return rw
}

var rejectColumns = []string{"kind", "source", "line", "offset", "column", "field", "key", "reason", "raw", "raw_truncated"}

type rejectLine struct {
	Kind   string `json:"kind"`
	Source string `json:"source"`
	Line   int64  `json:"line"`
	Offset int64  `json:"offset"`
	Column string `json:"column,omitempty"`
	Field  string `json:"field,omitempty"`
	Key    string `json:"key,omitempty"`
	Reason string `json:"reason"`
	Raw    string `json:"raw"`
	// RawTruncated is true when Raw was cut at Options.MaxRowBytes.
	RawTruncated bool `json:"raw_truncated,omitempty"`
}

// Write saves one reject.
func (w *RejectWriter) Write(r *Reject) error {
	reason := ""
	if r.Reason != nil {
		reason = r.Reason.Error()
	}
	return w.write(rejectLine{Kind: "reject", Source: r.Source, Line: r.Line, Offset: r.Offset, Column: r.Column,
		Key: r.Key, Reason: reason, Raw: r.Raw, RawTruncated: r.RawTruncated})
}

// WriteError saves err if it is a *Reject and reports whether it was one,
// for use in a stream loop: if w.WriteError(err) { continue }. A failure
// to write is kept and returned by Flush.
func (w *RejectWriter) WriteError(err error) bool {
	var rj *Reject
	if !errors.As(err, &rj) {
		return false
	}
	if werr := w.Write(rj); werr != nil && w.lastErr == nil {
		w.lastErr = werr
	}
	return true
}

// WriteWarning saves one warning (kind "warning"; Raw is the value).
func (w *RejectWriter) WriteWarning(x Warning) error {
	reason := ""
	if x.Err != nil {
		reason = x.Err.Error()
	}
	return w.write(rejectLine{Kind: "warning", Source: x.Source, Line: x.Line, Column: x.Column,
		Field: string(x.Field), Reason: reason, Raw: x.Raw})
}

func (w *RejectWriter) write(l rejectLine) error {
	if w.enc != nil {
		return w.enc.Encode(l)
	}
	if !w.header {
		w.header = true
		if err := w.csv.Write(rejectColumns); err != nil {
			return err
		}
	}
	return w.csv.Write([]string{l.Kind, l.Source, strconv.FormatInt(l.Line, 10), strconv.FormatInt(l.Offset, 10),
		l.Column, l.Field, l.Key, l.Reason, l.Raw, strconv.FormatBool(l.RawTruncated)})
}

// Flush writes buffered data and returns the first error met.
func (w *RejectWriter) Flush() error {
	if w.csv != nil {
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return err
		}
	}
	return w.lastErr
}
