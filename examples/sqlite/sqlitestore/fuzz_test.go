package sqlitestore_test

import (
	"errors"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/examples/sqlite/sqlitestore"
	"github.com/unifyhq/unify/profile"
)

// FuzzRecordRoundTrip writes records with arbitrary strings. A record
// whose strings are all valid UTF-8 must come back equal; any other must
// be refused with ErrUnstorable and leave nothing behind. Validity is
// judged independently, with utf8.ValidString.
func FuzzRecordRoundTrip(f *testing.F) {
	f.Add("crm", "1", "José", "tier", "gold", " Jose@Example.com")
	f.Add("", "", "", "", "", "")
	f.Add("web\x00", "k\xff", "Bad\xc3", "a", "b", "c")
	f.Add("s", "k", "ok", "key\xfe", "v", "e")
	f.Add("s", "k", "\ufffd \\ufffd", "\u2028", "\"", "\\")
	s, err := sqlitestore.OpenWith(ctx, filepath.Join(f.TempDir(), "fuzz.db"), sqlitestore.Options{LazySync: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	f.Fuzz(func(t *testing.T, source, key, given, attrKey, attrVal, email string) {
		r := &profile.Record{
			Source: source, Key: key,
			Name:   profile.Name{Given: profile.Text{Raw: given, Norm: given, Key: given}},
			Emails: []profile.Email{{Raw: email}},
			Attrs:  map[string]string{attrKey: attrVal},
		}
		valid := true
		for _, s := range []string{source, key, given, attrKey, attrVal, email} {
			valid = valid && utf8.ValidString(s)
		}
		if err := s.DeleteRecords(ctx, []profile.Ref{r.Ref()}); err != nil {
			t.Fatal(err)
		}
		err := s.PutRecords(ctx, []*profile.Record{r})
		got, gerr := s.GetRecord(ctx, r.Ref())
		if !valid {
			if !errors.Is(err, sqlitestore.ErrUnstorable) {
				t.Fatalf("PutRecords of a record with invalid UTF-8 = %v, want ErrUnstorable", err)
			}
			if !errors.Is(gerr, unify.ErrNotFound) {
				t.Fatalf("a refused record is stored: %+v, %v", got, gerr)
			}
			return
		}
		if err != nil {
			t.Fatalf("PutRecords of a valid record: %v", err)
		}
		if gerr != nil {
			t.Fatal(gerr)
		}
		if diff := cmp.Diff(r, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-put +got):\n%s", diff)
		}
	})
}
