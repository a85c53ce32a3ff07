package profile

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// NameParser cleans personal names and splits full names into their parts.
// The zero value is ready to use and it is safe for concurrent use.
//
// # Splitting
//
// [NameParser.Parse] reads the common Western forms:
//
//	Dr. John A. Smith Jr.      honorific Dr., given John, middle A., family Smith, suffix Jr.
//	Smith, John A.             family first when a comma follows it
//	John Smith, PhD            a comma before suffixes only does not invert
//	van der Berg, Anna         particles stay with the family name
//	Ludwig van Beethoven       ... also when the family name comes last
//	Mary-Jane O'Neil           hyphens and apostrophes stay inside a part
//	Robert "Bob" Smith         a quoted or (bracketed) nickname is left out of the parts
//
// Leading honorifics (Mr Mrs Ms Miss Mx Dr Prof Sir Dame Lord Lady Rev Fr
// and military, religious and foreign forms such as Capt, Rabbi, Herr, Mme,
// Sr, Sra) and trailing suffixes (Jr Sr II III IV PhD MD Esq and other
// post-nominals) go to their own parts; there may be several of each. The
// first remaining word is the given name, the last (with the particles van,
// von, de, da, das, dos, del, della, di, du, des, la, le, st, saint, san,
// bin, binti, ibn, al, el, ter, ten, den, der, zu, af and "y" joining two
// Spanish surnames) the family name, and anything between is middle names.
// A single word is a given name, or a family name after an honorific
// ("Mr Smith").
//
// Without a comma, a Spanish or Portuguese double surname ("José María
// García Márquez") cannot be told apart from middle names, so García lands in
// Middle; Full keeps the whole name for comparison.
//
// Chinese, Japanese and Korean names written without spaces ("王小明") are
// not split: the family/given boundary cannot be known without a surname
// dictionary, so the whole name stays in Full and the parts stay empty.
// Written with a space ("王 小明"), the first word is the family name, as
// these languages put it first.
//
// # Display casing
//
// Names written all in capitals or all in lower case ("JOHN SMITH",
// "mary-jane o'neil") get a display form (Norm) in title case: each word and
// each part after a hyphen or apostrophe starts with a capital ("Mary-Jane
// O'Neil"), "Mc" names capitalise the letter after it ("McDonald"; "Mac" is
// left alone, as in Mackay and Macy), and particles stay lower case after
// the first word ("Ludwig van Beethoven"). Names written in mixed case are
// kept as written: the source knew better ("DeVito", "MacArthur"). This
// applies to every script with case (Cyrillic "ИВАН" -> "Иван"). Keys are
// case-folded, so casing never affects comparison.
type NameParser struct{}

// Part cleans one name part (a given, middle or family name column) into a
// [Text] with display casing.
func (NameParser) Part(raw string) Text {
	n := cleanText(raw)
	if n == "" {
		return Text{Raw: raw}
	}
	return nameText(raw, n, displayName(n, true))
}

// nameText builds the Text of a name part from its cleaned form n and its
// display form. The key is that of the display form; for ASCII, where
// casing cannot change a key, it is taken from n, which is often already
// a key and then costs no allocation.
func nameText(raw, n, display string) Text {
	if isASCII(n) {
		return Text{Raw: raw, Norm: display, Key: textKey(n)}
	}
	return Text{Raw: raw, Norm: display, Key: textKey(display)}
}

// Parse splits a full name into its parts. Full holds the whole name; the
// other parts are filled as the name allows (see [NameParser]).
func (p NameParser) Parse(full string) Name {
	n := cleanText(full)
	if n == "" {
		return Name{Full: Text{Raw: full}}
	}
	recase := needsRecase(n)
	name := Name{Full: Text{Raw: full, Norm: n, Key: textKey(n)}}
	if recase {
		name.Full = nameText(full, n, titleName(n, true))
	}
	if hasCJK(n) {
		if sp := strings.IndexByte(n, ' '); sp > 0 {
			name.Family = namePart(n[:sp], false, false)
			name.Given = namePart(n[sp+1:], false, false)
		}
		return name
	}

	// A nickname written inside the name, Robert "Bob" Smith or Robert
	// (Bob) Smith, is not a part: Full keeps it.
	n = dropQuoted(n)
	var hon, suf []string
	var words []string
	if before, after, ok := strings.Cut(n, ","); ok {
		rest := splitWords(after)
		// "John Smith, Jr." and "John Smith, PhD, MD": only suffixes after
		// the comma, so the name is not inverted.
		if onlySuffixes(rest) {
			words = splitWords(before)
			suf = rest
		} else {
			family := splitWords(before)
			family, suf = trimSuffixes(family)
			given := rest
			hon, given = trimHonorifics(given)
			var suf2 []string
			given, suf2 = trimSuffixes(given)
			suf = append(suf, suf2...)
			if len(given) > 0 {
				name.Given = namePart(given[0], recase, true)
				if len(given) > 1 {
					name.Middle = namePart(strings.Join(given[1:], " "), recase, false)
				}
			}
			if len(family) > 0 {
				name.Family = namePart(strings.Join(family, " "), recase, true)
			}
			name.Honorific = honorificText(hon, recase)
			name.Suffix = suffixText(suf, recase)
			return name
		}
	} else {
		words = splitWords(n)
	}
	hon, words = trimHonorifics(words)
	var suf2 []string
	words, suf2 = trimSuffixes(words)
	suf = append(suf2, suf...)
	name.Honorific = honorificText(hon, recase)
	name.Suffix = suffixText(suf, recase)
	switch len(words) {
	case 0:
	case 1:
		if len(hon) > 0 {
			name.Family = namePart(words[0], recase, false)
		} else {
			name.Given = namePart(words[0], recase, true)
		}
	case 2:
		if isInitial(words[1]) && !isInitial(words[0]) {
			// "SMITH J", as tills and banks write names: a lone initial
			// after a word is the forename's; no surname is one letter.
			name.Given = namePart(words[1], recase, true)
			name.Family = namePart(words[0], recase, false)
			break
		}
		name.Given = namePart(words[0], recase, true)
		name.Family = namePart(words[1], recase, false)
	default:
		start := len(words) - 1
		for start > 1 && isParticle(words[start-1]) {
			start--
			// "García y López": the word before "y" is a surname too.
			if (strings.EqualFold(words[start], "y") || strings.EqualFold(words[start], "e")) && start > 1 {
				start--
			}
		}
		name.Given = namePart(words[0], recase, true)
		if start > 1 {
			name.Middle = namePart(strings.Join(words[1:start], " "), recase, false)
		}
		name.Family = namePart(strings.Join(words[start:], " "), recase, false)
	}
	return name
}

// isInitial reports whether w is one letter, with or without a full stop.
func isInitial(w string) bool {
	w = strings.TrimSuffix(w, ".")
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return n == 1
}

// dropQuoted removes words in double quotes or parentheses from a cleaned
// name, and the space around them.
func dropQuoted(s string) string {
	if !strings.ContainsAny(s, "\"(“”") {
		return s
	}
	var b strings.Builder
	depth, quoted := 0, false
	for _, r := range s {
		switch {
		case r == '(':
			depth++
			b.WriteByte(' ') // the bracket separates what is around it
			continue
		case r == ')' && depth > 0:
			depth--
			continue
		case r == '"' || r == '“' || r == '”':
			quoted = !quoted
			b.WriteByte(' ')
			continue
		}
		if depth == 0 && !quoted {
			b.WriteRune(r)
		}
	}
	if depth > 0 || quoted || strings.TrimSpace(b.String()) == "" {
		return s // unbalanced, or nothing else: keep as written
	}
	return collapseSpaces(b.String())
}

// namePart builds the Text of one part cut from a full name. Raw is the
// part as it appears in the cleaned full name.
func namePart(s string, recase, first bool) Text {
	if recase {
		return nameText(s, s, titleName(s, first))
	}
	return Text{Raw: s, Norm: s, Key: textKey(s)}
}

// splitWords splits a cleaned name into words, dropping commas.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
}

// wordKey returns the lookup key of a title word: lower case without dots.
func wordKey(w string) string { return strings.ReplaceAll(textKey(w), " ", "") }

func onlySuffixes(words []string) bool {
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if _, ok := suffixes[wordKey(w)]; !ok {
			return false
		}
	}
	return true
}

// trimHonorifics cuts leading honorifics, keeping at least one word.
func trimHonorifics(words []string) (hon, rest []string) {
	i := 0
	for i < len(words)-1 {
		if _, ok := honorifics[wordKey(words[i])]; !ok {
			break
		}
		i++
	}
	return words[:i], words[i:]
}

// trimSuffixes cuts trailing suffixes, keeping at least one word.
func trimSuffixes(words []string) (rest, suf []string) {
	j := len(words)
	for j > 1 {
		if _, ok := suffixes[wordKey(words[j-1])]; !ok {
			break
		}
		j--
	}
	return words[:j], words[j:]
}

// honorificText joins honorific words; the key uses canonical forms
// ("Doctor" and "Dr." both key as "dr").
func honorificText(words []string, recase bool) Text {
	return titleText(words, honorifics, recase, true)
}

func suffixText(words []string, recase bool) Text { return titleText(words, suffixes, recase, false) }

// titleText joins honorific or suffix words. With recase (the name was all
// upper or all lower case) the display form is the usual one: "Dr.", "Jr.",
// "PhD", "III", "MD".
func titleText(words []string, canon map[string]string, recase, honorific bool) Text {
	if len(words) == 0 {
		return Text{}
	}
	s := strings.Join(words, " ")
	keys := make([]string, len(words))
	norms := make([]string, len(words))
	for i, w := range words {
		keys[i] = canon[wordKey(w)]
		norms[i] = w
		if recase {
			norms[i] = displayTitle(w, keys[i], honorific)
		}
	}
	return Text{Raw: s, Norm: strings.Join(norms, " "), Key: strings.Join(keys, " ")}
}

// displayTitle writes an honorific or suffix word in its usual case:
// honorifics and Jr/Sr/Esq in title case, PhD as such, other post-nominals
// and numerals in capitals.
func displayTitle(w, key string, honorific bool) string {
	if honorific {
		return titleName(w, true)
	}
	switch key {
	case "jr", "sr", "esq", "ret":
		return titleName(w, true)
	case "phd":
		if strings.Contains(w, ".") {
			return titleName(w, true) // Ph.D.
		}
		return "PhD"
	}
	return strings.ToUpper(w)
}

// HonorificKey returns the canonical key of an honorific ("Doctor" and
// "Dr." give "dr") and whether s is one.
func HonorificKey(s string) (string, bool) {
	k, ok := honorifics[wordKey(s)]
	return k, ok
}

// SuffixKey returns the canonical key of a name suffix ("Junior" and "Jr."
// give "jr", "3rd" gives "iii") and whether s is one.
func SuffixKey(s string) (string, bool) {
	k, ok := suffixes[wordKey(s)]
	return k, ok
}

// honorifics maps honorific keys to canonical keys.
var honorifics = canon(
	"mr mister mr", "mrs missus mrs", "ms ms", "miss miss", "mx mx", "master master",
	"dr doctor dr", "prof professor prof", "sir sir", "dame dame", "lord lord", "lady lady",
	"rev reverend revd rev", "fr father fr", "br brother br", "sister sister", "pastor pastor",
	"rabbi rabbi", "imam imam", "sheikh sheikh", "hon honourable honorable hon", "judge judge",
	"capt captain capt", "col colonel col", "gen general gen", "lt lieutenant lt", "maj major maj",
	"sgt sergeant sgt", "cpl corporal cpl", "cmdr commander cmdr", "adm admiral adm",
	"herr herr", "frau frau", "mme madame mme", "mlle mademoiselle mlle", "m monsieur m",
	"sr senor señor sr", "sra senora señora sra", "srta senorita señorita srta", "dona dona",
	"dom dom", "sig signor sig", "sigra signora sigra",
)

// suffixes maps suffix keys to canonical keys.
var suffixes = canon(
	"jr junior jnr jr", "sr senior snr sr", "ii 2nd ii", "iii 3rd iii", "iv 4th iv",
	"phd phd", "md md", "dds dds", "dmd dmd", "do do", "dvm dvm", "esq esquire esq", "cpa cpa",
	"rn rn", "jd jd", "llb llb", "llm llm", "mba mba", "bsc bsc", "msc msc", "ma ma", "ba ba",
	"obe obe", "mbe mbe", "cbe cbe", "kbe kbe", "frcs frcs", "qc qc", "kc kc", "ret ret",
)

// canon builds a lookup from lines "form form ... canonical".
func canon(lines ...string) map[string]string {
	m := map[string]string{}
	for _, l := range lines {
		f := strings.Fields(l)
		c := f[len(f)-1]
		for _, w := range f {
			m[wordKey(w)] = c
		}
	}
	return m
}

// particles join the family name that follows them.
var particles = map[string]bool{
	"van": true, "von": true, "de": true, "da": true, "das": true, "dos": true, "del": true,
	"della": true, "delle": true, "dei": true, "degli": true, "di": true, "du": true, "des": true,
	"la": true, "le": true, "lo": true, "st": true, "ste": true, "saint": true, "san": true,
	"santa": true, "bin": true, "binti": true, "bint": true, "ibn": true, "al": true, "el": true,
	"ter": true, "ten": true, "den": true, "der": true, "zu": true, "af": true, "y": true, "e": true,
}

func isParticle(w string) bool { return particles[wordKey(w)] }

// hasCJK reports whether s has Han, kana or Hangul letters.
func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x1100 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return true
		}
	}
	return false
}

// needsRecase reports whether s has cased letters that are all upper case
// or all lower case.
func needsRecase(s string) bool {
	upper, lower := false, false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'A' && c <= 'Z':
				upper = true
			case c >= 'a' && c <= 'z':
				lower = true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.IsUpper(r) || unicode.IsTitle(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		}
	}
	return upper != lower
}

// displayName applies display casing to a cleaned name when it needs it.
func displayName(s string, first bool) string {
	if needsRecase(s) {
		return titleName(s, first)
	}
	return s
}

// lowerCasers holds Greek-aware lower casers (final sigma); a Caser keeps
// state, so each goroutine takes its own.
var lowerCasers = sync.Pool{New: func() any { c := cases.Lower(language.Und); return &c }}

// titleName title-cases a cleaned name. first says whether the name starts
// the full name (a leading particle is then capitalised).
func titleName(s string, first bool) string {
	if isASCII(s) {
		return titleNameASCII(s, first)
	}
	return titleNameUnicode(s, first)
}

// titleNameASCII is titleNameUnicode for ASCII names, in one pass and one
// allocation.
func titleNameASCII(s string, first bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i <= len(s); {
		j := i
		for j < len(s) && s[j] != ' ' {
			j++
		}
		w := s[i:j]
		if (i > 0 || !first) && isParticleASCII(w) {
			for k := 0; k < len(w); k++ {
				b.WriteByte(lowerByte(w[k]))
			}
		} else {
			up := true
			for k := 0; k < len(w); k++ {
				c := lowerByte(w[k])
				if up && c >= 'a' && c <= 'z' {
					b.WriteByte(c - 'a' + 'A')
					up = false
					continue
				}
				if up && c >= '0' && c <= '9' {
					up = false
				}
				b.WriteByte(c)
				switch {
				case c == '-' || c == '\'' || c == '.':
					up = true
				case k == 1 && c == 'c' && lowerByte(w[0]) == 'm' && len(w) > 3:
					up = true // McDonald
				}
			}
		}
		if j < len(s) {
			b.WriteByte(' ')
		}
		i = j + 1
	}
	return b.String()
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// isParticleASCII looks an ASCII word up in particles, ignoring case and a
// trailing dot, without allocating.
func isParticleASCII(w string) bool {
	w = strings.TrimSuffix(w, ".")
	var buf [8]byte
	if len(w) > len(buf) {
		return false
	}
	for k := 0; k < len(w); k++ {
		buf[k] = lowerByte(w[k])
	}
	return particles[string(buf[:len(w)])]
}

// titleNameUnicode title-cases any cleaned name.
func titleNameUnicode(s string, first bool) string {
	c := lowerCasers.Get().(*cases.Caser)
	low := c.String(s)
	lowerCasers.Put(c)
	var b strings.Builder
	b.Grow(len(low))
	for i, w := range strings.Split(low, " ") {
		if i > 0 {
			b.WriteByte(' ')
		}
		if (i > 0 || !first) && particles[strings.TrimSuffix(w, ".")] {
			b.WriteString(w)
			continue
		}
		titleWord(&b, w)
	}
	// Casing can leave letters and marks uncomposed (İ lower-cases to i and
	// a combining dot); keep Norm in the form cleanText gives.
	return norm.NFKC.String(b.String())
}

// titleWord writes a lower-case word with a capital at its start, after
// hyphens, apostrophes and dots, and after a leading "mc".
func titleWord(b *strings.Builder, w string) {
	up := true
	for i, r := range w {
		switch {
		case up && unicode.IsLetter(r):
			b.WriteRune(unicode.ToTitle(r))
			up = false
			continue
		case up && unicode.IsNumber(r):
			up = false
		}
		b.WriteRune(r)
		switch {
		case r == '-' || r == '\'' || r == '’' || r == 'ʼ' || r == '.':
			up = true
		case i == 1 && r == 'c' && w[0] == 'm' && len(w) > 3:
			up = true // McDonald
		}
	}
}
