package ingest

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"iter"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/unifyhq/unify/profile"
)

// Source reads customer records from one input. Build it with [NewSource],
// range over [Source.Records] once, then read [Source.Report].
//
// A Source is not safe for concurrent use: range over its stream in one
// goroutine and read the report from that goroutine (between yields or
// after the loop). The records it yields are new values owned by the caller.
type Source struct {
	r    io.Reader
	m    Mapping
	o    Options
	norm Normalizer
	zone *time.Location

	cnt  counter
	used bool
}

// NewSource checks the mapping and options and returns a source that will
// read r. Problems that need the header (an unknown column, no key column)
// are reported when reading starts, as the stream's first error.
func NewSource(r io.Reader, m Mapping, o Options) (*Source, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	zone, _ := loadZone(m.TimeZone)
	s := &Source{r: o.decoded(r), m: m, o: o, norm: o.Normalizer, zone: zone}
	if s.norm == nil {
		s.norm = profile.NewNormalizer(m.normalizerOptions())
	}
	s.cnt = counter{rep: Report{Source: m.Source, Format: o.Format}, maxWarn: max(o.MaxWarnings, 0), onWarning: o.OnWarning}
	return s, nil
}

// Report returns a copy of the source's report so far.
func (s *Source) Report() Report { return s.cnt.rep.clone() }

// Records streams the source's records. Each step yields either a record
// (and a nil error) or an error: a *[Reject] for a row that could not be a
// record, after which the stream goes on, or a *[ReadError] that ends it
// (an unknown column, no key column, I/O failure, truncated input, ctx
// cancelled). A typical loop:
//
//	for rec, err := range src.Records(ctx) {
//		var rej *ingest.Reject
//		if errors.As(err, &rej) {
//			rejects.Write(rej) // and go on
//			continue
//		}
//		if err != nil {
//			return err
//		}
//		use(rec)
//	}
//
// The stream can be ranged over once; a second range yields ErrReused.
// Stopping early is fine: the report then counts the rows yielded so far.
// The source reads ahead of the rows it yields; after stopping early with
// several workers, a goroutine may still be finishing a Read, so close the
// reader rather than read from it again.
// Cancellation of ctx is checked between rows (every 256 rows), so a Read
// that blocks is not interrupted; close the reader to unblock it.
// Memory stays flat whatever the input's size, except for one small entry
// per distinct key while duplicate keys are tracked (see [DuplicateKeys]).
func (s *Source) Records(ctx context.Context) iter.Seq2[*profile.Record, error] {
	return func(yield func(*profile.Record, error) bool) {
		if s.used {
			yield(nil, &ReadError{Source: s.m.Source, Err: ErrReused})
			return
		}
		s.used = true
		err := s.run(ctx, yield)
		if err != nil {
			if err == errStopped {
				return
			}
			s.cnt.end(err)
			yield(nil, err)
			return
		}
		s.cnt.end(nil)
	}
}

// errStopped says the consumer stopped ranging.
var errStopped = fmt.Errorf("ingest: stopped by consumer")

// recordPlan is what each column does, resolved from the mapping.
type recordPlan struct {
	res  *resolver
	cols []column
	// idOfKey is the identifier field the key column's name names
	// ("device_id" is id:device), or "" when it names none; keyChecked
	// says whether it was worked out.
	idOfKey    profile.Field
	keyChecked bool
	// seen[i] is the row number in which column i last had a value, to spot
	// a JSON list given to a single-valued field.
	seen []int64
}

func (s *Source) run(ctx context.Context, yield func(*profile.Record, error) bool) error {
	if err := ctx.Err(); err != nil {
		return &ReadError{Source: s.m.Source, Line: 1, Err: err}
	}
	st, err := openStream(s.r, s.m.Source, s.o)
	if err != nil {
		return err
	}
	s.cnt.rep.Format = st.format
	plan := &recordPlan{res: newResolver(s.m)}
	if st.format == FormatCSV {
		cols, err := plan.res.resolveHeader(st.names, true)
		if err != nil {
			return &ReadError{Source: s.m.Source, Line: 1, Err: err}
		}
		plan.cols = cols
		s.publishColumns(plan.res, cols, plan.res.usedLog, nil)
		s.warnRepeats(cols, st.csvRow.line)
	}
	r := &rowReader{s: s, st: st, plan: plan, dups: newKeySet(s.o.Duplicates)}
	var values []int64 // values per column among the rows yielded
	// The columns known when the last row yielded was read: rows read
	// ahead of a consumer that stops early do not reach the report.
	var cols []column
	var used []string
	emit := func(j *rowJob) bool {
		cols, used = j.cols, j.used
		if j.rej != nil {
			s.cnt.reject(j.rej)
			return yield(nil, j.rej)
		}
		for _, w := range j.warns {
			s.cnt.warn(w)
		}
		for _, c := range j.cells {
			if c.idx >= 0 {
				for len(values) <= c.idx {
					values = append(values, 0)
				}
				values[c.idx]++
			}
		}
		s.cnt.rep.UntrackedKeys += j.untracked
		s.cnt.accept(j.replaced)
		return yield(j.rec, nil)
	}
	if w := s.workers(); w > 1 {
		err = s.runParallel(ctx, r, w, emit)
	} else {
		err = s.runSerial(ctx, r, emit)
	}
	if err != errStopped {
		// Read to the end or to a fatal error: every row read was yielded,
		// and the reader is done with the plan.
		cols, used = plan.cols, plan.res.usedLog
	}
	s.publishColumns(plan.res, cols, used, values)
	return err
}

// runSerial reads, normalizes and yields one row at a time.
func (s *Source) runSerial(ctx context.Context, r *rowReader, emit func(*rowJob) bool) error {
	var j rowJob
	for {
		j.reset()
		if err := r.next(ctx, &j); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if j.rej == nil {
			s.fill(&j)
		}
		if !emit(&j) {
			return errStopped
		}
	}
}

// rowBatch is a run of rows on their way through the parallel pipeline.
type rowBatch struct {
	jobs []rowJob
	err  error // what ended the reading after jobs (io.EOF at the end)
	done chan struct{}
}

// runParallel normalizes rows on several goroutines: one reads rows and
// checks keys in order (duplicates depend on it), workers normalize whole
// batches, and the ranging goroutine yields them in input order with their
// warnings. A few batches are in flight at a time, so memory stays flat.
//
// When the consumer stops early, runParallel returns at once: the reader
// may be blocked in a Read that only the input's end or closing can end.
// It and the workers stop at their next step and touch nothing the caller
// reads (the report is built from what the yielded rows carried).
func (s *Source) runParallel(ctx context.Context, r *rowReader, workers int, emit func(*rowJob) bool) error {
	const batchRows = 256
	stop := make(chan struct{})
	work := make(chan *rowBatch, workers)
	order := make(chan *rowBatch, 2*workers)
	// Batches go round: the ranging goroutine hands each one back once
	// yielded, so the jobs' cell lists are reused rather than reallocated.
	free := make(chan *rowBatch, 3*workers+2)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(order)
		defer close(work)
		for {
			var b *rowBatch
			select {
			case b = <-free:
			default:
				b = &rowBatch{jobs: make([]rowJob, batchRows)}
			}
			b.done = make(chan struct{})
			n := 0
			for n < batchRows {
				select {
				case <-stop:
					return
				default:
				}
				j := &b.jobs[n]
				j.reset()
				if err := r.next(ctx, j); err != nil {
					b.err = err
					break
				}
				n++
			}
			b.jobs = b.jobs[:n]
			select {
			case order <- b:
			case <-stop:
				return
			}
			select {
			case work <- b:
			case <-stop:
				return
			}
			if b.err != nil {
				return
			}
		}
	})
	for range workers {
		wg.Go(func() {
			for b := range work {
				for i := range b.jobs {
					if b.jobs[i].rej == nil {
						s.fill(&b.jobs[i])
					}
				}
				close(b.done)
			}
		})
	}
	stopped := false
	defer func() {
		close(stop)
		if !stopped {
			wg.Wait()
		}
	}()
	for b := range order {
		<-b.done
		for i := range b.jobs {
			if !emit(&b.jobs[i]) {
				stopped = true
				return errStopped
			}
			b.jobs[i].reset() // the record is the caller's now
		}
		if b.err != nil {
			if b.err == io.EOF {
				return nil
			}
			return b.err
		}
		b.jobs = b.jobs[:cap(b.jobs)]
		select {
		case free <- b:
		default:
		}
	}
	return nil
}

// workers returns how many goroutines normalize rows.
func (s *Source) workers() int {
	switch {
	case s.o.Workers > 0:
		return s.o.Workers
	case s.o.Normalizer != nil:
		return 1 // a host's normalizer need not be safe for concurrent use
	}
	return runtime.GOMAXPROCS(0)
}

// resolveNew resolves JSON keys seen for the first time. The first object
// decides the key and observed columns, as a CSV header would.
func (s *Source) resolveNew(plan *recordPlan, st *stream, row *rowData) error {
	if len(plan.cols) == 0 {
		cols, err := plan.res.resolveHeader(st.names, false)
		if err != nil {
			return &ReadError{Source: s.m.Source, Line: row.line, Offset: row.offset,
				Err: fmt.Errorf("%w (looking at the keys of the first object)", err)}
		}
		plan.cols = cols
		return nil
	}
	for i := len(plan.cols); i < len(st.names); i++ {
		c, err := plan.res.resolveLate(i, st.names[i])
		if err != nil {
			return &ReadError{Source: s.m.Source, Line: row.line, Offset: row.offset, Err: err}
		}
		plan.cols = append(plan.cols, c)
	}
	return nil
}

// warnRepeats warns about each column of a CSV header whose name an
// earlier column has (see [ErrDuplicateColumn]); line is the header's.
func (s *Source) warnRepeats(cols []column, line int64) {
	for _, c := range cols {
		if c.repeats < 0 {
			continue
		}
		first := cols[c.repeats]
		what := fmt.Sprintf("column %d is %s", c.Index+1, c.Field)
		if c.Role == RoleIgnored {
			what = fmt.Sprintf("column %d is ignored", c.Index+1)
		}
		s.cnt.warn(Warning{Source: s.m.Source, Line: line, Column: c.Name, Field: first.Field,
			Err: fmt.Errorf("%w: columns %d and %d are both %q; %s", ErrDuplicateColumn, first.Index+1, c.Index+1, c.Name, what)})
	}
}

// publishColumns puts cols in the report, with values[i] as the number of
// values column i had in the rows yielded, and for JSON the explicit names
// none of them matched (used lists those that did).
func (s *Source) publishColumns(res *resolver, cols []column, used []string, values []int64) {
	reps := make([]ColumnReport, 0, len(cols))
	for i, c := range cols {
		if i < len(values) {
			c.Values = values[i]
		}
		reps = append(reps, c.ColumnReport)
	}
	if s.cnt.rep.Format != FormatCSV {
		reps = append(reps, res.unseen(used)...)
	}
	s.cnt.rep.Columns = reps
}

// rowJob is one row on its way to becoming a record: what the reader
// worked out in input order (the key, the columns of its values), then the
// record and warnings that normalization made of it.
type rowJob struct {
	line int64
	// cols and used are the columns, and the explicit names matched, that
	// the source knew once it had read this row: prefixes of the plan's
	// lists, whose elements never change, so reading them is safe while
	// the reader goes on.
	cols      []column
	used      []string
	rej       *Reject // the row is rejected: nothing else is set
	key       string
	replaced  bool
	keyField  profile.Field // the key is also this identifier, or ""
	keyName   string        // the key column's name, when keyField is set
	cells     []jobCell
	untracked int64 // values under JSON keys past MaxColumns

	rec   *profile.Record
	warns []Warning
}

type jobCell struct {
	col   *column // read-only here: resolved columns do not change
	idx   int     // the column's index, or -1 for an untracked JSON key
	val   string
	multi bool // a further value for a single-valued field in this row
}

func (j *rowJob) reset() {
	cells, warns := j.cells[:0], j.warns[:0]
	clear(j.cells[:cap(j.cells)])
	clear(j.warns[:cap(j.warns)])
	*j = rowJob{cells: cells, warns: warns}
}

// rowReader reads rows and does, in input order, what depends on it: the
// key checks (a duplicate is the second occurrence) and the columns of
// JSON keys seen for the first time.
type rowReader struct {
	s    *Source
	st   *stream
	plan *recordPlan
	dups *keySet
}

// next reads the next row into j: a row to normalize, or a reject. The
// error is io.EOF at the end, or a *ReadError that ends the stream.
func (r *rowReader) next(ctx context.Context, j *rowJob) error {
	s, st, plan := r.s, r.st, r.plan
	row, rej, err := st.next(ctx)
	if err != nil {
		return err
	}
	if rej == nil && len(plan.cols) < len(st.names) {
		if err := s.resolveNew(plan, st, row); err != nil {
			return err
		}
	}
	j.cols = plan.cols[:len(plan.cols):len(plan.cols)]
	j.used = plan.res.usedLog[:len(plan.res.usedLog):len(plan.res.usedLog)]
	if rej != nil {
		j.rej = rej
		return nil
	}
	reject := func(col, key string, reason error) error {
		j.rej = st.reject(row.line, row.offset, col, row.raw, row.rawTrunc, reason)
		j.rej.Key = key
		return nil
	}
	// The key first: a row without one is rejected before any work.
	var key string
	keyCol := plan.res.key
	if s.m.KeyFromRowNumber {
		key = strconv.FormatInt(row.num, 10)
	} else {
		n := 0
		for _, c := range row.cells {
			if c.col == keyCol && c.col >= 0 {
				if n == 0 {
					key = strings.TrimSpace(c.val)
				}
				n++
			}
		}
		keyName := st.colName(keyCol)
		if keyName == "" {
			keyName = s.m.Key
		}
		if n > 1 {
			return reject(keyName, "", fmt.Errorf("%w: the key column holds %d values", ErrMissingKey, n))
		}
		if key == "" {
			return reject(keyName, "", ErrMissingKey)
		}
	}
	if r.dups != nil {
		if r.dups.seen(key) {
			if s.o.Duplicates == RejectDuplicates {
				return reject(st.colName(keyCol), key, fmt.Errorf("%w %q", ErrDuplicateKey, key))
			}
			j.replaced = true
		} else {
			r.dups.add(key)
		}
	}
	j.line, j.key, j.keyField = row.line, key, plan.keyField()
	if j.keyField != "" {
		j.keyName = st.colName(keyCol)
	}
	for _, c := range row.cells {
		if c.val == "" {
			continue
		}
		jc := jobCell{idx: c.col, val: c.val}
		if c.col >= 0 {
			jc.col = &plan.cols[c.col]
			// A JSON list for a single-valued field: keep the first.
			jc.multi = jc.col.Role == RoleField && !jc.col.Field.MultiValued() && plan.seenIn(c.col, row.num)
		} else {
			j.untracked++
			tmp := plan.res.stateless(c.key)
			jc.col = &tmp
		}
		j.cells = append(j.cells, jc)
	}
	return nil
}

// fill normalizes a row's values into its record. Bad optional values
// become warnings. It reads only the job and immutable state, so rows can
// be filled on several goroutines at once.
func (s *Source) fill(j *rowJob) {
	rec := &profile.Record{Source: s.m.Source, Key: j.key}
	if j.keyField != "" {
		// The key is also an identifier other sources know (a device ID,
		// a loyalty number): keep it as one, so records can meet on it,
		// without a spreadsheet's apostrophe as the identifier's own
		// column would read it. Key stays as written: it names the row in
		// its source, and "'00123" and "00123" are two keys there.
		if err := s.norm.Set(rec, j.keyField, withoutMarks(j.keyField, j.key)); err != nil {
			// The row keeps its key; the identifier is what is lost.
			j.warns = append(j.warns, Warning{Source: s.m.Source, Line: j.line, Column: j.keyName, Field: j.keyField, Raw: j.key, Err: err})
		}
	}
	// Fallback keys (see column.fallback) go after the others, and full
	// name, phone and birth-date cells last, whatever their column: a full
	// name completes the name parts, a number written the national way is
	// placed by the record's country, and a date is read in its country's
	// order, and the country may come in a later column. (The normalizer
	// would read them again when the country comes; last, they are read
	// once.)
	pass := func(col *column) int {
		switch {
		case col.Role == RoleField && (col.Field == profile.FieldPhone || col.Field == profile.FieldBirthDate):
			return 2
		case col.Role == RoleField && col.Field == profile.FieldFullName:
			// After the name parts, which the full name only completes
			// (see profile.Normalizer.Set).
			return 2
		case col.fallback:
			return 1
		}
		return 0
	}
	for p := range 3 {
		for _, c := range j.cells {
			col := c.col
			if pass(col) != p {
				continue
			}
			switch col.Role {
			case RoleField:
				val := withoutMarks(col.Field, c.val)
				if c.multi {
					j.warn(s, col, c.val, fmt.Errorf("%w: %s already set from this row", ErrMultipleValues, col.Field))
					continue
				}
				if col.fallback {
					// The field's first key gave a value: keep it. A different
					// value here is the row's to report, not to drop.
					if vs := rec.Values(col.Field); len(vs) > 0 {
						if !slices.ContainsFunc(vs, func(v profile.Value) bool { return v.Raw == val }) {
							j.warn(s, col, c.val, fmt.Errorf("%w: %s already set from another key of this object", ErrMultipleValues, col.Field))
						}
						continue
					}
				}
				if err := s.norm.Set(rec, col.Field, val); err != nil {
					wcol, wraw := col, c.val
					var fe *profile.FieldError
					if errors.As(err, &fe) && fe.Field != col.Field {
						// Setting one field can find another's value wrong (the
						// country makes the postcode before it invalid): the
						// warning is that value's, and names its column.
						if other, ok := j.cellOf(fe.Field, fe.Raw); ok {
							wcol, wraw = other.col, other.val
						}
					}
					j.warn(s, wcol, wraw, err)
				}
			case RoleObserved:
				t, err := parseTime(c.val, s.m.DateOrder, s.zone)
				if err != nil {
					j.warn(s, col, c.val, err)
					continue
				}
				rec.Observed = t
			}
		}
	}
	// A whole address in the street column ("12 High St, London SW1A
	// 1AA"): its town and postcode, once every column had its say.
	if c, ok := s.norm.(AddressCompleter); ok {
		c.CompleteAddresses(rec)
	}
	j.rec = rec
}

// cellOf returns the row's last cell that gave field f the value raw.
func (j *rowJob) cellOf(f profile.Field, raw string) (jobCell, bool) {
	for i := len(j.cells) - 1; i >= 0; i-- {
		c := j.cells[i]
		if c.col.Role == RoleField && c.col.Field == f && withoutMarks(f, c.val) == raw {
			return c, true
		}
	}
	return jobCell{}, false
}

// withoutMarks drops the apostrophe that spreadsheets, and exports
// meant for them (Shopify's), put before a number to keep it text: '02108
// keeps a ZIP code's leading zero. It is not part of a postcode, a phone
// number or an identifier, whose values it would otherwise make invalid or
// different from the same value elsewhere. Other fields keep it (a name
// may start with one). A phone number also loses the "tel:" of a link
// (RFC 3966), which hides its leading '+' from the phone parser.
func withoutMarks(f profile.Field, v string) string {
	if _, isID := f.IDType(); f != profile.FieldPostcode && f != profile.FieldPhone && !isID {
		return v
	}
	if f == profile.FieldPhone && len(v) > 4 && strings.EqualFold(v[:4], "tel:") {
		return v[4:]
	}
	if rest, ok := strings.CutPrefix(v, "'"); ok && rest != "" && rest[0] != '\'' {
		return rest
	}
	return v
}

// keyField returns the identifier field ("id:<type>") that the key
// column's name names, or "".
func (p *recordPlan) keyField() profile.Field {
	if p.keyChecked {
		return p.idOfKey
	}
	p.keyChecked = true
	if k := p.res.key; k >= 0 && k < len(p.cols) && !p.res.m.NoAuto {
		if f := autoTarget(p.cols[k].norm); f != "" {
			if _, ok := f.IDType(); ok {
				p.idOfKey = f
			}
		}
	}
	return p.idOfKey
}

// seenIn records that column i had a value in row num and reports whether
// it already had one.
func (p *recordPlan) seenIn(i int, num int64) bool {
	for len(p.seen) <= i {
		p.seen = append(p.seen, 0)
	}
	if p.seen[i] == num {
		return true
	}
	p.seen[i] = num
	return false
}

// warn adds a warning about a value of the row; the ranging goroutine
// reports it when it yields the row.
func (j *rowJob) warn(s *Source, col *column, raw string, err error) {
	w := Warning{Source: s.m.Source, Line: j.line, Column: col.Name, Raw: raw, Err: err}
	if col.Role == RoleField {
		w.Field = col.Field
	}
	j.warns = append(j.warns, w)
}

// keySet remembers keys by a 128-bit hash (two independent 64-bit maphash
// values), about 40 bytes a key with map overhead. Two different keys
// share a hash with probability about n²/2¹²⁹: nil for any real source.
type keySet struct {
	s1, s2 maphash.Seed
	m      map[[2]uint64]struct{}
}

func newKeySet(p DuplicateKeys) *keySet {
	if p == NoDuplicateCheck {
		return nil
	}
	return &keySet{s1: maphash.MakeSeed(), s2: maphash.MakeSeed(), m: map[[2]uint64]struct{}{}}
}

func (k *keySet) hash(key string) [2]uint64 {
	return [2]uint64{maphash.String(k.s1, key), maphash.String(k.s2, key)}
}

func (k *keySet) seen(key string) bool {
	_, ok := k.m[k.hash(key)]
	return ok
}

func (k *keySet) add(key string) { k.m[k.hash(key)] = struct{}{} }
