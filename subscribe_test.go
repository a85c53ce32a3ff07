package unify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// TestSubscribeReads checks that a subscriber may read the engine: changes
// are delivered after the write lock is released (a read in the callback
// used to wait for the write that was delivering, for ever).
func TestSubscribeReads(t *testing.T) {
	ctx := context.Background()
	e, _ := newResolved(t, nil)
	var mu sync.Mutex
	var seen []string
	e.Subscribe(func(c merge.Change) {
		p, err := e.Profile(ctx, c.ID)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			seen = append(seen, c.String()+": "+err.Error())
			return
		}
		seen = append(seen, fmt.Sprintf("%s: %d members", c.Kind, len(p.Members)))
	})
	done := make(chan error, 1)
	go func() {
		_, err := e.Add(ctx, rec("web", "w1", "Zed", "Quist", "zed.quist@mailbox.org", ""))
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Add did not return: the subscriber's read waits for the write")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || seen[0] != "created: 1 members" {
		t.Errorf("subscriber saw %q, want one created profile read back", seen)
	}
}

// TestSubscribeOrder checks that subscribers get every change of every
// write once, each writer's in the order of its writes, when writers run at
// once (and, under -race, that deliveries never overlap).
func TestSubscribeOrder(t *testing.T) {
	ctx := context.Background()
	e, _ := newResolved(t, nil)
	var got []merge.Change
	e.Subscribe(func(c merge.Change) { got = append(got, c) }) // no lock: deliveries never overlap
	const writers = 4
	givens := []string{"Xavier", "Yolanda", "Quentin", "Wilhelmina"}
	families := strings.Fields("Abara Bostwick Cuthbert Dunleavy Esterhazy Fairweather Grimaldi Huxtable Ingersoll " +
		"Jablonski Kowalczyk Lindqvist Montgomery Nakagawa Oyelaran Pemberton Quaresma Rasmussen Szczepanski Thorvaldsen")
	returned := make([][]merge.Change, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range 20 {
				// Distinct people: each Add creates one profile.
				r := rec("web", fmt.Sprint(w, "-", i), givens[w], families[i], "", "")
				changes, err := e.Add(ctx, r)
				if err != nil {
					t.Error(err)
				}
				returned[w] = append(returned[w], changes...)
			}
		})
	}
	wg.Wait()
	writer := map[string]int{}
	total := 0
	for w, cs := range returned {
		for _, c := range cs {
			writer[c.String()] = w
		}
		total += len(cs)
	}
	if len(got) != total || len(writer) != total {
		t.Fatalf("subscriber got %d changes, the writes returned %d (%d distinct)", len(got), total, len(writer))
	}
	pos := make([]int, writers)
	for _, c := range got {
		w, ok := writer[c.String()]
		if !ok || pos[w] >= len(returned[w]) || returned[w][pos[w]].String() != c.String() {
			t.Fatalf("subscriber got %v out of its writer's order", c)
		}
		pos[w]++
	}
}

// TestResolveTooFew checks that a Resolve with nothing to train on says so,
// and that a later Resolve trains on the records added since.
func TestResolveTooFew(t *testing.T) {
	ctx := context.Background()
	e, err := unify.New(ctx, unify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); !errors.Is(err, match.ErrNoData) {
		t.Fatalf("Resolve of an empty engine: %v, want match.ErrNoData", err)
	}
	recs := smallWorld()
	if _, err := e.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if n := e.NumProfiles(); n != len(recs) {
		t.Fatalf("%d profiles for %d records added without a model, want one each", n, len(recs))
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	a, _ := e.ProfileOf(ctx, profile.Ref{Source: "crm", Key: "c0"})
	b, _ := e.ProfileOf(ctx, profile.Ref{Source: "shop", Key: "s0"})
	if a.ID != b.ID {
		t.Errorf("after the second Resolve crm/c0 is in %s and shop/s0 in %s", a.ID, b.ID)
	}
}

// TestWriteAfterClose checks that writes after Close fail with ErrClosed.
func TestWriteAfterClose(t *testing.T) {
	ctx := context.Background()
	e, _ := newResolved(t, nil)
	if err := e.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Add(ctx, rec("web", "late", "Zed", "Quist", "", "")); !errors.Is(err, unify.ErrClosed) {
		t.Errorf("Add after Close: %v, want ErrClosed", err)
	}
	if _, err := e.Resolve(ctx, false); !errors.Is(err, unify.ErrClosed) {
		t.Errorf("Resolve after Close: %v, want ErrClosed", err)
	}
	if err := e.AddEvents(ctx, profile.Event{Record: profile.Ref{Source: "crm", Key: "c0"}, Type: profile.Visit}); !errors.Is(err, unify.ErrClosed) {
		t.Errorf("AddEvents after Close: %v, want ErrClosed", err)
	}
	if err := e.Close(ctx); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// TestWriteCancelled checks that a write with a cancelled context changes
// nothing and says why.
func TestWriteCancelled(t *testing.T) {
	e, _ := newResolved(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := e.Len()
	if _, err := e.Add(ctx, rec("web", "late", "Zed", "Quist", "", "")); !errors.Is(err, context.Canceled) {
		t.Errorf("Add with a cancelled context: %v", err)
	}
	if _, err := e.Delete(ctx, profile.Ref{Source: "crm", Key: "c0"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete with a cancelled context: %v", err)
	}
	if err := e.AddEvents(ctx, profile.Event{Record: profile.Ref{Source: "crm", Key: "c0"}, Type: profile.Visit}); !errors.Is(err, context.Canceled) {
		t.Errorf("AddEvents with a cancelled context: %v", err)
	}
	if e.Len() != n {
		t.Errorf("%d records after cancelled writes, want %d", e.Len(), n)
	}
}

// TestModel checks that the engine shows its model once Resolve trained one.
func TestModel(t *testing.T) {
	ctx := context.Background()
	e, err := unify.New(ctx, unify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m := e.Model(); m != nil {
		t.Errorf("a model before Resolve: %+v", m.Trained)
	}
	recs := smallWorld()
	if _, err := e.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		t.Fatal(err)
	}
	if m := e.Model(); m == nil || m.Trained.Records != len(recs) || m.Trained.BlockedPairs == 0 {
		t.Errorf("the model after Resolve: %v", m)
	}
}

// TestSubscribeReadsWhileWriting checks a subscriber that reads the engine
// while another write completes: the second write used to wait for the
// delivery holding the write lock, and the delivery's read for the lock.
func TestSubscribeReadsWhileWriting(t *testing.T) {
	ctx := context.Background()
	e, _ := newResolved(t, nil)
	first := make(chan struct{})
	var once sync.Once
	e.Subscribe(func(c merge.Change) {
		once.Do(func() {
			close(first)
			time.Sleep(50 * time.Millisecond) // the other write takes the lock meanwhile
		})
		if _, err := e.Profile(ctx, c.ID); err != nil && !errors.Is(err, unify.ErrNotFound) {
			t.Error(err)
		}
	})
	done := make(chan error, 2)
	go func() {
		_, err := e.Add(ctx, rec("web", "w1", "Zed", "Quist", "zed.quist@mailbox.org", ""))
		done <- err
	}()
	<-first
	go func() {
		_, err := e.Add(ctx, rec("web", "w2", "Yara", "Pemberton", "yara.p@mailbox.org", ""))
		done <- err
	}()
	for range 2 {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("a write and a delivery's read wait for each other")
		}
	}
}

// TestSubscribePanics checks that a subscriber's panic reaches its writer
// and leaves the engine delivering later writes.
func TestSubscribePanics(t *testing.T) {
	ctx := context.Background()
	e, _ := newResolved(t, nil)
	calls := 0
	e.Subscribe(func(merge.Change) {
		if calls++; calls == 1 {
			panic("subscriber")
		}
	})
	func() {
		defer func() {
			if r := recover(); r != "subscriber" {
				t.Errorf("recovered %v, want the subscriber's panic", r)
			}
		}()
		e.Add(ctx, rec("web", "w1", "Zed", "Quist", "", ""))
	}()
	if p, err := e.ProfileOf(ctx, profile.Ref{Source: "web", Key: "w1"}); err != nil || len(p.Members) == 0 {
		t.Errorf("the write before the panic was not kept: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.Add(ctx, rec("web", "w2", "Yara", "Pemberton", "", ""))
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the write after a subscriber's panic never delivered")
	}
	if calls < 2 {
		t.Errorf("the subscriber got %d calls, want the second write's too", calls)
	}
}
