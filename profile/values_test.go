package profile

import (
	"errors"
	"testing"
)

func TestParseGender(t *testing.T) {
	for in, want := range map[string]string{
		"M": "m", "male": "m", "Man": "m", "1": "m", "männlich": "m", "F": "f", "Female": "f", "woman": "f",
		"2": "f", "W": "f", "weiblich": "f", "mujer": "f", "X": "x", "non-binary": "x", "Non Binary": "x",
		"nonbinary": "x", "Other": "x", "divers": "x", "  f ": "f",
	} {
		got, err := ParseGender(in)
		if err != nil || got.Norm != want || got.Key != want || got.Raw != in {
			t.Errorf("ParseGender(%q) = %+v, %v; want %q", in, got, err, want)
		}
	}
	got, err := ParseGender("banana")
	if !errors.Is(err, ErrInvalidGender) || !errors.Is(err, ErrInvalid) || got.Norm != "" || got.Raw != "banana" {
		t.Errorf("ParseGender(banana) = %+v, %v", got, err)
	}
}

func TestParseConsent(t *testing.T) {
	for in, want := range map[string]bool{
		"yes": true, "Y": true, "TRUE": true, "1": true, "opt-in": true, "Opted In": true, "subscribed": true,
		"granted": true, "no": false, "N": false, "false": false, "0": false, "opt-out": false, "OPTOUT": false,
		"unsubscribed": false, "withdrawn": false, "declined": false,
	} {
		c, err := ParseConsent("email", in)
		if err != nil || !c.Known || c.Granted != want || c.Raw != in || c.Purpose != "email" {
			t.Errorf("ParseConsent(%q) = %+v, %v; want granted=%v", in, c, err, want)
		}
	}
	for _, in := range []string{"maybe", "", "-"} {
		c, err := ParseConsent("sms", in)
		if !errors.Is(err, ErrInvalidConsent) || c.Known || c.Raw != in {
			t.Errorf("ParseConsent(%q) = %+v, %v", in, c, err)
		}
	}
}

func TestIdentifierValue(t *testing.T) {
	for in, want := range map[string]string{
		"AB-123 456": "ab123456", "ab123456": "ab123456", " 6988048 ": "6988048", "X/12.3": "x/12.3",
		"ＡＢ－１２３": "ab123", "AB\u2013123": "ab123", "ÄB 12": "äb12", "a\tb": "ab",
	} {
		if got := IdentifierValue(in); got != want {
			t.Errorf("IdentifierValue(%q) = %q, want %q", in, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = IdentifierValue("6988048") }); n != 0 {
		t.Errorf("clean identifier allocates %v times", n)
	}
}
