package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/profile"
)

// PutRecords implements [unify.RecordStore]. The records are written in
// one transaction (the caller's, inside Tx), with one prepared statement.
func (s *view) PutRecords(ctx context.Context, recs []*profile.Record) error {
	if len(recs) == 0 {
		return nil
	}
	return s.update(ctx, "put records", func(tx *sql.Tx) error {
		st := s.wstmt(ctx, tx, stPutRecord)
		for i, r := range recs {
			if r == nil {
				return fmt.Errorf("record %d is nil", i)
			}
			doc, err := marshal(r)
			if err != nil {
				return fmt.Errorf("record %v: %w", r.Ref(), err)
			}
			if _, err := st.ExecContext(ctx, r.Source, r.Key, string(doc)); err != nil {
				return fmt.Errorf("record %v: %w", r.Ref(), err)
			}
		}
		return nil
	})
}

// GetRecord implements [unify.RecordStore].
func (s *view) GetRecord(ctx context.Context, ref profile.Ref) (*profile.Record, error) {
	var doc []byte
	err := s.stmt(ctx, stGetRecord).QueryRowContext(ctx, ref.Source, ref.Key).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlitestore: get record: %w: record %v", unify.ErrNotFound, ref)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: get record %v: %w", ref, err)
	}
	r, err := decodeRecord(ref, doc)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: get record: %w", err)
	}
	return r, nil
}

// decodeRecord reads the document stored under ref, and checks that it
// is the record of ref.
func decodeRecord(ref profile.Ref, doc []byte) (*profile.Record, error) {
	r := new(profile.Record)
	if err := json.Unmarshal(doc, r); err != nil {
		return nil, fmt.Errorf("record %v: stored document: %w", ref, err)
	}
	if r.Ref() != ref {
		return nil, fmt.Errorf("record %v: stored document is of record %v", ref, r.Ref())
	}
	return r, nil
}

// DeleteRecords implements [unify.RecordStore].
func (s *view) DeleteRecords(ctx context.Context, refs []profile.Ref) error {
	if len(refs) == 0 {
		return nil
	}
	return s.update(ctx, "delete records", func(tx *sql.Tx) error {
		st := s.wstmt(ctx, tx, stDeleteRecord)
		for _, ref := range refs {
			if _, err := st.ExecContext(ctx, ref.Source, ref.Key); err != nil {
				return fmt.Errorf("record %v: %w", ref, err)
			}
		}
		return nil
	})
}

// Records implements [unify.RecordStore]. It streams the records in
// [profile.Ref.Compare] order, a page at a time: the stream is not one
// snapshot, but a record present from start to end is yielded exactly
// once, and the loop body may call the store.
func (s *view) Records(ctx context.Context) iter.Seq2[*profile.Record, error] {
	return func(yield func(*profile.Record, error) bool) {
		var page []*profile.Record
		var last profile.Ref
		for first := true; ; first = false {
			page = page[:0]
			var rows *sql.Rows
			var err error
			if first {
				rows, err = s.stmt(ctx, stRecordsFirst).QueryContext(ctx, pageSize)
			} else {
				rows, err = s.stmt(ctx, stRecordsNext).QueryContext(ctx, last.Source, last.Key, pageSize)
			}
			if err == nil {
				var doc sql.RawBytes
				for rows.Next() {
					if err = rows.Scan(&last.Source, &last.Key, &doc); err != nil {
						break
					}
					var r *profile.Record
					if r, err = decodeRecord(last, doc); err != nil {
						break
					}
					page = append(page, r)
				}
				err = errors.Join(err, rows.Err(), rows.Close())
			}
			if err != nil {
				yield(nil, fmt.Errorf("sqlitestore: records: %w", err))
				return
			}
			for _, r := range page {
				if !yield(r, nil) {
					return
				}
			}
			if len(page) < pageSize {
				return
			}
		}
	}
}

// AddEvents implements [unify.EventStore].
func (s *view) AddEvents(ctx context.Context, evs []profile.Event) error {
	if len(evs) == 0 {
		return nil
	}
	return s.update(ctx, "add events", func(tx *sql.Tx) error {
		st := s.wstmt(ctx, tx, stAddEvent)
		for i := range evs {
			e := &evs[i]
			doc, err := marshal(e)
			if err != nil {
				return fmt.Errorf("event %d (%q of %v): %w", i, e.ID, e.Record, err)
			}
			if _, err := st.ExecContext(ctx, e.Record.Source, e.Record.Key, string(doc)); err != nil {
				return fmt.Errorf("event %d (%q of %v): %w", i, e.ID, e.Record, err)
			}
		}
		return nil
	})
}

// Events implements [unify.EventStore].
func (s *view) Events(ctx context.Context, ref profile.Ref) ([]profile.Event, error) {
	rows, err := s.stmt(ctx, stEvents).QueryContext(ctx, ref.Source, ref.Key)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: events of %v: %w", ref, err)
	}
	var evs []profile.Event
	var doc sql.RawBytes
	for rows.Next() {
		if err = rows.Scan(&doc); err != nil {
			break
		}
		var e profile.Event
		if err = json.Unmarshal(doc, &e); err != nil {
			err = fmt.Errorf("stored document: %w", err)
			break
		}
		evs = append(evs, e)
	}
	if err := errors.Join(err, rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("sqlitestore: events of %v: %w", ref, err)
	}
	return evs, nil
}

// DeleteEvents implements [unify.EventStore].
func (s *view) DeleteEvents(ctx context.Context, ref profile.Ref) error {
	return s.update(ctx, "delete events", func(tx *sql.Tx) error {
		_, err := s.wstmt(ctx, tx, stDeleteEvents).ExecContext(ctx, ref.Source, ref.Key)
		return err
	})
}
