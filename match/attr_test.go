package match

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/unifyhq/unify/profile"
)

// attrRecords makes two records for each of n people who share a few
// names, so that names alone cannot tell namesakes apart; each person's
// club can.
func attrRecords(n int) []*profile.Record {
	givens := []string{"anna", "ben", "carl", "dora"}
	families := []string{"smith", "jones", "brown"}
	var recs []*profile.Record
	for i := range n {
		for j := range 2 {
			r := person(fmt.Sprintf("%d-%d", i, j), givens[i%len(givens)], families[i/len(givens)%len(families)], "", "", "")
			place := fmt.Sprintf("Town %c%c", 'a'+i%26, 'a'+i/26%26)
			if j == 1 && i%5 == 0 {
				place = "town " + place[5:] // written another way: the same key
			}
			r.Attrs = map[string]string{"club": place, "note": fmt.Sprint(i*2 + j)}
			recs = append(recs, r)
		}
	}
	return recs
}

func TestAttrComparison(t *testing.T) {
	recs := attrRecords(240)
	m, err := Train(context.Background(), recs, Settings{Attrs: []string{"club"}})
	if err != nil {
		t.Fatal(err)
	}
	model := m.Model()
	index := func(name string) int {
		return slices.IndexFunc(model.Comparisons, func(c ComparisonModel) bool { return c.Name == name })
	}
	i := index("attr:club")
	if i < 0 {
		t.Fatalf("no attr:club comparison in %v", model.Comparisons)
	}
	if l := model.Comparisons[i].Levels[0]; l.M <= l.U {
		t.Errorf("an agreeing club weighs against: m %v, u %v", l.M, l.U)
	}
	if index("attr:note") >= 0 {
		t.Errorf("attr:note compared without being listed")
	}
	ps := m.PrepareAll(recs)
	same, _ := m.Score(ps[0], ps[1])      // person 0, club written two ways
	namesake, _ := m.Score(ps[0], ps[24]) // person 12: the same names, another town
	if same <= namesake {
		t.Errorf("same person %.3f, namesake %.3f", same, namesake)
	}
	e := m.Explain(ps[0], ps[24])
	found := false
	for _, term := range e.Terms {
		if term.Comparison == "attr:club" {
			found = true
			if term.Weight >= 0 {
				t.Errorf("a different club weighs %v", term.Weight)
			}
		}
	}
	if !found {
		t.Errorf("explanation has no attr:club term:\n%s", e)
	}

	// A saved model brings its attributes back.
	var buf bytes.Buffer
	if err := model.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	loaded, err := ReadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := NewMatcher(loaded, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if got := m2.Preparer().Attrs; len(got) != 1 || got[0] != "club" {
		t.Errorf("loaded matcher prepares attributes %v", got)
	}
	ps2 := m2.PrepareAll(recs)
	for _, p := range [][2]int{{0, 1}, {0, 24}, {2, 3}} {
		p1, _ := m.Score(ps[p[0]], ps[p[1]])
		p2, _ := m2.Score(ps2[p[0]], ps2[p[1]])
		if p1 != p2 {
			t.Errorf("pair %v: loaded model scores %v, trained %v", p, p2, p1)
		}
	}
	// An attribute the model did not learn is a mismatch.
	if _, err := NewMatcher(loaded, Settings{Attrs: []string{"occupation"}}); !errors.Is(err, ErrModelMismatch) {
		t.Errorf("model without attr:occupation loaded for it: %v", err)
	}
}

func TestAttrsAreNotIdentifiers(t *testing.T) {
	recs := attrRecords(8)
	recs[0].IDs = []profile.Identifier{{Type: "loyalty", Value: "L1"}}
	pr := Preparer{Attrs: []string{"club", "missing"}}
	ps := prepareAll(pr, recs, 1)
	if got := idTypes(ps); len(got) != 1 || got[0] != "loyalty" {
		t.Errorf("idTypes = %v, want [loyalty]", got)
	}
	var idRule BlockingRule
	for _, r := range DefaultBlockingRules() {
		if r.Name == "id" {
			idRule = r
		}
	}
	if keys := idRule.Keys(ps[0], nil); len(keys) != 1 || keys[0] != "loyalty:L1" {
		t.Errorf("id blocking keys %q, want only the loyalty number", keys)
	}
	if keys := idRule.Keys(ps[1], nil); len(keys) != 0 {
		t.Errorf("id blocking keys %q for a record with attributes only", keys)
	}
	c := AttrComparison("club")
	if l := c.Compare(ps[0], ps[1]); l != 0 {
		t.Errorf("one club: level %d", l)
	}
	if l := AttrComparison("missing").Compare(ps[0], ps[1]); l != Missing {
		t.Errorf("an attribute no record has: level %d", l)
	}
	// Without the Preparer preparing it, the attribute is missing.
	bare := Preparer{}.Prepare(recs[0])
	if l := c.Compare(bare, ps[1]); l != Missing {
		t.Errorf("unprepared attribute: level %d", l)
	}
}

// TestKnownAttrs checks that the known attributes are prepared and
// compared by default where records have them, and only there.
func TestKnownAttrs(t *testing.T) {
	recs := attrRecords(240)
	for _, r := range recs {
		r.Attrs["birth_place"] = r.Attrs["club"]
		delete(r.Attrs, "club")
	}
	if p := (Preparer{}).Prepare(recs[0]); len(p.ids) != 1 || p.ids[0].Type != "attr:birth_place" {
		t.Errorf("Preparer{} prepared %v, want the birth place alone", p.ids)
	}
	has := func(m *Matcher, name string) bool {
		return slices.ContainsFunc(m.Model().Comparisons, func(c ComparisonModel) bool { return c.Name == name })
	}
	m, err := Train(context.Background(), recs, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if !has(m, "attr:birth_place") || has(m, "attr:occupation") || has(m, "attr:note") {
		t.Errorf("default comparisons of records with a birth place: %v", m.Model().Comparisons)
	}
	ps := m.PrepareAll(recs)
	same, _ := m.Score(ps[0], ps[1])      // person 0
	namesake, _ := m.Score(ps[0], ps[24]) // person 12: the same names, another birth place
	if same < 0.5 || namesake >= 0.5 {
		t.Errorf("same person %.3f, namesake %.3f", same, namesake)
	}
	// Explicit comparisons are kept as given.
	m2, err := Train(context.Background(), recs, Settings{Comparisons: DefaultComparisons()})
	if err != nil {
		t.Fatal(err)
	}
	if has(m2, "attr:birth_place") {
		t.Errorf("explicit comparisons gained the birth place")
	}
	for _, r := range recs {
		delete(r.Attrs, "birth_place")
	}
	m3, err := Train(context.Background(), recs, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if has(m3, "attr:birth_place") {
		t.Errorf("a birth place compared on records without one")
	}
}

// TestBirthPlaceBlocking checks the birth-place blocking rules: a key for
// a record with a birth place and a name, none without one.
func TestBirthPlaceBlocking(t *testing.T) {
	r := person("1", "anna", "smith", "", "", "")
	bare := Preparer{}.Prepare(r)
	r.Attrs = map[string]string{"birth_place": "Leeds"}
	with := Preparer{}.Prepare(r)
	found := 0
	for _, rule := range DefaultBlockingRules() {
		if !strings.HasSuffix(rule.Name, "+birth_place") {
			continue
		}
		found++
		if keys := rule.Keys(with, nil); len(keys) != 1 || !strings.HasSuffix(keys[0], "|leeds") {
			t.Errorf("%s: keys %q for a record born in Leeds", rule.Name, keys)
		}
		if keys := rule.Keys(bare, nil); len(keys) != 0 {
			t.Errorf("%s: keys %q for a record with no birth place", rule.Name, keys)
		}
	}
	if found != 2 {
		t.Errorf("%d birth-place rules, want 2", found)
	}
}
