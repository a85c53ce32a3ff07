package merge

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/unifyhq/unify/profile"
)

// strings collects every string reachable from v, exported or not,
// following pointers, slices, maps and structs (sync.Pool internals are
// opaque and skipped; the survivor clears pooled scratch on release).
func allStrings(v any) []string {
	var out []string
	seen := map[uintptr]bool{}
	poolType := reflect.TypeOf(sync.Pool{})
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			out = append(out, v.String())
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem())
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			if v.Type() == poolType {
				return
			}
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
			if v.Kind() == reflect.Slice {
				// Also the backing array beyond len, where stale values hide.
				full := v.Slice3(0, v.Cap(), v.Cap())
				for i := v.Len(); i < v.Cap(); i++ {
					walk(full.Index(i))
				}
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(it.Key())
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(v))
	return out
}

func TestEraseLeavesNothing(t *testing.T) {
	const secretKey, secretEmail, secretName, secretRaw = "k-secret-42", "zebulon@secret.example", "Zebulon", "ZEBULON RAW"
	secret := func() *profile.Record {
		r := &profile.Record{Source: "shop", Key: secretKey, Observed: at(9)}
		r.Name.Given = profile.Text{Raw: secretRaw, Norm: secretName, Key: "zebulon"}
		r.Emails = []profile.Email{{Raw: secretEmail, Address: secretEmail, Canonical: secretEmail}}
		r.Addresses = []profile.Address{{Street: profile.Text{Raw: "1 Secret Rd", Norm: "1 Secret Rd", Key: "1 secret rd"}}}
		r.Attrs = map[string]string{"note": "secret-attr"}
		r.IDs = []profile.Identifier{{Type: "loyalty", Raw: "L-SECRET", Value: "lsecret"}}
		return r
	}()
	sref := secret.Ref()

	g := mustGraph(t, Options{})
	// Two groups; then the secret record founds a profile of its own, and a
	// rescoring makes it the only bridge between the groups: its profile ID
	// becomes an alias, derived from its ref.
	others := recs("crm/1", "crm/2", "crm/3", "web/1", "web/2", "other/1")
	for _, r := range others {
		r.Name.Given = text("Ann")
		r.Observed = at(1)
	}
	must(g.Add(others, append(dense(0.99, "crm/1", "crm/2", "crm/3"), dense(0.99, "web/1", "web/2")...)))
	must(g.Add([]*profile.Record{secret}, nil))
	must(g.SetLinks(Link{A: sref, B: ref("crm/3"), Prob: 0.97}, Link{A: sref, B: ref("web/1"), Prob: 0.97}))
	must(g.Assert(AssertNotSame(sref, ref("other/1")), AssertDetached(ref("other/1"))))
	derived := ProfileID("", sref)
	id, ok := g.Resolve(derived)
	if !ok || id == derived {
		t.Fatalf("setup: the derived ID %s should be an alias (resolves to %q, %v)", derived, id, ok)
	}
	if p, _ := g.Profile(id); len(p.Members) != 6 || !strings.Contains(strings.Join(allStrings(p), " "), secretEmail) {
		t.Fatalf("setup: want one profile of 6 with the secret's values: %+v", p)
	}

	ch, err := g.Erase(sref)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("changes: %v", ch)

	// Nothing of the record remains anywhere in the graph's memory...
	for _, s := range allStrings(g) {
		for _, bad := range []string{secretKey, secretEmail, secretName, secretRaw, "secret-attr", "lsecret", "L-SECRET", "Secret Rd", derived} {
			if strings.Contains(s, bad) {
				t.Errorf("graph still holds %q (in %q)", bad, s)
			}
		}
	}
	// ...nor in what it exports.
	var export struct {
		Profiles   []profile.Profile
		Links      [][]Link
		Assertions []Assertion
		Changes    []Change
	}
	for p := range g.Profiles() {
		export.Profiles = append(export.Profiles, p)
		for _, m := range p.Members {
			export.Links = append(export.Links, g.Links(m))
		}
	}
	export.Assertions = g.Assertions()
	export.Changes = ch
	js, err := json.Marshal(export)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{secretKey, secretEmail, secretName, "secret", derived} {
		if strings.Contains(strings.ToLower(string(js)), strings.ToLower(bad)) {
			t.Errorf("export holds %q: %s", bad, js)
		}
	}
	if _, ok := g.Resolve(derived); ok {
		t.Errorf("alias %s derived from the erased record still resolves", derived)
	}
	// It was the only bridge: the groups are apart again.
	if together(g.Clusters(), "crm/1", "web/1") {
		t.Errorf("erasing the bridge did not split: %s", show(g.Clusters()))
	}
	if g.Len() != 6 {
		t.Errorf("Len = %d, want 6", g.Len())
	}
}

// TestEraseKeepsCurrentID: when the erased record is the one a surviving
// profile's ID was derived from, the profile keeps its ID (it identifies the
// remaining records; set Options.IDSalt so IDs cannot be recomputed from
// refs).
func TestEraseKeepsCurrentID(t *testing.T) {
	g := mustGraph(t, Options{})
	must(g.Add(recs("a/1", "a/2"), []Link{lk("a/1", "a/2", 0.99)}))
	id := ProfileID("", ref("a/1"))
	must(g.Erase(ref("a/1")))
	p, ok := g.ProfileOf(ref("a/2"))
	if !ok || p.ID != id {
		t.Fatalf("profile = %+v, want ID %s", p, id)
	}
	// Its anchor moved to a remaining record, so nothing names a/1.
	for _, s := range allStrings(g) {
		if s == "1" {
			t.Errorf("graph still holds the erased key")
		}
	}
}
