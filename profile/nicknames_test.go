package profile

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestDefaultNicknames(t *testing.T) {
	nk := DefaultNicknames()
	if nk.Len() < 500 {
		t.Errorf("default table has %d canonical names, want several hundred", nk.Len())
	}
	tests := []struct {
		name string
		want []string
	}{
		{"bob", []string{"robert"}},
		{"robert", []string{"robert"}},
		{"liz", []string{"elisabeth", "elizabeth"}},
		{"bill", []string{"wilbur", "willard", "william"}},
		{"peggy", []string{"margaret"}},
		{"alex", []string{"alejandro", "alexander", "alexandra", "alexandre", "alexis"}},
		{"chris", []string{"christian", "christina", "christine", "christoph", "christophe", "christopher", "kristen", "kristina", "kristopher"}},
		{"pat", []string{"martha", "pascal", "patrice", "patricia", "patrick"}},
		{"zzyzx", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := nk.Canonical(tt.name); !slices.Equal(got, tt.want) {
			t.Errorf("Canonical(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	equiv := []struct {
		a, b string
		want bool
	}{
		{"bob", "robert", true},
		{"bob", "rob", true},
		{"peggy", "maggie", true},
		{"alex", "alexandra", true},
		{"alexander", "alexandra", false},
		{"teresa", "terence", false},
		{"robert", "barbara", false},
		{"john", "jonathan", false},
		{"jack", "john", true},
		{"smith", "smith", true},
		{"", "", false},
		{"bob", "bill", false},
		// Other languages (nicknames_intl.txt).
		{"kuba", "jakub", true},
		{"goska", "malgorzata", true},
		{"gosia", "goska", true},
		{"nacho", "ignacio", true},
		{"katya", "ekaterina", true},
		{"katya", "yekaterina", true},
		{"катя", "екатерина", true},
		{"beppe", "giuseppe", true},
		{"sepp", "josef", true},
		{"kees", "cornelis", true},
		{"Γιώργος", "γεώργιος", true},
		{"Józek", "józef", true},
		{"katya", "катя", false}, // no transliteration across scripts
		{"kuba", "jan", false},
	}
	for _, tt := range equiv {
		// Keys, as the matcher passes them: Greek keys lose their accents.
		if got := nk.Equivalent(textKey(tt.a), textKey(tt.b)); got != tt.want {
			t.Errorf("Equivalent(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestNicknamesLookupDoesNotAllocate(t *testing.T) {
	nk := DefaultNicknames()
	if n := testing.AllocsPerRun(100, func() {
		_ = nk.Canonical("bob")
		_ = nk.Equivalent("bob", "robert")
	}); n != 0 {
		t.Errorf("lookups allocate %v times", n)
	}
}

func TestParseNicknames(t *testing.T) {
	nk, err := ParseNicknames(strings.NewReader("# c\n\nRobert: Bob, BOBBY,\nJOSÉ: Pepe\n"))
	if err != nil {
		t.Fatal(err)
	}
	if nk.Len() != 2 || !nk.Equivalent("bobby", "robert") || !slices.Equal(nk.Canonical("pepe"), []string{"jose"}) {
		t.Errorf("table: %+v", nk.canon)
	}
	for _, bad := range []string{"robert bob", ": bob", "robert: bob, ---"} {
		_, err := ParseNicknames(strings.NewReader("# ok\n" + bad + "\n"))
		if err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("ParseNicknames(%q) error = %v, want one naming line 2", bad, err)
		}
	}
	if _, err := ParseNicknames(errReader{}); err == nil {
		t.Error("read error not reported")
	}
	var nilTable *Nicknames
	if nilTable.Canonical("bob") != nil || nilTable.Len() != 0 || nilTable.Equivalent("bob", "robert") {
		t.Error("nil table should know nothing")
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("boom") }

// Equivalence is symmetric and reflexive for known names, and every key the
// table returns is a canonical name that maps to itself.
func TestNicknamesProperties(t *testing.T) {
	nk := DefaultNicknames()
	keys := make([]string, 0, len(nk.canon))
	for k := range nk.canon {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.SampledFrom(keys).Draw(t, "a")
		b := rapid.SampledFrom(keys).Draw(t, "b")
		if nk.Equivalent(a, b) != nk.Equivalent(b, a) {
			t.Fatalf("Equivalent(%q, %q) not symmetric", a, b)
		}
		if !nk.Equivalent(a, a) {
			t.Fatalf("%q not equivalent to itself", a)
		}
		for _, c := range nk.Canonical(a) {
			if !slices.Contains(nk.Canonical(c), c) {
				t.Fatalf("canonical %q of %q is not canonical itself", c, a)
			}
			if !nk.Equivalent(a, c) {
				t.Fatalf("%q not equivalent to its canonical %q", a, c)
			}
		}
		if !slices.IsSorted(nk.Canonical(a)) {
			t.Fatalf("Canonical(%q) not sorted", a)
		}
	})
}
