package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/profile"
)

func TestRun(t *testing.T) {
	var a, b bytes.Buffer
	if err := run(context.Background(), &a, nil); err != nil {
		t.Fatalf("run: %v\n%s", err, a.String())
	}
	if err := run(context.Background(), &b, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two runs print different output")
	}
	out := a.String()
	for _, want := range []string{"> Resolve", "merged ", "split ", "created ", "updated ", "deleted ",
		"AssertNotSame", "Forget", "still works"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if err := run(context.Background(), io.Discard, []string{"extra"}); err == nil {
		t.Error("run with an argument succeeded")
	}
}

// TestFacts checks what the story claims, on the facts it recorded and on
// the engine's final state, so that a story that printed the wrong thing
// still fails here.
func TestFacts(t *testing.T) {
	ctx := context.Background()
	f, e, err := story(ctx, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if f.Changes == 0 || f.Changes != f.Returned {
		t.Errorf("subscribers saw %d changes, writes returned %d", f.Changes, f.Returned)
	}

	// Robert's ID survived a member joining, an update and the member
	// leaving, and still holds at the end.
	if len(f.RobertIDs) != 3 {
		t.Errorf("Robert's ID recorded %d times, want 3", len(f.RobertIDs))
	}
	for i, id := range f.RobertIDs {
		if id != f.RobertID {
			t.Errorf("Robert's ID after step %d: %s, want %s", i, id, f.RobertID)
		}
	}
	if p, err := e.ProfileOf(ctx, robert); err != nil || p.ID != f.RobertID {
		t.Errorf("Robert's profile at the end: %q, %v; want %s", p.ID, err, f.RobertID)
	}

	// The absorbed ID resolves to the merged profile, also at the end.
	if f.Alias == "" || f.Alias == f.Survivor {
		t.Fatalf("alias %q, survivor %q", f.Alias, f.Survivor)
	}
	p, err := e.Profile(ctx, f.Alias)
	if err != nil || p.ID != f.Survivor || !slices.Contains(p.Aliases, f.Alias) {
		t.Errorf("Profile(%s) = %s (aliases %v), %v; want %s", f.Alias, p.ID, p.Aliases, err, f.Survivor)
	}

	// The twins stayed apart after the assertion, an update and a re-add.
	if len(f.Twins) != 3 {
		t.Errorf("twins recorded %d times, want 3", len(f.Twins))
	}
	for i, tw := range f.Twins {
		if tw[0] == tw[1] {
			t.Errorf("twins share profile %s at step %d", tw[0], i)
		}
	}
	a, errA := e.ProfileOf(ctx, twins[0])
	b, errB := e.ProfileOf(ctx, twins[1])
	if errA != nil || errB != nil || a.ID == b.ID {
		t.Errorf("twins at the end: %s (%v), %s (%v)", a.ID, errA, b.ID, errB)
	}

	// The device joined the customer, with its visits.
	if f.DeviceProfile != f.CustomerProfile || f.DeviceVisits != 2 {
		t.Errorf("device in %s, customer in %s, %d visits in the view", f.DeviceProfile, f.CustomerProfile, f.DeviceVisits)
	}

	// The forgotten customer is gone.
	if !errors.Is(f.ForgottenErr, unify.ErrNotFound) || f.ForgottenEvents != 0 {
		t.Errorf("after Forget: %v, %d events", f.ForgottenErr, f.ForgottenEvents)
	}
	if _, err := e.ProfileOf(ctx, ref("crm", "C6")); !errors.Is(err, unify.ErrNotFound) {
		t.Errorf("ProfileOf(crm/C6) after Forget: %v", err)
	}
}

// TestCrowdResolved checks that the initial resolve put each crowd
// person's records, and only them, in one profile: the story's claims rest
// on a model that resolves ordinary customers right.
func TestCrowdResolved(t *testing.T) {
	ctx := context.Background()
	e, err := newEngine(ctx, unify.NewMemoryStore())
	if err != nil {
		t.Fatal(err)
	}
	var recs []*profile.Record
	for _, r := range append(people, crowd()...) {
		recs = append(recs, mustBuild(r))
	}
	if _, err := e.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	person := func(key string) int {
		n, err := strconv.Atoi(key[1:])
		if err != nil || n < 100 {
			return -1 // not a crowd key
		}
		return n % 100
	}
	seen := map[int]string{}
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		ids := map[int]bool{}
		for _, m := range p.Members {
			ids[person(m.Key)] = true
		}
		if len(ids) > 1 {
			t.Errorf("profile %s holds several people: %v", p.ID, p.Members)
		}
		for i := range ids {
			if i < 0 {
				continue
			}
			if prev, ok := seen[i]; ok {
				t.Errorf("crowd person %d is in %s and %s", i, prev, p.ID)
			}
			seen[i] = p.ID
		}
	}
	if len(seen) != 60 {
		t.Errorf("%d crowd people in profiles, want 60", len(seen))
	}
}

// TestBuiltInData checks that every built-in record normalizes cleanly:
// a value the normalizer rejects would silently weaken the story.
func TestBuiltInData(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range append(people, crowd()...) {
		if _, err := build(r); err != nil {
			t.Error(err)
		}
		k := r.source + "/" + r.key
		if seen[k] {
			t.Errorf("%s appears twice", k)
		}
		seen[k] = true
	}
}
