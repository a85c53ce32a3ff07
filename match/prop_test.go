package match

import (
	"strings"
	"testing"

	"github.com/antzucaro/matchr"
	"pgregory.net/rapid"
)

// TestPhoneticCodesFit checks that the fixed-size phonetic codes hold
// matchr's codes whole: Double Metaphone's at most 4 bytes, NYSIIS's at
// most 6, never a zero byte.
func TestPhoneticCodesFit(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		name := rapid.OneOf(rapid.String(), rapid.StringMatching(`[a-zà-ÿ' -]{0,40}`)).Draw(t, "name")
		s := strings.ReplaceAll(name, " ", "")
		dm1, dm2 := matchr.DoubleMetaphone(s)
		ph := phoneticOf(name)
		if got := code(ph.dm1[:]); got != dm1 {
			t.Fatalf("dm1 %q, packed %q", dm1, got)
		}
		if got := code(ph.dm2[:]); got != dm2 {
			t.Fatalf("dm2 %q, packed %q", dm2, got)
		}
		if ny, got := matchr.NYSIIS(s), code(ph.nysiis[:]); got != ny {
			t.Fatalf("nysiis %q, packed %q", ny, got)
		}
	})
}
