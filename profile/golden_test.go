package profile

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// TestGoldenMessy normalizes testdata/messy.txt and compares the records and
// errors with testdata/messy.golden.txt. After an intended change, review
// the diff of `go test ./profile -run Golden -update`.
//
// The golden file is a plain dump of every raw, normalized and key value, not
// JSON: Text.IsZero reports an empty Norm, so encoding/json's omitzero drops
// the raw text of junk and invalid values.
func TestGoldenMessy(t *testing.T) {
	f, err := os.Open("testdata/messy.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type result struct {
		Record *Record
		Errors []string
	}
	n := NewNormalizer(Options{DefaultRegion: "AU", EmailProviderRules: true})
	var out []*result
	sc := bufio.NewScanner(f)
	for line := 0; sc.Scan(); {
		line++
		s := sc.Text()
		switch {
		case s == "" || strings.HasPrefix(s, "#"):
			continue
		case strings.HasPrefix(s, "== "):
			src, key, _ := strings.Cut(strings.TrimPrefix(s, "== "), "/")
			out = append(out, &result{Record: &Record{Source: src, Key: key}})
			continue
		}
		fld, raw, ok := strings.Cut(s, "\t")
		if !ok || len(out) == 0 {
			t.Fatalf("messy.txt line %d: want field<TAB>raw after a == line", line)
		}
		raw = strings.NewReplacer(`\t`, "\t", `\n`, "\n").Replace(raw)
		cur := out[len(out)-1]
		if err := n.Set(cur.Record, Field(fld), raw); err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) && !errors.Is(err, ErrUnknownField) {
				t.Errorf("line %d: error of unexpected type: %v", line, err)
			}
			cur.Errors = append(cur.Errors, err.Error())
		}
	}
	var b strings.Builder
	for _, res := range out {
		dumpRecord(&b, res.Record)
		for _, e := range res.Errors {
			fmt.Fprintf(&b, "  ! %s\n", e)
		}
	}
	got := []byte(b.String())
	const golden = "testdata/messy.golden.txt"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(got) != string(want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got  %s\n want %s\n(run with -update after checking the change is intended)", golden, i+1, g, w)
			}
		}
	}
}

// dumpRecord writes every value of r, one per line: raw, normalized, key.
func dumpRecord(b *strings.Builder, r *Record) {
	fmt.Fprintf(b, "== %s\n", r.Ref())
	text := func(label string, t Text) {
		if t != (Text{}) {
			fmt.Fprintf(b, "  %-14s %q -> %q [%s]\n", label, t.Raw, t.Norm, t.Key)
		}
	}
	text("full", r.Name.Full)
	text("honorific", r.Name.Honorific)
	text("given", r.Name.Given)
	text("middle", r.Name.Middle)
	text("family", r.Name.Family)
	text("suffix", r.Name.Suffix)
	for _, e := range r.Emails {
		fmt.Fprintf(b, "  %-14s %q -> %q [%s]\n", "email", e.Raw, e.Address, e.Canonical)
	}
	for _, p := range r.Phones {
		fmt.Fprintf(b, "  %-14s %q -> %q\n", "phone", p.Raw, p.E164)
	}
	for i, a := range r.Addresses {
		for _, f := range []Field{FieldHouseNumber, FieldStreet, FieldAddressLine2, FieldLocality, FieldRegion, FieldPostcode, FieldCountry} {
			t, _ := a.Part(f)
			text(fmt.Sprintf("%d.%s", i, f), t)
		}
	}
	if r.BirthDate != (DateValue{}) {
		fmt.Fprintf(b, "  %-14s %q -> %q\n", "birth_date", r.BirthDate.Raw, r.BirthDate.Date.String())
	}
	text("gender", r.Gender)
	for _, id := range r.IDs {
		fmt.Fprintf(b, "  %-14s %q -> %q\n", "id:"+id.Type, id.Raw, id.Value)
	}
	for _, c := range r.Consents {
		fmt.Fprintf(b, "  %-14s %q -> known=%v granted=%v\n", "consent:"+c.Purpose, c.Raw, c.Known, c.Granted)
	}
	keys := make([]string, 0, len(r.Attrs))
	for k := range r.Attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(b, "  %-14s %q\n", "attr:"+k, r.Attrs[k])
	}
}
