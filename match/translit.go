package match

import (
	"strings"
	"unicode/utf8"
)

// Names written in Cyrillic or Greek by one source and in Latin letters by
// another ("Екатерина" and "Ekaterina", "Γιώργος" and "Giorgos") share no
// letter, so no string comparison sees them as one name. compareName
// transliterates the non-Latin side when the two are in different scripts
// and compares again. The tables follow the common romanizations (BGN/PCGN
// for Russian and Ukrainian, ELOT 743 for Greek) without diacritics; where
// sources romanize a letter several ways (й as "y", "i" or "j"), the
// Jaro-Winkler levels absorb the difference.

// translitPairs are Greek letter pairs romanized as one sound.
var translitPairs = map[string]string{
	"ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "υι": "yi",
	"μπ": "mp", "ντ": "nt", "γγ": "ng", "γκ": "gk", "τσ": "ts", "τζ": "tz",
}

// translitInitial are the pairs romanized otherwise at the start of a word
// (Μπάμπης is Bampis, Ντίνος Dinos).
var translitInitial = map[string]string{"μπ": "b", "ντ": "d", "γκ": "g"}

// translitRunes maps single Cyrillic and Greek letters (lower case, as in
// keys) to Latin.
var translitRunes = map[rune]string{
	// Russian, Ukrainian, Belarusian, Bulgarian, Serbian.
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh",
	'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "u", 'ђ': "dj", 'ј': "j", 'љ': "lj",
	'њ': "nj", 'ћ': "c", 'џ': "dz",
	// Greek, with and without accents.
	'α': "a", 'ά': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'έ': "e", 'ζ': "z",
	'η': "i", 'ή': "i", 'θ': "th", 'ι': "i", 'ί': "i", 'ϊ': "i", 'ΐ': "i", 'κ': "k",
	'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'ό': "o", 'π': "p", 'ρ': "r",
	'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y", 'ύ': "y", 'ϋ': "y", 'ΰ': "y", 'φ': "f",
	'χ': "ch", 'ψ': "ps", 'ω': "o", 'ώ': "o",
}

// cyrillicOrGreek reports whether s starts with a Cyrillic or Greek letter:
// their UTF-8 lead bytes are 0xCD to 0xD4 (U+0370 to U+052F).
func cyrillicOrGreek(s string) bool { return s != "" && s[0] >= 0xCD && s[0] <= 0xD4 }

// latinASCII reports whether s starts with an ASCII letter.
func latinASCII(s string) bool {
	return s != "" && (s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z')
}

// crossScript reports whether one of a and b is written in Cyrillic or
// Greek and the other in Latin letters, and returns the first, romanized,
// with the other. ok is false otherwise, and no string is built.
func crossScript(a, b string) (romanized, latin string, ok bool) {
	switch {
	case cyrillicOrGreek(a) && latinASCII(b):
		return transliterate(a), b, true
	case cyrillicOrGreek(b) && latinASCII(a):
		return transliterate(b), a, true
	}
	return "", "", false
}

// transliterate romanizes the Cyrillic and Greek letters of a key; other
// characters are kept.
func transliterate(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if i+n < len(s) {
			_, m := utf8.DecodeRuneInString(s[i+n:])
			pair := s[i : i+n+m]
			if t, ok := translitPairs[pair]; ok {
				if u, ok := translitInitial[pair]; ok && (i == 0 || s[i-1] == ' ') {
					t = u
				}
				b.WriteString(t)
				i += n + m
				continue
			}
		}
		if t, ok := translitRunes[r]; ok {
			b.WriteString(t)
		} else {
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}
