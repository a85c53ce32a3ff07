package profile

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestRecordJSONKeepsRawText checks that a junk or invalid value, whose
// normalized form is empty, keeps its raw text through JSON: lineage must
// show what the source wrote.
func TestRecordJSONKeepsRawText(t *testing.T) {
	n := NewNormalizer(Options{DefaultRegion: "AU"})
	r := &Record{Source: "crm", Key: "1"}
	for f, v := range map[Field]string{
		FieldGivenName: "Unknown", FieldEmail: "test@test.com", FieldPhone: "000-000-0000",
		FieldBirthDate: "1980-02-30", FieldPostcode: "n/a", FieldFamilyName: "Nguyen",
	} {
		_ = n.Set(r, f, v)
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Record
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, &back, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("JSON round trip lost data (-before +after):\n%s\n%s", diff, js)
	}
	if r.Name.Given.Valid() || r.Name.Given.IsZero() {
		t.Errorf("junk given name: Valid %v, IsZero %v; want neither", r.Name.Given.Valid(), r.Name.Given.IsZero())
	}
}
