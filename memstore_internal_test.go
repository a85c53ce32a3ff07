package unify

import (
	"context"
	"testing"

	"github.com/unifyhq/unify/profile"
)

// TestMemoryStoreDeleteKeepsOnlyTheRef checks erasure inside the memory
// store: a deleted record whose ref the index still names keeps its number,
// but nothing of its values.
func TestMemoryStoreDeleteKeepsOnlyTheRef(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore()
	r := &profile.Record{Source: "crm", Key: "1"}
	r.Name.Given = profile.Text{Raw: "Secret", Norm: "Secret", Key: "secret"}
	if err := s.PutRecords(ctx, []*profile.Record{r}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetKeys(ctx, r.Ref(), []string{"k"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRecords(ctx, []profile.Ref{r.Ref()}); err != nil {
		t.Fatal(err)
	}
	n, ok := s.byRef.Get(r.Ref(), s.refAt)
	if !ok {
		t.Fatal("the indexed ref lost its number")
	}
	if got := s.slots[n].rec.Record(); got.Ref() != r.Ref() || !got.Name.Given.IsZero() {
		t.Fatalf("slot holds %+v after the delete, want only the ref", got)
	}
	if err := s.SetKeys(ctx, r.Ref(), nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.byRef.Get(r.Ref(), s.refAt); ok || s.byRef.Len() != 0 || len(s.free) != 1 {
		t.Fatalf("the number was not freed: %d refs numbered, free %v", s.byRef.Len(), s.free)
	}
}

// TestMemoryStoreIsNotATransactor holds an assumption of the engine's bulk
// load, which writes index hashes to the memory store directly rather than
// through the store its write function is given.
func TestMemoryStoreIsNotATransactor(t *testing.T) {
	if _, ok := any(NewMemoryStore()).(Transactor); ok {
		t.Fatal("MemoryStore implements Transactor: Engine.stage must write its index hashes through the transaction")
	}
}
