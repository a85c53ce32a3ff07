package merge

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unifyhq/unify/profile"
)

// ref parses "source/key".
func ref(s string) profile.Ref {
	src, key, ok := strings.Cut(s, "/")
	if !ok {
		panic("bad ref " + s)
	}
	return profile.Ref{Source: src, Key: key}
}

// rec returns a bare record for "source/key".
func rec(s string) *profile.Record {
	r := ref(s)
	return &profile.Record{Source: r.Source, Key: r.Key}
}

// recs returns bare records for the refs.
func recs(refs ...string) []*profile.Record {
	out := make([]*profile.Record, len(refs))
	for i, r := range refs {
		out[i] = rec(r)
	}
	return out
}

// withID adds an identifier to a record.
func withID(r *profile.Record, typ, value string) *profile.Record {
	r.IDs = append(r.IDs, profile.Identifier{Type: typ, Raw: value, Value: value})
	return r
}

// lk returns a link "a/1-b/2" with probability p.
func lk(a, b string, p float64) Link { return Link{A: ref(a), B: ref(b), Prob: p} }

// text returns a Text with Norm = s and Key = lower-case s.
func text(s string) profile.Text {
	return profile.Text{Raw: s, Norm: s, Key: strings.ToLower(s)}
}

func at(day int) time.Time { return time.Date(2024, 1, day, 0, 0, 0, 0, time.UTC) }

// show formats clusters as "a/1 a/2 | b/1" for readable failures.
func show(cs [][]profile.Ref) string {
	var parts []string
	for _, c := range cs {
		var s []string
		for _, r := range c {
			s = append(s, r.String())
		}
		parts = append(parts, strings.Join(s, " "))
	}
	return strings.Join(parts, " | ")
}

// together reports whether a and b are in one cluster.
func together(cs [][]profile.Ref, a, b string) bool {
	for _, c := range cs {
		if slices.Contains(c, ref(a)) {
			return slices.Contains(c, ref(b))
		}
	}
	return false
}

func mustCluster(t testing.TB, rs []*profile.Record, ls []Link, as []Assertion, o Options) [][]profile.Ref {
	t.Helper()
	cs, err := Cluster(rs, ls, as, o)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func mustGraph(t testing.TB, o Options) *Graph {
	t.Helper()
	g, err := NewGraph(o)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprint("unexpected error: ", err))
	}
	return v
}

// dense returns links making every pair of the refs a match at p.
func dense(p float64, refs ...string) []Link {
	var out []Link
	for i := range refs {
		for j := i + 1; j < len(refs); j++ {
			out = append(out, lk(refs[i], refs[j], p))
		}
	}
	return out
}
