package unify_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// TestAssertBeforeResolve checks assertions about staged records, made
// before the first Resolve (a clerical review of the exports, say): they
// used to fail with merge.ErrUnknownRecord. They hold through a reopen of
// the store and take effect in Resolve; a retracted one does not.
func TestAssertBeforeResolve(t *testing.T) {
	ctx := context.Background()
	store := unify.NewMemoryStore()
	e, err := unify.New(ctx, unify.Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Add(ctx, smallWorld()...); err != nil {
		t.Fatal(err)
	}
	c0, s0 := profile.Ref{Source: "crm", Key: "c0"}, profile.Ref{Source: "shop", Key: "s0"}
	c3, s3 := profile.Ref{Source: "crm", Key: "c3"}, profile.Ref{Source: "shop", Key: "s3"}
	c6, s6 := profile.Ref{Source: "crm", Key: "c6"}, profile.Ref{Source: "shop", Key: "s6"}
	if _, err := e.AssertNotSame(ctx, s0, c0); err != nil {
		t.Fatalf("AssertNotSame before Resolve: %v", err)
	}
	if _, err := e.Detach(ctx, s3); err != nil {
		t.Fatalf("Detach before Resolve: %v", err)
	}
	if _, err := e.AssertNotSame(ctx, c6, s6); err != nil {
		t.Fatalf("AssertNotSame before Resolve: %v", err)
	}
	if _, err := e.Retract(ctx, merge.AssertNotSame(c6, s6)); err != nil {
		t.Fatalf("retract before Resolve: %v", err)
	}
	if _, err := e.AssertNotSame(ctx, c0, profile.Ref{Source: "crm", Key: "nobody"}); !errors.Is(err, unify.ErrNotFound) {
		t.Errorf("an assertion naming an unknown record: %v, want ErrNotFound", err)
	}
	if _, err := e.ProfileOf(ctx, c0); !errors.Is(err, unify.ErrNotFound) || !strings.Contains(err.Error(), "staged") {
		t.Errorf("ProfileOf a staged record: %v, want ErrNotFound saying it is staged", err)
	}
	// Reopen before Resolve: the store holds the staged records and the assertions.
	e, err = unify.New(ctx, unify.Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	same := func(a, b profile.Ref) bool {
		pa, errA := e.ProfileOf(ctx, a)
		pb, errB := e.ProfileOf(ctx, b)
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		return pa.ID == pb.ID
	}
	if same(c0, s0) {
		t.Errorf("%v and %v were asserted not the same, and share a profile", c0, s0)
	}
	if same(c3, s3) {
		t.Errorf("%v was detached, and shares a profile with %v", s3, c3)
	}
	if !same(c6, s6) {
		t.Errorf("the assertion about %v and %v was retracted, yet they are apart", c6, s6)
	}
	if _, err := e.AssertNotSame(ctx, c0, profile.Ref{Source: "crm", Key: "nobody"}); !errors.Is(err, unify.ErrNotFound) {
		t.Errorf("after Resolve, an assertion naming an unknown record: %v, want ErrNotFound", err)
	}
}

// TestReopenAfterDelete checks that a store holding an assertion about a
// deleted record opens again (the assertion failed the graph's load with
// merge.ErrUnknownRecord), and that the assertion holds when the record
// comes back. The store here keeps no snapshot, so the engine rebuilds
// its graph from records, links and assertions.
func TestReopenAfterDelete(t *testing.T) {
	ctx := context.Background()
	store := noSnapshot{unify.NewMemoryStore()}
	e, recs := newResolved(t, store)
	c0, s0 := profile.Ref{Source: "crm", Key: "c0"}, profile.Ref{Source: "shop", Key: "s0"}
	if _, err := e.AssertNotSame(ctx, c0, s0); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Delete(ctx, s0); err != nil {
		t.Fatal(err)
	}
	e, err := unify.New(ctx, unify.Options{Store: store})
	if err != nil {
		t.Fatalf("reopening a store with an assertion about a deleted record: %v", err)
	}
	var back *profile.Record
	for _, r := range recs {
		if r.Ref() == s0 {
			back = r
		}
	}
	if _, err := e.Add(ctx, back); err != nil {
		t.Fatal(err)
	}
	a, _ := e.ProfileOf(ctx, c0)
	b, _ := e.ProfileOf(ctx, s0)
	if a.ID == b.ID {
		t.Errorf("%v came back and joined %v, though asserted not the same", s0, c0)
	}
}

// noSnapshot is a store without the SnapshotStore capability.
type noSnapshot struct{ *unify.MemoryStore }

func (noSnapshot) GetSnapshot() {}
