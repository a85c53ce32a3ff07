package merge

import (
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"

	"github.com/unifyhq/unify/profile"
)

// idEncoding writes IDs in lower-case base32 without padding: short, safe in
// URLs and file names, and unambiguous to read aloud.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// ProfileID returns the ID a new profile gets from its anchor record (its
// smallest member ref): "p_" and 16 base32 characters of a SHA-256 hash of
// the salt and the ref (80 bits, so a collision among a billion profiles has
// odds below 1 in 10^6). A batch run therefore gives the same IDs whatever
// order the records came in, and two runs over the same data agree.
//
// In the rare case the ID is taken, the Graph takes ProfileID with a
// counter (see the package documentation, "Stable profile IDs").
func ProfileID(salt string, anchor profile.Ref) string { return deriveID(salt, anchor, 0) }

func deriveID(salt string, anchor profile.Ref, k int) string {
	h := sha256.New()
	for _, part := range []string{salt, anchor.Source, anchor.Key} {
		h.Write([]byte(strconv.Itoa(len(part)))) // length-prefixed: no ambiguity
		h.Write([]byte{':'})
		h.Write([]byte(part))
	}
	if k > 0 {
		h.Write([]byte("#" + strconv.Itoa(k)))
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	var b strings.Builder
	b.Grow(18)
	b.WriteString("p_")
	b.WriteString(idEncoding.EncodeToString(sum[:10]))
	return b.String()
}
