package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/unifyhq/unify/match/eval"
	"github.com/unifyhq/unify/profile"
	"golang.org/x/text/encoding/unicode"
)

const testdata = "../../testdata"

// result is one in-process run of the command.
type result struct {
	code   int
	stdout string
	stderr string
}

func runArgs(t testing.TB, args ...string) result {
	t.Helper()
	return runCtx(context.Background(), args...)
}

func runCtx(ctx context.Context, args ...string) result {
	var out, errOut bytes.Buffer
	code := run(ctx, args, &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// The benchmark runs are shared between tests: FEBRL4 takes seconds under
// the race detector.
var (
	cacheMu sync.Mutex
	cache   = map[string]result{}
)

func cachedRun(t *testing.T, args ...string) result {
	t.Helper()
	key := strings.Join(args, "\x00")
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if r, ok := cache[key]; ok {
		return r
	}
	r := runArgs(t, args...)
	if r.code != 0 {
		t.Fatalf("dedupe %q: exit %d\n%s", args, r.code, r.stderr)
	}
	cache[key] = r
	return r
}

// outputRows parses the output CSV, checking its header, its order and
// that no record appears twice.
func outputRows(t *testing.T, out string) map[profile.Ref]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], []string{"source", "record_id", "profile_id"}) {
		t.Fatalf("output header: %q", rows[:min(1, len(rows))])
	}
	pred := map[profile.Ref]string{}
	var prev profile.Ref
	for i, r := range rows[1:] {
		ref := profile.Ref{Source: r[0], Key: r[1]}
		if i > 0 && prev.Compare(ref) >= 0 {
			t.Fatalf("output row %d: %v after %v: not sorted or repeated", i+2, ref, prev)
		}
		if r[2] == "" {
			t.Fatalf("output row %d: no profile ID", i+2)
		}
		prev = ref
		pred[ref] = r[2]
	}
	return pred
}

// febrlTruth reads FEBRL ground truth from record IDs: rec-12-org and
// rec-12-dup-0 are person 12.
func febrlTruth(t *testing.T, pred map[profile.Ref]string) eval.Truth {
	t.Helper()
	truth := eval.Truth{}
	for ref := range pred {
		parts := strings.Split(ref.Key, "-")
		if len(parts) < 3 || parts[0] != "rec" {
			t.Fatalf("unexpected FEBRL record ID %q", ref.Key)
		}
		truth[ref] = parts[1]
	}
	return truth
}

// fakeTruth reads fake_1000's cluster column itself.
func fakeTruth(t *testing.T, _ map[profile.Ref]string) eval.Truth {
	t.Helper()
	rows := readCSV(t, filepath.Join(testdata, "fake_1000.csv"))
	id, cl := slices.Index(rows[0], "unique_id"), slices.Index(rows[0], "cluster")
	if id < 0 || cl < 0 {
		t.Fatalf("fake_1000 header %q", rows[0])
	}
	truth := eval.Truth{}
	for _, r := range rows[1:] {
		truth[profile.Ref{Source: "fake_1000", Key: r[id]}] = r[cl]
	}
	return truth
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.TrimLeadingSpace = true
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

var benchmarks = []struct {
	name    string
	args    []string
	records int
	truth   func(*testing.T, map[profile.Ref]string) eval.Truth
	minF1   float64
}{
	{"febrl1", []string{testdata + "/febrl1.csv"}, 1000, febrlTruth, 0.999},
	{"febrl4", []string{testdata + "/febrl4a.csv", testdata + "/febrl4b.csv"}, 10000, febrlTruth, 0.999},
	// The truth column must not be matched on; auto-mapping would keep it
	// as an unused attribute anyway, -ignore drops it.
	{"fake_1000", []string{"-ignore", "cluster", testdata + "/fake_1000.csv"}, 1000, fakeTruth, 0.94},
}

// TestQuality runs the command on the benchmark sets and scores the output
// CSV against the truth (cluster-level pairwise precision, recall and F1).
// The bars are those of the engine's own quality test: the command must
// lose nothing between ingest and output.
func TestQuality(t *testing.T) {
	for _, b := range benchmarks {
		t.Run(b.name, func(t *testing.T) {
			r := cachedRun(t, b.args...)
			pred := outputRows(t, r.stdout)
			if len(pred) != b.records {
				t.Fatalf("%d output rows, want %d", len(pred), b.records)
			}
			m, err := eval.Clusters(pred, b.truth(t, pred))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %v", b.name, m)
			if m.F1 < b.minF1 {
				t.Errorf("F1 %.4f < %.4f\n%s", m.F1, b.minF1, r.stderr)
			}
			profiles := map[string]int{}
			for _, id := range pred {
				profiles[id]++
			}
			multi := 0
			for _, n := range profiles {
				if n > 1 {
					multi++
				}
			}
			want := fmt.Sprintf("profiles:         %s (%s with more than one record)", group(int64(len(profiles))), group(int64(multi)))
			if !strings.Contains(r.stderr, want) {
				t.Errorf("summary does not say %q:\n%s", want, r.stderr)
			}
			if !strings.Contains(r.stderr, fmt.Sprintf("records:          %s from", group(int64(b.records)))) {
				t.Errorf("summary does not count %d records:\n%s", b.records, r.stderr)
			}
		})
	}
}

// TestMappingLog checks the per-file mapping line on FEBRL, whose columns
// all have known names.
func TestMappingLog(t *testing.T) {
	r := cachedRun(t, benchmarks[1].args...)
	for _, want := range []string{
		"febrl4a.csv: 11 columns: rec_id->key, given_name->given_name, surname->family_name,",
		"date_of_birth->birth_date, soc_sec_id->id:national; unmapped: -\n",
		"febrl4b.csv: 5,000 rows: 5,000 accepted, 0 rejected;",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	r = cachedRun(t, benchmarks[2].args...)
	if want := "unique_id->key, first_name->given_name, surname->family_name, dob->birth_date, city->locality, email->email; ignored: cluster; unmapped: -"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
}

// TestDeterministic runs the command twice: the output and the
// explanations must be byte-identical.
func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	var outs, explains []string
	for i := range 2 {
		x := filepath.Join(dir, fmt.Sprintf("x%d.jsonl", i))
		r := runArgs(t, "-explain", x, testdata+"/fake_1000.csv")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		b, err := os.ReadFile(x)
		if err != nil {
			t.Fatal(err)
		}
		outs, explains = append(outs, r.stdout), append(explains, string(b))
	}
	if outs[0] != outs[1] {
		t.Error("two runs wrote different output")
	}
	if explains[0] != explains[1] {
		t.Error("two runs wrote different explanations")
	}
	if c := cachedRun(t, benchmarks[2].args...); c.stdout != outs[0] {
		t.Error("-ignore cluster changed the output although the cluster column is never compared")
	}
}

// TestDelimiterAndEncoding reads a semicolon-separated Windows-1252 export,
// as spreadsheets in much of Europe write them, with -encoding; without it
// the rows are rejected as invalid UTF-8, and an unknown name is a usage
// error.
func TestDelimiterAndEncoding(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "kunden.csv")
	data := "Kundennummer;Vorname;Nachname;E-Mail\n1;J\xfcrgen;M\xfcller;jm@gmx.de\n2;J\xfcrgen;M\xfcller;jm@gmx.de\n"
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runArgs(t, "-encoding", "windows-1252", in)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if want := "Kundennummer->key, Vorname->given_name, Nachname->family_name, E-Mail->email"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if !strings.Contains(r.stderr, "2 rows: 2 accepted, 0 rejected") {
		t.Errorf("rows not all accepted:\n%s", r.stderr)
	}
	r = runArgs(t, in)
	if !strings.Contains(r.stderr, "invalid UTF-8 2") {
		t.Errorf("without -encoding, want the rows rejected as invalid UTF-8:\n%s", r.stderr)
	}
	if r = runArgs(t, "-encoding", "klingon", in); r.code != 2 || !strings.Contains(r.stderr, `-encoding: "klingon"`) {
		t.Errorf("unknown encoding: exit %d: %s", r.code, r.stderr)
	}
}

// Hints name the command's flags: -encoding for a header that is not
// UTF-8, -two-digit-year-pivot for two-digit birth years; and a UTF-16
// file with a byte order mark needs no flag.
func TestEncodingAndYearHints(t *testing.T) {
	dir := t.TempDir()
	ansi := writeFile(t, filepath.Join(dir, "kunden.csv"), "Kundennummer;Stra\xdfe\n1;Hauptstra\xdfe 1\n")
	if r := runArgs(t, ansi); r.code != exitUsage || !strings.Contains(r.stderr, "-encoding, such as windows-1252") {
		t.Errorf("header not UTF-8: exit %d, stderr %q; want the -encoding hint", r.code, r.stderr)
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("First Name\tEmail\r\nZoë\tzoe@example.com\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if r := runArgs(t, writeFile(t, filepath.Join(dir, "excel.csv"), u16)); r.code != 0 || !strings.Contains(r.stderr, "First Name->given_name") {
		t.Errorf("UTF-16 with a byte order mark: exit %d, stderr %q", r.code, r.stderr)
	}
	years := writeFile(t, filepath.Join(dir, "years.csv"), "id,dob\n1,03/04/80\n2,03/04/12\n")
	r := runArgs(t, years)
	if r.code != 0 || !strings.Contains(r.stderr, "2 birth dates with a two-digit year (set -two-digit-year-pivot to read them)") {
		t.Errorf("two-digit years: exit %d, stderr %q; want the -two-digit-year-pivot hint", r.code, r.stderr)
	}
	r = runArgs(t, "-two-digit-year-pivot", "30", years)
	if r.code != 0 || !strings.Contains(r.stderr, "2 accepted, 0 rejected; 0 warnings") {
		t.Errorf("-two-digit-year-pivot 30: exit %d, stderr %q", r.code, r.stderr)
	}
	if r = runArgs(t, "-two-digit-year-pivot", "100", years); r.code != exitUsage {
		t.Errorf("-two-digit-year-pivot 100: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestDatesFlag checks that -dates fixes the date order of every file's
// mapping, and that without it the library's per-record rule applies.
func TestDatesFlag(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "us.csv")
	if err := os.WriteFile(in, []byte("id,first_name,dob\n1,Ann,03/04/1980\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := parseFlags([]string{"-dates", "mdy", in}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if m := cfg.files[0].mapping(cfg, false); m.DateOrder != profile.MDY || !m.FixedDateOrder {
		t.Errorf("-dates mdy: mapping DateOrder %v, FixedDateOrder %v", m.DateOrder, m.FixedDateOrder)
	}
	cfg, err = parseFlags([]string{in}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if m := cfg.files[0].mapping(cfg, false); m.DateOrder != profile.DMY || m.FixedDateOrder {
		t.Errorf("no -dates: mapping DateOrder %v, FixedDateOrder %v", m.DateOrder, m.FixedDateOrder)
	}
}
