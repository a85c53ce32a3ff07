package match

import (
	"math"
	"testing"
	"unicode/utf8"

	"github.com/antzucaro/matchr"
	"pgregory.net/rapid"
)

// nameLike draws short strings over a small alphabet (so similar strings are
// common) that mixes ASCII, digits and non-ASCII letters.
func nameLike() *rapid.Generator[string] {
	alphabet := []rune("abcdeiklmnorst019éøßжяя中文")
	return rapid.Custom(func(t *rapid.T) string {
		rs := rapid.SliceOfN(rapid.SampledFrom(alphabet), 0, 12).Draw(t, "runes")
		return string(rs)
	})
}

func TestJaroWinklerMatchesMatchr(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := nameLike().Draw(t, "a")
		b := nameLike().Draw(t, "b")
		got := JaroWinkler(a, b)
		want := matchr.JaroWinkler(a, b, false)
		if a == b && a != "" {
			want = 1 // matchr computes 1 too, up to rounding; we short-cut
		}
		if math.Abs(got-want) > 1e-9 {
			t.Fatalf("JaroWinkler(%q, %q) = %v, matchr = %v", a, b, got, want)
		}
	})
}

func TestJaroWinklerProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.String().Draw(t, "a")
		b := rapid.String().Draw(t, "b")
		ab, ba := JaroWinkler(a, b), JaroWinkler(b, a)
		if ab < 0 || ab > 1 || math.IsNaN(ab) {
			t.Fatalf("JaroWinkler(%q, %q) = %v, outside [0,1]", a, b, ab)
		}
		if math.Abs(ab-ba) > 1e-12 {
			t.Fatalf("not symmetric: %v vs %v for %q, %q", ab, ba, a, b)
		}
		if a != "" && JaroWinkler(a, a) != 1 {
			t.Fatalf("JaroWinkler(%q, itself) != 1", a)
		}
	})
}

// refOSA is a plain full-matrix optimal string alignment distance, the
// textbook recurrence, used as a second implementation.
func refOSA(a, b string) int {
	s, t := []rune(a), []rune(b)
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(t)]
}

func TestOSAMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := nameLike().Draw(t, "a")
		b := nameLike().Draw(t, "b")
		got, want := OSA(a, b), refOSA(a, b)
		if got != want {
			t.Fatalf("OSA(%q, %q) = %d, reference %d", a, b, got, want)
		}
		if got != OSA(b, a) {
			t.Fatalf("OSA not symmetric for %q, %q", a, b)
		}
		// Without a transposition at the start, matchr agrees.
		ra, rb := []rune(a), []rune(b)
		if len(ra) < 2 || len(rb) < 2 || !(ra[0] == rb[1] && ra[1] == rb[0]) {
			if m := matchr.OSA(a, b); m != got && !hasInnerTransposition(ra, rb) {
				t.Fatalf("OSA(%q, %q) = %d, matchr %d", a, b, got, m)
			}
		}
	})
}

// hasInnerTransposition reports whether the matchr off-by-one (it only
// considers transpositions from the third code point on) could matter.
func hasInnerTransposition(a, b []rune) bool {
	for i := 0; i+1 < len(a); i++ {
		for j := 0; j+1 < len(b); j++ {
			if a[i] == b[j+1] && a[i+1] == b[j] && (i < 2 || j < 2) {
				return true
			}
		}
	}
	return false
}

func TestWithinOSAMatchesOSA(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := nameLike().Draw(t, "a")
		b := nameLike().Draw(t, "b")
		k := rapid.IntRange(0, 4).Draw(t, "k")
		if got, want := WithinOSA(a, b, k), OSA(a, b) <= k; got != want {
			t.Fatalf("WithinOSA(%q, %q, %d) = %v, OSA = %d", a, b, k, got, OSA(a, b))
		}
	})
}

func TestStringSimilarityTable(t *testing.T) {
	tests := []struct {
		a, b string
		jw   float64 // -1: skip
		osa  int
	}{
		{"martha", "marhta", 0.9611111111, 1},
		{"dixon", "dicksonx", 0.8133333333, 4},
		{"jones", "johnson", 0.8323809524, 4},
		{"", "", 0, 0},
		{"abc", "", 0, 3},
		{"josé", "jose", -1, 1},
		{"łukasz", "lukasz", -1, 1},
		{"иванов", "иваноф", -1, 1},
		{"ab", "ba", -1, 1},
	}
	for _, tt := range tests {
		if tt.jw >= 0 {
			if got := JaroWinkler(tt.a, tt.b); math.Abs(got-tt.jw) > 1e-9 {
				t.Errorf("JaroWinkler(%q, %q) = %.10f, want %.10f", tt.a, tt.b, got, tt.jw)
			}
		}
		if got := OSA(tt.a, tt.b); got != tt.osa {
			t.Errorf("OSA(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.osa)
		}
	}
}

func TestStringSimilarityLongInputs(t *testing.T) {
	a := string(make([]rune, 0)) + "ä" + string(make([]byte, 0))
	for len([]rune(a)) < 100 {
		a += "abcé"
	}
	b := a[:len(a)-1] + "x"
	if !utf8.ValidString(a) {
		t.Fatal("bad fixture")
	}
	if got, want := JaroWinkler(a, b), matchr.JaroWinkler(a, b, false); math.Abs(got-want) > 1e-9 {
		t.Errorf("long JaroWinkler = %v, matchr %v", got, want)
	}
	if got, want := OSA(a, b), refOSA(a, b); got != want {
		t.Errorf("long OSA = %d, reference %d", got, want)
	}
}

func TestStringSimilarityAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation allocates")
	}
	allocs := testing.AllocsPerRun(100, func() {
		JaroWinkler("christopher", "kristofer")
		JaroWinkler("zoë", "zoe")
		OSA("catherine", "kathryn")
		OSA("müller", "mueller")
	})
	if allocs != 0 {
		t.Errorf("string similarity allocates %v times per run, want 0", allocs)
	}
}

func BenchmarkJaroWinklerASCII(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		JaroWinkler("christopher", "kristofer")
	}
}

func BenchmarkJaroWinklerUnicode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		JaroWinkler("małgorzata", "malgorzata")
	}
}

func BenchmarkMatchrJaroWinkler(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		matchr.JaroWinkler("christopher", "kristofer", false)
	}
}

func BenchmarkOSA(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		OSA("catherine", "kathryn")
	}
}

func TestJaroWinklerBound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := nameLike().Draw(t, "a")
		b := nameLike().Draw(t, "b")
		jw := JaroWinkler(a, b)
		if bound := jwBound(a, b); bound < jw-1e-12 {
			t.Fatalf("bound %v below JaroWinkler %v for %q, %q", bound, jw, a, b)
		}
		th := rapid.Float64Range(0, 1).Draw(t, "t")
		if got := jaroWinklerAtLeast(a, b, th); got != (jw >= th) {
			t.Fatalf("jaroWinklerAtLeast(%q, %q, %v) = %v, JaroWinkler = %v", a, b, th, got, jw)
		}
	})
}
