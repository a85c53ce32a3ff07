package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRun runs the program on a kept file, twice: the profile followed
// keeps its ID across the restart, the ticket joins it, and a second run
// reuses the file.
func TestRun(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "customers.db")
	var out bytes.Buffer
	if err := run(ctx, &out, []string{"-db", path}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	ids := regexp.MustCompile(`(?m)^Profile (p_\w+)$`).FindAllStringSubmatch(got, -1)
	if len(ids) != 3 || ids[0][1] != ids[1][1] || ids[1][1] != ids[2][1] {
		t.Fatalf("want the same profile printed three times (before, after the restart, after the ticket), got %q in:\n%s", ids, got)
	}
	id := ids[0][1]
	for _, want := range []string{
		"31 records -> 19 profiles",
		"Reopened: 31 records, 19 profiles",
		"members       crm/C1001, shop/S-2001\n",
		"change: updated " + id,
		"members       crm/C1001, shop/S-2001, support/T-9001\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "did not join") {
		t.Errorf("the ticket did not join the profile:\n%s", got)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the -db file is gone: %v", err)
	}

	out.Reset()
	if err := run(ctx, &out, []string{"-db", path}); err != nil {
		t.Fatalf("second run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"already holds 32 records", "Profile " + id, "no change"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("second run's output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestRunTemporary: without -db the program leaves nothing behind.
func TestRunTemporary(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var out bytes.Buffer
	if err := run(context.Background(), &out, nil); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), tmp) {
		t.Errorf("the program did not use the temp directory %s:\n%s", tmp, out.String())
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left behind in the temp directory: %v", left)
	}
}
