package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/ingest"
	"github.com/unifyhq/unify/internal/par"
	"github.com/unifyhq/unify/match"
	"github.com/unifyhq/unify/match/eval"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// addBatch is how many records go to the engine per Add call: large enough
// to amortize the call, small enough that the batch is no memory concern.
const addBatch = 4096

// shownRejects is how many rejects are printed when no -rejects file
// saves them.
const shownRejects = 5

// job is one run of the command.
type job struct {
	cfg    *config
	log    *logger
	stdout io.Writer
	prog   *progress

	eng  *unify.Engine
	refs []profile.Ref // every accepted record, for the output
	// fields are the identifier, consent and attribute fields of the
	// records read, for the -profiles CSV's columns.
	fields  map[profile.Field]bool
	rejects *ingest.RejectWriter
	// truth holds each record's -truth label (records without one are
	// not in it), and pred each record's profile ID once written; both
	// nil without -truth.
	truth eval.Truth
	pred  map[profile.Ref]string

	// counts for the summary
	records, rejected, warnings int64
	shown                       int
}

// run does the work after the flags are parsed, and returns the exit
// status and the error to print, if any.
func (j *job) run(ctx context.Context) (int, error) {
	start := time.Now()
	if err := j.checkColumns(false); err != nil {
		return exitUsage, err
	}

	// Create every output before the long part, so that a bad path fails
	// at once. On failure the results (-out, -explain) are removed, so
	// that no partial result passes for a whole one; the rejects are kept
	// to show what was read.
	out, err := create(j.cfg.out, j.stdout)
	if err != nil {
		return exitUsage, err
	}
	outputs := []*output{out}
	ok := false
	defer func() {
		if j.rejects != nil {
			j.rejects.Flush() // on failure too: the rows read so far
		}
		for _, o := range outputs {
			if ok || o.keep {
				o.close()
			} else {
				o.abort()
			}
		}
	}()
	var explain *output
	if j.cfg.explain != "" {
		if explain, err = create(j.cfg.explain, j.stdout); err != nil {
			return exitUsage, err
		}
		outputs = append(outputs, explain)
	}
	var model *output
	if j.cfg.model != "" {
		if model, err = create(j.cfg.model, j.stdout); err != nil {
			return exitUsage, err
		}
		outputs = append(outputs, model)
	}
	var profiles *output
	if j.cfg.profiles != "" {
		if profiles, err = create(j.cfg.profiles, j.stdout); err != nil {
			return exitUsage, err
		}
		outputs = append(outputs, profiles)
	}
	if j.cfg.rejects != "" {
		w, err := create(j.cfg.rejects, j.stdout)
		if err != nil {
			return exitUsage, err
		}
		w.keep = true
		outputs = append(outputs, w)
		f, _ := rejectFormat(j.cfg.rejects)
		j.rejects = ingest.NewRejectWriter(w, f)
	}

	if j.cfg.truthFile != "" {
		if j.truth, err = readTruthFile(j.cfg.truthFile); err != nil {
			return exitUsage, err
		}
	}

	store := unify.NewMemoryStore()
	opts := unify.Options{Store: store}
	opts.Match.Threshold = j.cfg.threshold
	opts.Match.Attrs = j.cfg.compare
	if j.eng, err = unify.New(ctx, opts); err != nil {
		return exitFailure, err
	}
	j.prog = j.log.startProgress()
	defer j.prog.close()

	for _, in := range j.cfg.files {
		if err := j.read(ctx, in); err != nil {
			return exitCode(err), err
		}
	}
	if j.rejects != nil {
		if err := j.rejects.Flush(); err != nil {
			return exitFailure, fmt.Errorf("-rejects %s: %v", j.cfg.rejects, err)
		}
	}
	if err := j.checkColumns(true); err != nil {
		return exitUsage, err
	}
	readTime := time.Since(start)

	n := int64(len(j.refs))
	j.prog.set(func() string {
		return fmt.Sprintf("resolving %s records: training the match model, scoring candidate pairs, clustering", group(n))
	})
	t := time.Now()
	if _, err := j.eng.Resolve(ctx, false); errors.Is(err, match.ErrNoData) {
		// Nothing to compare (say, no record shares a blocking key with
		// another): every record stays its own profile, which is the
		// right answer, so say so and go on.
		j.log.infof("no model trained (%v): every record is its own profile", err)
	} else if err != nil {
		return exitCode(err), fmt.Errorf("resolving: %w", err)
	}
	resolveTime := time.Since(t)
	modelWritten := false
	if model != nil {
		switch doc, err := store.GetModel(ctx); {
		case errors.Is(err, unify.ErrNotFound):
			// No model to write: the file stays empty, and the summary says why.
		case err != nil:
			return exitFailure, fmt.Errorf("-model %s: %w", j.cfg.model, err)
		default:
			if _, err := model.Write(doc); err != nil {
				return exitFailure, fmt.Errorf("-model %s: %w", j.cfg.model, err)
			}
			modelWritten = true
		}
	}

	t = time.Now()
	var xw io.Writer
	if explain != nil {
		xw = explain
	}
	st, err := j.write(ctx, out, xw)
	if err != nil {
		return exitCode(err), err
	}
	var nProfiles, missed int64
	if profiles != nil {
		// Each golden profile is garbage once written, while the engine's
		// whole heap stays live: at the default GOGC of 100 that garbage
		// grows to the engine's size before a collection (0.3-0.5 GiB of
		// peak memory at a million records). At 50 the peak stays at the
		// engine's, for no measurable time. A lower setting of the user's
		// is kept.
		if prev := debug.SetGCPercent(50); prev < 50 {
			debug.SetGCPercent(prev)
		} else {
			defer debug.SetGCPercent(prev)
		}
		f, _ := profilesFormat(j.cfg.profiles)
		if nProfiles, missed, err = j.writeProfiles(ctx, profiles, f); err != nil {
			return exitCode(err), fmt.Errorf("-profiles %s: %w", j.cfg.profiles, err)
		}
	}
	for _, o := range outputs {
		if err := o.close(); err != nil {
			return exitFailure, err
		}
	}
	ok = true
	writeTime := time.Since(t)
	j.prog.close()

	thr := j.threshold()
	j.log.infof("records:          %s from %s", group(j.records), plural(int64(len(j.cfg.files)), "file"))
	j.log.infof("rejected rows:    %s%s", group(j.rejected), j.savedTo())
	j.log.infof("warnings:         %s%s", group(j.warnings), j.savedTo())
	j.log.infof("linked pairs:     %s at or above the threshold %v", group(st.matched), thr)
	if xw != nil {
		j.log.infof("explained pairs:  %s in %s (%s of them in different profiles)", group(st.matched), shown(j.cfg.explain), group(st.apart))
	}
	j.log.infof("profiles:         %s (%s with more than one record)", group(st.profiles), group(st.multi))
	if m := j.eng.Model(); m != nil {
		tr := m.Trained
		line := fmt.Sprintf("training:         %s candidate pairs (%.0f%% matches, as EM estimates), %s",
			group(tr.BlockedPairs), 100*tr.BlockedMatches, plural(int64(len(tr.Sessions)), "EM session"))
		if len(tr.Sessions) == 0 {
			line += ": no blocking rule has pairs enough for a session of its own, so the weights are rough (-model writes them)"
		}
		j.log.infof("%s", line)
	}
	if model != nil {
		if modelWritten {
			j.log.infof("match model:      %s", shown(j.cfg.model))
		} else {
			j.log.infof("match model:      none trained, %s left empty", shown(j.cfg.model))
		}
	}
	if profiles != nil {
		line := fmt.Sprintf("golden profiles:  %s in %s", group(nProfiles), shown(j.cfg.profiles))
		if missed > 0 {
			line += fmt.Sprintf(" (%s values of fields with no column left out; the .jsonl form has them)", group(missed))
		}
		j.log.infof("%s", line)
	}
	j.log.infof("time:             %s (read %s, resolve %s, write %s)",
		duration(time.Since(start)), duration(readTime), duration(resolveTime), duration(writeTime))
	if j.scoring() {
		j.score()
	}
	return exitOK, nil
}

// scoring reports whether the run is scored (-truth or -truth-file).
func (j *job) scoring() bool { return j.cfg.truth != "" || j.cfg.truthFile != "" }

// truthName names what the run is scored against, for messages.
func (j *job) truthName() string {
	if j.cfg.truthFile != "" {
		return j.cfg.truthFile
	}
	return j.cfg.truthCol()
}

// readTruthFile reads a CSV whose header names source and record_id and
// at least one more column, the first of which labels each record's
// person (examples/generate's truth.csv: source,record_id,person_id,...).
func readTruthFile(path string) (eval.Truth, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("-truth-file: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, usagef("-truth-file %s: no header: %v", path, err)
	}
	src, key, label := -1, -1, -1
	for i, h := range head {
		switch h = ingest.NormalizeHeader(h); {
		case h == "source" && src < 0:
			src = i
		case h == "record_id" && key < 0:
			key = i
		case label < 0:
			label = i
		}
	}
	if src < 0 || key < 0 || label < 0 {
		return nil, usagef("-truth-file %s: the header needs source, record_id and a label column; it is %q", path, head)
	}
	truth := eval.Truth{}
	for line := 2; ; line++ {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, usagef("-truth-file %s: %v", path, err)
		}
		if len(row) <= max(src, key, label) {
			return nil, usagef("-truth-file %s: line %d has %d fields, the header %d", path, line, len(row), len(head))
		}
		ref := profile.Ref{Source: strings.Clone(row[src]), Key: strings.Clone(row[key])}
		if prev, ok := truth[ref]; ok && prev != row[label] {
			return nil, usagef("-truth-file %s: line %d labels %v %q, an earlier line %q", path, line, ref, row[label], prev)
		}
		if l := strings.TrimSpace(row[label]); l != "" {
			truth[ref] = strings.Clone(l)
		}
	}
	return truth, nil
}

// score prints the result's quality against the -truth column, even when
// quiet: it is what -truth asks for. A record without a label is taken as
// a person of its own, and the line says how many there were.
func (j *job) score() {
	truth := make(eval.Truth, len(j.pred))
	var unlabelled int64
	for ref := range j.pred {
		if l, ok := j.truth[ref]; ok {
			truth[ref] = "=" + l
		} else {
			truth[ref] = "#" + ref.String() // cannot equal a label
			unlabelled++
		}
	}
	m, err := eval.Clusters(j.pred, truth)
	if err != nil {
		j.log.errorf("scoring against %s: %v", j.truthName(), err)
		return
	}
	bp, br, err := eval.BCubed(j.pred, truth)
	if err != nil {
		j.log.errorf("scoring against %s: %v", j.truthName(), err)
		return
	}
	j.log.mu.Lock()
	defer j.log.mu.Unlock()
	w := j.log.w
	fmt.Fprintf(w, "scored against %s:\n  pairwise precision %.4f, recall %.4f, F1 %.4f (%s true pairs; %s found, %s wrongly)\n",
		j.truthName(), m.Precision, m.Recall, m.F1, group(m.TruePositives+m.FalseNegatives),
		group(m.TruePositives), group(m.FalsePositives))
	fmt.Fprintf(w, "  B-cubed precision %.4f, recall %.4f\n", bp, br)
	if unlabelled > 0 {
		fmt.Fprintf(w, "  %s without a label, each taken as a person of its own\n", plural(unlabelled, "record"))
	}
	if n, first := j.unknownTruth(); n > 0 {
		// Rows naming no record read: a typo'd source or key, a record
		// rejected, or a file left off the command line. Their labels
		// count nowhere, like rejected rows'.
		fmt.Fprintf(w, "  %s in %s %s no record read (first: source %q, record_id %q) and %s not scored\n",
			plural(n, "row"), j.truthName(), map[bool]string{true: "names", false: "name"}[n == 1], first.Source, first.Key,
			map[bool]string{true: "is", false: "are"}[n == 1])
	}
	if j.rejected > 0 {
		// Their labels count nowhere: the pairs they would make are in
		// neither the true nor the found pairs.
		fmt.Fprintf(w, "  %s rejected and not scored%s\n", plural(j.rejected, "row"), j.savedTo())
	}
}

// unknownTruth counts the labelled records that no file gave (a
// -truth-file row naming a source or key that was not read), and returns
// the first by reference, for the message.
func (j *job) unknownTruth() (int64, profile.Ref) {
	var n int64
	var first profile.Ref
	for ref := range j.truth {
		if _, ok := j.pred[ref]; ok {
			continue
		}
		if n++; n == 1 || ref.Compare(first) < 0 {
			first = ref
		}
	}
	return n, first
}

func (j *job) savedTo() string {
	if j.cfg.rejects == "" {
		return ""
	}
	return " (saved in " + shown(j.cfg.rejects) + ")"
}

// threshold is the match probability the engine links at.
func (j *job) threshold() float64 {
	if j.cfg.threshold > 0 {
		return j.cfg.threshold
	}
	return match.DefaultThreshold
}

// exitCode maps an error to an exit status: problems with the input are
// usage errors (2), everything else, including an interrupt, a failure (1).
func exitCode(err error) int {
	var ue *usageError
	var re *ingest.ReadError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return exitFailure
	case errors.As(err, &ue), errors.As(err, &re):
		return exitUsage
	}
	return exitFailure
}

// output is a buffered output file, or standard output.
type output struct {
	*bufio.Writer
	f      *os.File // nil for standard output
	path   string
	keep   bool // close rather than abort on failure
	closed bool
}

// create opens an output file, or wraps stdout when path is empty (only
// -out's is ever created so) or "-".
func create(path string, stdout io.Writer) (*output, error) {
	if path == "" || path == stdoutName {
		return &output{Writer: bufio.NewWriterSize(stdout, 64<<10)}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &output{Writer: bufio.NewWriterSize(f, 64<<10), f: f, path: path}, nil
}

// close flushes and closes the output; later calls do nothing.
func (o *output) close() error {
	if o.closed {
		return nil
	}
	o.closed = true
	err := o.Flush()
	if o.f != nil {
		if e := o.f.Close(); err == nil {
			err = e
		}
	}
	if err != nil && o.path != "" {
		return fmt.Errorf("writing %s: %w", o.path, err)
	}
	return err
}

// abort drops what is buffered and removes the file.
func (o *output) abort() {
	if o.closed {
		return
	}
	o.closed = true
	if o.f != nil {
		o.f.Close()
		os.Remove(o.path)
	}
}

// checkColumns reports a command-line column that no file has. Before
// reading (final false) only CSV headers are known, so JSON inputs might
// still hold the column; after reading, every input has been seen.
func (j *job) checkColumns(final bool) error {
	anyJSON := false
	for _, in := range j.cfg.files {
		if in.format != ingest.FormatCSV {
			anyJSON = true
			continue
		}
		for _, e := range j.cfg.entries() {
			if in.has(e.col) {
				e.found = true
			}
		}
	}
	if anyJSON && !final {
		return nil
	}
	for _, e := range j.cfg.entries() {
		if !e.found {
			return usagef("%s: column %q is in none of the files", e.flag, e.col)
		}
	}
	return nil
}

// read reads one file into the engine. A file in which no column looks
// like a record key is read again with data row numbers as keys.
func (j *job) read(ctx context.Context, in *input) error {
	noKey, err := j.readOnce(ctx, in, false)
	if noKey {
		_, err = j.readOnce(ctx, in, true)
	}
	return err
}

// readOnce reads a file; noKey reports that it found no key column before
// yielding anything, so that the caller can try again with row numbers.
func (j *job) readOnce(ctx context.Context, in *input, rowKeys bool) (noKey bool, err error) {
	r, err := in.open()
	if err != nil {
		return false, usagef("%v", err)
	}
	defer r.Close()
	opts := ingest.Options{
		Format:           in.format,
		Comma:            in.comma,
		KeepLeadingSpace: in.comma == '\t',
		Encoding:         in.enc,
		MaxWarnings:      -1, // counted in the report, saved by OnWarning
	}
	var warnErr error
	var noRegion int64   // phone numbers no region could place
	var shortYears int64 // birth dates with a two-digit year left unread
	opts.OnWarning = func(w ingest.Warning) {
		if errors.Is(w.Err, profile.ErrPhoneNoRegion) {
			noRegion++
		}
		if w.Field == profile.FieldBirthDate && errors.Is(w.Err, profile.ErrInvalidDate) && strings.Contains(w.Err.Error(), "two-digit year") {
			shortYears++
		}
		if j.rejects == nil {
			return
		}
		if err := j.rejects.WriteWarning(w); err != nil && warnErr == nil {
			warnErr = err
		}
	}
	src, err := ingest.NewSource(r, in.mapping(j.cfg, rowKeys), opts)
	if err != nil {
		return false, usagef("%s: %v", in.path, err)
	}
	var rows atomic.Int64
	j.prog.set(func() string { return fmt.Sprintf("reading %s: %s rows", in.name, group(rows.Load())) })
	batch := make([]*profile.Record, 0, addBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := j.eng.Add(ctx, batch...); err != nil {
			return fmt.Errorf("%s: %w", in.path, err)
		}
		clear(batch) // let the engine's copies be the only ones
		batch = batch[:0]
		return nil
	}
	logged := false
	for rec, err := range src.Records(ctx) {
		n := rows.Add(1)
		var rej *ingest.Reject
		isRej := errors.As(err, &rej)
		if !logged && in.format == ingest.FormatCSV && (err == nil || isRej) {
			// The header is resolved: show the mapping before the long
			// part, so that a wrong one can be stopped early.
			rep := src.Report()
			j.logMapping(in, &rep, rowKeys)
			logged = true
		}
		if isRej {
			j.reject(rej)
			continue
		}
		if err != nil {
			if n == 1 && !rowKeys && errors.Is(err, ingest.ErrNoKey) {
				return true, nil
			}
			if in.enc == nil && errors.Is(err, ingest.ErrInvalidUTF8) {
				return false, fmt.Errorf("%s: %w; %s", in.path, err, notUTF8)
			}
			return false, fmt.Errorf("%s: %w", in.path, err)
		}
		// A copy of the key: the record's is a slice of its whole input
		// line, which the reference would otherwise keep alive.
		j.refs = append(j.refs, profile.Ref{Source: rec.Source, Key: strings.Clone(rec.Key)})
		if j.cfg.truth != "" {
			// Taken off the record: the label is the answer, not evidence,
			// and it would otherwise show on the golden profile.
			if v := strings.TrimSpace(rec.Attrs[j.cfg.truth]); v != "" {
				if j.truth == nil {
					j.truth = eval.Truth{}
				}
				j.truth[j.refs[len(j.refs)-1]] = strings.Clone(v)
			}
			delete(rec.Attrs, j.cfg.truth)
		}
		if j.cfg.profiles != "" {
			j.noteFields(rec)
		}
		batch = append(batch, rec)
		if len(batch) == addBatch {
			if err := flush(); err != nil {
				return false, err
			}
		}
	}
	if err := flush(); err != nil {
		return false, err
	}
	if warnErr != nil {
		return false, fmt.Errorf("-rejects %s: %v", j.cfg.rejects, warnErr)
	}
	rep := src.Report()
	if !logged { // JSON (whose keys are known only now) or no rows
		j.logMapping(in, &rep, rowKeys)
	}
	j.logCounts(in, &rep, noRegion, shortYears)
	j.records += rep.Accepted
	j.rejected += rep.Rejected
	j.warnings += rep.Warnings
	if in.format != ingest.FormatCSV {
		for _, c := range rep.Columns {
			if c.How != ingest.HowExplicit || c.Index < 0 {
				continue
			}
			for _, e := range j.cfg.entries() {
				if c.Name == e.col || ingest.NormalizeHeader(c.Name) == ingest.NormalizeHeader(e.col) {
					e.found = true
				}
			}
		}
	}
	return false, nil
}

// noteFields notes the open-ended fields (id:, consent:, attr:) a record
// has. They come from the records and not from the column mapping, which
// does not show every one: a key column such as loyalty_no also gives the
// record an id:loyalty.
func (j *job) noteFields(rec *profile.Record) {
	if j.fields == nil {
		j.fields = map[profile.Field]bool{}
	}
	for _, id := range rec.IDs {
		j.fields[profile.IDField(id.Type)] = true
	}
	for _, c := range rec.Consents {
		j.fields[profile.ConsentField(c.Purpose)] = true
	}
	for k := range rec.Attrs {
		j.fields[profile.AttrField(k)] = true
	}
}

// reject saves a rejected row, or shows the first few when no file saves
// them.
func (j *job) reject(rej *ingest.Reject) {
	if j.rejects != nil {
		j.rejects.Write(rej) // a write error is kept and returned by Flush
		return
	}
	j.shown++
	if j.shown <= shownRejects {
		j.log.infof("  rejected: %v", rej)
	}
	if j.shown == shownRejects+1 {
		j.log.infof("  (more rejected rows: save them all with -rejects FILE)")
	}
}

// logMapping writes what became of each column, on one line:
//
//	crm.csv: 5 columns: id->key, name->full_name, mail->email (-map), ...; ignored: x; unmapped: -
func (j *job) logMapping(in *input, rep *ingest.Report, rowKeys bool) {
	var mapped, ignored, unmapped, notes []string
	seen := 0
	named := map[string]bool{}
	for _, c := range rep.Columns {
		if c.Index < 0 {
			continue // a -map column this JSON file never had
		}
		seen++
		name := quoteCol(c.Name)
		if named[c.Name] {
			// A name the header repeats: say which column is meant.
			name += fmt.Sprintf(" (column %d)", c.Index+1)
		}
		named[c.Name] = true
		how := ""
		if c.How == ingest.HowExplicit {
			how = " (" + j.flagOf(c.Name) + ")"
		} else if name, ok := c.Field.AttrName(); ok && slices.Contains(match.KnownAttrs(), name) {
			how = " (compared)" // an attribute, unlike the others, compared by default
		}
		switch {
		case c.Role == ingest.RoleIgnored && c.How == ingest.HowExplicit:
			ignored = append(ignored, name)
		case c.How == ingest.HowUnmapped && strings.TrimSpace(c.Name) == "":
			// A trailing delimiter on every line makes one.
			unmapped = append(unmapped, fmt.Sprintf("(column %d, no name)", c.Index+1))
		case c.How == ingest.HowUnmapped:
			unmapped = append(unmapped, name)
		case c.Role == ingest.RoleKey, c.Role == ingest.RoleObserved:
			mapped = append(mapped, fmt.Sprintf("%s->%s%s", name, c.Role, how))
		default:
			mapped = append(mapped, fmt.Sprintf("%s->%s%s", name, c.Field, how))
		}
		if c.Note != "" {
			notes = append(notes, fmt.Sprintf("%s: %s", name, c.Note))
		}
	}
	if rowKeys {
		notes = append(notes, "no column looks like a record key, so record_id is the data row number (name one with -key)")
	}
	list := func(xs []string) string {
		if len(xs) == 0 {
			return "-"
		}
		return strings.Join(xs, ", ")
	}
	line := fmt.Sprintf("%s: %s: %s", in.name, plural(int64(seen), "column"), list(mapped))
	if len(ignored) > 0 {
		line += "; ignored: " + list(ignored)
	}
	line += "; unmapped: " + list(unmapped)
	if len(unmapped) > 0 {
		line += " (kept as attributes, not compared; -compare COLUMN compares one)"
	}
	if len(notes) > 0 {
		line += "; notes: " + strings.Join(notes, "; ")
	}
	j.log.infof("%s", line)
}

// quoteCol writes a column name as the log lines list it: quoted when it
// holds what separates their items (a comma, a semicolon), a quote, or
// space at either end, so "Name, Vorname" reads as one column.
func quoteCol(name string) string {
	if name == "" || strings.ContainsAny(name, ",;\"") || strings.TrimSpace(name) != name {
		return strconv.Quote(name)
	}
	return name
}

// flagOf names the flag that set a column explicitly.
func (j *job) flagOf(col string) string {
	for _, e := range j.cfg.entries() {
		if e.col == col || ingest.NormalizeHeader(e.col) == ingest.NormalizeHeader(col) {
			return e.flag
		}
	}
	return "explicit"
}

// notUTF8 is the hint for input that is not valid UTF-8, read without
// -encoding.
const notUTF8 = "the file may not be UTF-8 (name its character set with -encoding, such as windows-1252)"

// logCounts writes a file's row counts, rejects by reason and warnings by
// column, and says how to place phone numbers without a country code when
// noRegion of them had no country to be read in, and how to read
// shortYears birth dates written with two-digit years.
func (j *job) logCounts(in *input, rep *ingest.Report, noRegion, shortYears int64) {
	line := fmt.Sprintf("%s: %s: %s accepted, %s rejected", in.name, plural(rep.RowsRead, "row"), group(rep.Accepted), group(rep.Rejected))
	if len(rep.RejectsByReason) > 0 {
		line += " (" + byCount(rep.RejectsByReason, func(s string) string { return strings.TrimPrefix(s, "ingest: ") }) + ")"
	}
	line += "; " + plural(rep.Warnings, "warning")
	if len(rep.WarningsByColumn) > 0 {
		line += " (" + byCount(rep.WarningsByColumn, quoteCol) + ")"
	}
	if in.enc == nil {
		for reason := range rep.RejectsByReason {
			if strings.Contains(reason, ingest.ErrInvalidUTF8.Error()) {
				// Spreadsheets on Windows save "ANSI" CSV: windows-1252 in
				// the West. Say so where the rows are counted.
				line += "; " + notUTF8
				break
			}
		}
	}
	if noRegion > 0 {
		// National numbers on records without a country: kept as digits
		// for matching, but with no E.164 form.
		line += fmt.Sprintf("; %s without a country code and no country to read %s in (set -region)",
			plural(noRegion, "phone number"), map[bool]string{true: "it", false: "them"}[noRegion == 1])
	}
	if shortYears > 0 && j.cfg.yearPivot == 0 {
		line += fmt.Sprintf("; %s with a two-digit year (set -two-digit-year-pivot to read %s)",
			plural(shortYears, "birth date"), map[bool]string{true: "it", false: "them"}[shortYears == 1])
	}
	j.log.infof("%s", line)
}

// byCount formats counts by name, most frequent first: "a 3, b 1".
func byCount(m map[string]int64, name func(string) string) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %s", name(k), group(m[k]))
	}
	return strings.Join(parts, ", ")
}

// writeStats are the counts the output pass gathers for the summary.
type writeStats struct {
	matched, apart  int64
	profiles, multi int64
}

// explainLine is one line of the -explain file: a match.Explanation (its
// fields inline, so the line decodes into one) and where the pair ended.
type explainLine struct {
	*match.Explanation
	ProfileA    string `json:"profile_a"`
	ProfileB    string `json:"profile_b"`
	SameProfile bool   `json:"same_profile"`
}

// write writes the profile ID of every record, sorted by reference, and
// the explanations. It walks the records once and holds one record's
// links at a time.
func (j *job) write(ctx context.Context, out, explain io.Writer) (writeStats, error) {
	var st writeStats
	par.Sort(j.refs, profile.Ref.Compare)
	var done atomic.Int64
	total := group(int64(len(j.refs)))
	j.prog.set(func() string {
		return fmt.Sprintf("writing: %s of %s records", group(done.Load()), total)
	})
	cw := csv.NewWriter(out)
	if err := cw.Write([]string{"source", "record_id", "profile_id"}); err != nil {
		return st, err
	}
	var enc *json.Encoder
	if explain != nil {
		enc = json.NewEncoder(explain)
		enc.SetEscapeHTML(false)
	}
	thr := j.threshold()
	row := make([]string, 3)
	// Each record's profile ID comes without building its profile (golden
	// values are chosen when a profile is read); members counts the
	// records written under each ID, for the summary. The IDs and links
	// of a chunk of records are looked up on every core, then written in
	// order: at a million records the lookups are most of the write.
	members := make(map[string]int32, j.eng.NumProfiles())
	const chunk = 4096
	ids := make([]string, min(chunk, len(j.refs)))
	links := make([][]merge.Link, len(ids))
	errs := make([]error, len(ids))
	for start := 0; start < len(j.refs); start += chunk {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		part := j.refs[start:min(start+chunk, len(j.refs))]
		par.Do(len(part), func(_, i int) {
			ids[i], errs[i] = j.eng.ProfileIDOf(ctx, part[i])
			if errs[i] == nil {
				links[i], errs[i] = j.eng.Links(ctx, part[i])
			}
		})
		for i, ref := range part {
			if errs[i] != nil {
				return st, errs[i]
			}
			id := ids[i]
			members[id]++
			if j.scoring() {
				if j.pred == nil {
					j.pred = make(map[profile.Ref]string, len(j.refs))
				}
				j.pred[ref] = id
			}
			row[0], row[1], row[2] = ref.Source, ref.Key, id
			if err := cw.Write(row); err != nil {
				return st, err
			}
			for _, l := range links[i] {
				// Links lists a record's pairs with the record as A, so a
				// pair appears under both records: take it under the
				// smaller. Links below the threshold are kept only where
				// the engine was given its own scorer, or after a second
				// Resolve.
				if ref.Compare(l.B) >= 0 || l.Prob < thr {
					continue
				}
				st.matched++
				if enc == nil {
					continue
				}
				// The match explanation alone: Engine.Explain's clustering
				// part solves the pair's whole component again, which at a
				// low threshold (one component of thousands) took minutes.
				x, err := j.eng.ExplainMatch(ctx, ref, l.B)
				if err != nil {
					return st, err
				}
				if x == nil {
					return st, fmt.Errorf("explaining %v and %v: the engine has no match model", ref, l.B)
				}
				idB, err := j.eng.ProfileIDOf(ctx, l.B)
				if err != nil {
					return st, err
				}
				same := id == idB
				if !same {
					st.apart++
				}
				if err := enc.Encode(explainLine{Explanation: x, ProfileA: id, ProfileB: idB, SameProfile: same}); err != nil {
					return st, fmt.Errorf("-explain %s: %v", j.cfg.explain, err)
				}
			}
			links[i] = nil
			done.Add(1)
		}
	}
	if n := j.eng.Len(); n != len(j.refs) {
		return st, fmt.Errorf("the engine's profiles hold %d records, and %d were added", n, len(j.refs))
	}
	st.profiles = int64(len(members))
	for _, n := range members {
		if n > 1 {
			st.multi++
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return st, err
	}
	return st, nil
}
