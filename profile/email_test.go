package profile

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestEmailParse(t *testing.T) {
	tests := []struct {
		in, addr, canon, canonRules string
		bad                         string // part of the error, when invalid
	}{
		{in: "John.Smith@Example.COM", addr: "john.smith@example.com"},
		{in: "  jane@example.com \n", addr: "jane@example.com"},
		{in: "mailto:jane@example.com", addr: "jane@example.com"},
		{in: "Jane Smith <Jane@Example.com>", addr: "jane@example.com"},
		{in: "J.Smith+news@GoogleMail.com", addr: "j.smith+news@googlemail.com", canonRules: "jsmith@gmail.com"},
		{in: "j.s.m.i.t.h@gmail.com", addr: "j.s.m.i.t.h@gmail.com", canonRules: "jsmith@gmail.com"},
		{in: "bob+shop@outlook.com", addr: "bob+shop@outlook.com", canonRules: "bob@outlook.com"},
		{in: "bob.smith+x@example.com", addr: "bob.smith+x@example.com", canonRules: "bob.smith+x@example.com"},
		{in: "o'neil@example.ie", addr: "o'neil@example.ie"},
		{in: "josé@exämple.de", addr: "josé@exämple.de"},
		{in: "someone@gmial.com", addr: "someone@gmial.com"}, // typo kept, not fixed
		{in: "a@b.co", addr: "a@b.co"},
		{in: "john.smith.example.com", bad: "no '@'"},
		{in: "john@smith@example.com", bad: "more than one '@'"},
		{in: "@example.com", bad: "nothing before '@'"},
		{in: "john@", bad: "nothing after '@'"},
		{in: "john@localhost", bad: "has no dot"},
		{in: "john smith@example.com", bad: "space"},
		{in: ".john@example.com", bad: "starts or ends with '.'"},
		{in: "john..smith@example.com", bad: "'..'"},
		{in: "john@example..com", bad: "empty label"},
		// Punctuation typed after the address is not part of it.
		{in: "john@example.com.", addr: "john@example.com"},
		{in: "john@example.com,", addr: "john@example.com"},
		{in: "john@.", bad: "nothing after '@'"},
		{in: "john@-example.com", bad: "starts or ends with '-'"},
		{in: "john@example.123", bad: "all digits"},
		{in: "john@[192.168.0.1]", bad: "not allowed in domain"},
		{in: `"john smith"@example.com`, bad: "not allowed in local part"},
		{in: strings.Repeat("a", 65) + "@example.com", bad: "longer than 64"},
		{in: "john@" + strings.Repeat("a", 64) + ".com", bad: "longer than 63"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			for _, rules := range []bool{false, true} {
				e, err := EmailNormalizer{ProviderRules: rules}.Parse(tt.in)
				if e.Raw != tt.in {
					t.Errorf("Raw = %q, want input", e.Raw)
				}
				if tt.bad != "" {
					if !errors.Is(err, ErrInvalidEmail) || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.bad) {
						t.Errorf("err = %v, want ErrInvalidEmail with %q", err, tt.bad)
					}
					if e.Address != "" || e.Canonical != "" {
						t.Errorf("invalid email kept a normalized form: %+v", e)
					}
					continue
				}
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				want := tt.addr
				if rules && tt.canonRules != "" {
					want = tt.canonRules
				}
				if e.Address != tt.addr || e.Canonical != want {
					t.Errorf("rules=%v: got %+v, want address %q canonical %q", rules, e, tt.addr, want)
				}
			}
		})
	}
}

// emailRE is a second, independent statement of the accepted ASCII grammar.
var emailRE = regexp.MustCompile(`^[a-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

func regexpEmailOK(a string) bool {
	if !emailRE.MatchString(a) {
		return false
	}
	local, domain, _ := strings.Cut(a, "@")
	if len(local) > 64 || len(domain) > 253 {
		return false
	}
	labels := strings.Split(domain, ".")
	for _, l := range labels {
		if len(l) > 63 {
			return false
		}
	}
	return !allDigits(labels[len(labels)-1])
}

func emailString() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.StringOf(rapid.RuneFrom([]rune("ab.@-+_'\"0 9xZ[]"))),
		rapid.Custom(func(t *rapid.T) string {
			part := rapid.StringOfN(rapid.RuneFrom([]rune("abz09.-+_!")), 0, 70, -1)
			return part.Draw(t, "local") + "@" + part.Draw(t, "d1") + rapid.SampledFrom([]string{".com", ".co.uk", ".", ".1", "", ".x-y"}).Draw(t, "tld")
		}),
	)
}

func TestEmailMatchesRegexp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := emailString().Draw(t, "email")
		lower := strings.ToLower(s)
		if strings.TrimSpace(lower) != lower || strings.ContainsAny(lower, "<>") || strings.HasPrefix(lower, "mailto:") {
			return // preprocessing differs by design
		}
		got := checkEmail(lower) == nil
		if want := regexpEmailOK(lower); got != want {
			t.Fatalf("checkEmail(%q) ok=%v, regexp ok=%v", lower, got, want)
		}
	})
}

func TestEmailProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(emailString(), rapid.String()).Draw(t, "email")
		rules := rapid.Bool().Draw(t, "rules")
		checkEmailInvariants(t, EmailNormalizer{ProviderRules: rules}, s)
	})
}

func checkEmailInvariants(t interface{ Fatalf(string, ...any) }, en EmailNormalizer, s string) {
	e, err := en.Parse(s)
	if err != nil {
		if e.Address != "" || e.Canonical != "" || !errors.Is(err, ErrInvalidEmail) {
			t.Fatalf("Parse(%q) = %+v, %v", s, e, err)
		}
		return
	}
	if strings.Count(e.Address, "@") != 1 || strings.ContainsAny(e.Address, " \t\n") {
		t.Fatalf("Parse(%q) accepted %q", s, e.Address)
	}
	again, err := en.Parse(e.Address)
	if err != nil || again.Address != e.Address || again.Canonical != e.Canonical {
		t.Fatalf("not idempotent: %q -> %+v -> %+v, %v", s, e, again, err)
	}
	c, err := en.Parse(e.Canonical)
	if err != nil || c.Canonical != e.Canonical {
		t.Fatalf("canonical %q of %q does not re-parse to itself: %+v, %v", e.Canonical, s, c, err)
	}
	// MailboxKey is the provider-rules canonical form whatever the setting,
	// and applying it twice changes nothing.
	ruled, _ := EmailNormalizer{ProviderRules: true}.Parse(s)
	if k := MailboxKey(e.Canonical); k != ruled.Canonical || MailboxKey(k) != k {
		t.Fatalf("MailboxKey(%q) = %q, provider-rules canonical %q", e.Canonical, k, ruled.Canonical)
	}
}

func TestMailboxKey(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"jane.doe+shop@gmail.com", "janedoe@gmail.com"},
		{"janedoe@googlemail.com", "janedoe@gmail.com"},
		{"jane.doe+x@outlook.com", "jane.doe@outlook.com"},
		{"jane.doe+x@example.com", "jane.doe+x@example.com"},
		{"+x@outlook.com", "+x@outlook.com"},
		{"...@gmail.com", "...@gmail.com"},
		{"no-at-sign", "no-at-sign"},
		{"", ""},
	} {
		if got := MailboxKey(tt.in); got != tt.want {
			t.Errorf("MailboxKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"john@example.com", "J.Smith+x@googlemail.com", "a@b", "@", "a@@b.c", "Jane <j@x.io>",
		"mailto:x@y.z", "x@y.123", "é@ü.de", "a..b@c.d", "\xff@x.com"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, rules bool) {
		checkEmailInvariants(t, EmailNormalizer{ProviderRules: rules}, s)
	})
}
