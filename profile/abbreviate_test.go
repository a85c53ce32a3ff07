package profile

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// abbreviateKeyTwoPass is abbreviateKey as it was written first: a pass to
// find whether any word changes, then one to rewrite. It is kept as the
// oracle of the single pass.
func abbreviateKeyTwoPass(key string, table map[string]string, street bool) string {
	changed := false
	prev, lead := "", true
	for w := range strings.SplitSeq(key, " ") {
		if a, ok := table[w]; ok && a != w {
			changed = true
			break
		}
		if street {
			if _, _, ok := compoundType(w); ok {
				changed = true
				break
			}
			if len(prev) == 1 && (dottedWord(prev, w) != "" || lead && typeLetter(prev) != "") {
				changed = true
				break
			}
			lead = lead && (prev == "" || hasDigit(prev))
		}
		prev = w
	}
	if !changed {
		return key
	}
	var b strings.Builder
	b.Grow(len(key) + 4)
	words := strings.Split(key, " ")
	lead = true
	for i := 0; i < len(words); i++ {
		w := words[i]
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if a, ok := table[w]; ok {
			w = a
		} else if street {
			if len(w) == 1 && i+1 < len(words) {
				if a := dottedWord(w, words[i+1]); a != "" {
					b.WriteString(a)
					i++
					lead = false
					continue
				}
				if a := typeLetter(w); a != "" && lead {
					w = a
				}
			}
			if stem, typ, ok := compoundType(w); ok {
				b.WriteString(stem)
				b.WriteByte(' ')
				w = typ
			}
		}
		lead = lead && hasDigit(words[i])
		b.WriteString(w)
	}
	return b.String()
}
func TestAbbreviateKeyAgreesWithTwoPasses(t *testing.T) {
	words := []string{"12", "4b", "c", "r", "v", "p", "za", "zza", "so", "le", "go", "gartenstrasse", "gartenstr",
		"str", "storgatan", "allee", "bldg", "flat", "avda", "de", "la", "mayor", "st", "saint", "street", "unit",
		"丁目", "sakae", "camino", "x", "a"}
	rapid.Check(t, func(t *rapid.T) {
		key := strings.Join(rapid.SliceOfN(rapid.SampledFrom(words), 0, 8).Draw(t, "words"), " ")
		for _, street := range []bool{true, false} {
			table := streetWords
			if !street {
				table = localityWords
			}
			if got, want := abbreviateKey(key, table, street), abbreviateKeyTwoPass(key, table, street); got != want {
				t.Fatalf("abbreviateKey(%q, street %v) = %q, two passes %q", key, street, got, want)
			}
		}
	})
}

func TestAbbreviateKeyUnchangedAllocatesNothing(t *testing.T) {
	for _, key := range []string{"12 main st", "via roma 22", "", "garten st 23"} {
		if n := testing.AllocsPerRun(100, func() { _ = abbreviateKey(key, streetWords, true) }); n != 0 {
			t.Errorf("abbreviateKey(%q) allocates %v times; its key is already abbreviated", key, n)
		}
	}
}
