package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// A report is used as Source.Report returns it, a value: its methods
// apply to it directly, and fmt prints its summary.
func TestReportValueMethods(t *testing.T) {
	src, err := NewSource(strings.NewReader("id,email,segment\n1,a@b.io,gold\n"), Mapping{Source: "crm"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range src.Records(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if m := src.Report().Mapped(); len(m) != 1 || m[0].Name != "email" {
		t.Errorf("Mapped() = %+v", m)
	}
	if u := src.Report().Unmapped(); len(u) != 1 || u[0].Name != "segment" {
		t.Errorf("Unmapped() = %+v", u)
	}
	if !src.Report().Reconciled() {
		t.Error("not reconciled")
	}
	if s := fmt.Sprint(src.Report()); !strings.HasPrefix(s, "source crm (csv): 1 rows read") {
		t.Errorf("fmt.Sprint(report) = %q, want its String()", s)
	}
}
