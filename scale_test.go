package unify_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/ingest"
	"github.com/unifyhq/unify/internal/synth"
	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/match/eval"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

// BenchmarkScale runs the whole pipeline on synthetic multi-source data
// (internal/synth, default sources and mess) of UNIFY_SCALE_RECORDS
// records: generate to CSV; ingest with automatic mapping, a source at a
// time, adding the records in batches as they come, all but the last
// 10,000; Resolve (training, blocking, scoring, clustering); then add the
// last 10,000 one at a time and report the latency of those incremental
// adds, alone and with a read of the added record's profile (golden values
// are chosen when a profile is read). End to end is ingest through Resolve. It
// reports pairwise precision, recall and F1 against the generator's truth,
// both over all records and without the anonymous web devices that no
// matcher can place. UNIFY_SCALE_BATCH sets the batch size (default 4096).
// UNIFY_SCALE_TAIL sets how many records are added one at a time (default
// 10,000, or a tenth of the records). UNIFY_SCALE_CEILING=1 also reports
// what bounds recall on the data (see recallCeilings). UNIFY_SCALE_EVENTS=1
// then also reads the generator's events and evaluates ten rule segments
// over a view of every profile (see segmentsAtScale). It runs on demand
// only:
//
//	UNIFY_SCALE_RECORDS=1000000 go test -run '^$' -bench Scale -benchtime 1x -timeout 1h .
func BenchmarkScale(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("UNIFY_SCALE_RECORDS"))
	if n == 0 {
		b.Skip("set UNIFY_SCALE_RECORDS")
	}
	ctx := context.Background()
	dir := b.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Records = n
	writeSynth(b, dir, cfg)
	ceiling := os.Getenv("UNIFY_SCALE_CEILING") != ""
	tail := min(10_000, n/10)
	if v := os.Getenv("UNIFY_SCALE_TAIL"); v != "" {
		tail, _ = strconv.Atoi(v)
	}
	for b.Loop() {
		e, err := unify.New(ctx, unify.Options{})
		if err != nil {
			b.Fatal(err)
		}
		// Stream: each source is read in turn (a source normalizes on
		// every core) and its records go to the engine in batches as they
		// come, as a host loading exports would, so that no more than a
		// batch of records is held outside the engine. The last tail
		// records are held back for the incremental adds.
		const batch = 4096
		var pending, all []*profile.Record
		total := 0
		start := time.Now()
		for _, s := range cfg.Sources {
			err := readSource(ctx, filepath.Join(dir, s.Name+".csv"), s.Name, func(r *profile.Record) error {
				total++
				pending = append(pending, r)
				if ceiling {
					all = append(all, r)
				}
				if len(pending) < tail+batch {
					return nil
				}
				if _, err := e.Add(ctx, pending[:batch]...); err != nil {
					return err
				}
				pending = append(pending[:0], pending[batch:]...)
				clear(pending[len(pending):cap(pending)])
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		if k := len(pending) - tail; k > 0 {
			if _, err := e.Add(ctx, pending[:k]...); err != nil {
				b.Fatal(err)
			}
			pending = slices.Clone(pending[k:])
		}
		added := time.Since(start)
		if _, err := e.Resolve(ctx, false); err != nil {
			b.Fatal(err)
		}
		resolved := time.Since(start)
		// Golden values are chosen when a profile is read, so the add's
		// latency is also reported with a read of the record's profile.
		lat := make([]time.Duration, 0, tail)
		latRead := make([]time.Duration, 0, tail)
		for _, r := range pending {
			t := time.Now()
			if _, err := e.Add(ctx, r); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
			if _, err := e.ProfileOf(ctx, r.Ref()); err != nil {
				b.Fatal(err)
			}
			latRead = append(latRead, time.Since(t))
		}
		slices.Sort(lat)
		slices.Sort(latRead)
		// Every golden profile, built as an export builds them (golden
		// values are chosen when a profile is read). The end to
		// end includes writing golden profiles; the adds above are not in
		// it, so this is timed on its own and added to the end to end.
		t := time.Now()
		var nProfiles, nValues int
		for p, err := range e.Profiles(ctx) {
			if err != nil {
				b.Fatal(err)
			}
			nProfiles++
			for _, vs := range p.Fields {
				nValues += len(vs)
			}
		}
		golden := time.Since(t)
		if nProfiles != e.NumProfiles() {
			b.Fatalf("Profiles yielded %d profiles of %d", nProfiles, e.NumProfiles())
		}
		if len(lat) == 0 {
			lat = []time.Duration{0}
			latRead = []time.Duration{0}
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		// The peak so far is the ingest's and the engine's: the truth is
		// read only now, and the evaluation below adds its own maps.
		peak := peakRSS()
		truth, anonymous := readTruth(b, filepath.Join(dir, "truth.csv"))
		// Profile IDs only: building every profile (golden values are
		// chosen when a profile is read) took seconds and a few hundred
		// megabytes on top of the resident engine.
		pred := make(map[profile.Ref]string, len(truth))
		known := make(map[profile.Ref]string, len(truth))
		for ref := range truth {
			id, err := e.ProfileIDOf(ctx, ref)
			if errors.Is(err, unify.ErrNotFound) {
				continue // a row the ingest rejected
			}
			if err != nil {
				b.Fatal(err)
			}
			pred[ref] = id
			if !anonymous[ref] {
				known[ref] = id
			}
		}
		if len(pred) != e.Len() {
			b.Fatalf("the truth names %d of the engine's %d records", len(pred), e.Len())
		}
		scores, err := eval.Clusters(pred, truth)
		if err != nil {
			b.Fatal(err)
		}
		linkable, _ := eval.Clusters(known, truth)
		b.ReportMetric(added.Seconds(), "ingest+add-s")
		b.ReportMetric((resolved - added).Seconds(), "resolve-s")
		b.ReportMetric(resolved.Seconds(), "end-to-end-s")
		b.ReportMetric(golden.Seconds(), "profiles-s")
		b.ReportMetric((resolved + golden).Seconds(), "end-to-end+profiles-s")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "add-p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "add-p99-µs")
		b.ReportMetric(float64(latRead[len(latRead)/2].Microseconds()), "add+read-p50-µs")
		b.ReportMetric(float64(latRead[len(latRead)*99/100].Microseconds()), "add+read-p99-µs")
		b.ReportMetric(float64(ms.HeapAlloc)/float64(total), "heap-B/record")
		if peak > 0 {
			b.ReportMetric(float64(peak)/(1<<30), "peak-RSS-GiB")
		}
		b.ReportMetric(scores.Precision, "P")
		b.ReportMetric(scores.Recall, "R")
		b.ReportMetric(scores.F1, "F1")
		b.ReportMetric(linkable.F1, "F1-linkable")
		b.Logf("%d records: ingest and add %v, resolve %v, end to end %v, %d golden profiles (%d values) %v, incremental add p50 %v p99 %v; all %v; without anonymous devices %v",
			total, added, resolved-added, resolved, nProfiles, nValues, golden, lat[len(lat)/2], lat[len(lat)*99/100], scores, linkable)
		if ceiling {
			recallCeilings(b, all, truth, anonymous)
		}
		if os.Getenv("UNIFY_SCALE_EVENTS") != "" {
			segmentsAtScale(b, ctx, e, filepath.Join(dir, "events.csv"))
		}
	}
}

// scaleSegments are rule segments of the kinds a marketer writes, over
// aggregates, RFM, tiers and profile fields.
var scaleSegments = []string{
	`value_tier = "vip"`,
	`value_tier in ("vip", "high") and recency_days > 90`,
	`purchase_count >= 1 and last_purchase before 365d`,
	`total_spend >= 1000 and last_purchase within 90d and channel in ("email", "sms") and not has(complaint, 30d)`,
	`purchase_count >= 5 or total_spend > 2500`,
	`count(complaint, 90d) >= 2 or complaint_ratio >= 0.5`,
	`channel_count >= 3`,
	`rfm_segment in ("Champions", "Loyal")`,
	`country = "DE" and sources contains "pos"`,
	`sources contains "newsletter" and purchase_count = 0`,
}

// segmentsAtScale reads the generator's events (one feed holding every
// source's events) into the engine, then evaluates the rule segments over
// a view of every profile (aggregates, RFM and tiers over the population),
// streamed with EachView. It runs after the figures above are taken, so
// its memory is not in peak-RSS-GiB; it reports its own peak.
func segmentsAtScale(b *testing.B, ctx context.Context, e *unify.Engine, path string) {
	segs := make([]*segment.Segment, len(scaleSegments))
	for i, c := range scaleSegments {
		s, err := segment.New(fmt.Sprint("s", i), c)
		if err != nil {
			b.Fatal(err)
		}
		segs[i] = s
	}
	t := time.Now()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	src, err := ingest.NewEventSource(f, ingest.EventMapping{Name: "events", Columns: map[string]ingest.EventField{"source": ingest.EventRecordSource}}, ingest.Options{})
	if err != nil {
		b.Fatal(err)
	}
	batch := make([]profile.Event, 0, 4096)
	flush := func() {
		if err := e.AddEvents(ctx, batch...); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for ev, err := range src.Events(ctx) {
		var rj *ingest.Reject
		if errors.As(err, &rj) {
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		if batch = append(batch, ev); len(batch) == cap(batch) {
			flush()
		}
	}
	flush()
	rep := src.Report()
	added := time.Since(t)

	t = time.Now()
	members := make([]int, len(segs))
	views := 0
	for v, err := range e.EachView(ctx, segment.RFMOptions{}, segment.TierOptions{}) {
		if err != nil {
			b.Fatal(err)
		}
		views++
		for j, s := range segs {
			if s.Match(v) {
				members[j]++
			}
		}
	}
	evaluated := time.Since(t)
	if views != e.NumProfiles() || members[0] == 0 {
		b.Fatalf("%d views of %d profiles, %d VIPs", views, e.NumProfiles(), members[0])
	}
	b.ReportMetric(added.Seconds(), "events-s")
	b.ReportMetric(evaluated.Seconds(), "views+segments-s")
	if peak := peakRSS(); peak > 0 {
		b.ReportMetric(float64(peak)/(1<<30), "events-peak-RSS-GiB")
	}
	b.Logf("%d events read and added in %v (%d rejected); %d views with %d segments in %v; members %v",
		rep.Accepted, added, rep.Rejected, views, len(segs), evaluated, members)
}

// recallCeilings reports the recall a perfect clustering would reach from
// the candidate pairs: train the default model on recs, score every
// blocked pair, keep only the true pairs at or above a probability, and
// join their records. At 0 it is what blocking allows; at the threshold,
// what blocking and scoring allow; the gap to the engine's recall is the
// clustering's. It costs another training and scoring of every pair.
func recallCeilings(b *testing.B, recs []*profile.Record, truth eval.Truth, anonymous map[profile.Ref]bool) {
	ctx := context.Background()
	m, err := match.Train(ctx, recs, match.Settings{Nicknames: profile.DefaultNicknames(),
		Rules: []match.Rule{match.AnonymousIDRule("device", "cookie", "anonymous")}})
	if err != nil {
		b.Fatal(err)
	}
	links, _, err := m.Links(ctx, m.PrepareAll(recs), 0)
	if err != nil {
		b.Fatal(err)
	}
	// Connected components of the true pairs alone, at each threshold.
	var all, known []eval.Link
	for _, l := range links {
		if truth[l.A] != truth[l.B] {
			continue
		}
		el := eval.Link{A: l.A, B: l.B, Prob: l.Prob}
		all = append(all, el)
		if !anonymous[l.A] && !anonymous[l.B] {
			known = append(known, el)
		}
	}
	var refs, knownRefs []profile.Ref
	for _, r := range recs {
		refs = append(refs, r.Ref())
		if !anonymous[r.Ref()] {
			knownRefs = append(knownRefs, r.Ref())
		}
	}
	at := []float64{0, 0.1, 0.5}
	got, err := eval.Sweep(refs, all, at, truth)
	if err != nil {
		b.Fatal(err)
	}
	linkable, err := eval.Sweep(knownRefs, known, at, truth)
	if err != nil {
		b.Fatal(err)
	}
	for i, t := range at {
		b.ReportMetric(got[i].Recall, "R-ceiling-p"+strconv.FormatFloat(t, 'g', -1, 64))
		b.Logf("recall ceiling from true candidate pairs at p >= %g: %.4f (without anonymous devices %.4f)", t, got[i].Recall, linkable[i].Recall)
	}
}

// writeSynth writes the generator's CSV files for cfg into dir.
func writeSynth(tb testing.TB, dir string, cfg synth.Config) {
	tb.Helper()
	if _, err := synth.GenerateDir(context.Background(), cfg, dir, synth.CSV); err != nil {
		tb.Fatal(err)
	}
}

// readSource ingests one CSV export with automatic mapping, skipping
// rejected rows, and hands each record to fn.
func readSource(ctx context.Context, path, name string, fn func(*profile.Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	src, err := ingest.NewSource(f, ingest.Mapping{Source: name}, ingest.Options{})
	if err != nil {
		return err
	}
	for r, err := range src.Records(ctx) {
		var rj *ingest.Reject
		if errors.As(err, &rj) {
			continue
		}
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// readTruth reads synth's truth file: the person of every record, and the
// records flagged anonymous.
func readTruth(tb testing.TB, path string) (eval.Truth, map[profile.Ref]bool) {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	// Streamed, and each kept string cloned: the fields of a row share
	// one string, so keeping any would keep the whole line, and a million
	// rows read at once added a few hundred megabytes to the process's
	// peak while the engine was still resident.
	cr := csv.NewReader(f)
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil {
		tb.Fatal(err)
	}
	truth := eval.Truth{}
	anon := map[profile.Ref]bool{}
	for {
		r, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		if len(r) < 5 {
			tb.Fatalf("%s: a row of %d fields, want 5", path, len(r))
		}
		ref := profile.Ref{Source: strings.Clone(r[0]), Key: strings.Clone(r[1])}
		truth[ref] = strings.Clone(r[2])
		if strings.Contains(r[4], "anonymous") {
			anon[ref] = true
		}
	}
	return truth, anon
}

// peakRSS returns the process's peak resident set in bytes (VmHWM on
// Linux), or 0 where the system does not say.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
