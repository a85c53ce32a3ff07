package unify

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
	"pgregory.net/rapid"
)

func genSnapshot() *rapid.Generator[*merge.Snapshot] {
	ref := rapid.Custom(func(t *rapid.T) profile.Ref {
		return profile.Ref{
			Source: rapid.SampledFrom([]string{"crm", "shop", "", "pos ü"}).Draw(t, "source"),
			Key:    rapid.String().Draw(t, "key"),
		}
	})
	return rapid.Custom(func(t *rapid.T) *merge.Snapshot {
		s := &merge.Snapshot{
			AliasSeq:   rapid.Uint64().Draw(t, "aliasSeq"),
			Tick:       rapid.Uint64().Draw(t, "tick"),
			MaxCounter: rapid.Int().Draw(t, "maxCounter"),
		}
		for range rapid.IntRange(0, 5).Draw(t, "profiles") {
			p := merge.SnapshotProfile{ID: rapid.String().Draw(t, "id"), Anchor: ref.Draw(t, "anchor"),
				TakenFrom: rapid.SampledFrom([]string{"", "p_x"}).Draw(t, "takenFrom")}
			for range rapid.IntRange(1, 4).Draw(t, "members") {
				p.Members = append(p.Members, merge.SnapshotMember{Ref: ref.Draw(t, "member"), Joined: rapid.Uint64().Draw(t, "joined")})
			}
			s.Profiles = append(s.Profiles, p)
		}
		for range rapid.IntRange(0, 3).Draw(t, "aliases") {
			s.Aliases = append(s.Aliases, merge.SnapshotAlias{
				ID: rapid.String().Draw(t, "alias"), Target: rapid.String().Draw(t, "target"),
				Anchor: ref.Draw(t, "aliasAnchor"), Seq: rapid.Uint64().Draw(t, "seq"),
			})
		}
		return s
	})
}

// TestSnapshotCodeRoundTrip checks that the memory store's compact form of
// a checkpoint decodes to the snapshot it encoded, and so to the same JSON
// document.
func TestSnapshotCodeRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSnapshot().Draw(t, "snapshot")
		got, err := decodeSnapshot(encodeSnapshot(s))
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(s, got); d != "" {
			t.Fatalf("round trip (-want +got):\n%s", d)
		}
		want, _ := json.Marshal(s)
		doc, _ := json.Marshal(got)
		if string(doc) != string(want) {
			t.Fatalf("JSON %s, want %s", doc, want)
		}
	})
}

// FuzzDecodeSnapshot feeds the decoder arbitrary bytes: it must not panic,
// and what it accepts must encode and decode to itself.
func FuzzDecodeSnapshot(f *testing.F) {
	f.Add(encodeSnapshot(&merge.Snapshot{}))
	f.Add(encodeSnapshot(&merge.Snapshot{AliasSeq: 3, Tick: 9, MaxCounter: -2,
		Profiles: []merge.SnapshotProfile{{ID: "p1", Anchor: profile.Ref{Source: "crm", Key: "1"},
			Members: []merge.SnapshotMember{{Ref: profile.Ref{Source: "crm", Key: "1"}, Joined: 4}, {Ref: profile.Ref{Source: "shop", Key: "x"}}}}},
		Aliases: []merge.SnapshotAlias{{ID: "p0", Target: "p1", Anchor: profile.Ref{Source: "shop", Key: "x"}, Seq: 2}}}))
	f.Add([]byte{0, 0, 0, 200, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeSnapshot(b)
		if err != nil {
			return
		}
		again, err := decodeSnapshot(encodeSnapshot(s))
		if err != nil {
			t.Fatalf("re-encoding %+v does not decode: %v", s, err)
		}
		if d := cmp.Diff(s, again); d != "" {
			t.Fatalf("re-encoding changed the snapshot (-first +again):\n%s", d)
		}
	})
}
