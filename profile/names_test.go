package profile

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestNameParse(t *testing.T) {
	type parts struct{ hon, given, middle, family, suffix, full string }
	tests := []struct {
		in   string
		want parts
	}{
		{"Smith, John A.", parts{"", "John", "A.", "Smith", "", "Smith, John A."}},
		{"Dr. John A. Smith Jr.", parts{"Dr.", "John", "A.", "Smith", "Jr.", "Dr. John A. Smith Jr."}},
		{"JOHN SMITH", parts{"", "John", "", "Smith", "", "John Smith"}},
		{"john smith", parts{"", "John", "", "Smith", "", "John Smith"}},
		{"Mary-Jane O'Neil", parts{"", "Mary-Jane", "", "O'Neil", "", "Mary-Jane O'Neil"}},
		{"MARY-JANE O'NEIL", parts{"", "Mary-Jane", "", "O'Neil", "", "Mary-Jane O'Neil"}},
		{"van der Berg, Anna", parts{"", "Anna", "", "van der Berg", "", "van der Berg, Anna"}},
		{"Anna van der Berg", parts{"", "Anna", "", "van der Berg", "", "Anna van der Berg"}},
		{"ludwig van beethoven", parts{"", "Ludwig", "", "van Beethoven", "", "Ludwig van Beethoven"}},
		{"José María García Márquez", parts{"", "José", "María García", "Márquez", "", "José María García Márquez"}},
		{"García Márquez, José María", parts{"", "José", "María", "García Márquez", "", "García Márquez, José María"}},
		{"José García y López", parts{"", "José", "", "García y López", "", "José García y López"}},
		{"Rev. Dr. Martin Luther King Jr.", parts{"Rev. Dr.", "Martin", "Luther", "King", "Jr.", "Rev. Dr. Martin Luther King Jr."}},
		{"John Smith, PhD", parts{"", "John", "", "Smith", "PhD", "John Smith, PhD"}},
		{"John Smith, Jr., MD", parts{"", "John", "", "Smith", "Jr. MD", "John Smith, Jr., MD"}},
		{"Smith Jr., John", parts{"", "John", "", "Smith", "Jr.", "Smith Jr., John"}},
		{"Smith, Dr. John", parts{"Dr.", "John", "", "Smith", "", "Smith, Dr. John"}},
		{"Mr Smith", parts{"Mr", "", "", "Smith", "", "Mr Smith"}},
		{"Madonna", parts{"", "Madonna", "", "", "", "Madonna"}},
		{"SMITH J", parts{"", "J", "", "Smith", "", "Smith J"}},
		{"Smith J.", parts{"", "J.", "", "Smith", "", "Smith J."}},
		{"J Smith", parts{"", "J", "", "Smith", "", "J Smith"}},
		{"J K", parts{"", "J", "", "K", "", "J K"}},
		{"Henry VIII", parts{"", "Henry", "", "VIII", "", "Henry VIII"}},
		{"John Paul III", parts{"", "John", "", "Paul", "III", "John Paul III"}},
		{"ronald mcdonald", parts{"", "Ronald", "", "McDonald", "", "Ronald McDonald"}},
		{"ANGUS MACDONALD", parts{"", "Angus", "", "Macdonald", "", "Angus Macdonald"}},
		{"d'angelo barksdale", parts{"", "D'Angelo", "", "Barksdale", "", "D'Angelo Barksdale"}},
		{"Danny DeVito", parts{"", "Danny", "", "DeVito", "", "Danny DeVito"}},
		{"J.R.R. Tolkien", parts{"", "J.R.R.", "", "Tolkien", "", "J.R.R. Tolkien"}},
		{"ИВАН ПЕТРОВИЧ СИДОРОВ", parts{"", "Иван", "Петрович", "Сидоров", "", "Иван Петрович Сидоров"}},
		{"Łukasz Żółć", parts{"", "Łukasz", "", "Żółć", "", "Łukasz Żółć"}},
		{"ΟΔΥΣΣΕΑΣ ΕΛΥΤΗΣ", parts{"", "Οδυσσεας", "", "Ελυτης", "", "Οδυσσεας Ελυτης"}},
		{"王小明", parts{"", "", "", "", "", "王小明"}},
		{"王 小明", parts{"", "小明", "", "王", "", "王 小明"}},
		{"김민준", parts{"", "", "", "", "", "김민준"}},
		{"Ahmad bin Ismail", parts{"", "Ahmad", "", "bin Ismail", "", "Ahmad bin Ismail"}},
		{"  john   SMITH ", parts{"", "john", "", "SMITH", "", "john SMITH"}},
		{"DR. JOHN SMITH JR.", parts{"Dr.", "John", "", "Smith", "Jr.", "Dr. John Smith Jr."}},
		{"MRS JANE SMITH PHD", parts{"Mrs", "Jane", "", "Smith", "PhD", "Mrs Jane Smith Phd"}},
		{"john smith iii", parts{"", "John", "", "Smith", "III", "John Smith Iii"}},
		{"SMITH, JOHN, M.D.", parts{"", "John", "", "Smith", "M.D.", "Smith, John, M.D."}},
	}
	var p NameParser
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n := p.Parse(tt.in)
			got := parts{n.Honorific.Norm, n.Given.Norm, n.Middle.Norm, n.Family.Norm, n.Suffix.Norm, n.Full.Norm}
			if got != tt.want {
				t.Errorf("Parse(%q)\n got  %+v\n want %+v", tt.in, got, tt.want)
			}
			if n.Full.Raw != tt.in {
				t.Errorf("Full.Raw = %q, want the input", n.Full.Raw)
			}
		})
	}
}

func TestNameKeys(t *testing.T) {
	var p NameParser
	n := p.Parse("Doctor JOSÉ O'NEIL junior")
	if n.Honorific.Key != "dr" || n.Suffix.Key != "jr" || n.Given.Key != "jose" || n.Family.Key != "oneil" {
		t.Errorf("keys: %+v", n)
	}
	if k, ok := HonorificKey("Professor"); !ok || k != "prof" {
		t.Errorf("HonorificKey(Professor) = %q, %v", k, ok)
	}
	if k, ok := SuffixKey("3rd"); !ok || k != "iii" {
		t.Errorf("SuffixKey(3rd) = %q, %v", k, ok)
	}
	if _, ok := SuffixKey("Smith"); ok {
		t.Error("Smith is not a suffix")
	}
}

func TestNamePart(t *testing.T) {
	var p NameParser
	for in, want := range map[string]string{
		"waller":              "Waller",
		"SMITH":               "Smith",
		"DeVito":              "DeVito",
		"VAN DER BERG":        "Van der Berg",
		"o'neil":              "O'Neil",
		"mcdonald":            "McDonald",
		"mc":                  "Mc",
		"ΣΩΚΡΑΤΗΣ":            "Σωκρατης",
		"müller-lüdenscheidt": "Müller-Lüdenscheidt",
		"  ":                  "",
	} {
		if got := p.Part(in).Norm; got != want {
			t.Errorf("Part(%q).Norm = %q, want %q", in, got, want)
		}
	}
	if got := p.Part("ΣΩΚΡΑΤΗΣ").Norm; !strings.HasSuffix(got, "ς") {
		t.Errorf("Greek final sigma lost: %q", got)
	}
}

func TestNameProperties(t *testing.T) {
	var p NameParser
	rapid.Check(t, func(t *rapid.T) {
		s := nameString().Draw(t, "name")
		part := p.Part(s)
		if again := p.Part(part.Norm); again.Norm != part.Norm || again.Key != part.Key {
			t.Fatalf("Part not idempotent: %q -> %q -> %q", s, part.Norm, again.Norm)
		}
		if part.Key != textKey(s) {
			t.Fatalf("Part key %q != text key %q", part.Key, textKey(s))
		}
		checkNameInvariants(t, s, p.Parse(s))
		full := p.Parse(s)
		if again := p.Parse(full.Full.Norm); again.Full.Norm != full.Full.Norm {
			t.Fatalf("Full not idempotent: %q -> %q -> %q", s, full.Full.Norm, again.Full.Norm)
		}
	})
}

// checkNameInvariants checks what holds for every split: each word of each
// part comes from the full name, and nothing is invented. (Parts need not be
// contiguous in the full name: a bracketed nickname between two words of a
// part is dropped.)
func checkNameInvariants(t interface{ Fatalf(string, ...any) }, in string, n Name) {
	if n.Full.Raw != in {
		t.Fatalf("Full.Raw %q != input %q", n.Full.Raw, in)
	}
	if n.Full.Norm == "" {
		for _, x := range []Text{n.Honorific, n.Given, n.Middle, n.Family, n.Suffix} {
			if x != (Text{}) {
				t.Fatalf("empty name %q has part %+v", in, x)
			}
		}
		return
	}
	fullKey := " " + n.Full.Key + " "
	for _, x := range []Text{n.Given, n.Middle, n.Family} {
		if x.Norm == "" {
			if x.Key != "" {
				t.Fatalf("part with key but no norm: %+v", x)
			}
			continue
		}
		if x.Key != textKey(x.Norm) {
			t.Fatalf("part key %q is not the key of its norm %q", x.Key, x.Norm)
		}
		for w := range strings.SplitSeq(x.Key, " ") {
			if x.Key != "" && !strings.Contains(fullKey, " "+w+" ") {
				t.Fatalf("part %q (key %q) is not in full name %q (key %q)", x.Norm, x.Key, n.Full.Norm, n.Full.Key)
			}
		}
		if textKey(x.Norm) != textKey(x.Raw) {
			t.Fatalf("part norm %q and raw %q differ by more than case", x.Norm, x.Raw)
		}
	}
}

func nameString() *rapid.Generator[string] {
	words := []string{"John", "SMITH", "mary-jane", "O'Neil", "van", "der", "Berg", "de", "la", "y",
		"Dr.", "Mr", "Rev", "Jr.", "PhD", "III", ",", "A.", "José", "Łukasz", "ИВАН", "王", "小明",
		"Σωκράτης", "mcdonald", "e", "St", "  ", "-", "'", "bin", "Sir"}
	return rapid.OneOf(
		rapid.String(),
		rapid.Custom(func(t *rapid.T) string {
			ws := rapid.SliceOfN(rapid.SampledFrom(words), 0, 7).Draw(t, "words")
			return strings.Join(ws, rapid.SampledFrom([]string{" ", "", ", "}).Draw(t, "sep"))
		}),
	)
}

func FuzzSplitName(f *testing.F) {
	for _, s := range []string{"Smith, John A.", "Dr. John A. Smith Jr.", "JOHN SMITH", "Mary-Jane O'Neil",
		"van der Berg, Anna", "José María García Márquez", "王小明", "王 小明", ",", "Jr.", "Mr", ", Jr.",
		"Smith,", "a,b,c", "ИВАН ПЕТРОВ", "\xff\xfe", "y y y", "de la", "Mr Mrs Ms"} {
		f.Add(s)
	}
	var p NameParser
	f.Fuzz(func(t *testing.T, s string) {
		n := p.Parse(s)
		checkNameInvariants(t, s, n)
		if again := p.Parse(n.Full.Norm); again.Full.Norm != n.Full.Norm {
			t.Fatalf("Full not idempotent: %q -> %q -> %q", s, n.Full.Norm, again.Full.Norm)
		}
	})
}

// The ASCII title-casing path is a pure optimization of the Unicode one.
func TestTitleNameASCIIMatchesUnicode(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := cleanText(rapid.OneOf(asciiString(), rapid.StringOf(rapid.RuneFrom([]rune("abcmMcCvanVANde .-'0 ")))).Draw(t, "s"))
		first := rapid.Bool().Draw(t, "first")
		if a, u := titleNameASCII(s, first), titleNameUnicode(s, first); a != u {
			t.Fatalf("titleName(%q, %v): ASCII %q, Unicode %q", s, first, a, u)
		}
	})
}
