package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestUsageErrors checks every way the command can be misused: each exits
// with status 2, writes nothing to standard output, and says what is wrong
// on exactly one line of standard error.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, filepath.Join(dir, "people.csv"), "id,first_name,surname,email\n1,ann,lee,ann@example.com\n2,bob,ray,bob@example.com\n")
	jsonl := writeFile(t, filepath.Join(dir, "web.jsonl"), `{"id":"1","first_name":"ann"}`+"\n")
	xml := writeFile(t, filepath.Join(dir, "people.xml"), "<people/>")
	empty := writeFile(t, filepath.Join(dir, "empty.csv"), "")
	trunc := writeFile(t, filepath.Join(dir, "trunc.csv"), "id,first_name\n1,\"ann\n")
	folder := filepath.Join(dir, "folder.csv")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	twin := writeFile(t, filepath.Join(dir, "other", "people.csv"), "id,first_name\n1,ann\n")
	for _, c := range []struct {
		name string
		args []string
		want string // in the message
		// late errors come after reading started, so the mapping and
		// count lines of the files read so far come first.
		late bool
	}{
		{"unknown flag", []string{"-nosuch", good}, "flag provided but not defined: -nosuch", false},
		{"no files", nil, "no input files", false},
		{"missing file", []string{filepath.Join(dir, "missing.csv")}, "missing.csv: no such file", false},
		{"directory", []string{folder}, "is a directory", false},
		{"unknown field", []string{"-map", "email=e_mail", good}, `unknown field "e_mail"`, false},
		{"bad id field", []string{"-map", "email=id:", good}, "unknown field", false},
		{"map not pair", []string{"-map", "email", good}, `"email" is not COLUMN=FIELD`, false},
		{"map key", []string{"-map", "id=key", good}, "-key id", false},
		{"map column in no file", []string{"-map", "mail=email", good}, `-map: column "mail" is in none of the files`, false},
		{"key column in no file", []string{"-key", "cust", good}, `-key: column "cust" is in none of the files`, false},
		{"ignore column in no file", []string{"-ignore", "cluster", good}, `-ignore: column "cluster" is in none of the files`, false},
		{"json column in no file", []string{"-map", "mail=email", jsonl}, `-map: column "mail" is in none of the files`, true},
		{"column twice", []string{"-map", "email=email", "-ignore", "email", good}, `column "email" is already named by -map`, false},
		{"threshold range", []string{"-threshold", "1.5", good}, "not a probability", false},
		{"threshold zero", []string{"-threshold", "0", good}, "not a probability", false},
		{"threshold text", []string{"-threshold", "high", good}, "not a probability", false},
		{"date order", []string{"-dates", "YDM", good}, `-dates: "YDM" is not DMY, MDY or YMD`, false},
		{"unknown format", []string{xml}, "unknown format", false},
		{"empty file", []string{empty}, "the file is empty", false},
		{"truncated file", []string{trunc}, "truncated", true},
		{"same source twice", []string{good, twin}, `would both be source "people"`, false},
		{"rejects extension", []string{"-rejects", filepath.Join(dir, "r.txt"), good}, "must be .csv, .jsonl or .ndjson", false},
		{"output is input", []string{"-out", good, good}, "is an input file", false},
		{"profiles extension", []string{"-profiles", filepath.Join(dir, "p.txt"), good}, "-profiles", false},
		{"profiles is input", []string{"-profiles", good, good}, "is an input file", false},
		{"two outputs one file", []string{"-out", filepath.Join(dir, "o.csv"), "-profiles", filepath.Join(dir, ".", "o.csv"), good}, "-out and -profiles both write", false},
		{"output directory missing", []string{"-out", filepath.Join(dir, "no", "out.csv"), good}, "no such file", false},
		{"flag after files", []string{good, "-threshold", "2"}, "-threshold", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runArgs(t, c.args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, exitUsage, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
			msg := r.stderr
			if c.late {
				msg = msg[strings.LastIndex(strings.TrimSuffix(msg, "\n"), "\n")+1:]
			}
			if !strings.HasPrefix(msg, "dedupe: ") || !strings.HasSuffix(msg, "\n") || strings.Count(msg, "\n") != 1 || strings.Count(r.stderr, "dedupe: ") != 1 {
				t.Errorf("the error is not one line starting with \"dedupe: \": %q", r.stderr)
			}
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr %q does not say %q", r.stderr, c.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "good.csv")); err == nil {
		t.Error("an output file was written")
	}
}

func TestHelp(t *testing.T) {
	r := runArgs(t, "-h")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "usage: dedupe [flags] FILE") || r.stderr != "" {
		t.Errorf("-h: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	for _, flag := range []string{"-map", "-key", "-ignore", "-threshold", "-out", "-explain", "-rejects", "-quiet"} {
		if !strings.Contains(r.stdout, "  "+flag+" ") {
			t.Errorf("usage does not describe %s", flag)
		}
	}
}

// TestCancelled: an interrupted run is a failure (1), not a usage error,
// and writes no partial result to standard output.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := runCtx(ctx, testdata+"/febrl1.csv")
	if r.code != exitFailure {
		t.Errorf("exit %d, want %d: %s", r.code, exitFailure, r.stderr)
	}
	if !strings.Contains(r.stderr, "context canceled") || strings.Count(r.stderr, "dedupe: ") != 1 {
		t.Errorf("stderr: %q", r.stderr)
	}
	if strings.Count(r.stdout, "\n") > 1 {
		t.Errorf("stdout has rows: %q", r.stdout)
	}
}

// TestFailureRemovesResults: a run that fails after creating its outputs
// leaves no partial -out or -explain file, and keeps the rejects read so
// far.
func TestFailureRemovesResults(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, filepath.Join(dir, "a.csv"), "id,first_name,surname\n1,ann,lee\n2,ann,lee\n2,bob,ray\n")
	trunc := writeFile(t, filepath.Join(dir, "b.csv"), "id,first_name\n1,\"ann\n")
	out, explain, rejects := filepath.Join(dir, "out.csv"), filepath.Join(dir, "x.jsonl"), filepath.Join(dir, "r.csv")
	profiles := filepath.Join(dir, "p.csv")
	r := runArgs(t, "-out", out, "-explain", explain, "-rejects", rejects, "-profiles", profiles, good, trunc)
	if r.code != exitUsage || !strings.Contains(r.stderr, "truncated") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, p := range []string{out, explain, profiles} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s left behind (%v)", p, err)
		}
	}
	b, err := os.ReadFile(rejects)
	if err != nil || !strings.Contains(string(b), "duplicate record key") {
		t.Errorf("rejects file: %v %q", err, b)
	}
}
