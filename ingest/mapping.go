package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/unifyhq/unify/profile"
)

// Unmapped says what happens to a column that neither the mapping nor the
// auto-mapping assigns to a field.
type Unmapped string

// Unmapped-column policies.
const (
	// UnmappedAttr (the default) keeps the column as the free attribute
	// "attr:<name>", name being the normalized header. Nothing is dropped,
	// and attributes are not compared by the matcher unless a rule names
	// them. The report lists these columns as unmapped.
	UnmappedAttr Unmapped = "attr"
	// UnmappedIgnore drops unmapped columns (the report still lists them).
	UnmappedIgnore Unmapped = "ignore"
)

// Mapping says how one source's columns become record fields. Write it in
// Go or load it from JSON ([ParseMapping]); the zero value with a Source
// name auto-maps everything from the header.
//
// Column names match the header exactly or, failing that, after both are
// normalized as the auto-mapping does ("First Name", "first-name" and
// "firstName" are all first_name). For JSON input the columns are the
// object's keys, nested keys joined with '.' ("address.city").
type Mapping struct {
	// Source names the source system ("crm", "webshop"). Required: records
	// are identified by (source, key).
	Source string
	// Key is the column holding the record key. Empty means auto-detect
	// (rec_id, record_id, unique_id, customer_id, id, ...). The record's
	// key is the value as written; when the column's name also names an
	// identifier (device_id), the identifier is read as its own column
	// would be ('00123 is 00123), so it meets other sources' values.
	Key string
	// KeyFromRowNumber, for sources with no key column, uses the 1-based
	// data row number as the key. Keys are then only stable while the
	// source file keeps its row order.
	KeyFromRowNumber bool
	// Columns maps column names to fields of the vocabulary ("given_name",
	// "id:loyalty", "attr:segment", ...). Columns not listed are
	// auto-mapped unless NoAuto is set.
	Columns map[string]profile.Field
	// Ignore lists columns to drop.
	Ignore []string
	// Observed is the column holding when the source last wrote the
	// record ("updated_at"). Empty means auto-detect (unless NoAuto).
	Observed string
	// NoAuto turns auto-mapping off: only Key, Observed and Columns apply,
	// and every other column is unmapped.
	NoAuto bool
	// Unmapped says what to do with unmapped columns; empty means
	// UnmappedAttr.
	Unmapped Unmapped

	// DateOrder reads ambiguous numeric dates (03/04/1980) in birth dates
	// and in the observed column. A birth date on a record whose country
	// writes dates month first (the United States, ...) is read month
	// first unless FixedDateOrder is set (see profile.Options.DateOrder).
	DateOrder profile.DateOrder
	// FixedDateOrder reads every birth date in DateOrder, whatever the
	// record's country.
	FixedDateOrder bool
	// TwoDigitYearPivot, when 1-99, reads two-digit years in birth dates
	// below it as 20yy and others as 19yy (see profile.DateParser); zero
	// rejects two-digit years.
	TwoDigitYearPivot int
	// DefaultRegion is the ISO 3166-1 region ("AU", "US") for phone numbers
	// written without a country code.
	DefaultRegion string
	// EmailProviderRules applies provider rules (gmail dots and +tags) to
	// the canonical email form.
	EmailProviderRules bool
	// TimeZone is the IANA zone name for observed times written without a
	// zone; empty means UTC. (Import time/tzdata in hosts without a zone
	// database.)
	TimeZone string
}

// mappingJSON is Mapping's JSON form.
type mappingJSON struct {
	Source             string            `json:"source"`
	Key                string            `json:"key,omitempty"`
	KeyFromRowNumber   bool              `json:"key_from_row_number,omitempty"`
	Columns            map[string]string `json:"columns,omitempty"`
	Ignore             []string          `json:"ignore,omitempty"`
	Observed           string            `json:"observed,omitempty"`
	NoAuto             bool              `json:"no_auto,omitempty"`
	Unmapped           Unmapped          `json:"unmapped,omitempty"`
	DateOrder          string            `json:"date_order,omitempty"`
	FixedDateOrder     bool              `json:"fixed_date_order,omitempty"`
	TwoDigitYearPivot  int               `json:"two_digit_year_pivot,omitempty"`
	DefaultRegion      string            `json:"default_region,omitempty"`
	EmailProviderRules bool              `json:"email_provider_rules,omitempty"`
	TimeZone           string            `json:"time_zone,omitempty"`
}

// MarshalJSON writes the mapping with snake_case keys and the date order
// as "DMY", "MDY" or "YMD".
func (m Mapping) MarshalJSON() ([]byte, error) {
	j := mappingJSON{
		Source: m.Source, Key: m.Key, KeyFromRowNumber: m.KeyFromRowNumber, Ignore: m.Ignore,
		Observed: m.Observed, NoAuto: m.NoAuto, Unmapped: m.Unmapped, DateOrder: m.DateOrder.String(), FixedDateOrder: m.FixedDateOrder,
		TwoDigitYearPivot: m.TwoDigitYearPivot, DefaultRegion: m.DefaultRegion, EmailProviderRules: m.EmailProviderRules, TimeZone: m.TimeZone,
	}
	if len(m.Columns) > 0 {
		j.Columns = make(map[string]string, len(m.Columns))
		for c, f := range m.Columns {
			j.Columns[c] = string(f)
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the form MarshalJSON writes. It is strict: unknown
// keys, unknown fields and unknown date orders are errors, so a typo in a
// mapping file does not silently change what is read.
func (m *Mapping) UnmarshalJSON(data []byte) error {
	var j mappingJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("%w: %v", ErrMapping, err)
	}
	order, err := parseDateOrder(j.DateOrder)
	if err != nil {
		return err
	}
	out := Mapping{
		Source: j.Source, Key: j.Key, KeyFromRowNumber: j.KeyFromRowNumber, Ignore: j.Ignore,
		Observed: j.Observed, NoAuto: j.NoAuto, Unmapped: j.Unmapped, DateOrder: order, FixedDateOrder: j.FixedDateOrder,
		TwoDigitYearPivot: j.TwoDigitYearPivot, DefaultRegion: j.DefaultRegion, EmailProviderRules: j.EmailProviderRules, TimeZone: j.TimeZone,
	}
	if len(j.Columns) > 0 {
		out.Columns = make(map[string]profile.Field, len(j.Columns))
		for c, f := range j.Columns {
			pf, err := profile.ParseField(f)
			if err != nil {
				return fmt.Errorf("%w: column %q: %w", ErrMapping, c, err)
			}
			out.Columns[c] = pf
		}
	}
	*m = out
	return m.Validate()
}

// ParseMapping reads a mapping from JSON (see [Mapping.UnmarshalJSON]).
func ParseMapping(r io.Reader) (Mapping, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Mapping{}, err
	}
	var m Mapping
	if err := json.Unmarshal(data, &m); err != nil {
		return Mapping{}, err
	}
	return m, nil
}

func parseDateOrder(s string) (profile.DateOrder, error) {
	if strings.TrimSpace(s) == "" {
		return profile.DMY, nil
	}
	o, err := profile.ParseDateOrder(s)
	if err != nil {
		return 0, fmt.Errorf("%w: date order %q: want DMY, MDY or YMD", ErrMapping, s)
	}
	return o, nil
}

// Validate checks what can be checked without a header: a source name, a
// known Unmapped policy and date order, fields of the vocabulary, and no
// column given two roles. Column names are checked against the header when
// reading starts.
func (m Mapping) Validate() error {
	if strings.TrimSpace(m.Source) == "" {
		return fmt.Errorf("%w: no source name", ErrMapping)
	}
	switch m.Unmapped {
	case "", UnmappedAttr, UnmappedIgnore:
	default:
		return fmt.Errorf("%w: unmapped policy %q: want %q or %q", ErrMapping, m.Unmapped, UnmappedAttr, UnmappedIgnore)
	}
	switch m.DateOrder {
	case profile.DMY, profile.MDY, profile.YMD:
	default:
		return fmt.Errorf("%w: date order %d", ErrMapping, m.DateOrder)
	}
	if m.Key != "" && m.KeyFromRowNumber {
		return fmt.Errorf("%w: both Key %q and KeyFromRowNumber set", ErrMapping, m.Key)
	}
	if m.NoAuto && m.Key == "" && !m.KeyFromRowNumber {
		return fmt.Errorf("%w: NoAuto needs a Key column (or KeyFromRowNumber)", ErrMapping)
	}
	if _, err := loadZone(m.TimeZone); err != nil {
		return fmt.Errorf("%w: %w", ErrMapping, err)
	}
	if err := m.normalizerOptions().Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrMapping, strings.TrimPrefix(err.Error(), "profile: "))
	}
	role := map[string]string{}
	claim := func(col, what string) error {
		if prev, ok := role[col]; ok {
			return fmt.Errorf("%w: column %q is both %s and %s", ErrMapping, col, prev, what)
		}
		role[col] = what
		return nil
	}
	if m.Key != "" {
		if err := claim(m.Key, "the key"); err != nil {
			return err
		}
	}
	if m.Observed != "" {
		if err := claim(m.Observed, "the observed time"); err != nil {
			return err
		}
	}
	for _, c := range m.Ignore {
		if err := claim(c, "ignored"); err != nil {
			return err
		}
	}
	single := map[profile.Field]string{}
	for c, f := range m.Columns {
		pf, err := profile.ParseField(string(f))
		if err != nil || pf != f {
			return fmt.Errorf("%w: column %q: field %q is not in the vocabulary (lower-case names such as \"given_name\", \"id:loyalty\", \"attr:note\")", ErrMapping, c, f)
		}
		if err := claim(c, "mapped to "+string(f)); err != nil {
			return err
		}
		if !f.MultiValued() {
			if prev, ok := single[f]; ok {
				a, b := min(prev, c), max(prev, c)
				return fmt.Errorf("%w: columns %q and %q both map to single-valued %s", ErrMapping, a, b, f)
			}
			single[f] = c
		}
	}
	return nil
}

// normalizerOptions returns the profile normalizer options a mapping asks for.
func (m Mapping) normalizerOptions() profile.Options {
	return profile.Options{
		DateOrder:          m.DateOrder,
		FixedDateOrder:     m.FixedDateOrder,
		TwoDigitYearPivot:  m.TwoDigitYearPivot,
		DefaultRegion:      m.DefaultRegion,
		EmailProviderRules: m.EmailProviderRules,
	}
}
