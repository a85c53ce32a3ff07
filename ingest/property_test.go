package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestPropertyNothingLost generates tables mixing good rows with every kind
// of bad row, in CSV with LF or CRLF line ends, and checks that each row is
// accounted for exactly as planned: the good ones yielded in order, the bad
// ones rejected with the planned reason at the planned line.
func TestPropertyNothingLost(t *testing.T) {
	kinds := []string{"good", "short", "long", "utf8", "nokey", "dupkey", "bareq", "toolong", "badvalue", "multiline"}
	rapid.Check(t, func(t *rapid.T) {
		nl := rapid.SampledFrom([]string{"\n", "\r\n"}).Draw(t, "newline")
		n := rapid.IntRange(0, 40).Draw(t, "rows")
		var b strings.Builder
		b.WriteString("id, first_name, email, dob" + nl)
		line := int64(2)
		var wantKeys []string
		type plannedReject struct {
			line   int64
			reason error
		}
		var wantRejects []plannedReject
		wantWarnings := 0
		seen := map[string]bool{}
		for i := range n {
			kind := rapid.SampledFrom(kinds).Draw(t, "kind")
			key := "k" + strconv.Itoa(i)
			if kind == "dupkey" && len(wantKeys) == 0 {
				kind = "good"
			}
			switch kind {
			case "good":
				fmt.Fprintf(&b, "%s, Ann, ann%d@acme.io, 1980-01-02%s", key, i, nl)
			case "badvalue":
				fmt.Fprintf(&b, "%s, Ann, not-an-email, 1980-02-31%s", key, nl)
				wantWarnings += 2
			case "multiline":
				fmt.Fprintf(&b, "%s, \"Ann%sMarie\", , %s", key, nl, nl)
			case "short":
				fmt.Fprintf(&b, "%s, Ann%s", key, nl)
			case "long":
				fmt.Fprintf(&b, "%s, Ann, a@acme.io, 1980-01-02, extra%s", key, nl)
			case "utf8":
				fmt.Fprintf(&b, "%s, A\xffnn, , %s", key, nl)
			case "nokey":
				fmt.Fprintf(&b, " , Ann, , %s", nl)
			case "dupkey":
				key = rapid.SampledFrom(wantKeys).Draw(t, "dup")
				fmt.Fprintf(&b, "%s, Bob, , %s", key, nl)
			case "bareq":
				fmt.Fprintf(&b, "%s, A\"nn, , %s", key, nl)
			case "toolong":
				fmt.Fprintf(&b, "%s, %s, , %s", key, strings.Repeat("x", 300), nl)
			}
			reasons := map[string]error{"short": ErrColumnCount, "long": ErrColumnCount, "utf8": ErrInvalidUTF8,
				"nokey": ErrMissingKey, "dupkey": ErrDuplicateKey, "bareq": ErrBareQuote, "toolong": ErrFieldTooLong}
			if r, bad := reasons[kind]; bad {
				wantRejects = append(wantRejects, plannedReject{line, r})
			} else {
				if seen[key] {
					t.Fatalf("generator produced a duplicate good key")
				}
				seen[key] = true
				wantKeys = append(wantKeys, key)
			}
			line++
			if kind == "multiline" {
				line++
			}
		}
		// Half the time, drop the final line end: the last row must still
		// count (or, if it is short, end the stream as truncated).
		in := b.String()
		trimmed := rapid.Bool().Draw(t, "trim final newline")
		if trimmed {
			in = strings.TrimSuffix(in, nl)
		}
		res := readRecords(t, strings.NewReader(in), Mapping{Source: "p"}, Options{MaxFieldBytes: 200})
		if res.fatal != nil {
			last := len(wantRejects) > 0 && wantRejects[len(wantRejects)-1].reason == ErrColumnCount &&
				wantRejects[len(wantRejects)-1].line == line-1 && trimmed
			if !last {
				t.Fatalf("fatal %v", res.fatal)
			}
			wantRejects = wantRejects[:len(wantRejects)-1] // a truncated short last row
		}
		if !res.report.Reconciled() || res.report.RowsRead != int64(len(wantKeys)+len(wantRejects)) {
			t.Fatalf("report %d read = %d + %d; planned %d good, %d bad", res.report.RowsRead, res.report.Accepted, res.report.Rejected, len(wantKeys), len(wantRejects))
		}
		if len(res.recs) != len(wantKeys) {
			t.Fatalf("%d records, want %d", len(res.recs), len(wantKeys))
		}
		for i, r := range res.recs {
			if r.Key != wantKeys[i] {
				t.Fatalf("record %d key %q, want %q", i, r.Key, wantKeys[i])
			}
		}
		if len(res.rejects) != len(wantRejects) {
			t.Fatalf("%d rejects, want %d: %v", len(res.rejects), len(wantRejects), res.rejects)
		}
		for i, rj := range res.rejects {
			if rj.Line != wantRejects[i].line || !strings.Contains(rj.Error(), strings.TrimPrefix(wantRejects[i].reason.Error(), "ingest: ")) {
				t.Fatalf("reject %d: %v (line %d), want %v at line %d", i, rj, rj.Line, wantRejects[i].reason, wantRejects[i].line)
			}
		}
		if res.report.Warnings != int64(wantWarnings) {
			t.Fatalf("%d warnings, want %d", res.report.Warnings, wantWarnings)
		}
	})
}
