package ingest

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"iter"
	"strconv"
	"strings"
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
	s := &Source{r: r, m: m, o: o, norm: o.Normalizer, zone: zone}
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
		s.publishColumns(plan)
	}
	dups := newKeySet(s.o.Duplicates)
	defer func() {
		s.publishColumns(plan)
	}()
	for {
		row, rej, err := st.next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if rej != nil {
			s.cnt.reject(rej)
			if !yield(nil, rej) {
				return errStopped
			}
			continue
		}
		if len(plan.cols) < len(st.names) {
			if err := s.resolveNew(plan, st, row); err != nil {
				return err
			}
		}
		rec, rej, replaced := s.build(plan, st, row, dups)
		if rej != nil {
			s.cnt.reject(rej)
			if !yield(nil, rej) {
				return errStopped
			}
			continue
		}
		s.cnt.accept(replaced)
		if !yield(rec, nil) {
			return errStopped
		}
	}
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

func (s *Source) publishColumns(plan *recordPlan) {
	reps := make([]ColumnReport, 0, len(plan.cols))
	for _, c := range plan.cols {
		reps = append(reps, c.ColumnReport)
	}
	if s.cnt.rep.Format != FormatCSV {
		reps = append(reps, plan.res.unseen()...)
	}
	s.cnt.rep.Columns = reps
}

// build turns a row into a record, or a reject for a missing or duplicate
// key. Bad optional values become warnings.
func (s *Source) build(plan *recordPlan, st *stream, row *rowData, dups *keySet) (*profile.Record, *Reject, bool) {
	reject := func(col, key string, reason error) (*profile.Record, *Reject, bool) {
		rj := st.reject(row.line, row.offset, col, row.raw, row.rawTrunc, reason)
		rj.Key = key
		return nil, rj, false
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
	replaced := false
	if dups != nil {
		if dups.seen(key) {
			if s.o.Duplicates == RejectDuplicates {
				return reject(st.colName(keyCol), key, fmt.Errorf("%w %q", ErrDuplicateKey, key))
			}
			replaced = true
		} else {
			dups.add(key)
		}
	}
	rec := &profile.Record{Source: s.m.Source, Key: key}
	if f := plan.keyField(); f != "" {
		// The key is also an identifier other sources know (a device ID,
		// a loyalty number): keep it as one, so records can meet on it.
		_ = s.norm.Set(rec, f, key)
	}
	var phoneWarnings []pendingWarning
	for _, c := range row.cells {
		if c.val == "" {
			continue
		}
		var col *column
		if c.col >= 0 {
			col = &plan.cols[c.col]
		} else {
			s.cnt.rep.UntrackedKeys++
			tmp := plan.res.stateless(c.key)
			col = &tmp
		}
		col.Values++
		switch col.Role {
		case RoleField:
			if c.col >= 0 && !col.Field.MultiValued() {
				// A JSON list for a single-valued field: keep the first.
				if plan.seenIn(c.col, row.num) {
					s.warn(row, col, c.val, fmt.Errorf("%w: %s already set from this row", ErrMultipleValues, col.Field))
					continue
				}
			}
			if err := s.norm.Set(rec, col.Field, c.val); err != nil {
				if errors.Is(err, profile.ErrInvalidPhone) {
					// A later country column may place the number.
					phoneWarnings = append(phoneWarnings, pendingWarning{col, c.val, err})
					continue
				}
				s.warn(row, col, c.val, err)
			}
		case RoleObserved:
			t, err := parseTime(c.val, s.m.DateOrder, s.zone)
			if err != nil {
				s.warn(row, col, c.val, err)
				continue
			}
			rec.Observed = t
		}
	}
	for _, w := range phoneWarnings {
		if !phonePlaced(rec, w.err) {
			s.warn(row, w.col, w.val, w.err)
		}
	}
	return rec, nil, replaced
}

// pendingWarning is a warning held back until the whole row is read.
type pendingWarning struct {
	col *column
	val string
	err error
}

// phonePlaced reports whether the number an invalid-phone error named was
// placed after all, once the record's country was known.
func phonePlaced(rec *profile.Record, err error) bool {
	var fe *profile.FieldError
	if !errors.As(err, &fe) {
		return false
	}
	for _, p := range rec.Phones {
		if p.Raw == fe.Raw && p.E164 != "" {
			return true
		}
	}
	return false
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

func (s *Source) warn(row *rowData, col *column, raw string, err error) {
	w := Warning{Source: s.m.Source, Line: row.line, Column: col.Name, Raw: raw, Err: err}
	if col.Role == RoleField {
		w.Field = col.Field
	}
	s.cnt.warn(w)
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
