// Command incremental shows a single customer view kept up to date as
// source systems change: records are added, updated and deleted one at a
// time after an initial batch resolve, a data steward unmerges a wrong
// merge, and a customer asks to be forgotten. Each operation prints the
// profile changes it caused (created, merged, split, updated, deleted),
// received through Engine.Subscribe, and the program checks as it goes that
// profile IDs stay stable:
//
//   - a profile keeps its ID when a record joins it and when that record
//     leaves again, and when one of its records is updated;
//   - when two profiles merge, the absorbed ID becomes an alias that still
//     resolves to the merged profile;
//   - an anonymous web device joins a customer's profile, with its visits,
//     once a login ties the device to the customer;
//   - "not the same person" holds after later updates and re-adds;
//   - a forgotten customer's profile, records and events are gone.
//
// Run it with
//
//	go run ./examples/incremental
//
// The data is built in: seventeen customer records from a CRM, a web shop,
// a support desk and a newsletter, with nicknames, typos and a pair of
// twins, among a crowd of sixty ordinary customers that gives the
// unsupervised match model enough to learn from.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

func main() {
	err := run(context.Background(), os.Stdout, os.Args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "incremental:", err)
		os.Exit(1)
	}
}

// run is the whole program, callable from a test.
func run(ctx context.Context, stdout io.Writer, args []string) error {
	fl := flag.NewFlagSet("incremental", flag.ContinueOnError)
	fl.SetOutput(stdout)
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fl.Arg(0))
	}
	_, _, err := story(ctx, stdout)
	return err
}

// now is fixed so that the output is the same on every run.
var now = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// newEngine returns an engine with default matching and clustering over
// store.
func newEngine(ctx context.Context, store unify.Store) (*unify.Engine, error) {
	return unify.New(ctx, unify.Options{Store: store, Now: func() time.Time { return now }})
}

// ref is shorthand for a record reference.
func ref(source, key string) profile.Ref { return profile.Ref{Source: source, Key: key} }

// changeLog collects the changes the engine announces to subscribers.
type changeLog struct{ changes []merge.Change }

func (l *changeLog) take() []merge.Change {
	c := l.changes
	l.changes = nil
	return c
}
