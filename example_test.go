package unify_test

import (
	"context"
	"fmt"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/profile"
)

// Build records from raw values with a Normalizer, resolve them into
// profiles, and look one up from any of its source records.
func Example() {
	ctx := context.Background()
	n := profile.NewNormalizer(profile.Options{DefaultRegion: "GB"})
	record := func(source, key string, values map[profile.Field]string) *profile.Record {
		r := &profile.Record{Source: source, Key: key}
		for f, v := range values {
			_ = n.Set(r, f, v) // a bad value keeps its raw text and is left out of matching
		}
		return r
	}
	e, err := unify.New(ctx, unify.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	people := []struct{ given, family, email, phone, dob string }{
		{"Robert", "Tasker", "rob.tasker@mailbox.org", "07911 123456", "1968-03-02"},
		{"Margaret", "Lawson", "peggy.lawson@mailbox.org", "07922 234567", "1955-11-20"},
		{"Anika", "Sharma", "anika.s@mailbox.org", "07933 345678", "1990-01-15"},
		{"Tomasz", "Nowak", "t.nowak@mailbox.org", "07944 456789", "1983-07-07"},
		{"Chloe", "Barnett", "chloe.b@mailbox.org", "07955 567890", "1979-05-30"},
	}
	for i, p := range people {
		// The CRM has everyone; the web shop has some, written differently.
		crm := record("crm", fmt.Sprint("C", i), map[profile.Field]string{
			profile.FieldGivenName: p.given, profile.FieldFamilyName: p.family,
			profile.FieldEmail: p.email, profile.FieldPhone: p.phone, profile.FieldBirthDate: p.dob,
		})
		shop := record("shop", fmt.Sprint("U", i), map[profile.Field]string{
			profile.FieldFullName: p.given + " " + p.family, profile.FieldEmail: p.email,
			profile.FieldPhone: "+44 " + p.phone[1:],
		})
		if _, err := e.Add(ctx, crm, shop); err != nil {
			fmt.Println(err)
			return
		}
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		fmt.Println(err)
		return
	}
	p, err := e.ProfileOf(ctx, profile.Ref{Source: "shop", Key: "U0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	given, _ := p.Get(profile.FieldGivenName)
	fmt.Println(e.NumProfiles(), "profiles from", e.Len(), "records")
	fmt.Println(p.Members, given.Value, "from", given.From)
	// Output:
	// 5 profiles from 10 records
	// [crm/C0 shop/U0] Robert from crm/C0
}
