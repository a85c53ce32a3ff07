package match

import "testing"

func TestTransliterate(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"екатерина", "ekaterina"},
		{"щукин", "shchukin"},
		{"юлия", "yuliya"},
		{"олександр", "oleksandr"},
		{"їжак", "yizhak"},
		{"παπαδόπουλος", "papadopoulos"},
		{"γιώργος", "giorgos"},
		{"αικατερίνη", "aikaterini"},
		{"μπάμπης", "bampis"},
		{"ντίνος", "dinos"},
		{"anna 7", "anna 7"},
		{"", ""},
	} {
		if got := transliterate(tt.in); got != tt.want {
			t.Errorf("transliterate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCrossScript(t *testing.T) {
	if _, _, ok := crossScript("anna", "anne"); ok {
		t.Error("two Latin names are not cross-script")
	}
	if _, _, ok := crossScript("анна", "анне"); ok {
		t.Error("two Cyrillic names are not cross-script")
	}
	if _, _, ok := crossScript("李", "li"); ok {
		t.Error("Han is not transliterated")
	}
	if x, y, ok := crossScript("anna", "анна"); !ok || x != "anna" || y != "anna" {
		t.Errorf("crossScript(anna, анна) = %q, %q, %v", x, y, ok)
	}
}
