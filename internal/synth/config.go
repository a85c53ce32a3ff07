package synth

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrConfig is wrapped by every error [Generate] returns for an unusable
// [Config]; the message names the field and the reason.
var ErrConfig = errors.New("synth: invalid config")

// ErrKeysExhausted is returned when a source needs more record keys than its
// key format can hold (about 10^8 and up per source; far above 10 million).
var ErrKeysExhausted = errors.New("synth: source ran out of record keys")

// Kind is one of the built-in source-system schemas. The kind fixes the
// columns and how values are written; a [Source] gives it a name, so one
// kind can appear several times (crm_eu and crm_us, say).
type Kind uint8

// The built-in kinds.
const (
	// KindCRM is a sales CRM export: split names, one email and phone,
	// ISO birth date, postal address, last update time.
	KindCRM Kind = iota + 1
	// KindWebshop is an online shop's customer table: a full name as
	// typed, email, mobile, a locale-formatted birthday (often blank) and a
	// shipping address.
	KindWebshop
	// KindSupport is a help desk's ticket contacts: a name, email and phone
	// per ticket, so people with several tickets appear several times.
	KindSupport
	// KindPOS is a store till's loyalty-card register: a name as the
	// cashier typed it, a phone and a postcode.
	KindPOS
	// KindNewsletter is an email-marketing list: the email, a first name
	// and the opt-in flag.
	KindNewsletter
	// KindWeb is web analytics: one record per device, anonymous unless the
	// visitor logged in (then carrying the login email).
	KindWeb
)

var kindNames = [...]string{KindCRM: "crm", KindWebshop: "webshop", KindSupport: "support", KindPOS: "pos",
	KindNewsletter: "newsletter", KindWeb: "web"}

var kindColumns = [...][]string{
	KindCRM: {"customer_id", "first_name", "last_name", "email", "phone", "dob", "street", "city", "state", "zip",
		"country", "updated_at"},
	KindWebshop: {"user_id", "full_name", "email", "mobile", "birthday", "ship_street", "ship_line2", "ship_city",
		"ship_region", "ship_postcode", "ship_country", "created_at"},
	KindSupport:    {"ticket_id", "contact_name", "contact_email", "contact_phone", "topic", "opened_at"},
	KindPOS:        {"loyalty_no", "name", "phone", "postcode", "store_id", "joined"},
	KindNewsletter: {"subscriber_id", "email", "first_name", "opt_in", "subscribed_at"},
	KindWeb:        {"device_id", "login_email", "device_type", "geo_country", "first_seen", "last_seen"},
}

// String returns the kind's lower-case name ("crm").
func (k Kind) String() string {
	if k == 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", uint8(k))
	}
	return kindNames[k]
}

// Columns returns the kind's default header. The first column is always the
// record key. The slice is a fresh copy.
func (k Kind) Columns() []string {
	if k == 0 || int(k) >= len(kindColumns) {
		return nil
	}
	return append([]string(nil), kindColumns[k]...)
}

// Source is one source system in the generated data.
type Source struct {
	// Name is the source's name in output files and truth (the "source" of
	// a record reference): lower-case ASCII letters, digits, '_' or '-'.
	Name string
	// Kind is the schema.
	Kind Kind
	// Weight is the relative chance that a person has a record here, when
	// the person's sources are drawn.
	Weight float64
	// Duplicates is the chance of each further copy of a person inside this
	// source (a second account, another ticket, another device), repeated
	// geometrically: 0.1 gives about 11% extra records.
	Duplicates float64
	// Missing multiplies [Mess.Missing] for this source.
	Missing float64
	// Mess multiplies every other [Mess] rate for this source: self-typed web
	// forms and store tills are messier than a CRM kept by staff.
	Mess float64
	// Columns renames the kind's columns (same count, same order); nil
	// keeps [Kind.Columns]. Useful to test column mapping.
	Columns []string
}

// columns returns the source's header.
func (s *Source) columns() []string {
	if s.Columns != nil {
		return s.Columns
	}
	return kindColumns[s.Kind]
}

// Mess holds the per-copy corruption rates. Unless a field says otherwise a
// rate is the chance that one value of one record is corrupted that way,
// before the source's [Source.Mess] multiplier. All rates are in [0, 1].
// The defaults are guesses at a moderately dirty customer base, informed by
// published descriptions of CRM data quality (a few percent of typos, tens
// of percent of missing optional fields), not fitted to any data set.
type Mess struct {
	Typo               float64 // keyboard-adjacent substitution, transposition, drop or double letter in a name, email, street or city (default 0.03)
	Nickname           float64 // given name written as a known nickname (Robert -> Bob) (default 0.12)
	Initial            float64 // given name cut to its initial (default 0.03)
	NameSwap           float64 // given and family names exchanged, three times as often for family-name-first cultures (default 0.02)
	Case               float64 // per record: names and address in ALL CAPS or all lower case (default 0.05; store tills add upper case)
	Spaces             float64 // stray leading, trailing or doubled spaces (default 0.02)
	Diacritics         float64 // per record: accents folded to ASCII, José -> Jose, Müller -> Mueller or Muller (default 0.3; 2.3 times for people abroad, 1.6 times on tills)
	Transliteration    float64 // a romanization or spelling other than the person's usual one: Dmitriy for Dmitry, Mohamed for Mohammed (default 0.2)
	PhoneTransposition float64 // two adjacent phone digits exchanged (default 0.02)
	DateSwap           float64 // birth date with day and month exchanged, only when both are 12 or below so it stays a date (default 0.02)
	DateTypo           float64 // birth date with transposed or mistyped digits, 1985 -> 1958 (default 0.015)
	Junk               float64 // a placeholder instead of the value: n/a, unknown, test@test.com, 000-000-0000, 1900-01-01 (default 0.015)
	Missing            float64 // an optional value left empty, scaled per source and column (default 0.08)
	EmailVariant       float64 // a provider-equivalent spelling: gmail dots and +tags, googlemail.com, mixed case (default 0.08)
}

// Config describes one generated data set. Start from [DefaultConfig] and
// change what you need: [Generate] uses the values as given, so a zero rate
// means none of that effect.
type Config struct {
	// Seed makes the output reproducible: the same Config gives
	// byte-identical output. Default 1.
	Seed uint64
	// People stops generation after this many people; 0 means no limit.
	People int
	// Records stops generation after exactly this many records (the last
	// person may be cut short); 0 means no limit. At least one of People
	// and Records must be set. Default: 10,000 records.
	Records int
	// Now is the end of the simulated history; record and event times lie
	// before it. It is an input, not the wall clock, so output is stable.
	// Default 2025-06-30 UTC.
	Now time.Time
	// Years is the length of the simulated history. Default 8.
	Years int
	// Sources are the source systems; see [DefaultSources].
	Sources []Source
	// SourcesPerPerson weights how many distinct sources a person appears
	// in: element i is the weight of i+1 sources. Default 40, 30, 17, 8,
	// 4, 1 (mean about 2.1 sources; with duplicates about 2.4 records).
	SourcesPerPerson []float64
	// Countries weights the residence countries by ISO code; nil means
	// [DefaultCountries]. Supported: US CA GB AU DE FR ES IT PL SE JP.
	Countries map[string]float64
	// Mess holds the corruption rates.
	Mess Mess

	// HouseholdRate is the chance that a household has more than one
	// member: partners, adult children, siblings. Members share the address
	// and the landline, and often the family name. Default 0.35.
	HouseholdRate float64
	// TwinRate is the chance that a child in a household has a twin: same
	// family name, birth date and address, different given name. Default
	// 0.03, about the real share of twin births.
	TwinRate float64
	// JuniorRate is the chance that a first son is named after his father
	// and written with Jr (the father sometimes with Sr), scaled by how
	// common the custom is in the family's naming culture. Default 0.15.
	JuniorRate float64
	// NamesakeRate is the chance that a new household's head copies the
	// name of a recent, unrelated person, half the time also their birth
	// year and city: hard negatives beyond what name frequencies give.
	// Default 0.01.
	NamesakeRate float64
	// MoveRate is the chance that a household moved during the history;
	// records made before the move carry the old address; a quarter of
	// movers move twice. Default 0.3.
	MoveRate float64
	// NameChangeRate is the chance that a married woman took her partner's
	// family name, scaled by the custom of her naming culture; records made
	// before the marriage carry her birth name. Default 0.75.
	NameChangeRate float64
	// SharedEmailRate is the chance that a multi-person household shares an
	// email address (a family account, or one partner using the other's).
	// Default 0.12.
	SharedEmailRate float64
	// WorkEmailRate is the chance that a working-age person has a work
	// email, used by some sources (support desks most). Default 0.3.
	WorkEmailRate float64
	// EnglishNameRate is the chance that an East Asian person living in an
	// English-speaking country also uses an English given name (Wei Zhang
	// is David Zhang in some systems). Default 0.3.
	EnglishNameRate float64
	// EventsPerPerson is the mean number of activity events per person
	// (purchases, returns, visits, ...), spread over the person's active
	// span: long-standing customers have more, lapsed ones stop. Activity
	// is skewed (log-normal): most people have a few events, some have
	// many. Web-shop and newsletter records also log one signup each.
	// Default 6.
	EventsPerPerson float64
	// EventsSpread is the sigma of the log-normal per-person activity
	// multiplier (mean 1): 0 gives everyone the same event rate (the top
	// 10% of people then log about 30% of events, from differences in
	// tenure alone); 1, the default, raises that to about half.
	EventsSpread float64
}

// DefaultSources returns the six built-in source systems with default
// weights and mess: crm, webshop, support, pos, newsletter and web.
func DefaultSources() []Source {
	return []Source{
		{Name: "crm", Kind: KindCRM, Weight: 0.55, Duplicates: 0.08, Missing: 1, Mess: 1},
		{Name: "webshop", Kind: KindWebshop, Weight: 0.5, Duplicates: 0.06, Missing: 0.7, Mess: 1.2},
		{Name: "support", Kind: KindSupport, Weight: 0.2, Duplicates: 0.25, Missing: 0.8, Mess: 1},
		{Name: "pos", Kind: KindPOS, Weight: 0.3, Duplicates: 0.1, Missing: 1.5, Mess: 1.8},
		{Name: "newsletter", Kind: KindNewsletter, Weight: 0.35, Duplicates: 0.05, Missing: 1, Mess: 0.8},
		{Name: "web", Kind: KindWeb, Weight: 0.12, Duplicates: 0.3, Missing: 1, Mess: 1},
	}
}

// DefaultCountries returns the default residence mix: mostly the US, UK and
// western Europe, with Japan, Canada, Australia, Poland and Sweden.
func DefaultCountries() map[string]float64 {
	m := make(map[string]float64, len(defaultCountryWeights))
	for k, v := range defaultCountryWeights {
		m[k] = v
	}
	return m
}

// DefaultMess returns the default corruption rates.
func DefaultMess() Mess {
	return Mess{
		Typo:               0.03,
		Nickname:           0.12,
		Initial:            0.03,
		NameSwap:           0.02,
		Case:               0.05,
		Spaces:             0.02,
		Diacritics:         0.3,
		Transliteration:    0.2,
		PhoneTransposition: 0.02,
		DateSwap:           0.02,
		DateTypo:           0.015,
		Junk:               0.015,
		Missing:            0.08,
		EmailVariant:       0.08,
	}
}

// DefaultConfig returns a configuration of 10,000 records with the default
// sources, countries, mess and life events. With the defaults a person has
// about 2.4 records on average, so N records hold about N/2.4 people.
func DefaultConfig() Config {
	return Config{
		Seed:             1,
		Records:          10_000,
		Now:              time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
		Years:            8,
		Sources:          DefaultSources(),
		SourcesPerPerson: []float64{40, 30, 17, 8, 4, 1},
		Mess:             DefaultMess(),
		HouseholdRate:    0.35,
		TwinRate:         0.03,
		JuniorRate:       0.15,
		NamesakeRate:     0.01,
		MoveRate:         0.3,
		NameChangeRate:   0.75,
		SharedEmailRate:  0.12,
		WorkEmailRate:    0.3,
		EnglishNameRate:  0.3,
		EventsPerPerson:  6,
		EventsSpread:     1,
	}
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return s != "truth" && s != "events"
}

func rateErr(field string, v float64) error {
	if math.IsNaN(v) || v < 0 || v > 1 {
		return fmt.Errorf("%w: %s = %v, want a rate in [0, 1]", ErrConfig, field, v)
	}
	return nil
}

// validate checks the config and reports the first problem.
func (c *Config) validate() error {
	if c.People < 0 || c.Records < 0 {
		return fmt.Errorf("%w: People = %d, Records = %d, want >= 0", ErrConfig, c.People, c.Records)
	}
	if c.People == 0 && c.Records == 0 {
		return fmt.Errorf("%w: set People or Records (both are 0)", ErrConfig)
	}
	if c.Now.IsZero() {
		return fmt.Errorf("%w: Now is zero; set a fixed date so output is reproducible", ErrConfig)
	}
	if c.Years < 1 || c.Years > 50 {
		return fmt.Errorf("%w: Years = %d, want 1..50", ErrConfig, c.Years)
	}
	if len(c.Sources) == 0 {
		return fmt.Errorf("%w: no Sources", ErrConfig)
	}
	seen := map[string]bool{}
	total := 0.0
	for i, s := range c.Sources {
		where := fmt.Sprintf("Sources[%d] (%q)", i, s.Name)
		if !validName(s.Name) {
			return fmt.Errorf("%w: %s: Name must be 1-64 lower-case letters, digits, '_' or '-', and not truth or events", ErrConfig, where)
		}
		if seen[s.Name] {
			return fmt.Errorf("%w: %s: duplicate Name", ErrConfig, where)
		}
		seen[s.Name] = true
		if s.Kind == 0 || int(s.Kind) >= len(kindNames) {
			return fmt.Errorf("%w: %s: unknown Kind %d", ErrConfig, where, s.Kind)
		}
		if math.IsNaN(s.Weight) || math.IsInf(s.Weight, 0) || s.Weight < 0 {
			return fmt.Errorf("%w: %s: Weight = %v, want >= 0", ErrConfig, where, s.Weight)
		}
		total += s.Weight
		if err := rateErr(where+".Duplicates", s.Duplicates); err != nil {
			return err
		}
		if s.Duplicates > 0.95 {
			return fmt.Errorf("%w: %s: Duplicates = %v, want <= 0.95", ErrConfig, where, s.Duplicates)
		}
		for _, m := range []struct {
			n string
			v float64
		}{{"Missing", s.Missing}, {"Mess", s.Mess}} {
			if math.IsNaN(m.v) || m.v < 0 || m.v > 20 {
				return fmt.Errorf("%w: %s.%s = %v, want a multiplier in [0, 20]", ErrConfig, where, m.n, m.v)
			}
		}
		if s.Columns != nil {
			if len(s.Columns) != len(kindColumns[s.Kind]) {
				return fmt.Errorf("%w: %s: %d Columns, kind %s has %d", ErrConfig, where, len(s.Columns), s.Kind, len(kindColumns[s.Kind]))
			}
			cols := map[string]bool{}
			for _, col := range s.Columns {
				if col == "" || cols[col] {
					return fmt.Errorf("%w: %s: empty or repeated column name %q", ErrConfig, where, col)
				}
				cols[col] = true
			}
		}
	}
	if total <= 0 {
		return fmt.Errorf("%w: all source Weights are 0", ErrConfig)
	}
	if len(c.SourcesPerPerson) == 0 {
		return fmt.Errorf("%w: SourcesPerPerson is empty", ErrConfig)
	}
	total = 0
	for i, w := range c.SourcesPerPerson {
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return fmt.Errorf("%w: SourcesPerPerson[%d] = %v, want >= 0", ErrConfig, i, w)
		}
		total += w
	}
	if total <= 0 {
		return fmt.Errorf("%w: SourcesPerPerson weights are all 0", ErrConfig)
	}
	if c.Countries != nil {
		total = 0
		for k, w := range c.Countries {
			if countryByCode[k] == nil {
				return fmt.Errorf("%w: Countries: unsupported country %q", ErrConfig, k)
			}
			if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
				return fmt.Errorf("%w: Countries[%q] = %v, want >= 0", ErrConfig, k, w)
			}
			total += w
		}
		if total <= 0 {
			return fmt.Errorf("%w: Countries weights are all 0", ErrConfig)
		}
	}
	m := c.Mess
	for _, f := range []struct {
		n string
		v float64
	}{
		{"Mess.Typo", m.Typo}, {"Mess.Nickname", m.Nickname}, {"Mess.Initial", m.Initial},
		{"Mess.NameSwap", m.NameSwap}, {"Mess.Case", m.Case}, {"Mess.Spaces", m.Spaces},
		{"Mess.Diacritics", m.Diacritics}, {"Mess.Transliteration", m.Transliteration},
		{"Mess.PhoneTransposition", m.PhoneTransposition}, {"Mess.DateSwap", m.DateSwap},
		{"Mess.DateTypo", m.DateTypo}, {"Mess.Junk", m.Junk}, {"Mess.Missing", m.Missing},
		{"Mess.EmailVariant", m.EmailVariant},
		{"HouseholdRate", c.HouseholdRate}, {"TwinRate", c.TwinRate}, {"JuniorRate", c.JuniorRate},
		{"NamesakeRate", c.NamesakeRate}, {"MoveRate", c.MoveRate}, {"NameChangeRate", c.NameChangeRate},
		{"SharedEmailRate", c.SharedEmailRate}, {"WorkEmailRate", c.WorkEmailRate},
		{"EnglishNameRate", c.EnglishNameRate},
	} {
		if err := rateErr(f.n, f.v); err != nil {
			return err
		}
	}
	if math.IsNaN(c.EventsPerPerson) || c.EventsPerPerson < 0 || c.EventsPerPerson > 10_000 {
		return fmt.Errorf("%w: EventsPerPerson = %v, want 0..10000", ErrConfig, c.EventsPerPerson)
	}
	if math.IsNaN(c.EventsSpread) || c.EventsSpread < 0 || c.EventsSpread > 3 {
		return fmt.Errorf("%w: EventsSpread = %v, want 0..3", ErrConfig, c.EventsSpread)
	}
	return nil
}
