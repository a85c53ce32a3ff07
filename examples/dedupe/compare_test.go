package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/match/eval"
	"github.com/unifyhq/unify/profile"
)

// TestCompareFlag checks -compare on people who share their names: only
// their club tells namesakes apart, and only -compare weighs it. (shoe_size
// stays unmapped: it differs between one person's records.) A birth place
// is compared without the flag (match.KnownAttrs).
func TestCompareFlag(t *testing.T) {
	givens := []string{"Anna", "Ben", "Carl", "Dora", "Emil", "Fay"}
	families := []string{"Smith", "Jones", "Brown", "Davies"}
	var b strings.Builder
	b.WriteString("id,first_name,surname,club,shoe_size\n")
	const people = 480
	for i := range people {
		place := fmt.Sprintf("%c%c%cton", 'B'+i%20, 'a'+i/20%20, 'a'+i/400)
		for j := range 2 {
			fmt.Fprintf(&b, "%d-%d,%s,%s,%s,%d\n", i, j, givens[i%len(givens)], families[i/len(givens)%len(families)], place, 36+(i+j)%10)
		}
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "people.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	quality := func(args ...string) (p, r float64, stderr string) {
		res := runArgs(t, append(args, in)...)
		if res.code != 0 {
			t.Fatalf("dedupe %q: exit %d\n%s", args, res.code, res.stderr)
		}
		byProfile := map[string][]string{}
		for ref, id := range outputRows(t, res.stdout) {
			byProfile[id] = append(byProfile[id], ref.Key)
		}
		tp, predicted := 0, 0
		for _, keys := range byProfile {
			for x := range keys {
				for y := x + 1; y < len(keys); y++ {
					predicted++
					if strings.Split(keys[x], "-")[0] == strings.Split(keys[y], "-")[0] {
						tp++
					}
				}
			}
		}
		if predicted == 0 {
			return 1, 0, res.stderr
		}
		return float64(tp) / float64(predicted), float64(tp) / people, res.stderr
	}
	p0, r0, _ := quality()
	p1, r1, stderr := quality("-compare", "club")
	t.Logf("without -compare: precision %.3f recall %.3f; with: %.3f, %.3f", p0, r0, p1, r1)
	if p1 < 0.95 || r1 < 0.95 {
		t.Errorf("-compare club: precision %.3f, recall %.3f; want both >= 0.95", p1, r1)
	}
	// Without it, each name is shared by 20 people and nothing else
	// tells them apart: the model links none of them.
	if r0 >= r1 {
		t.Errorf("recall without -compare %.3f (precision %.3f), with %.3f: the birth place made no difference", r0, p0, r1)
	}
	for _, want := range []string{"club->attr:club (-compare)", "unmapped: shoe_size (kept as attributes, not compared"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// The same column as a place of birth needs no flag.
	if err := os.WriteFile(in, []byte(strings.Replace(b.String(), "club", "Place of Birth", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	p2, r2, stderr := quality()
	if p2 < 0.95 || r2 < 0.95 {
		t.Errorf("a place of birth column: precision %.3f, recall %.3f; want both >= 0.95", p2, r2)
	}
	if want := "Place of Birth->attr:birth_place (compared)"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	for col, want := range map[string]string{"birth_place": "birth_place", "Birth Place": "birth_place", "birthPlace": "birth_place", "Geburtsort": "geburtsort"} {
		if got := attrName(col); got != want {
			t.Errorf("attrName(%q) = %q, want %q", col, got, want)
		}
	}
	// Errors name the flag.
	for _, tt := range []struct{ arg, want string }{
		{"nothere", `-compare: column "nothere" is in none of the files`},
		{"!!", `-compare: "!!" cannot name an attribute`},
	} {
		res := runArgs(t, "-compare", tt.arg, in)
		if res.code != exitUsage || !strings.Contains(res.stderr, tt.want) {
			t.Errorf("-compare %s: exit %d, stderr %q; want %d and %q", tt.arg, res.code, res.stderr, exitUsage, tt.want)
		}
	}
	if res := runArgs(t, "-compare", "birth_place", "-map", "birth_place=locality", in); res.code != exitUsage || !strings.Contains(res.stderr, "already named") {
		t.Errorf("a column named by -compare and -map: exit %d, stderr %q", res.code, res.stderr)
	}
}

// TestRegionFlag: national phone numbers in a file with no country column
// get an E.164 form, and a place in the golden profiles, only with -region;
// without it the summary says why they have none.
func TestRegionFlag(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "us.csv")
	data := "id,name,email,phone,city\n1,John Smith,j@x.com,(201) 555-0123,Newark\n2,Ann Lee,a@y.com,+44 20 7946 0958,London\n"
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(dir, "golden.csv")
	phones := func(args ...string) (string, string) {
		res := runArgs(t, append(args, "-profiles", golden, in)...)
		if res.code != 0 {
			t.Fatalf("dedupe %q: exit %d\n%s", args, res.code, res.stderr)
		}
		b, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, row := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
			got = append(got, strings.Split(row, ",")[10]) // the phone column
		}
		return strings.Join(got, " "), res.stderr
	}
	got, stderr := phones()
	if got != " +442079460958" && got != "+442079460958 " {
		t.Errorf("without -region, golden phones %q, want only the international one", got)
	}
	if !strings.Contains(stderr, "1 phone number without a country code and no country to read it in (set -region)") {
		t.Errorf("no hint at -region:\n%s", stderr)
	}
	got, stderr = phones("-region", "United States")
	if !strings.Contains(got, "+12015550123") || !strings.Contains(got, "+442079460958") {
		t.Errorf("with -region, golden phones %q", got)
	}
	if strings.Contains(stderr, "-region") {
		t.Errorf("hint at -region although it was given:\n%s", stderr)
	}
	if res := runArgs(t, "-region", "Atlantis", in); res.code != exitUsage || !strings.Contains(res.stderr, `-region: "Atlantis"`) {
		t.Errorf("-region Atlantis: exit %d, stderr %q", res.code, res.stderr)
	}
}

// TestModelFlag: -model writes the trained model, which match reads back,
// and says so when the data were too few to train one.
func TestModelFlag(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.json")
	res := runArgs(t, "-ignore", "cluster", "-model", path, filepath.Join(testdata, "fake_1000.csv"))
	if res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := match.ReadModel(f)
	if err != nil {
		t.Fatalf("the -model file does not read as a model: %v", err)
	}
	if len(m.Comparisons) == 0 || !(m.Prior > 0 && m.Prior < 1) {
		t.Errorf("model with %d comparisons and prior %v", len(m.Comparisons), m.Prior)
	}
	if !strings.Contains(res.stderr, "match model:      "+path) {
		t.Errorf("summary does not name the model file:\n%s", res.stderr)
	}

	tiny := filepath.Join(dir, "tiny.csv")
	if err := os.WriteFile(tiny, []byte("id,first_name\n1,Ann\n2,Bob\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res = runArgs(t, "-model", path, tiny)
	if res.code != 0 || !strings.Contains(res.stderr, "none trained") {
		t.Errorf("tiny input: exit %d, stderr %q", res.code, res.stderr)
	}
	if b, err := os.ReadFile(path); err != nil || len(b) != 0 {
		t.Errorf("tiny input left a model file of %d bytes (%v)", len(b), err)
	}
	if res := runArgs(t, "-model", tiny, tiny); res.code != exitUsage || !strings.Contains(res.stderr, "-model "+tiny+" is an input file") {
		t.Errorf("-model onto the input: exit %d, stderr %q", res.code, res.stderr)
	}
}

// TestTruthFlag: -truth scores the result against a label column without
// matching on it: the output is the one -ignore gives, and the printed
// figures are those eval computes from the output and the labels.
func TestTruthFlag(t *testing.T) {
	fake := benchmarks[2]
	if fake.name != "fake_1000" {
		t.Fatalf("benchmarks[2] is %s", fake.name)
	}
	base := cachedRun(t, fake.args...)
	res := runArgs(t, "-quiet", "-truth", "cluster", testdata+"/fake_1000.csv")
	if res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	if res.stdout != base.stdout {
		t.Errorf("-truth cluster changed the result (against -ignore cluster)")
	}
	pred := outputRows(t, res.stdout)
	m, err := eval.Clusters(pred, fake.truth(t, pred))
	if err != nil {
		t.Fatal(err)
	}
	bp, br, err := eval.BCubed(pred, fake.truth(t, pred))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("scored against cluster:\n  pairwise precision %.4f, recall %.4f, F1 %.4f (%s true pairs; %s found, %s wrongly)\n"+
		"  B-cubed precision %.4f, recall %.4f\n",
		m.Precision, m.Recall, m.F1, group(m.TruePositives+m.FalseNegatives), group(m.TruePositives), group(m.FalsePositives), bp, br)
	if res.stderr != want {
		t.Errorf("-quiet -truth printed\n%s\nwant\n%s", res.stderr, want)
	}

	// Empty labels: each record a person of its own, and counted.
	dir := t.TempDir()
	in := writeFile(t, filepath.Join(dir, "people.csv"),
		"id,first_name,last_name,email,person\n"+
			"1,Anna,Berg,anna.berg@example.com,p1\n"+
			"2,Anna,Berg,anna.berg@example.com,p1\n"+
			"3,Carl,Dahl,carl@example.com,\n"+
			"4,Carl,Dahl,carl@example.com,\n"+
			"4,Carl,Dahl,carl@example.com,p9\n")
	res = runArgs(t, "-truth", "person", in)
	if res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "2 records without a label, each taken as a person of its own") {
		t.Errorf("no count of unlabelled records:\n%s", res.stderr)
	}
	if !strings.Contains(res.stderr, "1 row rejected and not scored") {
		t.Errorf("no count of the rejected row:\n%s", res.stderr)
	}
	if !strings.Contains(res.stderr, "person->attr:person (-truth)") {
		t.Errorf("mapping line does not show the truth column:\n%s", res.stderr)
	}
	for _, bad := range [][]string{
		{"-truth", "nosuch", in},
		{"-truth", "person", "-ignore", "person", in},
	} {
		if res := runArgs(t, bad...); res.code != exitUsage {
			t.Errorf("%q: exit %d, want %d\n%s", bad, res.code, exitUsage, res.stderr)
		}
	}
}

// TestTruthFileFlag: -truth-file scores against examples/generate's
// truth.csv, with the figures eval gives on the output and that file read
// here, and refuses files it cannot read as truth.
func TestTruthFileFlag(t *testing.T) {
	files, truthPath := writeSynth(t, 3000)
	dir := filepath.Dir(truthPath)
	args := append([]string{"-quiet", "-truth-file", truthPath}, files...)
	res := runArgs(t, args...)
	if res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	pred := outputRows(t, res.stdout)
	truth := eval.Truth{}
	rows := readCSV(t, truthPath)
	if rows[0][0] != "source" || rows[0][1] != "record_id" || rows[0][2] != "person_id" {
		t.Fatalf("truth.csv header %q", rows[0])
	}
	for _, r := range rows[1:] {
		truth[profile.Ref{Source: r[0], Key: r[1]}] = r[2]
	}
	m, err := eval.Clusters(pred, truth)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("scored against %s:\n  pairwise precision %.4f, recall %.4f, F1 %.4f (%s true pairs; %s found, %s wrongly)\n",
		truthPath, m.Precision, m.Recall, m.F1, group(m.TruePositives+m.FalseNegatives), group(m.TruePositives), group(m.FalsePositives))
	if !strings.HasPrefix(res.stderr, want) {
		t.Errorf("-truth-file printed\n%s\nwant it to start\n%s", res.stderr, want)
	}
	if m.F1 < 0.5 {
		t.Errorf("F1 %.4f on generated data", m.F1)
	}

	in := args[len(args)-1]
	bad := writeFile(t, filepath.Join(dir, "bad.csv"), "source,record_id\nweb,1\n")
	conflict := writeFile(t, filepath.Join(dir, "conflict.csv"), "source,record_id,person\nweb,1,a\nweb,1,b\n")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-truth-file", bad, in}, "needs source, record_id and a label column"},
		{[]string{"-truth-file", conflict, in}, `line 3 labels`},
		{[]string{"-truth-file", filepath.Join(dir, "nosuch.csv"), in}, "-truth-file: open"},
		{[]string{"-truth-file", in, in}, "is also an input file"},
		{[]string{"-truth-file", truthPath, "-truth", "x", in}, "give one"},
	} {
		res := runArgs(t, c.args...)
		if res.code != exitUsage || !strings.Contains(res.stderr, c.msg) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", c.args, res.code, res.stderr, exitUsage, c.msg)
		}
	}
}

// TestSpreadsheetExports: a file saved as "ANSI" (windows-1252) without
// -encoding is rejected row by row and the summary names the flag; a
// trailing delimiter's nameless column is named by position.
func TestSpreadsheetExports(t *testing.T) {
	dir := t.TempDir()
	ansi := writeFile(t, filepath.Join(dir, "ansi.csv"), "id,first_name,last_name,city\n1,Jos\xe9,Garc\xeda,M\xe1laga\n")
	res := runArgs(t, ansi)
	if res.code != 0 || !strings.Contains(res.stderr, "name its character set with -encoding, such as windows-1252") {
		t.Errorf("exit %d, no -encoding hint:\n%s", res.code, res.stderr)
	}
	res = runArgs(t, "-encoding", "windows-1252", ansi)
	if res.code != 0 || strings.Contains(res.stderr, "-encoding, such as") || !strings.Contains(res.stderr, "1 accepted") {
		t.Errorf("-encoding windows-1252: exit %d\n%s", res.code, res.stderr)
	}
	trailing := writeFile(t, filepath.Join(dir, "trailing.csv"), "sep=;\nid;first_name;\n1;Ann;\n")
	res = runArgs(t, trailing)
	if res.code != 0 || !strings.Contains(res.stderr, "id->key, first_name->given_name; unmapped: (column 3, no name)") {
		t.Errorf("exit %d, mapping line:\n%s", res.code, res.stderr)
	}
}

// TestTruthFileUnknownRecords: truth rows naming records no file gave are
// counted in the scoring lines, not dropped silently.
func TestTruthFileUnknownRecords(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, filepath.Join(dir, "a.csv"), "id,name,email\n1,Ann Lee,ann.lee@gmail.com\n2,Ann Lee,ann.lee@gmail.com\n")
	tests := []struct {
		truth string
		want  string // in stderr; "" for no such line
	}{
		{"source,record_id,person\na,1,x\na,2,x\n", ""},
		{"source,record_id,person\na,1,x\na,2,x\nnosuch,1,y\n", `1 row in %s names no record read (first: source "nosuch", record_id "1") and is not scored`},
		{"source,record_id,person\nb,7,y\na,1,x\na,9,x\n", `2 rows in %s name no record read (first: source "a", record_id "9") and are not scored`},
	}
	for i, tt := range tests {
		truth := writeFile(t, filepath.Join(dir, fmt.Sprintf("truth%d.csv", i)), tt.truth)
		res := runArgs(t, "-quiet", "-truth-file", truth, in)
		if res.code != 0 {
			t.Fatalf("exit %d\n%s", res.code, res.stderr)
		}
		if tt.want == "" {
			if strings.Contains(res.stderr, "no record read") {
				t.Errorf("case %d: stderr\n%s\nsays records are unknown", i, res.stderr)
			}
			continue
		}
		if want := fmt.Sprintf(tt.want, truth); !strings.Contains(res.stderr, want) {
			t.Errorf("case %d: stderr\n%s\nlacks %s", i, res.stderr, want)
		}
	}
}
