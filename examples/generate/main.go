// Command generate writes a synthetic, dirty customer data set with ground
// truth: one file per source system, a truth file mapping every record to
// its person, and an events file.
//
//	go run ./examples/generate -records 1000000 -out /tmp/scv [-seed N] [-format csv|jsonl]
//
// Files: DIR/<source>.csv for crm, webshop, support, pos, newsletter and
// web, each with its own header; DIR/truth.csv (source, record_id,
// person_id, household_id, flags); DIR/events.csv. With -format jsonl the
// same as .jsonl. Output depends only on the flags: the same seed gives the
// same bytes.
//
// The data and its limits are described in the documentation of package
// github.com/unifyhq/unify/internal/synth. For pairwise evaluation, note
// that web records flagged "anonymous" in the truth file carry no
// identifying value: with the defaults they take part in about 12% of true
// pairs. Leave them out of the evaluation, or generate without them:
//
//	go run ./examples/generate -records 1000000 -out /tmp/scv -sources crm,webshop,support,pos,newsletter
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"time"

	"github.com/unifyhq/unify/internal/synth"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "generate:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	def := synth.DefaultConfig()
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	records := fs.Int("records", def.Records, "number of records to write (0: no limit; then set -people)")
	people := fs.Int("people", 0, "number of people (0: no limit)")
	out := fs.String("out", "", "output directory (required; created if missing)")
	seed := fs.Uint64("seed", def.Seed, "random seed")
	format := fs.String("format", "csv", "output format: csv or jsonl")
	events := fs.Float64("events", def.EventsPerPerson, "mean events per person (0: signups only)")
	sources := fs.String("sources", "", "comma-separated subset of sources (default: all of "+sourceNames(def.Sources)+")")
	countries := fs.String("countries", "", "comma-separated residence countries, equally weighted (default: the built-in mix)")
	now := fs.String("now", def.Now.Format("2006-01-02"), "end of the simulated history (YYYY-MM-DD)")
	years := fs.Int("years", def.Years, "length of the simulated history in years")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: generate -out DIR [-records N | -people N] [-seed N] [-format csv|jsonl] [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *out == "" {
		fs.Usage()
		return errors.New("-out is required")
	}
	f, err := synth.ParseFormat(*format)
	if err != nil {
		return err
	}
	cfg := def
	cfg.Records, cfg.People, cfg.Seed, cfg.EventsPerPerson, cfg.Years = *records, *people, *seed, *events, *years
	if cfg.Now, err = time.Parse("2006-01-02", *now); err != nil {
		return fmt.Errorf("-now: %w", err)
	}
	if *sources != "" {
		cfg.Sources = nil
		for _, name := range strings.Split(*sources, ",") {
			name = strings.TrimSpace(name)
			found := false
			for _, s := range def.Sources {
				if s.Name == name {
					cfg.Sources = append(cfg.Sources, s)
					found = true
				}
			}
			if !found {
				return fmt.Errorf("-sources: unknown source %q (have %s)", name, sourceNames(def.Sources))
			}
		}
	}
	if *countries != "" {
		cfg.Countries = map[string]float64{}
		for _, c := range strings.Split(*countries, ",") {
			cfg.Countries[strings.ToUpper(strings.TrimSpace(c))] = 1
		}
	}

	w, err := synth.CreateDir(*out, f, cfg.Sources)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	st, genErr := synth.Generate(ctx, cfg, w)
	if err := w.Close(); err != nil && genErr == nil {
		genErr = err
	}
	if genErr != nil {
		return genErr
	}
	elapsed := time.Since(start)
	report(stdout, *out, w.Files(), cfg, st, elapsed)
	return nil
}

func sourceNames(s []synth.Source) string {
	var n []string
	for _, x := range s {
		n = append(n, x.Name)
	}
	return strings.Join(n, ",")
}

func report(w io.Writer, dir string, files []string, cfg synth.Config, st synth.Stats, elapsed time.Duration) {
	fmt.Fprintf(w, "wrote %d records of %d people in %d households, and %d events, to %s in %v (%.0f records/s)\n",
		st.Records, st.People, st.Households, st.Events, dir, elapsed.Round(time.Millisecond),
		float64(st.Records)/elapsed.Seconds())
	fmt.Fprintf(w, "files: %s\n", strings.Join(files, " "))
	fmt.Fprintln(w, "records per source:")
	for i, s := range cfg.Sources {
		fmt.Fprintf(w, "  %-12s %9d\n", s.Name, st.SourceRecords[i])
	}
	type fc struct {
		name string
		n    int
	}
	var flags []fc
	for i, f := range synth.AllFlags() {
		if st.FlagRecords[i] > 0 {
			flags = append(flags, fc{f.Name(), st.FlagRecords[i]})
		}
	}
	sort.SliceStable(flags, func(i, j int) bool { return flags[i].n > flags[j].n })
	fmt.Fprintln(w, "records per flag (see truth file):")
	for _, f := range flags {
		fmt.Fprintf(w, "  %-16s %9d  %5.1f%%\n", f.name, f.n, 100*float64(f.n)/float64(max(st.Records, 1)))
	}
}
