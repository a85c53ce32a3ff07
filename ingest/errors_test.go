package ingest

import (
	"errors"
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

// A fatal error's message names the package once and each reason once,
// and still wraps every sentinel it reads as.
func TestFatalMessageReadsOnce(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		is   []error
	}{
		{"header not UTF-8", "id,n\xe9m\n1,x\n", `ingest: src line 1 (byte 0): bad header: invalid UTF-8`, []error{ErrHeader, ErrInvalidUTF8}},
		{"header bare quote", "id,n\"a\"m\n1,x\n", `ingest: src line 1 (byte 0): bad header: bare " in non-quoted field`, []error{ErrHeader, ErrBareQuote}},
		{"json array layout", "[{\"id\":\"1\"} {\"id\":\"2\"}]", `malformed JSON: bad array layout: '{' after an element`, []error{ErrMalformedJSON}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readRecords(t, strings.NewReader(tt.in), Mapping{}, Options{})
			if res.fatal == nil {
				t.Fatal("no fatal error")
			}
			msg := res.fatal.Error()
			if !strings.Contains(msg, tt.want) || strings.Count(msg, "ingest:") != 1 || strings.Count(msg, "malformed JSON") > 1 {
				t.Errorf("message %q, want %q with \"ingest:\" once", msg, tt.want)
			}
			for _, s := range tt.is {
				if !errors.Is(res.fatal, s) {
					t.Errorf("%v does not wrap %v", res.fatal, s)
				}
			}
		})
	}
}
