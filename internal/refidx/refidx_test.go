package refidx

import (
	"fmt"
	"testing"

	"github.com/unifyhq/unify/profile"
	"pgregory.net/rapid"
)

// owner is a slice of refs by position, with a free list, as the index's
// users keep them.
type owner struct {
	refs []profile.Ref
	free []int32
}

func (o *owner) at(pos int32) profile.Ref { return o.refs[pos] }

func (o *owner) place(r profile.Ref) int32 {
	if n := len(o.free); n > 0 {
		pos := o.free[n-1]
		o.free = o.free[:n-1]
		o.refs[pos] = r
		return pos
	}
	o.refs = append(o.refs, r)
	return int32(len(o.refs) - 1)
}

// TestIndexAgainstMap runs random puts, deletes and lookups against an
// index and a map, with few distinct refs so that most operations hit.
func TestIndexAgainstMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var x Index
		var o owner
		want := map[profile.Ref]int32{}
		ref := rapid.Custom(func(t *rapid.T) profile.Ref {
			return profile.Ref{
				Source: rapid.SampledFrom([]string{"crm", "shop", ""}).Draw(t, "source"),
				Key:    fmt.Sprint(rapid.IntRange(0, 60).Draw(t, "key")),
			}
		})
		for range rapid.IntRange(0, 400).Draw(t, "ops") {
			r := ref.Draw(t, "ref")
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0, 1:
				pos, had := want[r]
				if !had {
					pos = o.place(r)
				}
				if isNew := x.Put(r, pos, o.at); isNew == had {
					t.Fatalf("Put(%v) new = %v, want %v", r, isNew, !had)
				}
				want[r] = pos
			case 2:
				pos, had := want[r]
				if ok := x.Delete(r, o.at); ok != had {
					t.Fatalf("Delete(%v) = %v, want %v", r, ok, had)
				}
				if had {
					delete(want, r)
					o.free = append(o.free, pos)
				}
			case 3:
				if rapid.Bool().Draw(t, "reserve") {
					x.Reserve(rapid.IntRange(0, 100).Draw(t, "n"))
				}
			}
			if x.Len() != len(want) {
				t.Fatalf("Len = %d, want %d", x.Len(), len(want))
			}
		}
		for r, pos := range want {
			if got, ok := x.Get(r, o.at); !ok || got != pos {
				t.Fatalf("Get(%v) = %d, %v; want %d", r, got, ok, pos)
			}
		}
		if _, ok := x.Get(profile.Ref{Source: "absent"}, o.at); ok {
			t.Fatal("found a ref never put")
		}
	})
}

// TestIndexTagCollision puts two refs whose 32-bit tags are equal: each
// lookup must confirm the ref, not trust the tag.
func TestIndexTagCollision(t *testing.T) {
	var x Index
	var o owner
	x.Reserve(1) // seeds the hash
	seen := map[uint64]profile.Ref{}
	var a, b profile.Ref
	for i := 0; ; i++ {
		r := profile.Ref{Source: "s", Key: fmt.Sprint(i)}
		tg := x.tag(r)
		if prev, ok := seen[tg]; ok {
			a, b = prev, r
			break
		}
		seen[tg] = r
	}
	pa := o.place(a)
	x.Put(a, pa, o.at)
	if _, ok := x.Get(b, o.at); ok {
		t.Fatalf("%v found through %v's tag", b, a)
	}
	pb := o.place(b)
	if !x.Put(b, pb, o.at) {
		t.Fatalf("Put(%v) replaced %v", b, a)
	}
	for _, c := range []struct {
		r   profile.Ref
		pos int32
	}{{a, pa}, {b, pb}} {
		if got, ok := x.Get(c.r, o.at); !ok || got != c.pos {
			t.Fatalf("Get(%v) = %d, %v; want %d", c.r, got, ok, c.pos)
		}
	}
	x.Delete(a, o.at)
	if got, ok := x.Get(b, o.at); !ok || got != pb {
		t.Fatalf("after deleting %v: Get(%v) = %d, %v", a, b, got, ok)
	}
}

func TestIndexReset(t *testing.T) {
	var x Index
	var o owner
	for i := range 100 {
		r := profile.Ref{Source: "s", Key: fmt.Sprint(i)}
		x.Put(r, o.place(r), o.at)
	}
	x.Reset()
	if x.Len() != 0 {
		t.Fatalf("Len after Reset = %d", x.Len())
	}
	if _, ok := x.Get(o.refs[0], o.at); ok {
		t.Fatal("found a ref after Reset")
	}
	x.Put(o.refs[5], 5, o.at)
	if got, ok := x.Get(o.refs[5], o.at); !ok || got != 5 {
		t.Fatalf("Get after Reset and Put = %d, %v", got, ok)
	}
}

func BenchmarkIndexGet(b *testing.B) {
	var x Index
	var o owner
	const n = 1 << 20
	for i := range n {
		r := profile.Ref{Source: "shop", Key: fmt.Sprint(i)}
		x.Put(r, o.place(r), o.at)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := x.Get(o.refs[i&(n-1)], o.at); !ok {
			b.Fatal("missing")
		}
		i += 7919
	}
}

func BenchmarkMapGet(b *testing.B) {
	m := map[profile.Ref]int32{}
	var refs []profile.Ref
	const n = 1 << 20
	for i := range n {
		r := profile.Ref{Source: "shop", Key: fmt.Sprint(i)}
		refs = append(refs, r)
		m[r] = int32(i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := m[refs[i&(n-1)]]; !ok {
			b.Fatal("missing")
		}
		i += 7919
	}
}
