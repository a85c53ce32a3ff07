package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/unifyhq/unify/ingest"
	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/profile"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
)

// config is the parsed command line.
type config struct {
	files []*input
	// columns are the -map entries, in command-line order; key and ignore
	// the -key and -ignore columns. Each notes whether a file had it.
	columns []*entry
	key     *entry
	ignore  []*entry

	// compare are the -compare attributes' names, for match.Settings.Attrs.
	compare []string
	// truth is -truth's attribute name: the column is read as that
	// attribute, taken off each record before it is added, and scored
	// against. Empty without -truth.
	truth string
	// truthFile is -truth-file: a CSV of source, record_id and a label.
	truthFile string
	// region is -region as an ISO 3166-1 alpha-2 code: the country of
	// phone numbers without a country code on records without a country.
	region string

	threshold float64 // 0: the library default
	out       string
	explain   string
	rejects   string
	profiles  string // -profiles: golden profiles, CSV or JSON Lines
	model     string // -model: the trained match model, JSON
	quiet     bool
	// dateOrder reads ambiguous dates; fixedDates says -dates was given.
	dateOrder  profile.DateOrder
	fixedDates bool
	// yearPivot is -two-digit-year-pivot: two-digit birth years below it
	// are 20yy, others 19yy; 0 leaves them unread.
	yearPivot int
}

// entry is one column named on the command line.
type entry struct {
	flag  string // "-map", "-compare", "-truth", "-key" or "-ignore", for messages
	col   string
	field profile.Field // -map only
	found bool          // some file has the column
}

// truthCol returns the -truth column.
func (c *config) truthCol() string {
	for _, e := range c.columns {
		if e.flag == "-truth" {
			return e.col
		}
	}
	return ""
}

// entries returns every column the command line names.
func (c *config) entries() []*entry {
	out := append([]*entry(nil), c.columns...)
	if c.key != nil {
		out = append(out, c.key)
	}
	return append(out, c.ignore...)
}

var errHelp = errors.New("help requested")

const usageText = `usage: dedupe [flags] FILE [FILE ...]

Finds the records that are the same person in one or more customer files
(.csv, .tsv, .jsonl, .ndjson, .json; optionally .gz) and writes
source,record_id,profile_id for every record. Each file is one source, named
after the file without its extension.

Flags:
  -map COLUMN=FIELD,...  map columns to fields (given_name, family_name, email,
                         phone, birth_date, street, house_number, locality,
                         postcode, region, country, id:<type>, attr:<name>, ...);
                         overrides the automatic mapping; may be repeated; a
                         column may hold commas: "Name, Vorname=full_name"
  -compare COLUMN,...    compare columns that the fields have no place for
                         (birth_place and occupation are compared without
                         it), each as an attribute whose weight the model
                         learns; may be repeated; quote
                         a name holding a comma as in CSV: '"Name, Vorname"'
  -key COLUMN            record key column (default: detected from the header;
                         row numbers when a file has no key-like column)
  -ignore COLUMN,...     columns not to read; may be repeated; quote a name
                         holding a comma as -compare does
  -truth COLUMN          a column labelling each record's true person (a
                         benchmark's cluster or entity ID): not compared,
                         and the result is scored against it (pairwise
                         precision, recall and F1, B-cubed)
  -truth-file FILE       the same from a CSV of source,record_id,LABEL (the
                         truth.csv that examples/generate writes)
  -threshold P           match probability in (0, 1] to join records
                         (default %v)
  -out FILE              output CSV (default: standard output)
  -profiles FILE         golden profiles, one per person: CSV with a column
                         per field, or for .jsonl/.ndjson JSON Lines with
                         every value's source record and survivorship rule
  -explain FILE          JSON Lines explanation of every pair at or above the
                         threshold
  -model FILE            the trained match model as JSON: each comparison's
                         levels with their m and u, the prior, training notes
  -rejects FILE          rejected rows and warnings (.csv, or .jsonl/.ndjson)
                         FILE "-" is standard output (CSV for -profiles and
                         -rejects), for one of these flags at a time; as -out
                         writes there by default, give it a file first
  -encoding NAME         character set of the files (default UTF-8, or UTF-16
                         for a file starting with its byte order mark), for
                         example windows-1252, iso-8859-1, shift_jis, utf-16
  -region COUNTRY        country of phone numbers written without a country
                         code, on records whose address names none (US,
                         GB, Deutschland, ...; default: such numbers are
                         read only as digits)
  -dates DMY|MDY|YMD     order of ambiguous dates such as 03/04/1980 in every
                         record (default: day first, month first for records
                         of the United States and other month-first countries)
  -two-digit-year-pivot N
                         read two-digit birth years (03/04/80) below N, in
                         1-99, as 20yy and others as 19yy (default: such
                         dates are warned about and not compared)
  -quiet                 print only errors

Exit status: 0 ok, 1 failure while resolving or writing, 2 bad usage or input.
`

// attrName names the attribute of a -compare column as the automatic
// mapping would: the header normalized (ingest.NormalizeHeader), then '_'
// for anything but letters, digits, '_', '-' and '.' ("Birth Place" and
// "birthPlace" -> "birth_place").
func attrName(col string) string {
	b := []byte(ingest.NormalizeHeader(col))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			b[i] = '_'
		}
	}
	return strings.Trim(string(b), "_")
}

// listFlag collects the entries of one or more uses of a flag, split by
// split.
type listFlag struct {
	entries []string
	split   func(string) ([]string, error)
}

func (l *listFlag) String() string { return "" }

func (l *listFlag) Set(s string) error {
	parts, err := l.split(s)
	if err != nil {
		return err
	}
	l.entries = append(l.entries, parts...)
	return nil
}

// splitMap splits a -map value into COLUMN=FIELD entries. A field name
// never holds a comma, so an entry ends at the first comma after its '=',
// and a column name may hold commas: "Name, Vorname=full_name,mail=email"
// is two entries.
func splitMap(s string) ([]string, error) {
	var out []string
	var col strings.Builder // a column name so far, without its '='
	pending := false
	for _, part := range strings.Split(s, ",") {
		if pending {
			col.WriteByte(',')
		} else if strings.TrimSpace(part) == "" {
			return nil, fmt.Errorf("empty entry in %q", s)
		}
		col.WriteString(part)
		if pending = !strings.Contains(part, "="); !pending {
			out = append(out, strings.TrimSpace(col.String()))
			col.Reset()
		}
	}
	if pending {
		return nil, fmt.Errorf("%q is not COLUMN=FIELD", strings.TrimSpace(col.String()))
	}
	return out, nil
}

// splitNames splits a -compare or -ignore value into column names: one CSV
// record, so a name holding a comma is quoted ("\"Name, Vorname\",notes").
func splitNames(s string) ([]string, error) {
	r := csv.NewReader(strings.NewReader(s))
	r.TrimLeadingSpace, r.LazyQuotes, r.FieldsPerRecord = true, true, -1
	names, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%q: %v", s, err)
	}
	if _, err := r.Read(); err != io.EOF {
		return nil, fmt.Errorf("%q holds a line break", s)
	}
	for i, n := range names {
		if names[i] = strings.TrimSpace(n); names[i] == "" {
			return nil, fmt.Errorf("empty entry in %q", s)
		}
	}
	return names, nil
}

// parseFlags parses the command line and checks everything that can be
// checked without reading the files' contents: flags, field names,
// extensions, and that the files can be opened and their headers read.
// -h writes the usage to stdout and returns errHelp.
func parseFlags(args []string, stdout io.Writer) (*config, error) {
	fs := flag.NewFlagSet("dedupe", flag.ContinueOnError)
	// The flag package's own messages are multi-line (error plus usage);
	// we report its error on one line instead.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	maps, compare, ignore := listFlag{split: splitMap}, listFlag{split: splitNames}, listFlag{split: splitNames}
	fs.Var(&maps, "map", "")
	fs.Var(&compare, "compare", "")
	fs.Var(&ignore, "ignore", "")
	key := fs.String("key", "", "")
	truth := fs.String("truth", "", "")
	threshold := fs.String("threshold", "", "")
	encName := fs.String("encoding", "", "")
	dates := fs.String("dates", "", "")
	pivot := fs.String("two-digit-year-pivot", "", "")
	region := fs.String("region", "", "")
	cfg := &config{}
	fs.StringVar(&cfg.out, "out", "", "")
	fs.StringVar(&cfg.explain, "explain", "", "")
	fs.StringVar(&cfg.rejects, "rejects", "", "")
	fs.StringVar(&cfg.profiles, "profiles", "", "")
	fs.StringVar(&cfg.model, "model", "", "")
	fs.StringVar(&cfg.truthFile, "truth-file", "", "")
	fs.BoolVar(&cfg.quiet, "quiet", false, "")
	// Flags may come after the files too (dedupe a.csv b.csv -out x.csv),
	// as people type them; after "--" everything is a file.
	var paths []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(stdout, usageText, match.DefaultThreshold)
				return nil, errHelp
			}
			return nil, err
		}
		rest := fs.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			paths = append(paths, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
	seen := map[string]string{} // column -> flag naming it
	claim := func(flag, col string) error {
		if prev, ok := seen[col]; ok {
			return fmt.Errorf("%s: column %q is already named by %s", flag, col, prev)
		}
		seen[col] = flag
		return nil
	}
	for _, m := range maps.entries {
		i := strings.LastIndexByte(m, '=')
		if i <= 0 || i == len(m)-1 {
			return nil, fmt.Errorf("-map: %q is not COLUMN=FIELD", m)
		}
		col, name := strings.TrimSpace(m[:i]), strings.TrimSpace(m[i+1:])
		if strings.EqualFold(name, "key") {
			return nil, fmt.Errorf("-map: %q: the record key is set with -key %s", m, col)
		}
		f, err := profile.ParseField(name)
		if err != nil {
			return nil, fmt.Errorf("-map: %q: %v (fields: %s, id:<type>, attr:<name>, consent:<purpose>)", m, err, fieldList())
		}
		if err := claim("-map", col); err != nil {
			return nil, err
		}
		cfg.columns = append(cfg.columns, &entry{flag: "-map", col: col, field: f})
	}
	for _, col := range compare.entries {
		name := attrName(col)
		f, err := profile.ParseField(string(profile.AttrField(name)))
		if name == "" || err != nil {
			return nil, fmt.Errorf("-compare: %q cannot name an attribute", col)
		}
		if err := claim("-compare", col); err != nil {
			return nil, err
		}
		cfg.columns = append(cfg.columns, &entry{flag: "-compare", col: col, field: f})
		cfg.compare = append(cfg.compare, name)
	}
	if *truth != "" {
		name := attrName(*truth)
		f, err := profile.ParseField(string(profile.AttrField(name)))
		if name == "" || err != nil {
			return nil, fmt.Errorf("-truth: %q cannot name an attribute", *truth)
		}
		if err := claim("-truth", *truth); err != nil {
			return nil, err
		}
		cfg.columns = append(cfg.columns, &entry{flag: "-truth", col: *truth, field: f})
		cfg.truth = name
	}
	if cfg.truth != "" && cfg.truthFile != "" {
		return nil, errors.New("-truth and -truth-file: give one")
	}
	if *key != "" {
		if err := claim("-key", *key); err != nil {
			return nil, err
		}
		cfg.key = &entry{flag: "-key", col: *key}
	}
	for _, c := range ignore.entries {
		if err := claim("-ignore", c); err != nil {
			return nil, err
		}
		cfg.ignore = append(cfg.ignore, &entry{flag: "-ignore", col: c})
	}
	if *region != "" {
		code, ok := profile.LookupCountry(*region)
		if !ok || (profile.Options{DefaultRegion: code}).Validate() != nil {
			return nil, fmt.Errorf("-region: %q is not a country with telephone numbers (use a name or an ISO code such as US)", *region)
		}
		cfg.region = code
	}
	if *threshold != "" {
		p, err := strconv.ParseFloat(*threshold, 64)
		if err != nil || !(p > 0 && p <= 1) {
			return nil, fmt.Errorf("-threshold: %q is not a probability in (0, 1]", *threshold)
		}
		cfg.threshold = p
	}
	if cfg.rejects != "" {
		if _, err := rejectFormat(cfg.rejects); err != nil {
			return nil, err
		}
	}
	if cfg.profiles != "" {
		if _, err := profilesFormat(cfg.profiles); err != nil {
			return nil, err
		}
	}
	if *dates != "" {
		o, err := profile.ParseDateOrder(*dates)
		if err != nil {
			return nil, fmt.Errorf("-dates: %q is not DMY, MDY or YMD", *dates)
		}
		cfg.dateOrder, cfg.fixedDates = o, true
	}
	if *pivot != "" {
		p, err := strconv.Atoi(*pivot)
		if err != nil || p < 1 || p > 99 {
			return nil, fmt.Errorf("-two-digit-year-pivot: %q is not a year from 1 to 99", *pivot)
		}
		cfg.yearPivot = p
	}
	var enc encoding.Encoding
	if *encName != "" {
		e, err := ianaindex.IANA.Encoding(*encName)
		if err != nil || e == nil {
			return nil, fmt.Errorf("-encoding: %q is not a character set this tool reads (for example windows-1252, iso-8859-1, shift_jis, utf-16)", *encName)
		}
		enc = e
	}
	if len(paths) == 0 {
		return nil, errors.New("no input files")
	}
	sources := map[string]string{}
	for _, path := range paths {
		in, err := newInput(path, enc)
		if err != nil {
			return nil, err
		}
		if prev, ok := sources[in.source]; ok {
			return nil, fmt.Errorf("%s and %s would both be source %q: rename one", prev, path, in.source)
		}
		sources[in.source] = path
		cfg.files = append(cfg.files, in)
	}
	if cfg.truthFile != "" {
		for _, in := range cfg.files {
			if in.sameFile(cfg.truthFile) {
				return nil, fmt.Errorf("-truth-file %s is also an input file", cfg.truthFile)
			}
		}
	}
	outs := []struct{ flag, path string }{{"-out", cfg.out}, {"-explain", cfg.explain}, {"-rejects", cfg.rejects}, {"-profiles", cfg.profiles}, {"-model", cfg.model}}
	// "-" is standard output, for one output at a time; -out takes it
	// when given no file.
	stdoutBy := ""
	for _, name := range outs {
		switch {
		case name.flag == "-out" && name.path == "":
			stdoutBy = "-out"
		case name.path != stdoutName:
		case stdoutBy == "-out" && cfg.out == "":
			return nil, fmt.Errorf("%s -: standard output already gets the record IDs; write them to a file with -out FILE", name.flag)
		case stdoutBy != "":
			return nil, fmt.Errorf("%s - and %s -: both write standard output; give one a file", stdoutBy, name.flag)
		default:
			stdoutBy = name.flag
		}
	}
	for i, name := range outs {
		if name.path == "" || name.path == stdoutName {
			continue
		}
		for _, in := range cfg.files {
			if in.sameFile(name.path) {
				return nil, fmt.Errorf("%s %s is an input file", name.flag, name.path)
			}
		}
		for _, other := range outs[:i] {
			if other.path != "" && filepath.Clean(other.path) == filepath.Clean(name.path) {
				return nil, fmt.Errorf("%s and %s both write %s", other.flag, name.flag, name.path)
			}
		}
	}
	return cfg, nil
}

// stdoutName, given to an output flag, names standard output.
const stdoutName = "-"

// shown names an output path in messages.
func shown(path string) string {
	if path == stdoutName {
		return "standard output"
	}
	return path
}

// rejectFormat picks the reject file format from its extension; standard
// output gets CSV.
func rejectFormat(path string) (ingest.RejectFormat, error) {
	if path == stdoutName {
		return ingest.RejectsCSV, nil
	}
	switch ext(path) {
	case ".csv":
		return ingest.RejectsCSV, nil
	case ".jsonl", ".ndjson":
		return ingest.RejectsJSONL, nil
	}
	return 0, fmt.Errorf("-rejects %s: the extension must be .csv, .jsonl or .ndjson", path)
}

func fieldList() string {
	names := make([]string, len(profile.Fields))
	for i, f := range profile.Fields {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}
