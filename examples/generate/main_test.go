package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	err := run([]string{"-records", "500", "-out", dir, "-seed", "7", "-sources", "crm,webshop,pos", "-countries", "gb,de"},
		&out, &errOut)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "wrote 500 records") {
		t.Errorf("summary: %s", out.String())
	}
	f, err := os.Open(filepath.Join(dir, "truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != 501 {
		t.Fatalf("truth.csv: %d rows, %v", len(rows), err)
	}
	for _, name := range []string{"crm.csv", "webshop.csv", "pos.csv", "events.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "support.csv")); err == nil {
		t.Error("support.csv written although not selected")
	}
}

func TestRunErrors(t *testing.T) {
	for _, args := range [][]string{
		{}, // no -out
		{"-out", t.TempDir(), "-format", "xml"},
		{"-out", t.TempDir(), "-sources", "crm,nope"},
		{"-out", t.TempDir(), "-countries", "XX"},
		{"-out", t.TempDir(), "-records", "0"},
		{"-out", t.TempDir(), "-now", "yesterday"},
		{"-out", t.TempDir(), "extra"},
	} {
		var out, errOut bytes.Buffer
		if err := run(args, &out, &errOut); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
