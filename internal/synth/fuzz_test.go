package synth

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// osa is the optimal-string-alignment edit distance over runes: insertions,
// deletions, substitutions and adjacent transpositions cost 1.
func osa(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// FuzzTypo: a typo is exactly one keyboard edit (edit distance 1 by an
// independent computation), keeps valid UTF-8 valid, and never panics.
func FuzzTypo(f *testing.F) {
	for _, s := range []string{"Smith", "Müller", "王伟", "ab", "a", "", "O'Brien", "José Luis", "ll", "\xff\xfe"} {
		f.Add(s, uint64(1))
	}
	f.Fuzz(func(t *testing.T, s string, seed uint64) {
		r := rand.New(rand.NewPCG(seed, 1))
		out, ok := typo(r, s)
		if !ok {
			if out != s {
				t.Fatalf("typo(%q) reported no change but returned %q", s, out)
			}
			return
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("typo(%q) = %q: invalid UTF-8", s, out)
		}
		if utf8.ValidString(s) {
			if d := osa(s, out); d != 1 {
				t.Fatalf("typo(%q) = %q: edit distance %d, want 1", s, out, d)
			}
		}
	})
}

// FuzzFold compares fold with golang.org/x/text (NFD, drop nonspacing
// marks, NFC) on letters that decompose, and checks idempotence and that
// non-Latin text passes through.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"José", "Müller", "Łódź", "Nguyễn Văn Minh", "Straße", "Ørsted", "Иванов", "plain", "Ærø"} {
		f.Add(s)
	}
	strip := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		out, _ := fold(s, nil)
		if again, changed := fold(out, nil); changed || again != out {
			t.Fatalf("fold not idempotent: %q -> %q -> %q", s, out, again)
		}
		for _, c := range out {
			if _, ok := foldTable[c]; ok {
				t.Fatalf("fold(%q) = %q still has %q", s, out, c)
			}
		}
		// Second implementation, on inputs of ASCII and letters whose
		// decomposition is an ASCII base plus marks.
		for _, c := range s {
			if c >= 0x80 {
				d := norm.NFD.String(string(c))
				if d == string(c) || d[0] >= 0x80 {
					return
				}
				for _, m := range d[1:] {
					if !unicode.Is(unicode.Mn, m) {
						return
					}
				}
			}
		}
		want, _, err := transform.String(strip, s)
		if err == nil && want != out {
			t.Fatalf("fold(%q) = %q, x/text gives %q", s, out, want)
		}
	})
}

// FuzzAppendJSONString compares the hand-written JSON string encoder with
// encoding/json: both must decode to the same string.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `quo"te`, "back\\slash", "new\nline", "\x00\x1f", "王伟", "\xff", "a\u2028b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(enc, &got); err != nil {
			t.Fatalf("appendJSONString(%q) = %s: %v", s, enc, err)
		}
		ref, _ := json.Marshal(s)
		var want string
		if err := json.Unmarshal(ref, &want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("appendJSONString(%q) decodes to %q, encoding/json round trip gives %q", s, got, want)
		}
	})
}

// canonicalEmail is an independent statement of provider equivalence:
// case-insensitive, and for gmail dots and +tags in the local part ignored
// and googlemail.com the same as gmail.com.
func canonicalEmail(e string) string {
	e = strings.ToLower(e)
	at := strings.LastIndex(e, "@")
	local, domain := e[:at], e[at+1:]
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		if i := strings.Index(local, "+"); i >= 0 {
			local = local[:i]
		}
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain
}

// FuzzEmailVariant: a provider variant is the same mailbox.
func FuzzEmailVariant(f *testing.F) {
	f.Add("john.smith", 0, uint64(1))
	f.Add("jsmith85", 1, uint64(2))
	f.Add("a.b.c", 2, uint64(3))
	domains := []string{"gmail.com", "googlemail.com", "yahoo.com", "gmx.de", "outlook.com"}
	f.Fuzz(func(t *testing.T, local string, d int, seed uint64) {
		local = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' {
				return r
			}
			return -1
		}, local)
		local = strings.Trim(local, ".")
		if local == "" || strings.Contains(local, "..") {
			return
		}
		e := local + "@" + domains[(d%len(domains)+len(domains))%len(domains)]
		v, ok := emailVariant(rand.New(rand.NewPCG(seed, 2)), e)
		if !ok {
			return
		}
		if canonicalEmail(v) != canonicalEmail(e) {
			t.Fatalf("emailVariant(%q) = %q, a different mailbox", e, v)
		}
	})
}

// FuzzEmailTypo: typos never panic, keep UTF-8 valid and change the address.
func FuzzEmailTypo(f *testing.F) {
	f.Add("john.smith@gmail.com", uint64(1))
	f.Add("@", uint64(2))
	f.Add("no-at-sign", uint64(3))
	f.Fuzz(func(t *testing.T, e string, seed uint64) {
		out, ok := emailTypo(rand.New(rand.NewPCG(seed, 3)), e)
		if ok == (out == e) {
			t.Fatalf("emailTypo(%q) = %q, changed=%v", e, out, ok)
		}
		if utf8.ValidString(e) && !utf8.ValidString(out) {
			t.Fatalf("emailTypo(%q) = %q: invalid UTF-8", e, out)
		}
	})
}

// FuzzParseFlags: String and ParseFlags are inverse; junk input is an error,
// never a panic.
func FuzzParseFlags(f *testing.F) {
	f.Add("typo_name|missing", uint64(5))
	f.Add("nope", uint64(0))
	f.Add("", uint64(1<<40))
	f.Fuzz(func(t *testing.T, s string, bits uint64) {
		fl := Flags(bits) & (flagEnd - 1)
		back, err := ParseFlags(fl.String())
		if err != nil || back != fl {
			t.Fatalf("ParseFlags(%q) = %v, %v; want %v", fl.String(), back, err, fl)
		}
		got, err := ParseFlags(s)
		if err == nil && got.String() != s && !strings.Contains(s, "||") {
			// Repeated or reordered names parse; they print canonically.
			if again, err2 := ParseFlags(got.String()); err2 != nil || again != got {
				t.Fatalf("ParseFlags(%q) = %v, which does not round-trip", s, got)
			}
		}
		if err != nil && !errors.Is(err, ErrUnknownFlag) {
			t.Fatalf("ParseFlags(%q) error %v does not wrap ErrUnknownFlag", s, err)
		}
	})
}

// FuzzDates: swaps and typos always yield real dates, not in the future,
// and report change correctly.
func FuzzDates(f *testing.F) {
	f.Add(int64(0), uint64(1))
	f.Add(int64(-500_000_000), uint64(2))
	now := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, sec int64, seed uint64) {
		d := time.Unix(sec%2_000_000_000, 0).UTC()
		d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		if d.After(now) || d.Year() < 1910 {
			return
		}
		if s, ok := swapDayMonth(d); ok != !s.Equal(d) || ok && (s.Day() != int(d.Month()) || int(s.Month()) != d.Day()) {
			t.Fatalf("swapDayMonth(%v) = %v, %v", d, s, ok)
		}
		s, ok := dateTypo(rand.New(rand.NewPCG(seed, 4)), d, now)
		if ok == s.Equal(d) || s.After(now) || s.Hour() != 0 {
			t.Fatalf("dateTypo(%v) = %v, %v", d, s, ok)
		}
	})
}

// FuzzCSVRow compares the hand-written CSV encoder with encoding/csv,
// byte for byte, and checks that encoding/csv reads the fields back.
func FuzzCSVRow(f *testing.F) {
	for _, s := range []string{"a|b|c", " lead|x", `q"uote|,comma`, "new\nline|cr\r", `\.`, "|", "\u3000wide|é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fields := strings.Split(s, "|")
		var want bytes.Buffer
		cw := csv.NewWriter(&want)
		if err := cw.Write(fields); err != nil {
			t.Skip(err)
		}
		cw.Flush()
		got := appendCSVRow(nil, fields)
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("row %q: got %q, encoding/csv wrote %q", fields, got, want.Bytes())
		}
		if !utf8.ValidString(s) || strings.ContainsRune(s, '\r') {
			return // encoding/csv reads CR differently; bytes already match
		}
		back, err := csv.NewReader(bytes.NewReader(got)).Read()
		if err == nil && (len(back) != len(fields) || strings.Join(back, "|") != s) && !(len(fields) == 1 && fields[0] == "") {
			t.Fatalf("row %q read back as %q", fields, back)
		}
	})
}
