package ingest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"
)

// TestRejectSentinelsListed checks that rejectSentinels names every
// sentinel declared under "Reasons a row is rejected", in errors.go, so no
// reject is counted under a catch-all reason.
func TestRejectSentinelsListed(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var declared, listed []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		if g.Doc != nil && strings.HasPrefix(g.Doc.Text(), "Reasons a row is rejected") {
			for _, sp := range g.Specs {
				for _, n := range sp.(*ast.ValueSpec).Names {
					declared = append(declared, n.Name)
				}
			}
		}
		for _, sp := range g.Specs {
			vs := sp.(*ast.ValueSpec)
			if len(vs.Names) == 1 && vs.Names[0].Name == "rejectSentinels" {
				for _, e := range vs.Values[0].(*ast.CompositeLit).Elts {
					listed = append(listed, e.(*ast.Ident).Name)
				}
			}
		}
	}
	if len(declared) == 0 {
		t.Fatal("no reject sentinels found in errors.go")
	}
	slices.Sort(declared)
	slices.Sort(listed)
	if !slices.Equal(declared, listed) {
		t.Errorf("rejectSentinels lists %v, errors.go declares %v", listed, declared)
	}
	// Each has a bucket of its own, also when wrapped with details.
	seen := map[string]bool{}
	for _, s := range rejectSentinels {
		got := reasonName(fmt.Errorf("%w: details", s), rejectSentinels)
		if got != s.Error() || seen[got] {
			t.Errorf("a %v reject is counted under %q", s, got)
		}
		seen[got] = true
	}
}

func TestCurrencyRejectCountedByReason(t *testing.T) {
	_, rejects, _, rep := readEvents(t, "customer_id,time,amount,currency\nC1,2024-01-01,5,dollars\n", EventMapping{}, Options{})
	if len(rejects) != 1 || rep.RejectsByReason[ErrBadCurrency.Error()] != 1 {
		t.Fatalf("rejects %v, by reason %v", rejects, rep.RejectsByReason)
	}
}
