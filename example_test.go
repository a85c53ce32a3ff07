package unify_test

import (
	"context"
	"fmt"
	"time"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

// exampleEngine resolves five people, each written by a CRM and a web shop.
func exampleEngine(ctx context.Context) (*unify.Engine, error) {
	n := profile.NewNormalizer(profile.Options{DefaultRegion: "GB"})
	record := func(source, key string, values map[profile.Field]string) *profile.Record {
		r := &profile.Record{Source: source, Key: key}
		for f, v := range values {
			_ = n.Set(r, f, v) // a bad value keeps its raw text and is left out of matching
		}
		return r
	}
	e, err := unify.New(ctx, unify.Options{Now: func() time.Time { return exampleNow }})
	if err != nil {
		return nil, err
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
			return nil, err
		}
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		return nil, err
	}
	return e, nil
}

var exampleNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Build records from raw values with a Normalizer, resolve them into
// profiles, and look one up from any of its source records.
func Example() {
	ctx := context.Background()
	e, err := exampleEngine(ctx)
	if err != nil {
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

// Add the purchases of the web shop's customers, then find the best of them
// with a rule segment over a view of every profile, streamed.
func ExampleEngine_EachView() {
	ctx := context.Background()
	e, err := exampleEngine(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, spend := range []float64{900, 40, 1250, 0, 310} {
		if spend == 0 {
			continue
		}
		// Purchases hang off the shop's records; the views see them on the
		// profiles those records belong to.
		ev := profile.Event{Record: profile.Ref{Source: "shop", Key: fmt.Sprint("U", i)}, Type: profile.Purchase,
			Time: exampleNow.AddDate(0, 0, -10*(i+1)), Amount: spend, Currency: "GBP"}
		if err := e.AddEvents(ctx, ev); err != nil {
			fmt.Println(err)
			return
		}
	}
	big, err := segment.New("big_spenders", `total_spend >= 500 and last_purchase within 90d`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for v, err := range e.EachView(ctx, segment.RFMOptions{}, segment.TierOptions{VIP: 0.25, High: 0.5}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if big.Match(v) {
			name, _ := v.Profile.Get(profile.FieldFullName)
			fmt.Printf("%s: spend %.0f, tier %s, %s\n", name.Value, v.Agg.Spend, v.Tier, v.RFM.Segment)
		}
	}
	// Output:
	// Robert Tasker: spend 900, tier high, Potential Loyalist
	// Anika Sharma: spend 1250, tier vip, At Risk
}
