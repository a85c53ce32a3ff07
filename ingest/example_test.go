package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/unifyhq/unify/ingest"
)

// Reading a CSV export with no hand-written mapping: the header is
// auto-mapped, a row without a key is rejected (and reading goes on), and
// an impossible birth date is kept raw with a warning.
func ExampleSource() {
	export := `Customer ID, First Name, Surname, E-mail, DOB, Segment
C1, Ann, Lee, ann.lee@acme.io, 1980-03-12, gold
, Bob, Ray, bob@acme.io, 1975-01-01, silver
C3, Cy, Ng, cy@acme.io, 1990-02-30, bronze
`
	src, err := ingest.NewSource(strings.NewReader(export), ingest.Mapping{Source: "crm"}, ingest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for rec, err := range src.Records(context.Background()) {
		var rej *ingest.Reject
		if errors.As(err, &rej) {
			fmt.Println("rejected:", rej)
			continue
		}
		if err != nil {
			fmt.Println("stopped:", err)
			return
		}
		fmt.Printf("%s: %s %s <%s> born %q (raw %q) segment=%s\n", rec.Ref(), rec.Name.Given.Norm, rec.Name.Family.Norm,
			rec.Emails[0].Address, rec.BirthDate.Date.String(), rec.BirthDate.Raw, rec.Attrs["segment"])
	}
	rep := src.Report()
	fmt.Printf("%d read = %d accepted + %d rejected; %d warning\n", rep.RowsRead, rep.Accepted, rep.Rejected, rep.Warnings)
	fmt.Println(rep.WarningDetails[0])
	// Output:
	// crm/C1: Ann Lee <ann.lee@acme.io> born "1980-03-12" (raw "1980-03-12") segment=gold
	// rejected: ingest: crm line 3 column "Customer ID": missing record key
	// crm/C3: Cy Ng <cy@acme.io> born "" (raw "1990-02-30") segment=bronze
	// 3 read = 2 accepted + 1 rejected; 1 warning
	// ingest: crm line 4 column "DOB": birth_date "1990-02-30": invalid date: day 30 is past the end of February 1990
}

// The mapping a header gets, to review before a first import. Unrecognised
// columns are kept as attributes and marked unmapped.
func ExampleAutoMapping() {
	header := []string{"cust_no", "Vorname", "Nachname", "billing_zip", "mobile", "phone_2", "last_modified", "cluster"}
	_, cols, err := ingest.AutoMapping("shop", header)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cols {
		fmt.Printf("%-13s %-8s %-12s %s\n", c.Name, c.Role, c.Field, c.How)
	}
	// Output:
	// cust_no       key                   auto
	// Vorname       field    given_name   auto
	// Nachname      field    family_name  auto
	// billing_zip   field    postcode     auto
	// mobile        field    phone        auto
	// phone_2       field    phone        auto
	// last_modified observed              auto
	// cluster       field    attr:cluster unmapped
}

// A mapping saved as JSON, as a command line tool would keep it.
func ExampleParseMapping() {
	m, err := ingest.ParseMapping(strings.NewReader(`{
		"source": "loyalty",
		"key": "Card No",
		"columns": {"Card No 2": "id:loyalty", "Tier": "attr:tier"},
		"ignore": ["internal_flag"],
		"date_order": "MDY",
		"default_region": "US"
	}`))
	fmt.Println(m.Source, m.Key, m.Columns["Tier"], m.DateOrder, m.DefaultRegion, err)
	// Output: loyalty Card No attr:tier MDY US <nil>
}

// Purchases and interactions hang off records by (source, record key).
func ExampleEventSource() {
	orders := `order_id,customer_id,total,currency,created_at,channel
o-1,C1,"1,234.50",EUR,2024-03-15 14:30:00,web
o-2,C1,-20.00,EUR,2024-03-20,store
o-3,C3,a lot,EUR,2024-03-21,web
`
	src, err := ingest.NewEventSource(strings.NewReader(orders), ingest.EventMapping{Name: "orders", Source: "crm"}, ingest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for ev, err := range src.Events(context.Background()) {
		if err != nil {
			fmt.Println("rejected:", err)
			continue
		}
		fmt.Println(ev.Record, ev.Type, ev.OrderID, ev.Amount, ev.Currency, ev.Time.Format("2006-01-02 15:04"), ev.Channel)
	}
	// Output:
	// crm/C1 purchase o-1 1234.5 EUR 2024-03-15 14:30 web
	// crm/C1 return o-2 20 EUR 2024-03-20 00:00 store
	// rejected: ingest: orders line 4 column "total": unreadable amount: "a lot": unexpected text before the number
}

// Saving rejects for whoever owns the source.
func ExampleRejectWriter() {
	src, _ := ingest.NewSource(strings.NewReader("id,email\n1,a@acme.io\n1,b@acme.io\n2,x,y\n"), ingest.Mapping{Source: "web"}, ingest.Options{})
	rw := ingest.NewRejectWriter(os.Stdout, ingest.RejectsCSV)
	for _, err := range src.Records(context.Background()) {
		if rw.WriteError(err) {
			continue
		}
	}
	if err := rw.Flush(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// kind,source,line,offset,column,field,key,reason,raw,raw_truncated
	// reject,web,3,21,id,,1,"ingest: duplicate record key ""1""","1,b@acme.io",false
	// reject,web,4,33,,,,"ingest: wrong column count: 3 fields, header has 2","2,x,y",false
}

func ExampleParseAmount() {
	for _, s := range []string{"12.50", "1,234.50", "€12,50", "(3.00)", "12.50 GBP"} {
		v, cur, err := ingest.ParseAmount(s, false)
		fmt.Println(v, cur, err)
	}
	// Output:
	// 12.5  <nil>
	// 1234.5  <nil>
	// 12.5 EUR <nil>
	// -3  <nil>
	// 12.5 GBP <nil>
}
