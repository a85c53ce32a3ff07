package ingest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestKeyGuessedFromIdentifierLikeName(t *testing.T) {
	tests := []struct {
		header string
		key    string // "" means no key can be found
	}{
		{"ticket_id,contact_name,contact_email", "ticket_id"},
		{"loyalty_no,name,phone,store_id", "loyalty_no"},
		{"name,subscriber_id,email", "subscriber_id"},
		{"DeviceId,login_email", "DeviceId"},
		// A column that names a field is that field (Mailchimp's export).
		{"Email Address,First Name,Phone Number,Subscriber No", "Subscriber No"},
		{"Email Address,First Name,Phone Number", ""},
		// Beside an "id", an account_id is a reference (Salesforce).
		{"AccountId,Id,FirstName", "Id"},
		{"customer_id,id,name", "id"},
		{"customer_id,name", "customer_id"},
		// A person's own identifier is a field: duplicates share it.
		{"Name,Email,Tax ID", ""},
		{"Passport Number,name", ""},
		{"name,ssn,member_no", "member_no"},
		{"NHS Number,Driver License Number,name", ""},
		{"paid,name", ""},
		{"name,city", ""},
	}
	for _, tt := range tests {
		in := tt.header + "\n" + strings.Repeat("x,", strings.Count(tt.header, ",")) + "y\n"
		src, err := NewSource(strings.NewReader(in), Mapping{Source: "s"}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var fatal error
		for _, err := range src.Records(context.Background()) {
			if err != nil {
				fatal = err
			}
		}
		rep := src.Report()
		got := ""
		for _, c := range rep.Columns {
			if c.Role == RoleKey {
				got = c.Name
				if c.Note == "" && !slices.Contains(keyAliases, NormalizeHeader(c.Name)) {
					t.Errorf("%q: a guessed key column carries no note", tt.header)
				}
			}
		}
		if got != tt.key {
			t.Errorf("%q: key column %q, want %q", tt.header, got, tt.key)
		}
		if tt.key == "" && !errors.Is(fatal, ErrMapping) {
			t.Errorf("%q: want ErrMapping, got %v", tt.header, fatal)
		}
	}
}

func TestNoKeyIsErrNoKey(t *testing.T) {
	src, err := NewSource(strings.NewReader("name,city\na,b\n"), Mapping{Source: "s"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var fatal error
	for _, err := range src.Records(context.Background()) {
		if err != nil {
			fatal = err
		}
	}
	if !errors.Is(fatal, ErrNoKey) || !errors.Is(fatal, ErrMapping) {
		t.Fatalf("no key column: %v, want ErrNoKey wrapping ErrMapping", fatal)
	}
}

func TestEventCurrency(t *testing.T) {
	tests := []struct {
		cur, want string
		bad       bool
	}{
		{"aud", "AUD", false},
		{" GBP ", "GBP", false},
		{"€", "EUR", false},
		{"AU$", "", true},
		{"$", "", true},
		{"dollars", "", true},
		{"12", "", true},
	}
	for _, tt := range tests {
		in := "customer_id,type,time,amount,currency\nc1,purchase,2026-01-02,12.50," + tt.cur + "\n"
		src, err := NewEventSource(strings.NewReader(in), EventMapping{Source: "shop"}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for ev, err := range src.Events(context.Background()) {
			switch {
			case tt.bad && !errors.Is(err, ErrBadCurrency):
				t.Errorf("currency %q: %v, want ErrBadCurrency", tt.cur, err)
			case !tt.bad && err != nil:
				t.Errorf("currency %q: %v", tt.cur, err)
			case !tt.bad && ev.Currency != tt.want:
				t.Errorf("currency %q read as %q, want %q", tt.cur, ev.Currency, tt.want)
			}
		}
	}
}
