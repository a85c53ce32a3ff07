// Command quickstart is a tour of unify on the customer data of a small
// retailer, Harbour & Pine: five systems that were never joined up (a CRM,
// a web shop, a support desk, a newsletter tool and web analytics) become
// one single customer view.
//
//	go run ./examples/quickstart          # a readable tour
//	go run ./examples/quickstart -json    # the same results as JSON
//
// It reads the files in data/ (embedded, so it runs from any directory),
// reports what each file gave, resolves the records into profiles and
// measures them against the answer key data/truth.csv, shows a few
// customers' single views with provenance and timelines, explains a match,
// a non-match and a wrong merge that a data steward corrects, and segments
// the customers. The data is a snapshot taken on 2026-11-20, so that is
// "now", and the output is the same on every run.
package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
	_ "time/tzdata" // the shop's time zone, on machines without a zone database

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

//go:embed data
var data embed.FS

// now is the data's reference date: every aggregate, window and segment
// is computed as of it.
var now = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// shopZone is the retailer's home time zone, in which the tour shows times
// and the engagement report counts busy hours.
var shopZone = mustLoadLocation("Australia/Sydney")

func main() {
	err := run(context.Background(), os.Stdout, os.Args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run is the whole program, callable from a test.
func run(ctx context.Context, stdout io.Writer, args []string) error {
	fl := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fl.SetOutput(stdout)
	asJSON := fl.Bool("json", false, "print the results as JSON instead of text")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fl.Arg(0))
	}
	res, err := tour(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return printText(stdout, res)
}

// result is everything the tour found, printed as text or as JSON.
type result struct {
	Now          time.Time       `json:"now"`
	Feeds        []*feed         `json:"feeds"`
	Records      int             `json:"records"`
	Sources      int             `json:"sources"`
	Quality      *quality        `json:"quality"`
	Customers    []*customer     `json:"customers"`
	Explanations []*explained    `json:"explanations"`
	Correction   *correction     `json:"correction"`
	Segments     []segmentResult `json:"segments"`
	RFM          []rfmCount      `json:"rfm"`
	Engagement   *segment.Report `json:"engagement"`
	Profiles     []*profileView  `json:"profiles"`
}

// tour runs the whole pipeline on the sample data.
func tour(ctx context.Context) (*result, error) {
	res := &result{Now: now}

	// 1. Ingest: read every file, keeping an account of every row.
	recFeeds, err := loadRecords(ctx, data)
	if err != nil {
		return nil, err
	}
	var recs []*profile.Record
	known := map[profile.Ref]bool{}
	for _, f := range recFeeds {
		recs = append(recs, f.records...)
		for _, r := range f.records {
			known[r.Ref()] = true
		}
	}
	evFeeds, err := loadEvents(ctx, data, known)
	if err != nil {
		return nil, err
	}
	res.Feeds = append(recFeeds, evFeeds...)
	res.Records, res.Sources = len(recs), len(recFeeds)

	// 2. Resolve: add every record, then match them all in one batch. The
	// engine trains its match model on these records: no labels needed.
	e, err := newEngine(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := e.Add(ctx, recs...); err != nil {
		return nil, err
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		return nil, err
	}
	for _, f := range evFeeds {
		if err := e.AddEvents(ctx, f.events...); err != nil {
			return nil, err
		}
	}
	if res.Quality, err = measure(ctx, e); err != nil {
		return nil, err
	}

	// 3. Single customer views. Segments need the whole population (value
	// tiers and RFM rank customers against each other), so build it first.
	views, err := e.Views(ctx, segment.RFMOptions{}, segment.TierOptions{})
	if err != nil {
		return nil, err
	}
	if res.Customers, err = customers(ctx, e, views); err != nil {
		return nil, err
	}

	// 4. Why two records are, or are not, one person; and a wrong merge
	// that a data steward corrects.
	if res.Explanations, err = explain(ctx, e); err != nil {
		return nil, err
	}
	if res.Correction, err = correct(ctx, e); err != nil {
		return nil, err
	}

	// 5. Segments and RFM over the corrected population.
	if views, err = e.Views(ctx, segment.RFMOptions{}, segment.TierOptions{}); err != nil {
		return nil, err
	}
	res.Segments, res.RFM = evaluate(views), rfmCounts(views)
	res.Profiles = profileViews(views)

	// 6. The engagement report, overall and per segment.
	res.Engagement = segment.Engagement(views, segments...)
	return res, nil
}

// newEngine builds the engine: default matching, the data's "now", spend
// reported in Australian dollars and busy hours counted in Sydney time.
func newEngine(ctx context.Context) (*unify.Engine, error) {
	return unify.New(ctx, unify.Options{
		Segments: segments,
		// A customer has one current postal address: the one the most
		// recently updated record gives. (Emails and phones keep the union
		// of all sources, since old ones may still reach the customer.)
		Merge: merge.Options{Survivorship: merge.Survivorship{Address: merge.MostRecent()}},
		Aggregates: segment.Options{
			Currency: "AUD",
			// Fixed illustrative rates, so that the output does not change.
			Rates:    map[string]float64{"GBP": 1.95, "USD": 1.53},
			Location: shopZone,
		},
		Now: func() time.Time { return now },
	})
}

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is linked in, so this cannot happen
	}
	return loc
}
