package profile

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// TextNormalizer cleans free text into a [Text]: a display form (Norm) and a
// comparison key (Key). The zero value is ready to use and it is safe for
// concurrent use.
//
// Norm is the value in Unicode NFKC, with every run of white space (and
// control characters) collapsed to one ASCII space, leading and trailing space
// trimmed, and invisible format characters (soft hyphen, zero-width space,
// byte order mark, word joiner) removed. Case is kept. Invalid UTF-8 becomes
// U+FFFD.
//
// Key is built for comparison. It is computed by the transformer chain
//
//	norm.NFKD -> cases.Fold -> strip marks after Latin and Greek letters -> norm.NFC
//
// followed by one pass that maps the Latin letters that have no
// decomposition (see below), deletes apostrophes, and turns every other
// run of characters that are not letters, digits or marks into one space.
// So "José", "JOSÉ" and NFD "José" all have the key "jose", "O’Neil" has
// "oneil" and "Mary-Jane" has "mary jane".
//
// Other scripts are kept, not transliterated: Cyrillic and Greek are case
// folded ("ИВАН" -> "иван"; Greek accents are removed and final sigma folds
// to σ), CJK is kept as written. Marks on Cyrillic letters are kept (й is a
// letter of its own), except that ё is folded to е as Russian writers do.
//
// Letters without a Unicode decomposition are mapped explicitly:
//
//	ł -> l   ø -> o   đ, ð -> d   ħ -> h   ı -> i   ŧ -> t
//	œ -> oe  æ -> ae  þ -> th     ß, ẞ -> ss (by cases.Fold)   ё -> е
//
// Apostrophes (' ’ ‘ ʼ ` and the Catalan middle dot ·) are deleted rather
// than turned into spaces, because names like O'Neil and D’Angelo are
// written with and without them.
//
// Values made only of ASCII take a fast path that gives the same result
// without the transformer chain and without allocating when the input is
// already clean.
type TextNormalizer struct{}

// Text returns raw with its display form and comparison key.
func (TextNormalizer) Text(raw string) Text {
	n := cleanText(raw)
	if n == "" {
		return Text{Raw: raw}
	}
	return Text{Raw: raw, Norm: n, Key: textKey(n)}
}

// Norm returns the display form of s (see [TextNormalizer]).
func (TextNormalizer) Norm(s string) string { return cleanText(s) }

// Key returns the comparison key of s (see [TextNormalizer]).
func (TextNormalizer) Key(s string) string { return textKey(s) }

// isASCII reports whether every byte of s is below 0x80.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cleanText returns the display form of s.
func cleanText(s string) string {
	if isASCII(s) {
		return cleanASCII(s)
	}
	if latinStable(s) {
		// Latin letters that NFKC leaves alone: only ASCII white space can
		// change, and multi-byte characters never contain ASCII bytes.
		return cleanASCII(s)
	}
	return cleanUnicode(s)
}

// asciiSpace reports whether an ASCII byte separates words in Norm: white
// space and the other control characters.
func asciiSpace(c byte) bool { return c <= ' ' || c == 0x7f }

// cleanASCII collapses white space and control characters in an ASCII string,
// returning a substring of s (no allocation) when nothing else changes.
func cleanASCII(s string) string {
	i, j := 0, len(s)
	for i < j && asciiSpace(s[i]) {
		i++
	}
	for j > i && asciiSpace(s[j-1]) {
		j--
	}
	s = s[i:j]
	clean := true
	for k := 0; k < len(s); k++ {
		if c := s[k]; asciiSpace(c) && (c != ' ' || asciiSpace(s[k+1])) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for k := 0; k < len(s); k++ {
		c := s[k]
		if asciiSpace(c) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

// invisible reports format characters that are dropped from Norm: soft
// hyphen, zero-width space, word joiner, zero-width no-break space (BOM).
// Zero-width (non-)joiners are kept: some scripts need them.
func invisible(r rune) bool {
	return r == 0xAD || r == 0x200B || r == 0x2060 || r == 0xFEFF
}

// premap turns white space and control characters into ASCII spaces and
// drops invisible format characters, before Unicode normalization.
func premap(r rune) rune {
	switch {
	case invisible(r):
		return -1
	case unicode.IsSpace(r) || unicode.IsControl(r):
		return ' '
	}
	return r
}

// cleanUnicode is the full path of cleanText.
func cleanUnicode(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(premap, s)
	s = norm.NFKC.String(s)
	// NFKC can produce new spaces (U+00A8 -> " \u0308"); re-collapse, and
	// normalize again in the rare case that removing a space let
	// characters compose, so that Norm is idempotent.
	for range 4 {
		t := collapseSpaces(strings.Map(premap, s))
		if t == s || norm.NFKC.IsNormalString(t) {
			return t
		}
		s = norm.NFKC.String(t)
	}
	return s
}

// collapseSpaces trims ASCII spaces and collapses runs of them.
func collapseSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// textKey returns the comparison key of s.
func textKey(s string) string {
	if isASCII(s) {
		return keyASCII(s)
	}
	if k, ok := keyLatin(s); ok {
		return k
	}
	return keyUnicode(s)
}

// keyASCII is the fast path of textKey for ASCII input. It returns s itself
// when s is already a key.
func keyASCII(s string) string {
	if isASCIIKey(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c == '\'' || c == '`':
			continue
		default:
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(c)
	}
	return b.String()
}

// isASCIIKey reports whether s is already an ASCII key: lower-case letters
// and digits in words separated by single spaces.
func isASCIIKey(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			continue
		}
		if c == ' ' && s[i+1] != ' ' {
			continue
		}
		return false
	}
	return true
}

// markStripper is a transform.Transformer that removes nonspacing marks
// (Unicode category Mn) following a Latin or Greek letter, so that in NFD
// text "é" loses its accent while Cyrillic "й" and Japanese "が" keep theirs.
type markStripper struct{ strip bool }

func (t *markStripper) Reset() { t.strip = false }

func (t *markStripper) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		r, size := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && size <= 1 && !atEOF && !utf8.FullRune(src[nSrc:]) {
			return nDst, nSrc, transform.ErrShortSrc
		}
		if unicode.Is(unicode.Mn, r) {
			if t.strip {
				nSrc += size
				continue
			}
		} else {
			t.strip = r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z') ||
				r >= utf8.RuneSelf && unicode.In(r, unicode.Latin, unicode.Greek)
		}
		if nDst+size > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += copy(dst[nDst:], src[nSrc:nSrc+size])
		nSrc += size
	}
	return nDst, nSrc, nil
}

// keyChains holds reusable key transformer chains: a transform.Chain and a
// cases.Caser keep state, so each goroutine takes its own.
var keyChains = sync.Pool{New: func() any {
	return transform.Chain(norm.NFKD, cases.Fold(), &markStripper{}, norm.NFC)
}}

// foldSpecial maps the letters that have no decomposition; ok is false for
// every other rune.
func foldSpecial(r rune) (string, bool) {
	switch r {
	case 'ł', 'Ł':
		return "l", true
	case 'ø', 'Ø':
		return "o", true
	case 'đ', 'Đ', 'ð', 'Ð':
		return "d", true
	case 'ħ', 'Ħ':
		return "h", true
	case 'ı':
		return "i", true
	case 'ŧ', 'Ŧ':
		return "t", true
	case 'œ', 'Œ':
		return "oe", true
	case 'æ', 'Æ':
		return "ae", true
	case 'þ', 'Þ':
		return "th", true
	case 'ё', 'Ё':
		return "е", true
	}
	return "", false
}

// isApostrophe reports characters deleted from keys instead of separating words.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '’', '‘', 'ʼ', '·':
		return true
	}
	return false
}

// keyUnicode is the full path of textKey. Case folding is not idempotent
// for a few scripts (x/text folds Cherokee U+13A0 and U+AB70 into each
// other), so the key is recomputed until it is stable; for keys that fold
// to ASCII the second round is the allocation-free ASCII check.
func keyUnicode(s string) string {
	k := keyOnce(s)
	for range 3 {
		var k2 string
		if isASCII(k) {
			k2 = keyASCII(k)
		} else {
			k2 = keyOnce(k)
		}
		if k2 == k {
			break
		}
		k = k2
	}
	return k
}

// keyOnce is one round of keyUnicode.
func keyOnce(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(premap, s)
	t := keyChains.Get().(transform.Transformer)
	t.Reset()
	folded, _, err := transform.String(t, s)
	keyChains.Put(t)
	if err != nil {
		// The chain only fails on input it cannot hold; fall back to the
		// unfolded text rather than lose the value.
		folded = s
	}
	var b strings.Builder
	b.Grow(len(folded))
	space := false
	based := false // the last rune kept a base letter or digit, so a mark may follow
	for _, r := range folded {
		switch {
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			based = true
		case unicode.IsMark(r):
			if !based {
				continue
			}
		case isApostrophe(r):
			based = false
			continue
		default:
			space = true
			based = false
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if m, ok := foldSpecial(r); ok {
			b.WriteString(m)
			continue
		}
		b.WriteRune(cherokeeFold(r))
	}
	return b.String()
}

// cherokeeFold maps small Cherokee letters to capitals. Unicode case folding
// folds Cherokee to upper case (the capitals were encoded first), but
// cases.Fold maps the capitals to small letters and back, so keys fix the
// direction themselves.
func cherokeeFold(r rune) rune {
	switch {
	case r >= 0xAB70 && r <= 0xABBF:
		return r - 0xAB70 + 0x13A0
	case r >= 0x13F8 && r <= 0x13FD:
		return r - 8
	}
	return r
}

// latinLimit bounds the Latin fast paths: Latin-1 Supplement and Latin
// Extended-A and -B, where most accented names are written.
const latinLimit = 0x250

// Kinds of characters in the Latin fast path of textKey.
const (
	latinSlow   = iota // not handled: take the full path
	latinLetter        // appends its key form
	latinSep           // separates words
	latinDelete        // dropped (apostrophes, soft hyphen)
)

type latinClass struct {
	kind   uint8
	stable bool   // NFKC and premap leave it unchanged (for Norm)
	key    string // its key form, for latinLetter
}

// latinTable describes each character below latinLimit. It is derived at
// start-up from the full path itself, by probing each character between two
// letters, so the fast paths cannot disagree with the full ones (a rapid
// property checks the assembled strings too).
var latinTable = func() (t [latinLimit]latinClass) {
	for r := rune(0); r < latinLimit; r++ {
		s := string(r)
		t[r].stable = norm.NFKC.String(s) == s && premap(r) == r
		k := keyUnicode(s)
		switch probe := keyUnicode("x" + s + "x"); probe {
		case "x" + k + "x":
			if k == "" {
				t[r].kind = latinDelete
			} else {
				t[r].kind, t[r].key = latinLetter, k
			}
		case "x x":
			t[r].kind = latinSep
		}
	}
	return t
}()

// latinStable reports whether every character of s is below latinLimit and
// left unchanged by NFKC and premap, apart from ASCII white space.
func latinStable(s string) bool {
	for _, r := range s {
		if r >= latinLimit || !latinTable[r].stable && !(r < utf8.RuneSelf && asciiSpace(byte(r))) {
			return false
		}
	}
	return true
}

// keyLatin is the fast path of textKey for text in the Latin blocks. ok is
// false when s has other characters (or invalid UTF-8, which decodes to
// U+FFFD).
func keyLatin(s string) (key string, ok bool) {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r >= latinLimit {
			return "", false
		}
		switch c := &latinTable[r]; c.kind {
		case latinLetter:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(c.key)
		case latinSep:
			space = true
		case latinDelete:
		default:
			return "", false
		}
	}
	return b.String(), true
}
