package ingest

import (
	"context"
	"strings"
	"testing"
)

func TestKeyAlsoIdentifier(t *testing.T) {
	in := "device_id,login_email,device_type\nd-1,Ann@Mail.org,tablet\n"
	src, err := NewSource(strings.NewReader(in), Mapping{Source: "web"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for rec, err := range src.Records(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if rec.Key != "d-1" {
			t.Errorf("key %q", rec.Key)
		}
		if v, ok := rec.ID("device"); !ok || v == "" {
			t.Errorf("the key column device_id is not also id:device: %+v", rec.IDs)
		}
		if len(rec.Emails) != 1 || rec.Emails[0].Address != "ann@mail.org" {
			t.Errorf("login_email not read as an email: %+v", rec.Emails)
		}
	}
}
