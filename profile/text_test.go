package profile

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"pgregory.net/rapid"
)

func TestTextNormalizer(t *testing.T) {
	tests := []struct {
		name, in, norm, key string
	}{
		{"ascii clean", "john smith", "john smith", "john smith"},
		{"ascii spaces", "  John \t  SMITH\n", "John SMITH", "john smith"},
		{"control chars", "a\x00b\x7fc", "a b c", "a b c"},
		{"punctuation", "St. John's-Wood, (London)", "St. John's-Wood, (London)", "st johns wood london"},
		{"only punctuation", " -?- ", "-?-", ""},
		{"NFC acute", "José", "José", "jose"},
		{"NFD acute", "Jose\u0301", "José", "jose"},
		{"upper acute", "JOSÉ", "JOSÉ", "jose"},
		{"polish", "Łukasz Żółć-Błaszczykowski", "Łukasz Żółć-Błaszczykowski", "lukasz zolc blaszczykowski"},
		{"german sharp s", "Straße", "Straße", "strasse"},
		{"german capital sharp s", "STRAẞE", "STRAẞE", "strasse"},
		{"danish", "Søren Kierkegaard Æbeltoft", "Søren Kierkegaard Æbeltoft", "soren kierkegaard aebeltoft"},
		{"icelandic", "Þórður Guðjónsson", "Þórður Guðjónsson", "thordur gudjonsson"},
		{"french ligature", "Œuvre", "Œuvre", "oeuvre"},
		{"croatian", "Đorđe", "Đorđe", "dorde"},
		{"turkish dotless and dotted", "Işıl İnce", "Işıl İnce", "isil ince"},
		{"maltese", "Ħamrun", "Ħamrun", "hamrun"},
		{"cyrillic folded not transliterated", "ИВАН Петров", "ИВАН Петров", "иван петров"},
		{"cyrillic yo folds to ye", "Фёдор", "Фёдор", "федор"},
		{"cyrillic short i kept", "Андрей", "Андрей", "андрей"},
		{"greek accents and final sigma", "Οδυσσέας ΕΛΥΤΗΣ", "Οδυσσέας ΕΛΥΤΗΣ", "οδυσσεασ ελυτησ"},
		{"cjk intact", "王小明", "王小明", "王小明"},
		{"japanese voiced kana kept", "がくせい", "がくせい", "がくせい"},
		{"halfwidth katakana NFKC", "ｶﾀｶﾅ", "カタカナ", "カタカナ"},
		{"fullwidth latin NFKC", "ＪＯＨＮ", "JOHN", "john"},
		{"ligature fi", "ﬁnn", "finn", "finn"},
		{"nbsp and ideographic space", "a\u00a0b\u3000c", "a b c", "a b c"},
		{"soft hyphen and zero width", "Jo\u00adhn\u200b Smith\ufeff", "John Smith", "john smith"},
		{"curly apostrophe", "O’Neil", "O’Neil", "oneil"},
		{"ascii apostrophe", "O'Neil", "O'Neil", "oneil"},
		{"catalan middle dot", "Col·legi", "Col·legi", "collegi"},
		{"invalid utf8", "a\xffb", "a\ufffdb", "a b"},
		{"digits kept", "Flat 3B, 12-14", "Flat 3B, 12-14", "flat 3b 12 14"},
		{"superscript digit", "x²", "x2", "x2"},
		{"devanagari marks kept", "हिन्दी", "हिन्दी", "हिन्दी"},
		{"empty", "", "", ""},
	}
	var tn TextNormalizer
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tn.Norm(tt.in); got != tt.norm {
				t.Errorf("Norm(%q) = %q, want %q", tt.in, got, tt.norm)
			}
			if got := tn.Key(tt.in); got != tt.key {
				t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.key)
			}
			txt := tn.Text(tt.in)
			if txt.Raw != tt.in || txt.Norm != tt.norm {
				t.Errorf("Text(%q) = %+v", tt.in, txt)
			}
			if txt.Norm != "" && txt.Key != tt.key {
				t.Errorf("Text(%q).Key = %q, want %q", tt.in, txt.Key, tt.key)
			}
		})
	}
}

// anyString draws strings rich in the characters normalization cares about.
func anyString() *rapid.Generator[string] {
	pieces := []string{
		"a", "Z", " ", "  ", "\t", "\n", "'", "’", "-", ".", ",", "é", "e\u0301", "\u0301", "ß", "ẞ",
		"Ł", "ø", "Æ", "œ", "þ", "ı", "İ", "ё", "Й", "й", "Σ", "ς", "ά", "王", "が", "ｶ", "ﬁ", "²",
		"\u00a0", "\u00ad", "\u200b", "\ufeff", "\u00a8", "\u00b4", "\x00", "\xff", "·", "ǅ", "Ⅻ",
		"0", "9", "@", "ŀ", "\u0308", "\u3000", "ॐ", "ि",
	}
	return rapid.Custom(func(t *rapid.T) string {
		if rapid.Bool().Draw(t, "plain") {
			return rapid.String().Draw(t, "s")
		}
		parts := rapid.SliceOfN(rapid.SampledFrom(pieces), 0, 12).Draw(t, "parts")
		return strings.Join(parts, "")
	})
}

func TestTextProperties(t *testing.T) {
	var tn TextNormalizer
	rapid.Check(t, func(t *rapid.T) {
		s := anyString().Draw(t, "s")
		n, k := tn.Norm(s), tn.Key(s)
		if n2 := tn.Norm(n); n2 != n {
			t.Fatalf("Norm not idempotent: %q -> %q -> %q", s, n, n2)
		}
		if k2 := tn.Key(k); k2 != k {
			t.Fatalf("Key not idempotent: %q -> %q -> %q", s, k, k2)
		}
		if kn := tn.Key(n); kn != k {
			t.Fatalf("Key(Norm(s)) = %q, Key(s) = %q for %q", kn, k, s)
		}
		if !utf8.ValidString(n) || !utf8.ValidString(k) {
			t.Fatalf("invalid UTF-8 out of %q: %q %q", s, n, k)
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("Norm %q of %q has stray spaces", n, s)
		}
		if strings.HasPrefix(k, " ") || strings.HasSuffix(k, " ") || strings.Contains(k, "  ") {
			t.Fatalf("Key %q of %q has stray spaces", k, s)
		}
		for i := 0; i < len(k); i++ {
			if k[i] >= 'A' && k[i] <= 'Z' {
				t.Fatalf("Key %q of %q has upper-case ASCII", k, s)
			}
		}
	})
}

// The ASCII fast paths must be pure optimizations: the same results as the
// Unicode paths for every ASCII input.
func TestTextASCIIFastPathMatchesUnicode(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := asciiString().Draw(t, "s")
		if !isASCII(s) {
			t.Fatalf("generator made non-ASCII %q", s)
		}
		if f, u := cleanASCII(s), cleanUnicode(s); f != u {
			t.Fatalf("Norm fast %q != unicode %q for %q", f, u, s)
		}
		if f, u := keyASCII(s), keyUnicode(s); f != u {
			t.Fatalf("Key fast %q != unicode %q for %q", f, u, s)
		}
		if f, u := IdentifierValue(s), identifierUnicode(s); f != u {
			t.Fatalf("IdentifierValue fast %q != unicode %q for %q", f, u, s)
		}
	})
}

// asciiString draws ASCII strings, often made of the characters that
// normalization treats specially.
func asciiString() *rapid.Generator[string] {
	all := &unicode.RangeTable{R16: []unicode.Range16{{Lo: 0, Hi: 0x7f, Stride: 1}}}
	special := []rune(" \t\n\r\x00\x7f'`-.,;:@+aAzZ09 ")
	return rapid.OneOf(
		rapid.StringOf(rapid.RuneFrom(nil, all)),
		rapid.StringOf(rapid.RuneFrom(special)),
	)
}

func TestTextCleanASCIIDoesNotAllocate(t *testing.T) {
	var tn TextNormalizer
	for _, s := range []string{"john smith", "tullaroop street", "4011", "19081209"} {
		if n := testing.AllocsPerRun(100, func() { _ = tn.Text(s) }); n != 0 {
			t.Errorf("Text(%q) allocates %v times, want 0", s, n)
		}
	}
}

// The Latin fast paths are pure optimizations of the full Unicode paths.
func TestTextLatinFastPathMatchesUnicode(t *testing.T) {
	latin := &unicode.RangeTable{R16: []unicode.Range16{{Lo: 0, Hi: latinLimit - 1, Stride: 1}}}
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(
			rapid.StringOf(rapid.RuneFrom(nil, latin)),
			rapid.StringOf(rapid.RuneFrom([]rune(" \t'’-.aZéÉßŁłøØæœÆĳŉſ¼²µ\u00a0\u00ad\u0085´¨ªǅǈ"))),
		).Draw(t, "s")
		if k, ok := keyLatin(s); ok {
			if u := keyUnicode(s); k != u {
				t.Fatalf("Key of %q: Latin path %q, Unicode path %q", s, k, u)
			}
		}
		if latinStable(s) {
			if f, u := cleanASCII(s), cleanUnicode(s); f != u {
				t.Fatalf("Norm of %q: Latin path %q, Unicode path %q", s, f, u)
			}
		}
	})
}

func TestLatinTableCoversAccentedLetters(t *testing.T) {
	for _, r := range "àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÉÑÖÜßłŁøØæÆœŒđĐħıİśźżŻčšžřůőűğşţ" {
		if latinTable[r].kind != latinLetter || !latinTable[r].stable {
			t.Errorf("%q is not on the Latin fast path: %+v", r, latinTable[r])
		}
	}
}
