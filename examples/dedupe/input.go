package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/unifyhq/unify/ingest"
	"github.com/unifyhq/unify/profile"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// input is one file on the command line.
type input struct {
	path   string // as given
	name   string // base name, for messages
	source string // base name without extensions
	format ingest.Format
	comma  byte              // CSV delimiter
	enc    encoding.Encoding // nil: UTF-8
	gzip   bool
	info   os.FileInfo
	// header holds a CSV file's column names, read up front so that
	// command-line columns apply only to the files that have them.
	header []string
}

// ext returns a path's lower-case extension, looking through ".gz".
func ext(path string) string {
	p := strings.ToLower(path)
	p = strings.TrimSuffix(p, ".gz")
	return filepath.Ext(p)
}

// newInput classifies a file by its extension, checks that it can be
// opened and, for CSV, reads its header.
func newInput(path string, enc encoding.Encoding) (*input, error) {
	in := &input{path: path, name: filepath.Base(path), enc: enc}
	base := in.name
	if strings.HasSuffix(strings.ToLower(base), ".gz") {
		in.gzip = true
		base = base[:len(base)-len(".gz")]
	}
	switch ext(base) {
	case ".csv":
		in.format = ingest.FormatCSV // the delimiter is read from the header
	case ".tsv":
		in.format, in.comma = ingest.FormatCSV, '\t'
	case ".jsonl", ".ndjson":
		in.format = ingest.FormatJSONLines
	case ".json":
		in.format = ingest.FormatJSONArray
	default:
		return nil, fmt.Errorf("%s: unknown format: the extension must be .csv, .tsv, .jsonl, .ndjson or .json (optionally with .gz)", path)
	}
	in.source = strings.TrimSuffix(base, filepath.Ext(base))
	if in.source == "" {
		return nil, fmt.Errorf("%s: the file name gives no source name", path)
	}
	r, err := in.open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if in.format == ingest.FormatCSV {
		var hr io.Reader = r
		if in.enc != nil {
			hr = transform.NewReader(r, in.enc.NewDecoder())
		}
		if in.header, in.comma, err = readHeader(hr, in.comma); err != nil {
			return nil, fmt.Errorf("%s: cannot read the header: %v", path, err)
		}
	}
	return in, nil
}

// open opens the file, decompressing it if it is gzipped.
func (in *input) open() (io.ReadCloser, error) {
	f, err := os.Open(in.path)
	if err != nil {
		return nil, err
	}
	if in.info == nil {
		if in.info, err = f.Stat(); err != nil {
			f.Close()
			return nil, err
		}
		if in.info.IsDir() {
			f.Close()
			return nil, fmt.Errorf("%s is a directory", in.path)
		}
	}
	if !in.gzip {
		return f, nil
	}
	z, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %v", in.path, err)
	}
	return &gzipFile{Reader: z, f: f}, nil
}

type gzipFile struct {
	*gzip.Reader
	f *os.File
}

func (g *gzipFile) Close() error {
	err := g.Reader.Close()
	if e := g.f.Close(); err == nil {
		err = e
	}
	return err
}

// sameFile reports whether path names this input file (so that an output
// flag cannot overwrite an input).
func (in *input) sameFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && in.info != nil && os.SameFile(fi, in.info)
}

// readHeader reads the first CSV record as ingest will: leading spaces
// trimmed (FEBRL writes "a, b") except for tab-separated files, a UTF-8
// byte order mark dropped, and text starting with a UTF-16 one decoded.
// comma 0 detects the delimiter as ingest does (ingest.DetectComma); it
// returns the delimiter it read with.
func readHeader(r io.Reader, comma byte) ([]string, byte, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(2); len(b) == 2 && (b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF) {
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		br = bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10)
	}
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	sep, hasSep := ingest.SepLine(br)
	if comma == 0 {
		comma = ingest.DetectComma(br)
		if hasSep {
			comma = sep
		}
	}
	cr := csv.NewReader(br)
	cr.Comma = rune(comma)
	cr.TrimLeadingSpace = comma != '\t'
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	h, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, comma, errors.New("the file is empty")
	}
	if err != nil {
		return nil, comma, err
	}
	for i := range h {
		h[i] = strings.TrimSpace(h[i])
	}
	return h, comma, nil
}

// has reports whether the input's header has column col, matched as ingest
// matches mapping entries: exactly, or after both names are normalized
// ("First Name" is first_name). JSON inputs have no header: their keys are
// known only once read, so every column is taken to be possibly there.
func (in *input) has(col string) bool {
	if in.format != ingest.FormatCSV {
		return true
	}
	norm := ingest.NormalizeHeader(col)
	for _, h := range in.header {
		if h == col || ingest.NormalizeHeader(h) == norm {
			return true
		}
	}
	return false
}

// mapping returns the ingest mapping of one input: the command-line
// columns that it has, over automatic mapping.
func (in *input) mapping(cfg *config, rowKeys bool) ingest.Mapping {
	m := ingest.Mapping{Source: in.source, KeyFromRowNumber: rowKeys, DateOrder: cfg.dateOrder, FixedDateOrder: cfg.fixedDates,
		TwoDigitYearPivot: cfg.yearPivot,
		DefaultRegion:     cfg.region}
	for _, e := range cfg.columns {
		if in.has(e.col) {
			if m.Columns == nil {
				m.Columns = map[string]profile.Field{}
			}
			m.Columns[e.col] = e.field
		}
	}
	if cfg.key != nil && in.has(cfg.key.col) && !rowKeys {
		m.Key = cfg.key.col
	}
	for _, e := range cfg.ignore {
		if in.has(e.col) {
			m.Ignore = append(m.Ignore, e.col)
		}
	}
	return m
}
