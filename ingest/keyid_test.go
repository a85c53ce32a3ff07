package ingest

import (
	"context"
	"strings"
	"testing"
)

// A key column named for an identifier gives the record its key as written
// and the identifier as that identifier's own column would read it.
func TestKeyAlsoIdentifier(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		key    string
		device string
	}{
		{"plain", "device_id,login_email,device_type\nd-1,Ann@Mail.org,tablet\n", "d-1", "d1"},
		{"spreadsheet apostrophe", "device_id,login_email\n'00123,Ann@Mail.org\n", "'00123", "00123"},
	}
	for _, tt := range tests {
		src, err := NewSource(strings.NewReader(tt.in), Mapping{Source: "web"}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rec, err := range src.Records(context.Background()) {
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			n++
			if rec.Key != tt.key {
				t.Errorf("%s: key %q, want %q", tt.name, rec.Key, tt.key)
			}
			if v, ok := rec.ID("device"); !ok || v != tt.device {
				t.Errorf("%s: id:device %q, want %q (ids %+v)", tt.name, v, tt.device, rec.IDs)
			}
			if len(rec.Emails) != 1 || rec.Emails[0].Address != "ann@mail.org" {
				t.Errorf("%s: login_email not read as an email: %+v", tt.name, rec.Emails)
			}
		}
		if n != 1 {
			t.Errorf("%s: %d records, want 1", tt.name, n)
		}
	}
}

// A key that is no valid identifier (a placeholder) keeps its row and key,
// and the lost identifier is a warning naming the key column.
func TestKeyAlsoIdentifierJunk(t *testing.T) {
	src, err := NewSource(strings.NewReader("device_id,login_email\nunknown,ann@mail.org\n"), Mapping{Source: "web"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rec, err := range src.Records(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if rec.Key != "unknown" {
			t.Errorf("key %q, want unknown", rec.Key)
		}
		if v, ok := rec.ID("device"); ok {
			t.Errorf("id:device %q from a placeholder", v)
		}
	}
	rep := src.Report()
	if n != 1 || rep.Warnings != 1 || len(rep.WarningDetails) != 1 || rep.WarningDetails[0].Column != "device_id" || rep.WarningDetails[0].Raw != "unknown" {
		t.Errorf("%d records, warnings %d %+v; want one record and one warning on device_id", n, rep.Warnings, rep.WarningDetails)
	}
}
