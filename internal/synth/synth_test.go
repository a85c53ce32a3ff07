package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/nyaruka/phonenumbers"
	"github.com/unifyhq/unify/profile"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// memFiles collects a Writer's files in memory.
type memFiles map[string]*bytes.Buffer

func (m memFiles) create(name string) (io.Writer, error) {
	b := &bytes.Buffer{}
	m[name] = b
	return b, nil
}

// run generates cfg into memory in the given format and returns the files.
func run(t testing.TB, cfg Config, f Format) (memFiles, Stats) {
	t.Helper()
	files := memFiles{}
	w, err := NewWriter(f, cfg.Sources, files.create)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Generate(context.Background(), cfg, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return files, st
}

func readCSV(t testing.TB, b *bytes.Buffer) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b.Bytes()))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func smallConfig(records int) Config {
	cfg := DefaultConfig()
	cfg.Records = records
	return cfg
}

func TestDeterminism(t *testing.T) {
	for _, f := range []Format{CSV, JSONL} {
		cfg := smallConfig(3000)
		a, _ := run(t, cfg, f)
		b, _ := run(t, cfg, f)
		if len(a) != len(b) {
			t.Fatalf("%v: %d files vs %d", f, len(a), len(b))
		}
		for name, buf := range a {
			if !bytes.Equal(buf.Bytes(), b[name].Bytes()) {
				t.Errorf("%v: %s differs between two runs with the same seed", f, name)
			}
		}
		cfg.Seed = 2
		c, _ := run(t, cfg, f)
		for name, buf := range a {
			if bytes.Equal(buf.Bytes(), c[name].Bytes()) {
				t.Errorf("%v: %s identical for seeds 1 and 2", f, name)
			}
		}
	}
}

// TestPrefixStable: asking for more records extends the output without
// changing what came before (a property of streaming with one RNG stream).
func TestPrefixStable(t *testing.T) {
	a, _ := run(t, smallConfig(500), CSV)
	b, _ := run(t, smallConfig(1500), CSV)
	at, bt := a["truth.csv"].String(), b["truth.csv"].String()
	// The last person of the short run may have been cut; compare all but
	// the last 20 rows.
	lines := strings.Split(at, "\n")
	prefix := strings.Join(lines[:len(lines)-20], "\n")
	if !strings.HasPrefix(bt, prefix) {
		t.Error("truth of 500 records is not a prefix of truth of 1500 records")
	}
}

func TestTruthCoversEveryRecordOnce(t *testing.T) {
	cfg := smallConfig(5000)
	files, st := run(t, cfg, CSV)
	if st.Records != cfg.Records {
		t.Fatalf("Stats.Records = %d, want exactly %d", st.Records, cfg.Records)
	}
	truth := readCSV(t, files["truth.csv"])
	if !slicesEqual(truth[0], TruthColumns) {
		t.Fatalf("truth header %v", truth[0])
	}
	inTruth := map[profile.Ref]int{}
	personHH := map[string]string{}
	for _, row := range truth[1:] {
		ref := profile.Ref{Source: row[0], Key: row[1]}
		inTruth[ref]++
		if row[2] == "" || row[3] == "" {
			t.Fatalf("truth row without person or household: %v", row)
		}
		if hh, ok := personHH[row[2]]; ok && hh != row[3] {
			t.Fatalf("person %s in households %s and %s", row[2], hh, row[3])
		}
		personHH[row[2]] = row[3]
		if _, err := ParseFlags(row[4]); err != nil {
			t.Fatal(err)
		}
	}
	total := 0
	for i, s := range cfg.Sources {
		rows := readCSV(t, files[s.Name+".csv"])
		if !slicesEqual(rows[0], s.Kind.Columns()) {
			t.Fatalf("%s header %v", s.Name, rows[0])
		}
		if len(rows)-1 != st.SourceRecords[i] {
			t.Errorf("%s: %d rows, Stats says %d", s.Name, len(rows)-1, st.SourceRecords[i])
		}
		for _, row := range rows[1:] {
			ref := profile.Ref{Source: s.Name, Key: row[0]}
			if inTruth[ref] != 1 {
				t.Fatalf("%v appears %d times in truth, want 1", ref, inTruth[ref])
			}
			inTruth[ref] = -1 // seen in its source file
			total++
		}
	}
	for ref, n := range inTruth {
		if n != -1 {
			t.Fatalf("truth row %v has no record in its source file (or is repeated)", ref)
		}
	}
	if total != cfg.Records || len(truth)-1 != cfg.Records {
		t.Fatalf("%d source rows, %d truth rows, want %d", total, len(truth)-1, cfg.Records)
	}
	if st.People != len(personHH) {
		t.Errorf("Stats.People = %d, truth has %d people", st.People, len(personHH))
	}
	// Every event hangs off a written record.
	events := readCSV(t, files["events.csv"])
	if len(events)-1 != st.Events || st.Events == 0 {
		t.Fatalf("%d event rows, Stats.Events = %d", len(events)-1, st.Events)
	}
	for _, row := range events[1:] {
		if inTruth[profile.Ref{Source: row[1], Key: row[2]}] != -1 {
			t.Fatalf("event %v references an unknown record", row)
		}
	}
}

func TestPeopleLimit(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Records = 0
	cfg.People = 777
	files, st := run(t, cfg, CSV)
	if st.People != 777 {
		t.Fatalf("Stats.People = %d", st.People)
	}
	people := map[string]bool{}
	for _, row := range readCSV(t, files["truth.csv"])[1:] {
		people[row[2]] = true
	}
	if len(people) != 777 {
		t.Fatalf("truth has %d people, want 777", len(people))
	}
	perPerson := float64(st.Records) / float64(st.People)
	if perPerson < 1.8 || perPerson > 3.2 {
		t.Errorf("%.2f records per person with defaults, documented as about 2.4", perPerson)
	}
}

// countingSink checks structural invariants on every record as it arrives.
type countingSink struct {
	t       testing.TB
	cfg     *Config
	records []Record
	events  []profile.Event
	keep    bool
}

func (s *countingSink) Record(r *Record) error {
	cols := s.cfg.Sources[0].columns()
	for _, src := range s.cfg.Sources {
		if src.Name == r.Source {
			cols = src.columns()
		}
	}
	if len(r.Values) != len(cols) || r.Values[0] != r.Key || r.Person == "" || r.Household == "" {
		s.t.Fatalf("bad record %+v", r)
	}
	for i, v := range r.Values {
		if !utf8.ValidString(v) || strings.ContainsAny(v, "\n\r\x00") {
			s.t.Fatalf("%s/%s column %s: bad value %q", r.Source, r.Key, cols[i], v)
		}
	}
	if s.keep {
		c := *r
		c.Values = append([]string(nil), r.Values...)
		s.records = append(s.records, c)
	}
	return nil
}

func (s *countingSink) Event(e *profile.Event) error {
	if s.keep {
		s.events = append(s.events, *e)
	}
	return nil
}

// TestFlatMemory generates a large stream to nowhere and checks that the
// live heap does not grow with the number of records written.
func TestFlatMemory(t *testing.T) {
	n := 200_000
	if testing.Short() || raceEnabled {
		n = 60_000
	}
	cfg := smallConfig(n)
	var samples []uint64
	var ms runtime.MemStats
	count := 0
	sink := SinkFuncs{RecordFunc: func(*Record) error {
		count++
		if count%(n/10) == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			samples = append(samples, ms.HeapAlloc)
		}
		return nil
	}}
	if _, err := Generate(context.Background(), cfg, sink); err != nil {
		t.Fatal(err)
	}
	if len(samples) < 5 {
		t.Fatalf("only %d samples", len(samples))
	}
	base := samples[1]
	for i, s := range samples[2:] {
		if s > base+base/2+4<<20 {
			t.Errorf("heap grew from %d KiB (after %d records) to %d KiB (after %d records): %v",
				base>>10, 2*n/10, s>>10, (i+3)*n/10, samples)
			break
		}
	}
	t.Logf("live heap samples (KiB): %v", kib(samples))
}

func kib(s []uint64) []uint64 {
	out := make([]uint64, len(s))
	for i, v := range s {
		out[i] = v >> 10
	}
	return out
}

// countryOf maps the ways sources write a country back to its code.
func countryOf(s string) *country {
	for _, c := range countries {
		for _, n := range c.names {
			if strings.EqualFold(n, strings.TrimSpace(s)) {
				return c
			}
		}
	}
	return nil
}

// TestRecordPhonesValid checks phones as written in CRM and web-shop
// records: unless flagged as junk or transposed, each parses as a valid
// number of the record's country.
func TestRecordPhonesValid(t *testing.T) {
	cfg := smallConfig(8000)
	sink := &countingSink{t: t, cfg: &cfg, keep: true}
	if _, err := Generate(context.Background(), cfg, sink); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range sink.records {
		var ph, ctry string
		switch r.Source {
		case "crm":
			ph, ctry = r.Values[4], r.Values[10]
		case "webshop":
			ph, ctry = r.Values[3], r.Values[10]
		default:
			continue
		}
		c := countryOf(ctry)
		if ph == "" || c == nil || r.Flags&(FlagJunkPhone|FlagPhoneTransposed) != 0 {
			continue
		}
		num, err := phonenumbers.Parse(ph, c.code)
		if err != nil || !phonenumbers.IsValidNumberForRegion(num, c.code) {
			t.Errorf("%s/%s: phone %q not valid for %s (flags %v)", r.Source, r.Key, ph, c.code, r.Flags)
		}
		checked++
	}
	if checked < 2000 {
		t.Fatalf("only %d phones checked", checked)
	}
}

// TestRecordEmailsValid: an email not flagged as junk or typo is a
// syntactically valid address (after trimming stray spaces).
func TestRecordEmailsValid(t *testing.T) {
	cfg := smallConfig(8000)
	sink := &countingSink{t: t, cfg: &cfg, keep: true}
	if _, err := Generate(context.Background(), cfg, sink); err != nil {
		t.Fatal(err)
	}
	cols := map[string]int{"crm": 3, "webshop": 2, "support": 2, "newsletter": 1, "web": 1}
	checked, invalidTypos := 0, 0
	for _, r := range sink.records {
		i, ok := cols[r.Source]
		if !ok || r.Values[i] == "" {
			continue
		}
		e := strings.TrimSpace(r.Values[i])
		valid := validEmail(e)
		switch {
		case r.Flags&FlagJunkEmail != 0:
		case r.Flags&FlagTypoEmail != 0:
			if !valid {
				invalidTypos++
			}
		default:
			checked++
			if !valid {
				t.Errorf("%s/%s: email %q invalid without a typo or junk flag", r.Source, r.Key, e)
			}
		}
	}
	if checked < 3000 {
		t.Fatalf("only %d emails checked", checked)
	}
	if invalidTypos == 0 {
		t.Log("no typo made an address invalid in this sample")
	}
}

func validEmail(e string) bool {
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e && !strings.EqualFold(a.Address, e) {
		return false
	}
	at := strings.LastIndexByte(e, '@')
	return at > 0 && strings.Contains(e[at:], ".") && !strings.ContainsAny(e, " ,")
}

// TestMessRates: with every mess rate at zero, no mess flag appears; with
// raised rates, flagged shares move accordingly and stay near the configured
// rate (loose bounds: flags count records, rates are per value).
func TestMessRates(t *testing.T) {
	// FlagNameSwap is left out: family-first romanized names ("WANG Wei")
	// are a convention, written even with no mess.
	messFlags := FlagTypoName | FlagTypoEmail | FlagTypoAddress | FlagNickname | FlagInitial |
		FlagCase | FlagSpaces | FlagDiacritics | FlagTransliteration | FlagPhoneTransposed | FlagDateSwap |
		FlagDateTypo | FlagJunkName | FlagJunkEmail | FlagJunkPhone | FlagJunkDate | FlagJunkAddress |
		FlagMissing | FlagEmailVariant

	clean := smallConfig(4000)
	clean.Mess = Mess{}
	clean.Sources = []Source{
		{Name: "crm", Kind: KindCRM, Weight: 1, Missing: 1, Mess: 1},
		{Name: "webshop", Kind: KindWebshop, Weight: 1, Missing: 1, Mess: 1},
	}
	sink := &countingSink{t: t, cfg: &clean, keep: true}
	if _, err := Generate(context.Background(), clean, sink); err != nil {
		t.Fatal(err)
	}
	for _, r := range sink.records {
		if f := r.Flags & messFlags; f != 0 {
			t.Fatalf("%s/%s has mess flags %v with all rates 0", r.Source, r.Key, f)
		}
	}

	dirty := clean
	dirty.Mess = Mess{Missing: 0.2, Junk: 0.05, DateSwap: 1, Case: 0.5}
	sink = &countingSink{t: t, cfg: &dirty, keep: true}
	if _, err := Generate(context.Background(), dirty, sink); err != nil {
		t.Fatal(err)
	}
	var crm, emailEmpty, junkEmail, caseRec, swapped, dobSet int
	for _, r := range sink.records {
		if r.Flags&FlagCase != 0 {
			caseRec++
		}
		if r.Source != "crm" {
			continue
		}
		crm++
		if r.Values[3] == "" {
			emailEmpty++
		}
		if r.Flags&FlagJunkEmail != 0 {
			junkEmail++
			if !contains(junkEmails, r.Values[3]) {
				t.Errorf("junk_email flag on %q", r.Values[3])
			}
		}
		if r.Values[5] != "" && r.Flags&FlagJunkDate == 0 {
			dobSet++
			if r.Flags&FlagDateSwap != 0 {
				swapped++
			}
		}
	}
	share := func(a, b int) float64 { return float64(a) / float64(b) }
	// Missing email: 0.2 by mess plus people without any email (a few %).
	if s := share(emailEmpty, crm); s < 0.15 || s > 0.35 {
		t.Errorf("crm email empty in %.3f of records, configured 0.2 (+ people without email)", s)
	}
	if s := share(junkEmail, crm); s < 0.025 || s > 0.08 {
		t.Errorf("crm junk email in %.3f of records, configured 0.05", s)
	}
	// DateSwap 1 swaps every date whose day is 12 or less and differs from
	// the month: about 12/30.4 * 11/12 of dates.
	if s := share(swapped, dobSet); s < 0.28 || s > 0.45 {
		t.Errorf("day/month swapped in %.3f of dates, want about 0.36", s)
	}
	if s := share(caseRec, len(sink.records)); s < 0.4 || s > 0.6 {
		t.Errorf("case flag on %.3f of records, configured 0.5", s)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func slicesEqual(a, b []string) bool { return cmp.Equal(a, b) }

// TestJSONLMatchesCSV: both formats carry the same records, truth and
// events; JSONL events decode into profile.Event exactly as generated.
func TestJSONLMatchesCSV(t *testing.T) {
	cfg := smallConfig(1500)
	c, _ := run(t, cfg, CSV)
	j, _ := run(t, cfg, JSONL)
	for _, s := range cfg.Sources {
		rows := readCSV(t, c[s.Name+".csv"])
		lines := strings.Split(strings.TrimSuffix(j[s.Name+".jsonl"].String(), "\n"), "\n")
		if len(lines) != len(rows)-1 {
			t.Fatalf("%s: %d JSONL lines, %d CSV rows", s.Name, len(lines), len(rows)-1)
		}
		for i, line := range lines {
			var obj map[string]string
			if err := json.Unmarshal([]byte(line), &obj); err != nil {
				t.Fatalf("%s line %d: %v: %s", s.Name, i+1, err, line)
			}
			for k, col := range rows[0] {
				if obj[col] != rows[i+1][k] {
					t.Fatalf("%s row %d column %s: JSONL %q, CSV %q", s.Name, i+1, col, obj[col], rows[i+1][k])
				}
			}
		}
	}
	// Events: decode JSONL with encoding/json and compare with what the sink saw.
	sink := &countingSink{t: t, cfg: &cfg, keep: true}
	if _, err := Generate(context.Background(), cfg, sink); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(j["events.jsonl"].String(), "\n"), "\n")
	if len(lines) != len(sink.events) {
		t.Fatalf("%d event lines, %d events", len(lines), len(sink.events))
	}
	for i, line := range lines {
		var e profile.Event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		want := sink.events[i]
		if !e.Time.Equal(want.Time) {
			t.Fatalf("event %d time %v, want %v", i, e.Time, want.Time)
		}
		e.Time, want.Time = time.Time{}, time.Time{}
		if d := cmp.Diff(want, e); d != "" {
			t.Fatalf("event %d differs (-want +got):\n%s", i, d)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	mod := func(f func(*Config)) Config {
		c := DefaultConfig()
		f(&c)
		return c
	}
	cases := map[string]Config{
		"no size":          mod(func(c *Config) { c.Records = 0 }),
		"negative records": mod(func(c *Config) { c.Records = -1 }),
		"zero now":         mod(func(c *Config) { c.Now = time.Time{} }),
		"years":            mod(func(c *Config) { c.Years = 0 }),
		"no sources":       mod(func(c *Config) { c.Sources = nil }),
		"bad source name":  mod(func(c *Config) { c.Sources[0].Name = "CRM" }),
		"reserved name":    mod(func(c *Config) { c.Sources[0].Name = "truth" }),
		"dup source":       mod(func(c *Config) { c.Sources[1].Name = c.Sources[0].Name }),
		"bad kind":         mod(func(c *Config) { c.Sources[0].Kind = 99 }),
		"zero weights": mod(func(c *Config) {
			for i := range c.Sources {
				c.Sources[i].Weight = 0
			}
		}),
		"columns count": mod(func(c *Config) { c.Sources[0].Columns = []string{"a"} }),
		"columns dup": mod(func(c *Config) {
			c.Sources[0].Columns = c.Sources[0].Kind.Columns()
			c.Sources[0].Columns[1] = c.Sources[0].Columns[0]
		}),
		"duplicates > 0.95":  mod(func(c *Config) { c.Sources[0].Duplicates = 0.99 }),
		"rate > 1":           mod(func(c *Config) { c.Mess.Typo = 1.5 }),
		"rate NaN":           mod(func(c *Config) { c.TwinRate = nan() }),
		"sources per person": mod(func(c *Config) { c.SourcesPerPerson = nil }),
		"country":            mod(func(c *Config) { c.Countries = map[string]float64{"XX": 1} }),
		"country weights":    mod(func(c *Config) { c.Countries = map[string]float64{"US": 0} }),
		"events":             mod(func(c *Config) { c.EventsPerPerson = -1 }),
		"events spread":      mod(func(c *Config) { c.EventsSpread = 5 }),
	}
	for name, cfg := range cases {
		_, err := Generate(context.Background(), cfg, SinkFuncs{})
		if !errors.Is(err, ErrConfig) {
			t.Errorf("%s: err = %v, want ErrConfig", name, err)
		}
	}
	if _, err := Generate(context.Background(), DefaultConfig(), nil); !errors.Is(err, ErrConfig) {
		t.Errorf("nil sink: %v", err)
	}
}

func nan() float64 { z := 0.0; return z / z }

func TestContextAndSinkErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, smallConfig(1000), SinkFuncs{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	boom := errors.New("boom")
	n := 0
	st, err := Generate(context.Background(), smallConfig(1000), SinkFuncs{RecordFunc: func(*Record) error {
		n++
		if n == 10 {
			return boom
		}
		return nil
	}})
	if !errors.Is(err, boom) || st.Records != 10 {
		t.Errorf("sink error: err %v after %d records", err, st.Records)
	}
}

// TestRenamedColumnsAndCustomSources: sources of the same kind under other
// names, with renamed columns, restricted countries.
func TestRenamedColumnsAndCustomSources(t *testing.T) {
	cfg := smallConfig(600)
	cols := KindCRM.Columns()
	for i := range cols {
		cols[i] = "c_" + cols[i]
	}
	cfg.Sources = []Source{
		{Name: "crm_eu", Kind: KindCRM, Weight: 1, Missing: 1, Mess: 1, Columns: cols},
		{Name: "crm_us", Kind: KindCRM, Weight: 1, Missing: 1, Mess: 1},
	}
	cfg.Countries = map[string]float64{"DE": 1, "JP": 1}
	files, st := run(t, cfg, CSV)
	if st.SourceRecords[0] == 0 || st.SourceRecords[1] == 0 {
		t.Fatalf("records per source %v", st.SourceRecords)
	}
	rows := readCSV(t, files["crm_eu.csv"])
	if !slicesEqual(rows[0], cols) {
		t.Fatalf("header %v, want %v", rows[0], cols)
	}
	for _, row := range rows[1:] {
		if c := countryOf(row[10]); row[10] != "" && c != nil && c.code != "DE" && c.code != "JP" {
			t.Fatalf("country %q outside the configured mix", row[10])
		}
	}
}

func TestGolden(t *testing.T) {
	cfg := smallConfig(60)
	files, _ := run(t, cfg, CSV)
	for name, buf := range files {
		path := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create)", err)
		}
		if d := cmp.Diff(string(want), buf.String()); d != "" {
			t.Errorf("%s differs from golden file (-want +got); if intended, run go test -update:\n%s", name, d)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"csv": CSV, " CSV ": CSV, "jsonl": JSONL, "ndjson": JSONL} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("xml"); !errors.Is(err, ErrFormat) {
		t.Errorf("ParseFormat(xml) err %v", err)
	}
}

// TestEventsPerPerson: the configured mean holds (signups come on top), and
// the spread controls how concentrated activity is.
func TestEventsPerPerson(t *testing.T) {
	shareTop := func(spread float64) (mean, top float64) {
		cfg := smallConfig(20000)
		cfg.EventsSpread = spread
		per := map[string]int{}
		owner := map[profile.Ref]string{}
		sink := SinkFuncs{
			RecordFunc: func(r *Record) error {
				owner[profile.Ref{Source: r.Source, Key: r.Key}] = r.Person
				per[r.Person] += 0
				return nil
			},
			EventFunc: func(e *profile.Event) error {
				if e.Type != profile.Signup {
					per[owner[e.Record]]++
				}
				return nil
			},
		}
		if _, err := Generate(context.Background(), cfg, sink); err != nil {
			t.Fatal(err)
		}
		counts := make([]int, 0, len(per))
		total := 0
		for _, n := range per {
			counts = append(counts, n)
			total += n
		}
		slices.Sort(counts)
		top10 := 0
		for _, n := range counts[len(counts)*9/10:] {
			top10 += n
		}
		return float64(total) / float64(len(per)), float64(top10) / float64(total)
	}
	mean, top := shareTop(1)
	if mean < 5 || mean > 7.5 {
		t.Errorf("mean activity events per person %.2f, configured 6", mean)
	}
	_, flat := shareTop(0)
	if top < 0.28 || top <= flat+0.05 {
		t.Errorf("top 10%% of people log %.2f of events with spread 1, %.2f with spread 0", top, flat)
	}
	t.Logf("mean %.2f events per person; top 10%% of people: %.2f of events (spread 1), %.2f (spread 0)", mean, top, flat)
}
