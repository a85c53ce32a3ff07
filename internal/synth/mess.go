package synth

import (
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Corruptions of single values. Each function returns the input unchanged
// (and reports false) when the corruption does not apply, so callers set a
// flag only when a value really changed. All of them keep valid UTF-8 valid.

// qwerty lists the keys next to each lower-case letter and digit on a US
// QWERTY keyboard: most substitution typos hit a neighbour.
var qwerty = [128]string{
	'q': "wa", 'w': "qeas", 'e': "wrsd", 'r': "etdf", 't': "ryfg", 'y': "tugh", 'u': "yihj", 'i': "uojk",
	'o': "ipkl", 'p': "ol", 'a': "qwsz", 's': "awedxz", 'd': "serfcx", 'f': "drtgvc", 'g': "ftyhbv",
	'h': "gyujnb", 'j': "huikmn", 'k': "jiolm", 'l': "kop", 'z': "asx", 'x': "zsdc", 'c': "xdfv", 'v': "cfgb",
	'b': "vghn", 'n': "bhjm", 'm': "njk",
	'1': "2", '2': "13", '3': "24", '4': "35", '5': "46", '6': "57", '7': "68", '8': "79", '9': "80", '0': "9",
}

// typo applies one keyboard error: a neighbour-key substitution, a
// transposition of adjacent characters, a dropped or a doubled character.
func typo(r *rand.Rand, s string) (string, bool) {
	rs := []rune(s)
	if len(rs) < 2 {
		return s, false
	}
	for range 4 {
		i := r.IntN(len(rs))
		out := append([]rune(nil), rs...)
		switch op := r.IntN(100); {
		case op < 40: // substitution
			c := rs[i]
			lc := unicode.ToLower(c)
			if lc >= 128 || qwerty[lc] == "" {
				continue
			}
			nb := rune(qwerty[lc][r.IntN(len(qwerty[lc]))])
			if unicode.IsUpper(c) {
				nb = unicode.ToUpper(nb)
			}
			out[i] = nb
		case op < 65: // transposition
			if i == len(rs)-1 {
				i--
			}
			out[i], out[i+1] = out[i+1], out[i]
		case op < 85: // drop
			if len(rs) < 3 {
				continue
			}
			out = append(out[:i], out[i+1:]...)
		default: // double
			out = append(out[:i+1], out[i:]...)
		}
		if t := string(out); t != s && strings.TrimSpace(t) != "" {
			return t, true
		}
	}
	return s, false
}

// foldTable maps accented Latin letters to ASCII; built from Unicode
// decomposition plus the letters that do not decompose (ß, æ, ø, ł, đ...).
var foldTable = func() map[rune]string {
	m := map[rune]string{
		'ß': "ss", 'ẞ': "SS", 'æ': "ae", 'Æ': "AE", 'ø': "o", 'Ø': "O", 'œ': "oe", 'Œ': "OE", 'ł': "l",
		'Ł': "L", 'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "Th", 'ı': "i", 'º': "o", 'ª': "a",
		'’': "'", 'ʼ': "'",
	}
	add := func(lo, hi rune) {
		for c := lo; c <= hi; c++ {
			if _, ok := m[c]; ok {
				continue
			}
			d := norm.NFD.String(string(c))
			var b strings.Builder
			for _, x := range d {
				if x < 128 {
					b.WriteRune(x)
				}
			}
			if b.Len() > 0 && d != string(c) {
				m[c] = b.String()
			}
		}
	}
	add(0xC0, 0x24F)
	add(0x1E00, 0x1EFF)
	return m
}()

// German and Nordic writers often transcribe rather than drop: Müller ->
// Mueller, Åsa -> Aasa.
var germanFold = map[rune]string{'ä': "ae", 'ö': "oe", 'ü': "ue", 'Ä': "Ae", 'Ö': "Oe", 'Ü': "Ue"}
var nordicFold = map[rune]string{'å': "aa", 'Å': "Aa", 'ø': "oe", 'Ø': "Oe", 'æ': "ae", 'Æ': "Ae", 'ä': "ae",
	'Ä': "Ae", 'ö': "oe", 'Ö': "Oe"}

// fold removes diacritics from Latin letters; other scripts are untouched.
// alt, when non-nil, is consulted first (transcription conventions).
func fold(s string, alt map[rune]string) (string, bool) {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	changed := false
	for _, c := range s {
		if c < 0x80 {
			b.WriteRune(c)
			continue
		}
		if t, ok := alt[c]; ok {
			b.WriteString(t)
			changed = true
			continue
		}
		if t, ok := foldTable[c]; ok {
			b.WriteString(t)
			changed = true
			continue
		}
		b.WriteRune(c)
	}
	if !changed {
		return s, false
	}
	return b.String(), true
}

// spaces adds stray whitespace: a doubled inner space, or a leading or
// trailing one.
func spaces(r *rand.Rand, s string) (string, bool) {
	if s == "" {
		return s, false
	}
	if i := strings.IndexByte(s, ' '); i > 0 && r.IntN(2) == 0 {
		return s[:i] + "  " + s[i+1:], true
	}
	if r.IntN(2) == 0 {
		return " " + s, true
	}
	return s + " ", true
}

var (
	junkNames    = []string{"n/a", "N/A", "unknown", "Unknown", "UNKNOWN", "test", "TEST", "xxx", "-", "none", "Customer", "?", "NA", "asdf", "."}
	junkEmails   = []string{"test@test.com", "noemail@noemail.com", "none@none.com", "no@email.com", "n/a", "x@x.com", "na@na.com", "abc@abc.com", "noreply@example.com", "none", "email@email.com", "unknown@unknown.com", "declined@declined.com"}
	junkPhones   = []string{"0000000000", "1234567890", "n/a", "none", "0", "-", "000000", "123456789", "unknown"}
	junkNANP     = []string{"000-000-0000", "999-999-9999", "111-111-1111", "+1 000 000 0000", "123-456-7890", "(000) 000-0000"}
	junkStreets  = []string{"unknown", "n/a", "-", "no address", "none", "TBD", "x"}
	junkPostcode = []string{"00000", "XXXXX", "n/a", "0", "99999", "-"}
	junkCities   = []string{"unknown", "n/a", "-", "none"}
	junkDates    = []time.Time{
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1901, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1111, 11, 11, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
	}
)

func pickStr(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// Common provider-domain typos, as seen in sign-up forms.
var domainTypos = map[string][]string{
	"gmail.com":   {"gmial.com", "gmal.com", "gamil.com", "gmail.co", "gmail.con", "gnail.com", "gmaill.com", "gmail.cm"},
	"hotmail.com": {"hotmial.com", "hotmal.com", "hotmail.co", "hotnail.com", "hotmail.con"},
	"yahoo.com":   {"yaho.com", "yahooo.com", "yhoo.com", "yahoo.co", "yahoo.con"},
	"outlook.com": {"outlok.com", "outloo.com", "outlook.co", "outllok.com"},
	"icloud.com":  {"iclod.com", "icloud.co", "icoud.com"},
	"aol.com":     {"aol.co", "aoll.com"},
}

// emailTypo corrupts an address: a known provider typo, a keyboard typo in
// the local part or domain, and rarely a structural slip that leaves the
// address syntactically invalid (missing @, comma for dot).
func emailTypo(r *rand.Rand, e string) (string, bool) {
	at := strings.LastIndexByte(e, '@')
	if at <= 0 {
		return typo(r, e)
	}
	local, domain := e[:at], e[at+1:]
	switch op := r.IntN(100); {
	case op < 35:
		if ts, ok := domainTypos[domain]; ok {
			return local + "@" + pickStr(r, ts), true
		}
		if d, ok := typo(r, domain); ok && strings.Contains(d, ".") {
			return local + "@" + d, true
		}
	case op < 90:
		if l, ok := typo(r, local); ok && !strings.ContainsAny(l, "@ ") {
			return l + "@" + domain, true
		}
	case op < 95:
		return local + domain, true // the @ lost
	default:
		if strings.Contains(domain, ".") {
			return local + "@" + strings.Replace(domain, ".", ",", 1), true
		}
		return local + domain, true
	}
	return e, false
}

// emailVariant writes an address in a form the provider treats as the same
// mailbox: gmail ignores dots and +tags in the local part and accepts
// googlemail.com; every provider ignores case in practice.
func emailVariant(r *rand.Rand, e string) (string, bool) {
	at := strings.LastIndexByte(e, '@')
	if at <= 0 {
		return e, false
	}
	local, domain := e[:at], e[at+1:]
	if domain == "gmail.com" || domain == "googlemail.com" {
		switch r.IntN(4) {
		case 0:
			if strings.Contains(local, ".") {
				return strings.ReplaceAll(local, ".", "") + "@" + domain, true
			}
			if len(local) > 3 {
				i := 1 + r.IntN(len(local)-2)
				if local[i-1] != '.' && local[i] != '.' {
					return local[:i] + "." + local[i:] + "@" + domain, true
				}
			}
		case 1:
			tags := []string{"shop", "news", "orders", "promo", "spam", "store"}
			return local + "+" + pickStr(r, tags) + "@" + domain, true
		case 2:
			if domain == "gmail.com" {
				return local + "@googlemail.com", true
			}
			return local + "@gmail.com", true
		}
	}
	switch r.IntN(3) {
	case 0:
		return strings.ToUpper(e), true
	default:
		return capWords(local, ".") + "@" + capFirst(domain), true
	}
}

// capWords capitalizes the first letter of each sep-separated part.
func capWords(s, sep string) string {
	parts := strings.Split(s, sep)
	for i, p := range parts {
		parts[i] = capFirst(p)
	}
	return strings.Join(parts, sep)
}

// transposeDigits exchanges two adjacent, different digits.
func transposeDigits(r *rand.Rand, s string) (string, bool) {
	b := []byte(s)
	var cand [32]int
	n := 0
	for i := 0; i+1 < len(b) && n < len(cand); i++ {
		if isDigit(b[i]) && isDigit(b[i+1]) && b[i] != b[i+1] {
			cand[n] = i
			n++
		}
	}
	if n == 0 {
		return s, false
	}
	i := cand[r.IntN(n)]
	b[i], b[i+1] = b[i+1], b[i]
	return string(b), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// swapDayMonth exchanges day and month when both are at most 12 and differ,
// so the result is another real date: the error an MM/DD vs DD/MM mix-up
// makes, and one no validator can catch.
func swapDayMonth(d time.Time) (time.Time, bool) {
	if d.Day() > 12 || d.Day() == int(d.Month()) {
		return d, false
	}
	return time.Date(d.Year(), time.Month(d.Day()), int(d.Month()), 0, 0, 0, 0, time.UTC), true
}

// dateTypo mistypes a date and keeps it a real date not after now: swapped
// year digits (1985 -> 1958), swapped day digits (12 -> 21), an off-by-one
// day, or a neighbour-key digit in the year.
func dateTypo(r *rand.Rand, d, now time.Time) (time.Time, bool) {
	y, m, day := d.Date()
	for range 4 {
		var t time.Time
		switch r.IntN(4) {
		case 0:
			if y%10 == (y/10)%10 {
				continue
			}
			t = time.Date(y-y%100+(y%10)*10+(y/10)%10, m, day, 0, 0, 0, 0, time.UTC)
		case 1:
			if day < 10 || day%10 == day/10 || (day%10)*10+day/10 > 28 {
				continue
			}
			t = time.Date(y, m, (day%10)*10+day/10, 0, 0, 0, 0, time.UTC)
		case 2:
			t = d.AddDate(0, 0, 1-2*r.IntN(2))
		default:
			k := qwerty['0'+y%10]
			nd := int(k[r.IntN(len(k))] - '0')
			t = time.Date(y-y%10+nd, m, day, 0, 0, 0, 0, time.UTC)
		}
		if !t.Equal(d) && t.Before(now) && t.Year() > 1900 {
			return t, true
		}
	}
	return d, false
}

// initial returns the first letter of a name, with a dot half the time.
func initial(r *rand.Rand, s string) string {
	_, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	if r.IntN(2) == 0 {
		return s[:n] + "."
	}
	return s[:n]
}

// asciiLocal reduces a name to lower-case ASCII letters and digits for an
// email local part; "" when nothing ASCII remains (a name in Han script).
func asciiLocal(s string) string {
	f, _ := fold(s, nil)
	b := make([]byte, 0, len(f))
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+32)
		}
	}
	return string(b)
}
