package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/profile"
)

// withBadRows copies the first n data rows of febrl1.csv (rec-223-org
// first) and appends a row with too few fields (line n+2), a row repeating
// the key rec-223-org (line n+3), and a row with an impossible birth date
// (line n+4).
func withBadRows(t *testing.T, dir string, n int) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(testdata, "febrl1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(src), "\n")
	if !strings.HasPrefix(lines[1], "rec-223-org,") || n+1 >= len(lines) {
		t.Fatalf("febrl1.csv changed: first row %q, %d lines", lines[1], len(lines))
	}
	var b strings.Builder
	b.WriteString(strings.Join(lines[:n+1], ""))
	b.WriteString("rec-9001-org, ann, lee\n")
	b.WriteString("rec-223-org, jo, waller, 6, tullaroop street, , st james, 4011, wa, 19081209, 1\n")
	b.WriteString("rec-9002-org, amy, hart, 2, main road, , perth, 6000, wa, 19991399, 2\n")
	return writeFile(t, filepath.Join(dir, "people.csv"), b.String())
}

// TestExplainAndRejects checks that -rejects saves each rejected row and
// warning with its line, and that -explain writes one well-formed
// explanation per pair at or above the threshold, agreeing with the output.
func TestExplainAndRejects(t *testing.T) {
	dir := t.TempDir()
	in := withBadRows(t, dir, 1000)
	rejects, explain, out := filepath.Join(dir, "rejects.csv"), filepath.Join(dir, "pairs.jsonl"), filepath.Join(dir, "out.csv")
	r := runArgs(t, "-rejects", rejects, "-explain", explain, "-out", out, in)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout with -out: %q", r.stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	pred := outputRows(t, string(b))
	if len(pred) != 1001 {
		t.Errorf("%d output rows, want 1001 (1000 + the row with a bad date)", len(pred))
	}
	for _, want := range []string{
		"people.csv: 1,003 rows: 1,001 accepted, 2 rejected (duplicate record key 1, wrong column count 1);",
		"rejected rows:    2 (saved in " + rejects + ")",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}

	rows := readCSV(t, rejects)
	if !slices.Equal(rows[0], []string{"kind", "source", "line", "offset", "column", "field", "key", "reason", "raw", "raw_truncated"}) {
		t.Fatalf("rejects header %q", rows[0])
	}
	var got []string
	for _, row := range rows[1:] {
		if row[1] != "people" {
			t.Errorf("reject source %q", row[1])
		}
		if row[0] == "reject" || row[2] == "1004" {
			got = append(got, row[0]+" "+row[2])
		}
	}
	if want := []string{"reject 1002", "reject 1003", "warning 1004"}; !slices.Equal(got, want) {
		t.Errorf("rejects and warnings %q, want %q", got, want)
	}

	// The explanations: one per pair, each a match.Explanation plus the
	// profiles, agreeing with the output.
	if !regexp.MustCompile(`training: +[0-9,]+ candidate pairs \([0-9]+% matches, as EM estimates\), [0-9]+ EM sessions\n`).MatchString(r.stderr) {
		t.Errorf("no training line in the summary:\n%s", r.stderr)
	}
	m := regexp.MustCompile(`linked pairs: +([0-9,]+) at or above the threshold 0.5`).FindStringSubmatch(r.stderr)
	if m == nil {
		t.Fatalf("no pair counts in the summary:\n%s", r.stderr)
	}
	above, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	f, err := os.Open(explain)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	seen := map[[2]profile.Ref]bool{}
	n := 0
	for sc.Scan() {
		n++
		var x match.Explanation
		if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
			t.Fatalf("line %d is not a match.Explanation: %v", n, err)
		}
		var where struct {
			ProfileA    *string `json:"profile_a"`
			ProfileB    *string `json:"profile_b"`
			SameProfile *bool   `json:"same_profile"`
		}
		if err := json.Unmarshal(sc.Bytes(), &where); err != nil || where.ProfileA == nil || where.ProfileB == nil || where.SameProfile == nil {
			t.Fatalf("line %d lacks profile_a, profile_b or same_profile (%v): %s", n, err, sc.Bytes())
		}
		pair := [2]profile.Ref{x.A, x.B}
		switch {
		case x.A.Compare(x.B) >= 0:
			t.Errorf("line %d: pair %v, %v not in order", n, x.A, x.B)
		case seen[pair]:
			t.Errorf("line %d: pair %v, %v written twice", n, x.A, x.B)
		case x.Probability < 0.5 || !x.Match || x.Threshold != 0.5:
			t.Errorf("line %d: probability %v, match %v, threshold %v", n, x.Probability, x.Match, x.Threshold)
		case len(x.Terms) == 0 && x.Rule == "":
			t.Errorf("line %d: no terms and no rule", n)
		case *where.ProfileA != pred[x.A] || *where.ProfileB != pred[x.B]:
			t.Errorf("line %d: profiles %s, %s; the output says %s, %s", n, *where.ProfileA, *where.ProfileB, pred[x.A], pred[x.B])
		case *where.SameProfile != (pred[x.A] == pred[x.B]):
			t.Errorf("line %d: same_profile %v disagrees with the output", n, *where.SameProfile)
		}
		seen[pair] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != above || n < 500 {
		t.Errorf("%d explanations; the summary counts %d pairs at or above the threshold (FEBRL1 has 500 true pairs)", n, above)
	}
}

// TestRejectsJSONL: a .jsonl rejects file holds one JSON object per
// reject or warning; without -rejects the first rejects are shown.
func TestRejectsJSONL(t *testing.T) {
	dir := t.TempDir()
	in := withBadRows(t, dir, 100)
	rejects := filepath.Join(dir, "rejects.jsonl")
	r := runArgs(t, "-rejects", rejects, in)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(rejects)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		var x struct {
			Kind, Source, Reason string
			Line                 int64
		}
		if err := json.Unmarshal([]byte(line), &x); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, line)
		}
		kinds[x.Kind]++
		if x.Source != "people" || x.Line < 2 || x.Reason == "" {
			t.Errorf("line %d: %+v", i+1, x)
		}
	}
	if kinds["reject"] != 2 || kinds["warning"] == 0 {
		t.Errorf("kinds %v", kinds)
	}

	r = runArgs(t, in)
	for _, want := range []string{
		"  rejected: ingest: people line 102: wrong column count",
		"  rejected: ingest: people line 103 column \"rec_id\": duplicate record key \"rec-223-org\"",
		"rejected rows:    2\n",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// TestFormats reads the same records as CSV, TSV, JSON Lines, a JSON array
// and gzipped CSV, under the same source name: the output must be the
// same bytes.
func TestFormats(t *testing.T) {
	rows := readCSV(t, filepath.Join(testdata, "fake_1000.csv"))[:301]
	header, data := rows[0], rows[1:]
	dir := t.TempDir()
	write := func(name string, fn func(*bytes.Buffer)) string {
		var b bytes.Buffer
		fn(&b)
		return writeFile(t, filepath.Join(dir, name), b.String())
	}
	var files []string
	files = append(files, write("csv/fake.csv", func(b *bytes.Buffer) {
		w := csv.NewWriter(b)
		w.WriteAll(rows)
	}))
	files = append(files, write("tsv/fake.tsv", func(b *bytes.Buffer) {
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}))
	object := func(r []string) []byte {
		m := map[string]string{}
		for i, h := range header {
			m[h] = r[i]
		}
		j, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return j
	}
	files = append(files, write("jsonl/fake.jsonl", func(b *bytes.Buffer) {
		for _, r := range data {
			b.Write(object(r))
			b.WriteByte('\n')
		}
	}))
	files = append(files, write("ndjson/fake.ndjson", func(b *bytes.Buffer) {
		for _, r := range data {
			b.Write(object(r))
			b.WriteByte('\n')
		}
	}))
	files = append(files, write("json/fake.json", func(b *bytes.Buffer) {
		b.WriteString("[\n")
		for i, r := range data {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.Write(object(r))
		}
		b.WriteString("\n]\n")
	}))
	files = append(files, write("gz/fake.csv.gz", func(b *bytes.Buffer) {
		z := gzip.NewWriter(b)
		w := csv.NewWriter(z)
		w.WriteAll(rows)
		z.Close()
	}))
	var want string
	for i, f := range files {
		r := runArgs(t, "-ignore", "cluster", f)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", f, r.code, r.stderr)
		}
		if i == 0 {
			want = r.stdout
			if n := strings.Count(want, "\n"); n != 301 {
				t.Fatalf("%d output lines", n)
			}
			continue
		}
		if r.stdout != want {
			t.Errorf("%s: output differs from the CSV file's", f)
		}
		if !strings.Contains(r.stderr, "; ignored: cluster;") {
			t.Errorf("%s: mapping line does not show the ignored column:\n%s", f, r.stderr)
		}
	}
}

// TestExplicitMapping renames fake_1000's columns so that only some are
// recognised, maps them back with -map, -key and -ignore, and expects the
// output of the original file. A second file without those columns must
// not be an error.
func TestExplicitMapping(t *testing.T) {
	rows := readCSV(t, filepath.Join(testdata, "fake_1000.csv"))
	if !slices.Equal(rows[0], []string{"unique_id", "first_name", "surname", "dob", "city", "email", "cluster"}) {
		t.Fatalf("fake_1000 header changed: %q", rows[0])
	}
	rows[0] = []string{"ref", "fn", "ln", "born", "place", "contact", "grp"}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	dir := t.TempDir()
	in := writeFile(t, filepath.Join(dir, "fake_1000.csv"), b.String())
	args := []string{"-map", "fn=given_name,ln=family_name", "-map", "born=birth_date,place=locality,contact=email", "-key", "ref", "-ignore", "grp"}
	r := runArgs(t, append(args, in)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if want := cachedRun(t, benchmarks[2].args...).stdout; r.stdout != want {
		t.Error("explicitly mapped columns give another output than the same columns auto-mapped")
	}
	if want := "fake_1000.csv: 7 columns: ref->key (-key), fn->given_name (-map), ln->family_name (-map), born->birth_date (-map), place->locality (-map), contact->email (-map); ignored: grp; unmapped: -\n"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}

	// A smaller copy is enough here.
	b.Reset()
	w.WriteAll(rows[:101])
	small := writeFile(t, filepath.Join(dir, "crm.csv"), b.String())
	other := writeFile(t, filepath.Join(dir, "shop.csv"), "customer_id,first_name,last_name,email\nc1,Ann,Lee,ann@example.com\n")
	r = runArgs(t, append(args, small, other)...)
	if r.code != 0 {
		t.Fatalf("with a file lacking the mapped columns: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "\nshop,c1,") {
		t.Errorf("shop record missing from the output")
	}
}

// Column names holding commas can be named on the command line, and the
// mapping line quotes them.
func TestColumnNamesWithCommas(t *testing.T) {
	in := writeFile(t, filepath.Join(t.TempDir(), "crm.csv"), "id;Name, Vorname;Ort, Land;Notiz, intern;E-Mail\n"+
		"1;Müller, Jürgen;Berlin;x;jm@web.de\n")
	tests := []struct {
		args []string
		want string // in the mapping line
	}{
		{nil, `"Name, Vorname"->full_name, E-Mail->email; unmapped: "Ort, Land", "Notiz, intern"`},
		{[]string{"-map", "Ort, Land=locality,E-Mail=email"}, `"Ort, Land"->locality (-map), E-Mail->email (-map); unmapped: "Notiz, intern"`},
		{[]string{"-ignore", `"Notiz, intern"`, "-compare", `"Ort, Land"`}, `"Ort, Land"->attr:ort_land (-compare), E-Mail->email; ignored: "Notiz, intern"; unmapped: -`},
		{[]string{"-ignore", `"Notiz, intern", "Ort, Land"`}, `ignored: "Ort, Land", "Notiz, intern"; unmapped: -`},
	}
	for _, tt := range tests {
		r := runArgs(t, append(tt.args, in)...)
		if r.code != 0 {
			t.Errorf("%q: exit %d: %s", tt.args, r.code, r.stderr)
			continue
		}
		if !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%q: stderr lacks %s:\n%s", tt.args, tt.want, r.stderr)
		}
	}
}

func TestSplitMap(t *testing.T) {
	tests := []struct {
		in   string
		want []string // nil: an error
	}{
		{"a=email", []string{"a=email"}},
		{"a=email, b=phone", []string{"a=email", "b=phone"}},
		{"Name, Vorname=full_name,E-Mail=email", []string{"Name, Vorname=full_name", "E-Mail=email"}},
		{"a,b,c=email", []string{"a,b,c=email"}},
		{"a=email,b", nil},
		{"a=email,,b=phone", nil},
		{"a=email,", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got, err := splitMap(tt.in)
		if tt.want == nil {
			if err == nil {
				t.Errorf("splitMap(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("splitMap(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestRowNumberKeys: a file with no key-like column is keyed by data row
// number, and the mapping line says so.
func TestRowNumberKeys(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("first_name,surname,email\n")
	for i := range 50 {
		fmt.Fprintf(&b, "name%d,family%d,person%d@example.com\n", i%20, i%20, i%20)
	}
	in := writeFile(t, filepath.Join(dir, "list.csv"), b.String())
	r := runArgs(t, in)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Count(r.stderr, "list.csv: ") != 2 {
		t.Errorf("want one mapping line and one count line for list.csv:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "record_id is the data row number") {
		t.Errorf("stderr does not say the keys are row numbers:\n%s", r.stderr)
	}
	pred := outputRows(t, r.stdout)
	for i := 1; i <= 50; i++ {
		if _, ok := pred[profile.Ref{Source: "list", Key: strconv.Itoa(i)}]; !ok {
			t.Errorf("no output row for data row %d", i)
		}
	}
	// Rows i and i+20 are the same person.
	if pred[profile.Ref{Source: "list", Key: "1"}] != pred[profile.Ref{Source: "list", Key: "21"}] {
		t.Errorf("identical rows 1 and 21 are not in one profile")
	}
}

// A tax ID is the person's, not the row's: rows sharing it are read (by
// row number) and kept, not rejected as duplicate keys.
func TestPersonalIDIsNotTheKey(t *testing.T) {
	in := writeFile(t, filepath.Join(t.TempDir(), "tax.csv"), "Name,Email,Tax ID\n"+
		"John Smith,js@gmail.com,123-45-6789\nJohn Smith,john.smith@gmail.com,123-45-6789\nMary Jones,mj@gmail.com,987-65-4321\n")
	r := runArgs(t, in)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "Tax ID->id:national") || !strings.Contains(r.stderr, "3 accepted, 0 rejected") {
		t.Errorf("want Tax ID as id:national and every row accepted:\n%s", r.stderr)
	}
	pred := outputRows(t, r.stdout)
	if len(pred) != 3 {
		t.Errorf("%d output rows, want 3", len(pred))
	}
}

// TestProgressAndQuiet shortens the progress interval to see the progress
// lines, and checks that -quiet silences everything but errors.
func TestProgressAndQuiet(t *testing.T) {
	defer func(d time.Duration) { progressEvery = d }(progressEvery)
	progressEvery = time.Millisecond
	in := withBadRows(t, t.TempDir(), 300)
	r := runArgs(t, in)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !regexp.MustCompile(`(?m)^\.\.\. (reading people\.csv: [0-9,]+ rows|resolving 301 records: .*|writing: [0-9,]+ of 301 records) \(`).MatchString(r.stderr) {
		t.Errorf("no progress line:\n%s", r.stderr)
	}
	if i, j := strings.LastIndex(r.stderr, "... "), strings.Index(r.stderr, "records:  "); i > j {
		t.Errorf("a progress line after the summary:\n%s", r.stderr)
	}
	q := runArgs(t, "-quiet", in)
	if q.code != 0 || q.stderr != "" {
		t.Errorf("-quiet: exit %d, stderr %q", q.code, q.stderr)
	}
	if q.stdout != r.stdout {
		t.Errorf("-quiet changed the output")
	}
}

// TestThreshold: a higher threshold never joins more pairs.
func TestThreshold(t *testing.T) {
	low := cachedRun(t, benchmarks[2].args...)
	high := runArgs(t, append([]string{"-threshold", "0.999"}, benchmarks[2].args...)...)
	if high.code != 0 {
		t.Fatalf("exit %d: %s", high.code, high.stderr)
	}
	count := func(s string) int {
		m := regexp.MustCompile(`([0-9,]+) at or above the threshold`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("no pair count:\n%s", s)
		}
		n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
		return n
	}
	if count(high.stderr) > count(low.stderr) {
		t.Errorf("threshold 0.999 matched %d pairs, 0.5 matched %d", count(high.stderr), count(low.stderr))
	}
	if !strings.Contains(high.stderr, "at or above the threshold 0.999") {
		t.Errorf("summary does not show the threshold:\n%s", high.stderr)
	}
}

// TestProfiles checks the -profiles file against the record output: one
// row (CSV) or object (JSON Lines) per profile ID of the output, with its
// records, and golden values that come from those records.
func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	// fake_1000 with an identifier and an attribute per record, whose
	// values say which record they came from.
	rows := readCSV(t, filepath.Join(testdata, "fake_1000.csv"))
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(append(slices.Clone(rows[0]), "loyalty_id", "tier"))
	for _, r := range rows[1:] {
		w.Write(append(slices.Clone(r), "L"+r[0], "t"+r[0]))
	}
	w.Flush()
	in := writeFile(t, filepath.Join(dir, "shop.csv"), buf.String())
	// A second source whose key column also gives each record an
	// identifier (id:device), which no column maps to.
	web := writeFile(t, filepath.Join(dir, "web.csv"), "device_id,login_email\nd-1,one@example.invalid\nd-2,two@example.invalid\n")
	out := filepath.Join(dir, "out.csv")
	for _, name := range []string{"p.csv", "p.jsonl"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			r := runArgs(t, "-ignore", "cluster", "-out", out, "-profiles", path, in, web)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if strings.Contains(r.stderr, "left out") {
				t.Errorf("values left out of the profiles:\n%s", r.stderr)
			}
			body, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			pred := outputRows(t, string(body))
			members := map[string][]profile.Ref{}
			for ref, id := range pred {
				members[id] = append(members[id], ref)
			}
			if !strings.Contains(r.stderr, fmt.Sprintf("golden profiles:  %s in %s", group(int64(len(members))), path)) {
				t.Errorf("summary does not count %d golden profiles:\n%s", len(members), r.stderr)
			}
			got := map[string]profile.Profile{}
			if name == "p.jsonl" {
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				dec := json.NewDecoder(f)
				for dec.More() {
					var p profile.Profile
					if err := dec.Decode(&p); err != nil {
						t.Fatal(err)
					}
					got[p.ID] = p
				}
			} else {
				rows := readCSV(t, path)
				head := rows[0]
				if !slices.Equal(head[:3], []string{"profile_id", "records", "sources"}) {
					t.Fatalf("header %q", head)
				}
				for _, want := range []string{"given_name", "family_name", "email", "birth_date", "id:device", "id:loyalty", "attr:tier"} {
					if !slices.Contains(head, want) {
						t.Errorf("header %q has no %s column", head, want)
					}
				}
				for _, row := range rows[1:] {
					p := profile.Profile{ID: row[0], Fields: map[profile.Field][]profile.GoldenValue{}}
					for i, cell := range row[3:] {
						if cell != "" {
							f := profile.Field(head[3+i])
							for _, v := range strings.Split(cell, valueSep) {
								p.Fields[f] = append(p.Fields[f], profile.GoldenValue{Value: v})
							}
						}
					}
					n, _ := strconv.Atoi(row[1])
					p.Members = make([]profile.Ref, n) // a count only
					if row[2] != "shop" && row[2] != "web" {
						t.Errorf("profile %s: sources %q", p.ID, row[2])
					}
					got[p.ID] = p
				}
			}
			if len(got) != len(members) {
				t.Errorf("%d profiles written, the output has %d profile IDs", len(got), len(members))
			}
			multi := 0
			for id, refs := range members {
				p, ok := got[id]
				if !ok {
					t.Errorf("profile %s of %v not written", id, refs)
					continue
				}
				if len(p.Members) != len(refs) {
					t.Errorf("profile %s: %d records, the output has %d", id, len(p.Members), len(refs))
				}
				if len(refs) > 1 {
					multi++
				}
				keys := map[string]bool{}
				shop := 0
				for _, m := range refs {
					keys[m.Key] = true
					if m.Source == "shop" {
						shop++
					}
				}
				if shop == 0 {
					if got := p.Fields["id:device"]; len(got) != 1 || !keys[strings.ToLower(got[0].Value)] && !keys["d-"+strings.TrimPrefix(strings.ToLower(got[0].Value), "d")] {
						t.Errorf("web profile %s: device IDs %+v", id, got)
					}
					continue
				}
				for _, m := range p.Members {
					if m != (profile.Ref{}) && pred[m] != id {
						t.Errorf("profile %s lists %v, which the output puts in %s", id, m, pred[m])
					}
				}
				// The identifier and the attribute name their record, so
				// each must name a member. Identifiers are a union: one
				// per member.
				ids := p.Fields["id:loyalty"]
				if len(ids) != shop {
					t.Errorf("profile %s of %d records: %d loyalty IDs %+v", id, len(refs), len(ids), ids)
				}
				for _, v := range ids {
					if !keys[strings.TrimPrefix(strings.ToLower(v.Value), "l")] {
						t.Errorf("profile %s: loyalty ID %q is no member's", id, v.Value)
					}
				}
				if tier := p.Fields["attr:tier"]; len(tier) != 1 || !keys[strings.TrimPrefix(tier[0].Value, "t")] {
					t.Errorf("profile %s: tier %+v, want one member's", id, tier)
				}
				for f, vs := range p.Fields {
					for _, v := range vs {
						if v.From != (profile.Ref{}) && pred[v.From] != id {
							t.Errorf("profile %s: %s %q from %v, not a member", id, f, v.Value, v.From)
						}
					}
				}
			}
			if multi < 100 {
				t.Errorf("only %d profiles of more than one record", multi)
			}
		})
	}
}

// A header naming two columns alike: the mapping line names the second by
// position, the count line counts its warning, and -profiles keeps it as
// an attribute rather than as a second street.
func TestRepeatedColumnName(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, filepath.Join(dir, "dup.csv"), "id,name,Address,Address\n1,John Smith,12 Oak St,\"San Francisco, CA\"\n")
	prof := filepath.Join(dir, "p.csv")
	r := runArgs(t, "-profiles", prof, in)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"Address->street; unmapped: Address (column 4)",
		"column 4 repeats the name of column 3; kept as attr:address_2",
		"1 warning (Address 1)",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); !strings.Contains(got, ",12 Oak St,") || !strings.Contains(got, `attr:address_2`) {
		t.Errorf("profiles:\n%s\nwant one street and attr:address_2", got)
	}
}

// "-" names standard output for any one output flag; -out has it by
// default, so another flag gets it only once -out has a file, and no file
// named "-" is ever made.
func TestDashIsStandardOutput(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	in := writeFile(t, filepath.Join(dir, "a.csv"), "id,name,email\n1,Ann Lee,ann.lee@gmail.com\n2,Bob Roe,bob.roe@gmail.com\n")
	out := filepath.Join(dir, "o.csv")
	tests := []struct {
		args   []string
		code   int
		stdout string // the start of stdout
		stderr string // in stderr
	}{
		{[]string{"-out", "-"}, 0, "source,record_id,profile_id\n", ""},
		{[]string{"-out", out, "-profiles", "-"}, 0, "profile_id,records,sources,", "golden profiles:  2 in standard output"},
		{[]string{"-out", out, "-explain", "-"}, 0, "", "explained pairs:  0 in standard output"},
		{[]string{"-out", out, "-model", "-"}, 0, "", "match model:      none trained, standard output left empty"},
		{[]string{"-out", out, "-rejects", "-"}, 0, "", "(saved in standard output)"},
		{[]string{"-profiles", "-"}, exitUsage, "", "-profiles -: standard output already gets the record IDs"},
		{[]string{"-out", "-", "-rejects", "-"}, exitUsage, "", "-out - and -rejects -: both write standard output"},
		{[]string{"-out", out, "-explain", "-", "-model", "-"}, exitUsage, "", "-explain - and -model -: both write standard output"},
	}
	for _, tt := range tests {
		r := runArgs(t, append(tt.args, in)...)
		if r.code != tt.code || !strings.HasPrefix(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("%q: exit %d, stdout %.60q, stderr\n%s\nwant exit %d, stdout %q..., stderr with %q",
				tt.args, r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "-")); err == nil {
			t.Fatalf("%q made a file named -", tt.args)
		}
	}
}
