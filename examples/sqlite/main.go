// Command sqlite shows a single customer view that survives a restart,
// kept in a SQLite file by the sqlitestore package (pure Go, no cgo).
//
//	go run ./examples/sqlite              # a throwaway file in the temp directory
//	go run ./examples/sqlite -db crm.db   # keep the file (a second run reuses it)
//
// It runs in two acts, each with its own store and engine, as two runs of
// a service would:
//
//  1. It opens the file, loads 31 customer records of a small shop from
//     two sources (a CRM export and the web shop's accounts, embedded in
//     data/, with duplicates within and across them), resolves them into
//     golden profiles, prints how many there are and one of them, and
//     closes everything.
//  2. It opens the same file with a new engine, which loads the records,
//     links and match model the file holds instead of resolving again,
//     prints the same profile (same ID, same members), then adds one
//     record from a third source, a support ticket, which is matched
//     incrementally with the stored model and joins that profile. It
//     prints the change events the engine emits for it.
//
// The engine writes every operation through the store in one SQLite
// transaction, so a crash at any point leaves the file as it was after
// the last complete operation.
package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/examples/sqlite/sqlitestore"
	"github.com/unifyhq/unify/ingest"
	"github.com/unifyhq/unify/profile"
)

//go:embed data/*.csv
var data embed.FS

// sources are the embedded files and how to read them. The shop writes
// dates day first, as Australians do.
var sources = []struct {
	file    string
	mapping ingest.Mapping
}{
	{"data/crm.csv", ingest.Mapping{Source: "crm", DefaultRegion: "AU"}},
	{"data/shop.csv", ingest.Mapping{Source: "shop", DefaultRegion: "AU", DateOrder: profile.DMY}},
}

// shown is the customer whose profile the program follows.
var shown = profile.Ref{Source: "crm", Key: "C1001"}

// ticket is the record added after the restart: the same customer, under
// her nickname, writing to the support desk.
const ticket = `ticket_id,name,email,phone
T-9001,Maggie OBrien,margaret.obrien@bigpond.com,0491 570 006
`

func main() {
	err := run(context.Background(), os.Stdout, os.Args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "sqlite:", err)
		os.Exit(1)
	}
}

// run is the whole program, callable from a test.
func run(ctx context.Context, w io.Writer, args []string) error {
	fl := flag.NewFlagSet("sqlite", flag.ContinueOnError)
	fl.SetOutput(w)
	db := fl.String("db", "", "SQLite file to keep the customer view in (default: a temporary file, removed at the end)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fl.Args())
	}
	path := *db
	if path == "" {
		dir, err := os.MkdirTemp("", "unify-sqlite-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "customers.db")
	}
	fmt.Fprintf(w, "1. Load and resolve into %s\n\n", path)
	id, err := firstRun(ctx, w, path)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n2. Restart: a new store and engine on the same file\n\n")
	return secondRun(ctx, w, path, id)
}

// firstRun loads and resolves the embedded records (unless the file holds
// records already), prints the followed profile and returns its ID.
func firstRun(ctx context.Context, w io.Writer, path string) (id string, err error) {
	st, err := sqlitestore.Open(ctx, path)
	if err != nil {
		return "", err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	e, err := unify.New(ctx, unify.Options{Store: st})
	if err != nil {
		return "", err
	}
	if n := e.Len(); n > 0 {
		fmt.Fprintf(w, "The file already holds %d records: not loading them again.\n", n)
	} else {
		var recs []*profile.Record
		for _, s := range sources {
			got, err := read(ctx, s.file, s.mapping)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(w, "%-14s %2d records\n", s.file, len(got))
			recs = append(recs, got...)
		}
		if _, err := e.Add(ctx, recs...); err != nil {
			return "", err
		}
		if _, err := e.Resolve(ctx, false); err != nil {
			return "", err
		}
	}
	fmt.Fprintf(w, "%d records -> %d profiles\n\n", e.Len(), e.NumProfiles())
	p, err := e.ProfileOf(ctx, shown)
	if err != nil {
		return "", err
	}
	printProfile(w, p)
	return p.ID, nil
}

// secondRun reopens the file, shows the profile id again, and adds the
// support ticket.
func secondRun(ctx context.Context, w io.Writer, path, id string) (err error) {
	st, err := sqlitestore.Open(ctx, path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	e, err := unify.New(ctx, unify.Options{Store: st})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Reopened: %d records, %d profiles, without resolving again.\n\n", e.Len(), e.NumProfiles())
	p, err := e.Profile(ctx, id)
	if err != nil {
		return fmt.Errorf("profile %s after the restart: %w", id, err)
	}
	printProfile(w, p)

	recs, err := readString(ctx, ticket, ingest.Mapping{Source: "support", DefaultRegion: "AU"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nAdd %v (%s), matched incrementally with the stored model:\n", recs[0].Ref(), recs[0].Name.Full.Raw)
	changes, err := e.Add(ctx, recs...)
	if err != nil {
		return err
	}
	if len(changes) == 0 {
		fmt.Fprintln(w, "  no change (the file already held this ticket)")
	}
	for _, c := range changes {
		fmt.Fprintf(w, "  change: %v\n", c)
	}
	joined, err := e.ProfileOf(ctx, recs[0].Ref())
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	printProfile(w, joined)
	if joined.ID != id {
		fmt.Fprintf(w, "\nThe ticket did not join profile %s.\n", id)
	}
	return nil
}

// read reads one embedded CSV file through ingest. A row ingest rejects is
// an error here: the embedded data has none.
func read(ctx context.Context, file string, m ingest.Mapping) ([]*profile.Record, error) {
	b, err := data.ReadFile(file)
	if err != nil {
		return nil, err
	}
	recs, err := readString(ctx, string(b), m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return recs, nil
}

func readString(ctx context.Context, csv string, m ingest.Mapping) ([]*profile.Record, error) {
	src, err := ingest.NewSource(strings.NewReader(csv), m, ingest.Options{})
	if err != nil {
		return nil, err
	}
	var recs []*profile.Record
	for r, err := range src.Records(ctx) {
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// printProfile prints a profile's ID, members, and golden values with the
// record each came from.
func printProfile(w io.Writer, p profile.Profile) {
	fmt.Fprintf(w, "Profile %s\n", p.ID)
	members := make([]string, len(p.Members))
	for i, m := range p.Members {
		members[i] = m.String()
	}
	fmt.Fprintf(w, "  %-13s %s\n", "members", strings.Join(members, ", "))
	for _, f := range slices.Sorted(func(yield func(profile.Field) bool) {
		for f := range p.Fields {
			if !yield(f) {
				return
			}
		}
	}) {
		for i, v := range p.Fields[f] {
			name := string(f)
			if i > 0 {
				name = ""
			}
			fmt.Fprintf(w, "  %-13s %-30s from %v\n", name, v.Value, v.From)
		}
	}
}
