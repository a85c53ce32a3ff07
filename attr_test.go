package unify

import (
	"context"
	"fmt"
	"testing"

	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/profile"
)

// TestEngineComparesAttrs checks Options.Match.Attrs through the engine,
// whose records are packed, and that an engine opened on the same store
// without the option compares the attributes its stored model does.
func TestEngineComparesAttrs(t *testing.T) {
	ctx := context.Background()
	rec := func(person, n int) *profile.Record {
		norm := profile.NewNormalizer(profile.Options{})
		r := &profile.Record{Source: "crm", Key: fmt.Sprintf("%d-%d", person, n)}
		for f, v := range map[profile.Field]string{
			profile.FieldGivenName:  []string{"Anna", "Ben", "Carl", "Dora"}[person%4],
			profile.FieldFamilyName: []string{"Smith", "Jones", "Brown"}[person/4%3],
			"attr:birth_place":      fmt.Sprintf("%c%cton", 'B'+person%20, 'a'+person/20%20),
		} {
			if err := norm.Set(r, f, v); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	var recs []*profile.Record
	for p := range 240 {
		recs = append(recs, rec(p, 0), rec(p, 1))
	}
	store := NewMemoryStore()
	e, err := New(ctx, Options{Store: store, Match: match.Settings{Attrs: []string{"birth_place"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, true); err != nil {
		t.Fatal(err)
	}
	same := func(e *Engine, a, b string) bool {
		t.Helper()
		x, err := e.ProfileIDOf(ctx, profile.Ref{Source: "crm", Key: a})
		if err != nil {
			t.Fatal(err)
		}
		y, err := e.ProfileIDOf(ctx, profile.Ref{Source: "crm", Key: b})
		if err != nil {
			t.Fatal(err)
		}
		return x == y
	}
	for p := 0; p+12 < 240; p += 7 {
		if !same(e, fmt.Sprintf("%d-0", p), fmt.Sprintf("%d-1", p)) {
			t.Errorf("person %d's records are apart", p)
		}
		if same(e, fmt.Sprintf("%d-0", p), fmt.Sprintf("%d-0", p+12)) {
			t.Errorf("namesakes %d and %d (another birth place) are one profile", p, p+12)
		}
	}
	if err := e.Close(ctx); err != nil {
		t.Fatal(err)
	}

	// Reopened without the option: the stored model still compares the
	// birth place, so a third record joins its own person only.
	e2, err := New(ctx, Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e2.Add(ctx, rec(30, 2)); err != nil {
		t.Fatal(err)
	}
	if !same(e2, "30-2", "30-0") || same(e2, "30-2", "42-0") {
		t.Errorf("a new record of person 30 joined: own profile %v, namesake's %v", same(e2, "30-2", "30-0"), same(e2, "30-2", "42-0"))
	}
}
